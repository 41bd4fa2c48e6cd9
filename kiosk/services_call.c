/*
 * Carrying out services calls through the port (see services_call.h).
 */
#include "kiosk/services_call.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accessibility/xalloc.h"

struct services_call *
services_call_new(enum services_op op)
{
    struct services_call *call = xcalloc(1, sizeof *call);
    call->op = op;
    call->q_status = -1;
    return call;
}

void
services_call_free(struct services_call *call)
{
    if (call == NULL)
        return;
    free(call->why);
    if (call->rows != NULL) {
        sodium_memzero(call->rows, call->n_rows * sizeof *call->rows);
        free(call->rows);
    }
    free(call->path);
    sodium_memzero(call, sizeof *call);
    free(call);
}

/* Collects a LIST row into the call. */
static int
services_call_row(void *ctx, const struct store_row *row)
{
    struct services_call *call = ctx;
    call->rows = xrealloc(call->rows, (call->n_rows + 1) * sizeof *call->rows);
    call->rows[call->n_rows++] = *row;
    return 0;
}

void
services_call_run(const struct services *sv, struct services_call *call)
{
    const struct services_ops *o = sv != NULL ? sv->ops : NULL;
    void *ctx = sv != NULL ? sv->ops_ctx : NULL;
    free(call->why);
    call->why = NULL;
    if (o == NULL) {
        call->rc = -1;
        call->why = xstrdup("applications cannot be stored on this "
                            "terminal: the services store is not set up");
        return;
    }
    switch (call->op) {
    case SERVICES_SUBMIT:
        call->rc = o->submit(ctx, &call->app, call->number, &call->created_at,
                             &call->why);
        break;
    case SERVICES_STATUS:
        call->rc = o->status(ctx, call->number, &call->status,
                             &call->changed_at, call->service, &call->why);
        break;
    case SERVICES_PRINT: {
        struct receipt r = {
            .number = call->number,
            .centre = call->centre,
            .service = call->service,
            .lang = call->lang,
            .created_at = call->created_at,
        };
        if (o->print == NULL) {
            call->rc = -1;
            call->why = xstrdup("no printer");
        } else {
            call->rc = o->print(ctx, &r, &call->why);
        }
        break;
    }
    case SERVICES_LIST: {
        struct store_query q = {
            .number = call->q_number[0] != '\0' ? call->q_number : NULL,
            .from = call->q_from,
            .to = call->q_to,
            .status = call->q_status,
            .limit = call->q_limit,
        };
        call->rc = o->list(ctx, &q, services_call_row, call, &call->why);
        break;
    }
    case SERVICES_SET_STATUS:
        call->rc = o->set_status(ctx, call->number, call->status, call->note,
                                 &call->why);
        break;
    case SERVICES_ACCEPT_IIN:
        call->rc = o->accept_iin(ctx, call->number, &call->why);
        break;
    case SERVICES_EXPORT:
        call->rc = o->export_outbox(ctx, call->dir, &call->path, &call->count,
                                    &call->why);
        break;
    }
}
