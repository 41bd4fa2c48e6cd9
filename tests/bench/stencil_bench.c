/*
 * How long a commission waits for one stencil: the time stencil_write()
 * takes for a 16-candidate A4 ballot (the largest single-mandate ballot) in
 * each format, layout, drawing and the synced, renamed file included.
 * Prints the median of RUNS runs after one warm-up run (which loads the
 * fonts) as `BENCH stencil_<fmt>_ms <value> ms`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accessibility/xalloc.h"
#include "ballot/election.h"
#include "ballot/stencil.h"
#include "tests/bench/timing.h"

#define RUNS 15
#define N_OPTIONS 16

/* Returns the median time of writing the stencil to PATH, or -1. */
static double
time_format(const struct election *e, const char *path)
{
    double t[RUNS];
    for (int i = -1; i < RUNS; i++) {
        char *why = NULL;
        double start = bench_now_ms();
        if (stencil_write(e, &e->ballots[0], 2, path, &why) != 0) {
            fprintf(stderr, "stencil_bench: %s\n", why);
            free(why);
            return -1;
        }
        if (i >= 0)
            t[i] = bench_now_ms() - start;
    }
    return bench_median(t, RUNS);
}

int
main(void)
{
    static struct election e;
    static struct election_ballot b;
    static struct election_option o[N_OPTIONS];
    strcpy(e.id, "2026-maslikhat-district-12");
    strcpy(e.hash, "9f86d081884c7d659a2feaa0c55ad015"
                   "a3bf4f1b2b0b822cd15d6c15b0f00a08");
    e.n_ballots = 1;
    e.ballots = &b;
    strcpy(b.id, "district-12");
    b.title.s[ELECTION_KK] = (char *)"Аудандық мәслихат депутаттығына "
                                     "кандидаттар, № 12 сайлау округі";
    b.title.s[ELECTION_RU] = (char *)"Кандидаты в депутаты районного "
                                     "маслихата, избирательный округ № 12";
    b.kind = BALLOT_CANDIDATES;
    b.max_marks = 1;
    b.paper_w_mm = 210;
    b.paper_h_mm = 297;
    b.corner_cut = CORNER_TOP_RIGHT;
    b.n_options = N_OPTIONS;
    b.options = o;
    for (int i = 0; i < N_OPTIONS; i++) {
        (void)snprintf(o[i].id, sizeof o[i].id, "c%02d", i + 1);
        o[i].position = i + 1;
        o[i].box = (struct election_box){180, 40 + 15.0 * i, 10, 10};
    }
    o[N_OPTIONS - 1].against_all = true;

    const char *tmp = getenv("TMPDIR");
    char *dir = xasprintf("%s/stencil-bench-XXXXXX",
                          tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror(dir);
        return 1;
    }
    static const char *const formats[] = {"svg", "pdf", "png"};
    int rc = 0;
    for (size_t i = 0; i < 3; i++) {
        char *path = xasprintf("%s/stencil.%s", dir, formats[i]);
        double ms = time_format(&e, path);
        if (ms < 0)
            rc = 1;
        else
            printf("BENCH stencil_%s_ms %.2f ms\n", formats[i], ms);
        (void)unlink(path);
        free(path);
    }
    (void)rmdir(dir);
    free(dir);
    return rc;
}
