/*
 * The signed terminal configuration, format `dauys-terminal/1`
 * (docs/terminal-config.md): a folder holding `terminal.json` and its
 * detached Ed25519 signature `terminal.json.sig`, made on a staff laptop
 * with `dauys terminal sign` (or any RFC 8032 implementation) and signed
 * with the provisioning key whose public half is baked into the image
 * (/etc/dauys/provision.pub).
 *
 * This module reads, validates, verifies and installs a configuration, and
 * lays it over the dauys.conf values (struct config). It does no terminal
 * I/O and keeps no global state: the kiosk, the `dauys terminal` command
 * and the tests call the same functions.
 *
 * A terminal keeps the configuration it accepted in its data folder, as
 * the same two files (so `dauys terminal verify DATA_DIR` checks it too),
 * plus `terminal.serial`, the highest serial it ever accepted. A folder
 * whose serial is lower is refused (no rollback); the same serial with the
 * same bytes is already in force (a no-op); the same serial with other
 * bytes is refused.
 *
 * Functions that can fail return 0 or -1 and set *WHY (when WHY is not
 * NULL) to a new text the caller frees: one problem a line, each naming
 * the file and, for content, the JSON path (`staff.technician`).
 */
#ifndef DAUYS_KIOSK_TERMINAL_H
#define DAUYS_KIOSK_TERMINAL_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#include "kiosk/config.h"
#include "kiosk/mode.h"
#include "kiosk/staff.h"

#define TERMINAL_FORMAT "dauys-terminal/1"
#define TERMINAL_JSON "terminal.json"
#define TERMINAL_SIG "terminal.json.sig"
#define TERMINAL_SERIAL_FILE "terminal.serial"
/* The most bytes terminal.json may hold (64 KiB). */
#define TERMINAL_MAX_BYTES ((size_t)64 * 1024)
#define TERMINAL_ID_MAX 32
#define TERMINAL_LOCATION_MAX 200 /* characters */
#define TERMINAL_PRINTER_MAX 255  /* bytes */
#define TERMINAL_KEYS_MAX CONFIG_KEYS_MAX
/* The largest serial: 2^53 - 1, exact in every JSON implementation. */
#define TERMINAL_SERIAL_MAX 9007199254740991LL
/* The default provisioning key of an appliance. */
#define TERMINAL_PROVISION_KEY "/etc/dauys/provision.pub"

/* Where the language of the first screen comes from. */
enum terminal_language {
    TERMINAL_LANG_BOTH = -1, /* "kk+ru": the welcome greets in both */
    TERMINAL_LANG_KK = 0,    /* enum lang values */
    TERMINAL_LANG_RU = 1,
};

struct terminal {
    long long serial;
    char id[TERMINAL_ID_MAX + 1];
    char location_kk[TERMINAL_LOCATION_MAX * 4 + 1];
    char location_ru[TERMINAL_LOCATION_MAX * 4 + 1];
    enum kiosk_mode mode;
    int language; /* enum terminal_language */
    /* The Argon2id hash string of each role's PIN; "" when the role has no
     * account on this terminal. */
    char pin_hash[STAFF_ROLES][crypto_pwhash_STRBYTES];
    unsigned char election_keys[TERMINAL_KEYS_MAX][32];
    size_t n_election_keys;
    char centre_public_key[45]; /* standard base64 of 32 bytes, or "" */
    char printer[TERMINAL_PRINTER_MAX + 1]; /* "none", /dev/…, pdf:/… */
    unsigned retention_days;                /* 0 without services */
    unsigned idle_warning_s, idle_grace_s;
    char hash[65]; /* SHA-256 of terminal.json, lowercase hex */
};

/*
 * Parses and validates LEN bytes of terminal.json (NAME is how problems
 * name the file) against every rule of the format. Returns 0 and fills
 * *OUT, or -1 with every problem in *WHY and *OUT unspecified.
 */
int terminal_parse(const char *json, size_t len, const char *name,
                   struct terminal *out, char **why);

