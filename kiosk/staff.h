/*
 * Staff PINs and the login guard.
 *
 * A PIN is at least 6 digits. It is stored as a libsodium Argon2id hash
 * string in <data-dir>/staff-<role>.pin, mode 0600, written atomically.
 * The guard counts wrong PINs: from the fifth in a row, every wrong PIN
 * locks login for a delay that doubles each time (base, 2×base, 4×base…,
 * at most a day); a right PIN resets it. The guard lives in the app; the
 * station keeps it in <data-dir>/state (kiosk/station_state.h), so that a
 * restart or the power button does not reset it.
 */
#ifndef DAUYS_KIOSK_STAFF_H
#define DAUYS_KIOSK_STAFF_H

#include <stdbool.h>
#include <stdint.h>

#define STAFF_PIN_MIN 6
#define STAFF_PIN_MAX 16
#define STAFF_FAILURES_BEFORE_LOCK 5
#define STAFF_LOCKOUT_MAX_S 86400u /* the longest lockout: a day */

/* Staff login protection shared by every visit to the PIN screen. */
struct staff_guard {
    unsigned failures;       /* wrong PINs since the last success */
    unsigned lockouts;       /* how many times login was locked */
    uint64_t locked_until;   /* monotonic ms; 0: not locked */
    unsigned lockout_base_s; /* first lockout; doubles each time */
};

/*
 * Staff roles (docs/terminal-config.md). A role decides which staff menus
 * are offered: a commission member the election package and voting, a
 * centre worker the applications, a technician both and the checks.
 */
enum staff_role {
    STAFF_COMMISSION_MEMBER,
    STAFF_CENTRE_WORKER,
    STAFF_TECHNICIAN,
    STAFF_ROLES
};

/* A set of roles, one bit (1 << role) each. */
#define STAFF_ROLE_BIT(r) (1u << (r))
#define STAFF_ROLES_ALL                                                        \
    (STAFF_ROLE_BIT(STAFF_COMMISSION_MEMBER) |                                 \
     STAFF_ROLE_BIT(STAFF_CENTRE_WORKER) | STAFF_ROLE_BIT(STAFF_TECHNICIAN))

/* "commission-member", "centre-worker", "technician". */
const char *staff_role_name(enum staff_role r);

/* Sets *R from NAME; returns 0, or -1 when NAME is no role. */
int staff_role_from_name(const char *name, enum staff_role *r);

/*
 * Checks a PIN against the stored hashes; returns the role the PIN opens
 * (an enum staff_role), or -1 when it matches none. A PIN set with
 * `dauys staff passwd` outside a terminal configuration acts as a
 * technician's.
 */
typedef int (*staff_verify_fn)(void *ctx, const char *pin);

/* Returns 0 if PIN is acceptable, else -1 with *why (caller frees). */
int staff_pin_check(const char *pin, char **why);

/* Returns a newly allocated path of ROLE's PIN file in DATA_DIR. */
char *staff_pin_path(const char *data_dir, const char *role);

/* Hashes PIN and writes it to PATH (0600, atomically). */
int staff_pin_write(const char *path, const char *pin, char **why);

/* Reads the hash string from PATH into a newly allocated *hash (caller
 * frees). Returns 0, -1 on error (*why), or 1 when no PIN is set. */
int staff_pin_read(const char *path, char **hash, char **why);

/* True when PIN matches HASH (an Argon2id string). */
bool staff_pin_verify(const char *hash, const char *pin);

/* Seconds left of a lockout at NOW_MS (rounded up), 0 when not locked. */
unsigned staff_guard_remaining(const struct staff_guard *g, uint64_t now_ms);

/* Records a wrong PIN at NOW_MS; returns the lockout in seconds it
 * started, or 0. */
unsigned staff_guard_fail(struct staff_guard *g, uint64_t now_ms);

/* Records a right PIN. */
void staff_guard_success(struct staff_guard *g);

#endif
