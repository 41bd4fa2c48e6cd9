/*
 * Ten Qogam storage benchmark (docs/services.md), in a temporary folder:
 *
 *   BENCH submit_durable_per_s       durable submissions a second (WAL,
 *                                    synchronous=FULL, one commit each)
 *   BENCH search_number_p99_us_10k   number search at 10,000
 *   BENCH search_number_p99_us       the same at N (default 1,000,000)
 *   BENCH search_number_growth       p99 at N / p99 at 10,000
 *   BENCH export_1m_s                sealed outbox export of all N
 *
 * Every submission seals the personal data to a centre key made for the
 * run (crypto_box_seal). Searching by IIN is the central server's
 * (docs/central.md), so it is not measured here.
 *
 * The N applications are loaded with synchronous=OFF (store_options.bulk)
 * so that the load takes a minute rather than hours; searches and the
 * export then run on the same file opened normally. BENCH_SERVICES_N sets
 * N (e.g. 100000 for a quick run); the names stay the same.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/iin.h"
#include "services/store.h"
#include "tests/bench/timing.h"

#define QUERIES 2000
#define SAMPLES 1000

/* A random valid IIN (never a business number). */
static void
random_iin(char iin[13])
{
    for (;;) {
        for (int i = 0; i < 11; i++)
            iin[i] = (char)('0' + randombytes_uniform(10));
        if (iin[4] >= '4' && iin[4] <= '6')
            continue;
        int d = iin_check_digit(iin);
        if (d < 0)
            continue;
        iin[11] = (char)('0' + d);
        iin[12] = '\0';
        return;
    }
}

static void
sample_app(struct application *a, const char *iin, long i)
{
    memset(a, 0, sizeof *a);
    snprintf(a->service, sizeof a->service, "invataxi");
    memcpy(a->iin, iin, 13);
    snprintf(a->phone, sizeof a->phone, "70%08u", (unsigned)(i % 100000000));
    a->group = (enum disability_group)(i % GROUP_COUNT);
    a->contact = CONTACT_SMS;
}

static struct store *
open_store(const char *db, const char *key, bool bulk)
{
    struct store *s = NULL;
    char *why = NULL;
    static unsigned char pk[crypto_box_PUBLICKEYBYTES];
    static bool made;
    if (!made) {
        unsigned char sk[crypto_box_SECRETKEYBYTES];
        crypto_box_keypair(pk, sk);
        sodium_memzero(sk, sizeof sk);
        made = true;
    }
    struct store_options o = {.path = db,
                              .centre_key = pk,
                              .key_path = key,
                              .bulk = bulk};
    if (store_open(&o, &s, &why) != 0) {
        fprintf(stderr, "services_bench: %s\n", why);
        exit(1);
    }
    return s;
}

static int
count_row(void *ctx, const struct store_row *r)
{
    (void)r;
    (*(long *)ctx)++;
    return 0;
}

/* p99 in microseconds of QUERIES searches by number. */
static double
search_p99(struct store *s, char (*numbers)[10], int n)
{
    static double t[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
        int k = (int)randombytes_uniform((uint32_t)n);
        struct store_query sq = {.status = -1, .number = numbers[k]};
        long found = 0;
        char *why = NULL;
        double t0 = bench_now_ms();
        if (store_list(s, &sq, count_row, &found, &why) != 0 || found < 1) {
            fprintf(stderr, "services_bench: search failed: %s\n",
                    why ? why : "not found");
            exit(1);
        }
        t[q] = (bench_now_ms() - t0) * 1e3;
    }
    return bench_percentile(t, QUERIES, 99);
}

/* Loads applications FROM..TO-1, remembering every stride-th one. */
static void
load(struct store *s, long from, long to, char (*iins)[13], char (*numbers)[10],
     int *n)
{
    long stride = to / SAMPLES > 0 ? to / SAMPLES : 1;
    for (long i = from; i < to; i++) {
        char iin[13], number[10], *why = NULL;
        struct application a;
        random_iin(iin);
        sample_app(&a, iin, i);
        if (store_submit(s, &a, "BENCH-01", 1740000000 + i, number, &why) !=
            0) {
            fprintf(stderr, "services_bench: %s\n", why);
            exit(1);
        }
        if (i % stride == 0 && *n < SAMPLES) {
            memcpy(iins[*n], iin, 13);
            memcpy(numbers[*n], number, 10);
            (*n)++;
        }
    }
}

/* Loads applications FROM..TO-1 into the store DB (bulk), then measures
 * the p99 of number searches among the ones remembered in NUMBERS, and
 * prints it under the name ending in SUFFIX. */
static void
search_round(const char *db, const char *key, long from, long to,
             char (*iins)[13], char (*numbers)[10], const char *suffix,
             double *number_us)
{
    int n = 0;
    struct store *s = open_store(db, key, true);
    load(s, from, to, iins, numbers, &n);
    store_close(s);
    s = open_store(db, key, false);
    *number_us = search_p99(s, numbers, n);
    printf("BENCH search_number_p99_us%s %.1f us\n", suffix, *number_us);
    store_close(s);
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    long total = 1000000;
    const char *env = getenv("BENCH_SERVICES_N");
    if (env != NULL && atol(env) >= 10000)
        total = atol(env);
    char dir[] = "/tmp/dauys-bench-XXXXXX", db[64], key[64], cmd[96];
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(db, sizeof db, "%s/b.db", dir);
    snprintf(key, sizeof key, "%s/b.key", dir);

    /* Durable submissions, one commit each. */
    struct store *s = open_store(db, key, false);
    int durable = 300;
    char iin[13], number[10], *why = NULL;
    double t0 = bench_now_ms();
    for (int i = 0; i < durable; i++) {
        struct application a;
        random_iin(iin);
        sample_app(&a, iin, i);
        if (store_submit(s, &a, "BENCH-01", 1740000000, number, &why) != 0) {
            fprintf(stderr, "services_bench: %s\n", why);
            return 1;
        }
    }
    printf("BENCH submit_durable_per_s %.0f /s\n",
           durable / ((bench_now_ms() - t0) / 1e3));
    store_close(s);

    static char iins[SAMPLES][13], numbers[SAMPLES][10];
    double num10k, num1m;
    search_round(db, key, durable, 10000, iins, numbers, "_10k", &num10k);
    search_round(db, key, 10000, total, iins, numbers, "", &num1m);
    printf("BENCH search_number_growth %.2f ratio\n", num1m / num10k);
    s = open_store(db, key, false);
    FILE *out = fopen("/dev/null", "w");
    t0 = bench_now_ms();
    long exported = 0;
    if (out == NULL || store_export_outbox(s, out, &exported, &why) != 0) {
        fprintf(stderr, "services_bench: export: %s\n", why ? why : "?");
        return 1;
    }
    printf("BENCH export_1m_s %.1f s\n", (bench_now_ms() - t0) / 1e3);
    printf("BENCH services_applications %ld count\n", store_count(s));
    fclose(out);
    store_close(s);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