/*
 * Reads DIR/terminal.json once (a regular file of at most
 * TERMINAL_MAX_BYTES), checks DIR/terminal.json.sig over those bytes
 * against the N_KEYS KEYS and validates them. Returns 0 and fills *OUT
 * only when all holds; -1 with every problem (the signature's and the
 * content's) in *WHY. When BYTES is not NULL, on success *BYTES and
 * *N_BYTES receive the verified bytes of terminal.json (the caller frees)
 * and *SIG the signature line, so that they can be installed without
 * reading the folder again.
 */
int terminal_load(const char *dir, const unsigned char (*keys)[32],
                  size_t n_keys, struct terminal *out, char **bytes,
                  size_t *n_bytes, char **sig, char **why);

/* Reads DIR/terminal.json as terminal_load() does but without the
 * signature (for `dauys terminal show`). Returns 0 with *OUT, or -1. */
int terminal_read(const char *dir, struct terminal *out, char **why);

/*
 * Reads the provisioning public keys of PATH (one base64 key a line, as
 * package_read_public_keys()). Returns 0 with *KEYS (the caller frees) and
 * *N, or -1 with *WHY.
 */
int terminal_read_keys(const char *path, unsigned char (**keys)[32], size_t *n,
                       char **why);

/*
 * The configuration DATA_DIR accepted earlier, verified again under KEYS:
 * 0 with *OUT; 1 when there is none; -1 with *WHY when it is there but
 * damaged or no longer verifies (the terminal then counts as not
 * configured, and staff must insert the stick again).
 */
int terminal_load_accepted(const char *data_dir,
                           const unsigned char (*keys)[32], size_t n_keys,
                           struct terminal *out, char **why);

/* The highest serial DATA_DIR ever accepted into *SERIAL (0: none) and,
 * when HASH is not NULL, the hash of the configuration it came with into
 * HASH ("" when unknown). terminal.serial holds "SERIAL HASH\n".
 * Returns 0, or -1 with *WHY when terminal.serial is unreadable. */
int terminal_highest_serial(const char *data_dir, long long *serial,
                            char hash[65], char **why);

/* What terminal_accept() did. */
enum terminal_outcome {
    TERMINAL_INSTALLED, /* a new configuration is in force */
    TERMINAL_SAME,      /* the one in force already: nothing changed */
};

/*
 * Accepts the configuration in folder DIR into DATA_DIR: loads and
 * verifies it under KEYS (terminal_load()), refuses a serial lower than
 * the highest accepted or equal to it with other bytes, and installs the
 * verified bytes and signature atomically (terminal.json.sig and
 * terminal.json replaced so that a crash leaves the old pair or the new,
 * then terminal.serial). Returns 0 with *OUT and *OUTCOME, or -1 with
 * *WHY; on failure what was in force stays untouched.
 */
int terminal_accept(const char *data_dir, const char *dir,
                    const unsigned char (*keys)[32], size_t n_keys,
                    struct terminal *out, enum terminal_outcome *outcome,
                    char **why);

/*
 * Finds the folder with a terminal configuration under MEDIA: MEDIA
 * itself when it holds terminal.json, else its one sub-folder that does (a
 * stick mounted below it). Writes it into FOUND (PATH_MAX bytes) and
 * returns 0; returns -1 with *WHY when there is none, or several.
 */
int terminal_find(const char *media, char *found, char **why);

/* Lays T over C: mode, terminal id (as `centre` and `terminal`), idle
 * times, printer, retention, the trusted election keys and the centre's
 * public key (decoded into centre_public_key, has_centre_key). */
void terminal_apply(const struct terminal *t, struct config *c);

/* "voting", "services" or "both". */
const char *terminal_mode_name(enum kiosk_mode m);

/*
 * Checks that HASH is an Argon2id string this terminal accepts
 * (docs/terminal-config.md: v=19, m 8192-262144 KiB, t 1-10, p 1-4, salt
 * 8-32 bytes, hash 16-32 bytes). Returns 0, or -1 with a reason in *WHY.
 */
int terminal_check_pin_hash(const char *hash, char **why);

#endif
