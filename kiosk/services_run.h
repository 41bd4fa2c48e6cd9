/*
 * Setting up the Ten Qogam services for the kiosk and the commands: the
 * catalogue file, the applications database with its key, the printer,
 * taken from the services/ library and the configuration. Kept apart from
 * services.h so that screens never see the configuration.
 */
#ifndef DAUYS_KIOSK_SERVICES_RUN_H
#define DAUYS_KIOSK_SERVICES_RUN_H

#include <limits.h>
#include <stdbool.h>

#include "kiosk/config.h"
#include "kiosk/services.h"

struct services_run;

/*
 * Fills DB, KEY and CATALOGUE (PATH_MAX bytes each) with the database,
 * key file and catalogue paths from CFG, defaulting to DATA_DIR and the
 * bundled data. Returns 0, or -1 when a path is too long.
 */
int services_paths(const struct config *cfg, const char *data_dir, char *db,
                   char *key, char *catalogue);

/*
 * Loads the catalogue, opens the store and runs the retention job. Never
 * fails as a whole: what could not be set up is logged and described by
 * services_problem(). With DEMO and no printer configured, receipts go to
 * DATA_DIR/receipts as PDF. KEYBOARD: a keyboard is attached (the name is
 * asked). I18N must outlive the result. Free with services_stop().
 */
struct services_run *services_start(const struct config *cfg,
                                    const char *data_dir, bool demo,
                                    bool keyboard, const struct i18n *i18n);

/*
 * Checks that DATA_DIR can take new data: it is on a writable file system
 * (a damaged or missing data partition leaves the read-only root's empty
 * directory) with room for more (a 64 KiB probe file is written, fsynced
 * and removed). Returns NULL when it can, else the message id saying so
 * for visitors' staff (translated by the screens), with *DETAIL (the
 * caller frees) for the log.
 */
const char *services_data_check(const char *data_dir, char **detail);

/* The message ids of services_data_check(). */
extern const char services_data_full[];
extern const char services_data_readonly[];

/*
 * Writes every application of ST as sealed outbox records into the folder
 * DIR: outbox-CENTRE-STAMP.jsonl (one record a line, docs/central.md) and
 * outbox-CENTRE-STAMP.manifest (JSON: file, centre, count, sha256 of the
 * records file, exported_at), both mode 0600, never replacing a file.
 * Returns 0 with *PATH (the records file, caller frees) and *COUNT, or a
 * negative enum store_error with *WHY.
 */
int services_export(struct store *st, const char *dir, const char *centre,
                    char **path, long *count, char **why);

/* The table the screens use; lives as long as R. */
const struct services *services_get(const struct services_run *r);

/* What could not be set up (for staff: a message id of
 * services_data_check(), or an English reason), or NULL. */
const char *services_problem(const struct services_run *r);

/* The enum store_error store_open() returned (STORE_KEY: the centre key
 * is missing or not the database's), or 0 when the store is open. */
int services_store_error(const struct services_run *r);

/* Where the USB stick is mounted and the stick helper's socket
 * (kiosk/media.h): an export into DIR is written through the helper when
 * SOCKET exists. R copies both; NULL R is a no-op. */
void services_set_media(struct services_run *r, const char *dir,
                        const char *socket);

/* Closes the store and frees R. NULL is a no-op. */
void services_stop(struct services_run *r);

#endif
