/*
 * The central database under load (docs/central.md), against the
 * throwaway PostgreSQL that tests/bench/central_bench.sh starts (fsync on):
 * KIOSKS simulated kiosks, each a thread with its own terminal role and
 * TLS connection, push as dauys-sync does (records formatted and parsed as
 * the outbox hands them, batches of 500 in one transaction each, one
 * multi-row INSERT … ON CONFLICT DO NOTHING, acknowledged after COMMIT):
 *
 *   BENCH central_sync_per_s           applications a second, PER each
 *   BENCH central_sync_per_s_naive     the same with one INSERT per
 *                                      transaction (NAIVE each)
 *   BENCH central_sync_vs_naive        batched / naive
 *   BENCH central_lag_p99_s            under a steady 5 applications a
 *                                      second per kiosk for WINDOW s, from
 *                                      the application's creation to the
 *                                      COMMIT that holds it, with
 *                                      dauys-sync's 1 s idle interval
 *   BENCH central_lag_p99_s_naive      the same, one INSERT a transaction
 *   BENCH central_lag_vs_naive         batched / naive
 *
 *   central_bench CONNINFO CA PUBFILE KIOSKS PER NAIVE WINDOW
 *
 * Kiosk K connects as CONNINFO plus "user=t_bK password=pw-t_bK".
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "central/central.h"
#include "services/damm.h"
#include "tests/bench/timing.h"

#define BATCH 500
#define RATE 5.0

static const char *conninfo, *ca;
static unsigned char pk[CENTRAL_KEY_BYTES];
static long per, naive_per;
static double window_s;

struct kiosk {
    pthread_t thread;
    int k;
    int phase; /* 0 batched, 1 naive, 2 lag batched, 3 lag naive */
    long done;
    double *lags;
    size_t nlags;
    int failed;
    char *sealed;
    long next_number;
};

static pthread_barrier_t start;

/* Makes the record of the kiosk's next application as its outbox would
 * hand it, and parses it as dauys-sync does. */
static void
make_record(struct kiosk *k, int64_t created, struct central_record *out)
{
    struct central_record r = {0};
    char buf[32], *why = NULL;
    snprintf(r.centre, sizeof r.centre, "B%02d", k->k);
    snprintf(r.terminal, sizeof r.terminal, "k%d", k->k);
    snprintf(buf, sizeof buf, "%08ld", k->next_number++ % 100000000);
    memcpy(r.number, buf, 8);
    r.number[8] = (char)('0' + damm_digit(r.number));
    r.created_at = created;
    r.status_changed_at = created;
    snprintf(r.service, sizeof r.service, "personal-assistant");
    snprintf(r.status, sizeof r.status, "received");
    snprintf(r.contact, sizeof r.contact, "sms");
    snprintf(r.contact_language, sizeof r.contact_language, "kk");
    snprintf(r.ui_language, sizeof r.ui_language, "ru");
    r.sealed = strdup(k->sealed);
    if (r.sealed == NULL || central_record_format(&r, &why) < 0 ||
        central_record_parse(r.text, out, &why) < 0) {
        fprintf(stderr, "central_bench: %s\n", why ? why : "no memory");
        exit(1);
    }
    central_record_free(&r);
}

static struct central *
kiosk_connect(struct kiosk *k)
{
    char *info = NULL, *why = NULL;
    if (asprintf(&info, "%s user=t_b%d password=pw-t_b%d", conninfo, k->k,
                 k->k) < 0)
        exit(1);
    struct central *c = NULL;
    if (central_connect(info, ca, "central_bench", &c, &why) < 0) {
        fprintf(stderr, "central_bench: %s\n", why);
        exit(1);
    }
    free(info);
    return c;
}

/* One INSERT a transaction (autocommit), as a naive sync would. */
static int
naive_push(struct central *c, const struct central_record *r)
{
    struct central_push_result res;
    char *why = NULL;
    int rc = central_push(c, r, 1, &res, &why);
    if (rc < 0) {
        fprintf(stderr, "central_bench: %s\n", why);
        free(why);
    }
    return rc;
}

static void
throughput(struct kiosk *k, struct central *c, long n, bool naive)
{
    struct central_record *recs = calloc(BATCH, sizeof *recs);
    struct central_push_result res;
    char *why = NULL;
    pthread_barrier_wait(&start);
    while (k->done < n) {
        size_t b = naive ? 1
                         : (size_t)(n - k->done < BATCH ? n - k->done : BATCH);
        for (size_t i = 0; i < b; i++)
            make_record(k, (int64_t)time(NULL), &recs[i]);
        int rc = naive ? naive_push(c, recs)
                       : central_push(c, recs, b, &res, &why);
        if (rc < 0) {
            if (why)
                fprintf(stderr, "central_bench: %s\n", why);
            k->failed = 1;
            break;
        }
        for (size_t i = 0; i < b; i++)
            central_record_free(&recs[i]);
        k->done += (long)b;
    }
    free(recs);
}

static double
now_s(void)
{
    return bench_now_ms() / 1000.0;
}

/* Steady load: application i of this kiosk is created at t0 + i / RATE;
 * the sync loop pushes whatever exists, then, when nothing is left,
 * sleeps 1 s (dauys-sync's interval_s). */
