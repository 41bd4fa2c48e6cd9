/*
 * Ten Qogam services as the screens see them: the catalogue, the centre,
 * whether a keyboard is attached, and the storage and printer reached
 * through a table of functions. This is the kiosk's port to the services/
 * library (catalogue, application, store, receipt): screens include this
 * header, never services/store.h or services/receipt.h directly.
 *
 * Screens stay pure state machines: they never open a file or a database.
 * The kiosk (services_run.c) fills the table with the real store and
 * printer; the unit tests fill it with fakes that fail on demand.
 * Submission is a synchronous call on purpose: the number may be announced
 * only after the application is durably stored, so the screen must know
 * the outcome before it says anything.
 */
#ifndef DAUYS_KIOSK_SERVICES_H
#define DAUYS_KIOSK_SERVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "services/application.h"
#include "services/catalogue.h"
#include "services/receipt.h"
#include "services/store.h"

struct services_ops {
    /* Stores A; fills NUMBER. Returns 0 or a negative enum store_error
     * with *why (caller frees). */
    int (*submit)(void *ctx, const struct application *a,
                  char number[APPLICATION_NUMBER_LEN + 1], int64_t *created,
                  char **why);
    /* Status of NUMBER: 0, 1 (none), or an error with *why. */
    int (*status)(void *ctx, const char *number, enum app_status *status,
                  int64_t *changed_at, char *service, char **why);
    /* Prints R. Returns 0, or -1 with *why (no printer, out of paper…). */
    int (*print)(void *ctx, const struct receipt *r, char **why);
    /* Staff: rows matching Q, newest first. */
    int (*list)(void *ctx, const struct store_query *q, store_row_fn fn,
                void *fctx, char **why);
    /* Staff: set a status with a note; accept a flagged IIN. 0, 1 (no such
     * application) or an error with *why. */
    int (*set_status)(void *ctx, const char *number, enum app_status status,
                      const char *note, char **why);
    int (*accept_iin)(void *ctx, const char *number, char **why);
    /* Staff: writes the sealed outbox and its manifest into the folder
     * DIR (services_export()); *path is the records file (caller frees),
     * *count how many. */
    int (*export_outbox)(void *ctx, const char *dir, char **path, long *count,
                         char **why);
    /* Staff: the applications created in [FROM, TO) counted by service
     * (store_count_by_service()); NULL: not available. */
    int (*count)(void *ctx, int64_t from, int64_t to, store_count_fn fn,
                 void *fctx, char **why);
};

struct services {
    const struct catalogue *catalogue; /* NULL: not available */
    const char *centre;
    bool keyboard; /* a keyboard is attached: the name is asked */
    unsigned retention_days;
    const char *problem;            /* why applications cannot be taken now (for
                             * staff, English), or NULL */
    const struct services_ops *ops; /* NULL: no storage */
    void *ops_ctx;
};

/* The title of the service ID in LANG, or ID itself when unknown. */
const char *services_title(const struct services *sv, const char *id,
                           enum lang lang);

#endif
