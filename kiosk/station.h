/*
 * The polling station's side of the kiosk: what staff do with election
 * packages, as I/O that the pure screens ask for through effects.
 *
 * Trusted keys are the configuration's [election] public_key lines and,
 * with --demo only, the bundled demo key. A package is loaded only when
 * package_load() accepts it; it is then copied into <data-dir>/election/
 * so that the next start loads it again (verified again). A refused
 * package leaves the one in force untouched, and the refusal lists every
 * reason. The practice ballot is the bundled practice package (verified
 * with the demo key: it is test data, never a vote) or, when that is
 * missing, a sample built into the program.
 *
 * What must survive a crash or a power cut (the package in force, voting
 * open or closed and for which day, the counts for the close-of-day
 * report, the staff-login guard) is kept in <data-dir>/state
 * (kiosk/station_state.h), written after every change and read once at
 * start by station_restore().
 *
 * Staff actions are appended to the one staff audit trail,
 * <data-dir>/audit.log (accessibility/audit.h: hash-chained lines with a
 * UTC time, actor "kiosk", the action such as "package loaded id=…
 * hash=…"), and to syslog. Nothing about voters is ever written: the
 * voter's screens emit no audit effects.
 */
#ifndef DAUYS_KIOSK_STATION_H
#define DAUYS_KIOSK_STATION_H

#include <stdbool.h>
#include <stdint.h>

#include "ballot/election.h"
#include "kiosk/app.h"
#include "kiosk/config.h"
#include "kiosk/station_state.h"

struct station;
struct services;

/*
 * Returns a new station for DATA_DIR trusting CFG's keys and, when DEMO,
 * the bundled demo key. The caller frees it with station_free().
 */
struct station *station_new(const char *data_dir, const struct config *cfg,
                            bool demo);
void station_free(struct station *s);

/* Reads USB sticks mounted at DIR and writes to them through the helper
 * at SOCKET (kiosk/media.h; defaults: the appliance's). */
void station_set_media(struct station *s, const char *dir, const char *socket);

/* The number of trusted keys. */
size_t station_n_keys(const struct station *s);

/*
 * Loads and verifies the package in DIR. On success returns 0, sets *OUT
 * (the caller owns it) and, unless SAVE is false, copies the package into
 * the data directory. On failure returns -1 with *WHY listing every
 * problem (the caller frees) and *OUT untouched.
 */
int station_load(struct station *s, const char *dir, bool save,
                 struct election **out, char **why);

/*
 * Loads the package saved in the data directory by an earlier
 * station_load(). Returns 1 when there is none, 0 with *OUT, or -1 with
 * *WHY when it no longer verifies.
 */
int station_load_saved(struct station *s, struct election **out, char **why);

/*
 * Test seam: FN(CTX) is called by station_load() after the package was
 * verified and before it is copied, where a test swaps the folder's files
 * to prove that the copy is of the verified bytes. NULL: none.
 */
void station_set_load_hook(struct station *s, void (*fn)(void *ctx), void *ctx);

/* Records in the audit trail that the kiosk started, with its version and
 * the configuration it read (CONFIG_PATH, NULL: the defaults) and that
 * file's BLAKE2b-256 (16 hex digits), so that a changed configuration
 * shows between two starts. */
void station_started(struct station *s, const char *config_path);

/*
 * Reads the saved state at start (after the package in force has been put
 * on APP) and puts it in force at NOW (Unix seconds; NOW_MS on the app's
 * clock): the login guard always; voting open again when it was open with
 * the same package on today's local date. Otherwise voting stays closed
 * and APP gets a notice for staff saying why (another day, another
 * package, a damaged state file), which also goes to the audit trail.
 * Writes the state back; returns 0, or -1 when it cannot be written
 * (logged and audited; the kiosk goes on).
 */
int station_restore(struct station *s, struct app *app, int64_t now,
                    uint64_t now_ms);

/* The state in force, for the close-of-day report: valid until the next
 * call into the station. */
const struct station_state *station_state_now(const struct station *s);
/* When voting was first opened for the package in force and last closed
 * (Unix seconds; 0: not yet, or open now), how many voter sessions were
 * started and how many ballots' stencils were written since it was
 * loaded. */
int64_t station_opened_at(const struct station *s);
int64_t station_closed_at(const struct station *s);
uint64_t station_sessions(const struct station *s);
uint64_t station_stencils(const struct station *s);

/* The app's audit port (app_options.audit, .audit_head; CTX is the
 * station): appends ACTION; reads the head (seq and 7 hex digits). */
void station_audit_port(void *ctx, const char *action);
int station_audit_head(void *ctx, uint64_t *seq, char hash[8]);

/* The practice package: the bundled one, else the built-in sample. The
 * caller frees it with election_free(). Never NULL. */
struct election *station_practice(const struct station *s);

/* Appends the action to the audit trail and to syslog; a failure to write
 * the trail is logged. */
void station_audit(struct station *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Writes the stencils of every ballot of E into DIR (created if missing):
 * <ballot id>.svg, .pdf and .png. Fills *LINES (the caller frees each and
 * the array) with one line per file written or refused. Returns the
 * number of failures.
 */
int station_write_stencils(const struct election *e, const char *dir,
                           char ***lines, int *n_lines);

/* The Ten Qogam services whose applications the close-of-day report
 * counts (borrowed; NULL: none). */
void station_set_services(struct station *s, const struct services *svc);

/*
 * The loop's handler for FX_LOAD_PACKAGE, FX_WRITE_STENCILS, FX_MEDIA_LOAD (the
 * stick's list), FX_AUDIT,
 * FX_VOTING, FX_VOTER_SESSION and FX_GUARD (kept in the state, which the
 * reports read), FX_PRINT_TEST, FX_REPORT (the opening and close-of-day
 * reports: printed on the configured printer, written as PDF into the
 * folder, shown and spoken) and FX_GUIDE (CTX is the station): carries
 * out F, keeps the state, and shows the outcome to staff as a message
 * screen opened on APP, its announcement appended to OUT. A report's
 * facts are the loaded package, the day's times and counts from the
 * state (station_opened_at() and the others), the applications of the
 * day by service and the audit trail's head, read after an audit entry
 * for the report itself.
 */
void station_effect(void *ctx, const struct fx *f, struct app *app,
                    uint64_t now_ms, struct fx_list *out);

#endif