static void
steady(struct kiosk *k, struct central *c, bool naive)
{
    size_t total = (size_t)(window_s * RATE);
    k->lags = calloc(total, sizeof *k->lags);
    struct central_record *recs = calloc(total, sizeof *recs);
    double *created = calloc(total, sizeof *created);
    struct central_push_result res;
    char *why = NULL;
    pthread_barrier_wait(&start);
    /* Kiosks do not start in step. */
    double t0 = now_s() + randombytes_uniform(1000) / 1000.0;
    size_t sent = 0;
    while (sent < total) {
        double now = now_s();
        size_t avail = (size_t)((now - t0) * RATE) + 1;
        if (now < t0)
            avail = 0;
        if (avail > total)
            avail = total;
        if (avail == sent) {
            usleep(1000000); /* the outbox is empty: interval_s */
            continue;
        }
        size_t b = avail - sent;
        if (b > BATCH)
            b = BATCH;
        if (naive)
            b = 1;
        for (size_t i = 0; i < b; i++) {
            created[sent + i] = t0 + (double)(sent + i) / RATE;
            make_record(k, (int64_t)time(NULL), &recs[sent + i]);
        }
        int rc = naive ? naive_push(c, &recs[sent])
                       : central_push(c, &recs[sent], b, &res, &why);
        if (rc < 0) {
            k->failed = 1;
            break;
        }
        double done = now_s();
        for (size_t i = 0; i < b; i++) {
            k->lags[k->nlags++] = done - created[sent + i];
            central_record_free(&recs[sent + i]);
        }
        sent += b;
    }
    free(recs);
    free(created);
}

static void *
kiosk_main(void *arg)
{
    struct kiosk *k = arg;
    struct central *c = kiosk_connect(k);
    switch (k->phase) {
    case 0:
        throughput(k, c, per, false);
        break;
    case 1:
        throughput(k, c, naive_per, true);
        break;
    case 2:
        steady(k, c, false);
        break;
    default:
        steady(k, c, true);
        break;
    }
    central_close(c);
    return NULL;
}

/* Runs phase PHASE on N kiosks; returns the seconds it took, fills LAGS
 * (all kiosks') when asked. */
static double
run(struct kiosk *ks, int n, int phase, long *total, double **lags,
    size_t *nlags)
{
    pthread_barrier_init(&start, NULL, (unsigned)n + 1);
    for (int i = 0; i < n; i++) {
        ks[i].phase = phase;
        ks[i].done = 0;
        ks[i].nlags = 0;
        ks[i].next_number += 1000000; /* fresh numbers each phase */
        if (pthread_create(&ks[i].thread, NULL, kiosk_main, &ks[i]) != 0)
            exit(1);
    }
    pthread_barrier_wait(&start);
    double t = now_s();
    for (int i = 0; i < n; i++)
        pthread_join(ks[i].thread, NULL);
    t = now_s() - t;
    pthread_barrier_destroy(&start);
    *total = 0;
    size_t all = 0;
    for (int i = 0; i < n; i++) {
        if (ks[i].failed) {
            fprintf(stderr, "central_bench: kiosk %d failed\n", i);
            exit(1);
        }
        *total += ks[i].done;
        all += ks[i].nlags;
    }
    if (lags != NULL) {
        *lags = calloc(all ? all : 1, sizeof **lags);
        *nlags = 0;
        for (int i = 0; i < n; i++) {
            memcpy(*lags + *nlags, ks[i].lags, ks[i].nlags * sizeof **lags);
            *nlags += ks[i].nlags;
            free(ks[i].lags);
            ks[i].lags = NULL;
        }
    }
    return t;
}

int
main(int argc, char **argv)
{
    if (argc != 8 || sodium_init() < 0) {
        fprintf(stderr, "usage: central_bench CONNINFO CA PUBFILE KIOSKS "
                        "PER NAIVE WINDOW\n");
        return 2;
    }
    conninfo = argv[1];
    ca = argv[2];
    char *why = NULL;
    if (central_key_read(argv[3], false, pk, &why) < 0) {
        fprintf(stderr, "central_bench: %s\n", why);
        return 1;
    }
    int n = atoi(argv[4]);
    per = atol(argv[5]);
    naive_per = atol(argv[6]);
    window_s = atof(argv[7]);
    struct kiosk *ks = calloc((size_t)n, sizeof *ks);
    for (int i = 0; i < n; i++) {
        struct central_person p = {.iin = "990101300123",
                                   .phone = "7011234567",
                                   .name = "Бенчмарк",
                                   .disability_group = "II"};
        ks[i].k = i + 1;
        ks[i].sealed = central_person_seal(&p, pk, &why);
        ks[i].next_number = 1000;
    }
    long total, naive_total;
    double t = run(ks, n, 0, &total, NULL, NULL);
    double rate = (double)total / t;
    double tn = run(ks, n, 1, &naive_total, NULL, NULL);
    double naive_rate = (double)naive_total / tn;
    printf("BENCH central_sync_per_s %.0f per_s\n", rate);
    printf("BENCH central_sync_per_s_naive %.0f per_s\n", naive_rate);
    printf("BENCH central_sync_vs_naive %.1f ratio\n", rate / naive_rate);
    fflush(stdout);
    double *lags, *naive_lags;
    size_t nl, nnl;
    run(ks, n, 2, &total, &lags, &nl);
    run(ks, n, 3, &naive_total, &naive_lags, &nnl);
    double p99 = bench_percentile(lags, nl, 99);
    double np99 = bench_percentile(naive_lags, nnl, 99);
    printf("BENCH central_lag_p99_s %.2f s\n", p99);
    printf("BENCH central_lag_p99_s_naive %.2f s\n", np99);
    printf("BENCH central_lag_vs_naive %.2f ratio\n", p99 / np99);
    fprintf(stderr,
            "central_bench: %d kiosks, %ld applications each batched (%.1f "
            "s), %ld naive (%.1f s), steady %.0f s at %.0f/s per kiosk\n",
            n, per, t, naive_per, tn, window_s, RATE);
    for (int i = 0; i < n; i++)
        free(ks[i].sealed);
    free(ks);
    free(lags);
    free(naive_lags);
    return 0;
}
