/*
 * How long loading an election package takes at the kiosk: package_load()
 * on the bundled demo package (three ballots: a party list with
 * against-all, a 7-candidate district, a referendum), reading the file,
 * parsing and validating every rule, hashing and checking the Ed25519
 * signature against the demo key. Prints the median of RUNS runs after one
 * warm-up as `BENCH package_verify_ms <value> ms`. The package is found
 * under $DAUYS_DATADIR (make bench sets it to the source tree's data/).
 */
#include <stdio.h>
#include <stdlib.h>

#include "accessibility/xalloc.h"
#include "ballot/package.h"
#include "tests/bench/timing.h"

#define RUNS 101

int
main(void)
{
    const char *data = getenv("DAUYS_DATADIR");
    if (data == NULL || data[0] == '\0')
        data = "data";
    char *dir = xasprintf("%s/demo/election", data);
    char *pub = xasprintf("%s/demo/demo.pub", data);
    unsigned char(*keys)[PACKAGE_KEY_BYTES] = NULL;
    size_t n_keys = 0;
    char *why = NULL;
    int rc = 1;
    if (package_read_public_keys(pub, &keys, &n_keys, &why) < 0)
        goto out;
    static double t[RUNS];
    for (int i = -1; i < RUNS; i++) {
        struct election *e = NULL;
        double start = bench_now_ms();
        if (package_load(dir, (const unsigned char(*)[PACKAGE_KEY_BYTES])keys,
                         n_keys, &e, &why) < 0)
            goto out;
        double took = bench_now_ms() - start;
        election_free(e);
        if (i >= 0)
            t[i] = took;
    }
    printf("BENCH package_verify_ms %.3f ms\n", bench_median(t, RUNS));
    rc = 0;
out:
    if (why != NULL)
        fprintf(stderr, "package_bench: %s\n", why);
    free(why);
    free(keys);
    free(pub);
    free(dir);
    return rc;
}
