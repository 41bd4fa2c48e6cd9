/*
 * One route to the services port: a request a screen returns as an effect.
 *
 * Screens never call the store or the printer. A screen fills a
 * services_call and returns it as FX_SERVICES; the app carries it out
 * through the port (struct services_ops in ctx->svc) at once and hands the
 * answered call back to the same screen's reply(), before anything else
 * happens, so that an application number is never announced before the
 * application is durably stored. The call owns copies of everything it
 * carries; personal data in it is wiped when it is freed.
 */
#ifndef DAUYS_KIOSK_SERVICES_CALL_H
#define DAUYS_KIOSK_SERVICES_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "kiosk/services.h"

enum services_op {
    SERVICES_SUBMIT,     /* in: app; out: number, created_at */
    SERVICES_STATUS,     /* in: number; out: status, changed_at, service */
    SERVICES_PRINT,      /* in: number, centre, service, lang, created_at */
    SERVICES_LIST,       /* in: the query fields; out: rows */
    SERVICES_SET_STATUS, /* in: number, status, note */
    SERVICES_ACCEPT_IIN, /* in: number */
    SERVICES_EXPORT,     /* in: dir; out: path, count */
};

struct services_call {
    enum services_op op;
    int tag; /* the screen's own: which step asked */
    /* The request. */
    struct application app;
    char number[APPLICATION_NUMBER_LEN + 1];
    char centre[64];
    char service[256]; /* PRINT: title; STATUS answer: service id */
    enum lang lang;
    enum app_status status;
    char note[512];
    char q_number[APPLICATION_NUMBER_LEN + 1]; /* LIST: "" any */
    int64_t q_from, q_to; /* LIST: created_at range, 0: open */
    int q_status;         /* LIST: enum app_status or -1 */
    unsigned q_limit;     /* LIST: 0 no limit */
    /* The answer. */
    int rc;    /* what the port returned (0, 1, < 0) */
    char *why; /* the reason when rc < 0 (owned) */
    int64_t created_at, changed_at;
    struct store_row *rows; /* LIST (owned) */
    size_t n_rows;
    char dir[1024]; /* EXPORT: the folder to write into */
    char *path;     /* EXPORT (owned) */
    long count;     /* EXPORT: records written */
};

/* Returns a new empty call for OP; freed with services_call_free(), or by
 * the effect list it is handed to. */
struct services_call *services_call_new(enum services_op op);

/* Wipes and frees CALL and what it owns. NULL is a no-op. */
void services_call_free(struct services_call *call);

/* Carries out CALL through SV's port and fills its answer; without a port
 * rc is negative and why says that applications cannot be stored. */
void services_call_run(const struct services *sv, struct services_call *call);

#endif
