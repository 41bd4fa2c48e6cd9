/*
 * Speech latency: how long from a key press to the first samples of the
 * answer, and from a key press to silence, through the real speech queue
 * and the espeak-ng engine; and, side by side in the same run, the naive
 * way of spawning `espeak-ng --stdout` for each utterance.
 *
 * key_to_audio: while a long utterance is being spoken, the "key press"
 * calls speech_stop() and speech_say() with a typical kiosk phrase (kk and
 * ru in turn); the figure runs to the moment the synthesiser hands over the
 * first samples of the phrase (the engine's on_first_audio callback). It
 * thus includes cancelling the long utterance, waking the speech thread,
 * the lexicon, switching the voice and synthesising the first chunk.
 * barge_in: from speech_stop() to the moment the long utterance's speak()
 * has returned (synthesis stopped, sinks flushed); measured by wrapping the
 * engine in a table of our own that timestamps the return.
 * key_to_audio_espeak_process: from spawning `espeak-ng --stdout -v LANG
 * TEXT` to the first byte on its standard output.
 * key_to_audio_spans: key_to_audio for an utterance of three spans, a
 * Kazakh name inside a Russian sentence (three voice switches when the
 * interrupted utterance was Kazakh). spans_synth: from queueing that
 * utterance in silence to its speak() having returned, i.e. the time to
 * synthesise all of it with its voice switches (no audio device).
 *
 * speech-dispatcher (spd-say) is not measured: it synthesises inside its
 * daemon and hands the sound straight to an audio device, so its first
 * audio can only be observed there. On a machine without a sound card
 * (the build machines) its log says "Opening audio failed: Couldn't open
 * pulse plugin" and `spd-say -w` never returns; no figure would be honest.
 *
 * Usage: speech_bench [-n COUNT] [-a ALSA_DEVICE] [-l LEXICON_DIR]
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/speech.h"
#include "accessibility/speech_espeak.h"

extern char **environ;

static const char *const bench_phrases[][2] = {
    {"kk", "Сайлау бюллетені. Үміткерлер тізімі."},
    {"ru", "Избирательный бюллетень. Список кандидатов."},
    {"kk", "Үміткерді таңдау үшін Енгізу пернесін басыңыз."},
    {"ru", "Чтобы выбрать кандидата, нажмите Ввод."},
    {"kk", "Бәріне қарсы."},
    {"ru", "Против всех."},
    {"kk", "ЖСН енгізіңіз: он екі цифр."},
    {"ru", "Введите ИИН: двенадцать цифр."},
    {"kk", "Тең қоғам орталығының қызметтері."},
    {"ru", "Услуги центра социальной поддержки."},
};

/* A Kazakh party name in a Russian sentence, as the app says it. */
static const struct speech_part bench_spans[] = {
    {"ru", "Окно 3 из 7: партия «"},
    {"kk", "Ауыл еңбегі"},
    {"ru", "». Выбрано."},
};
#define BENCH_NPHRASES (sizeof bench_phrases / sizeof bench_phrases[0])

static const char bench_long[] =
    "Құрметті сайлаушы, бұл терминал бюллетеньді дауыстап оқиды. "
    "Жоғары және төмен пернелерімен үміткерлердің тізімін тыңдаңыз. ";

struct bench {
    struct speech_engine inner;
    atomic_llong first_audio_ns; /* of the utterance in ASK_SEQ */
    atomic_ullong ask_seq;
    atomic_ullong long_seq;    /* the long utterance being interrupted */
    atomic_llong long_done_ns; /* when its speak() returned */
    atomic_ullong done_seq;    /* any utterance whose end is timed */
    atomic_llong done_ns;
};

static long long
bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
bench_first_audio(void *ctx, uint64_t seq)
{
    struct bench *b = ctx;
    if (seq == atomic_load(&b->ask_seq))
        atomic_store(&b->first_audio_ns, bench_now_ns());
}

static int
bench_speak(void *self, struct speech_utterance *u, const atomic_int *cancel)
{
    struct bench *b = self;
    int rc = b->inner.ops->speak(b->inner.self, u, cancel);
    if (u->seq == atomic_load(&b->long_seq))
        atomic_store(&b->long_done_ns, bench_now_ns());
    if (u->seq == atomic_load(&b->done_seq))
        atomic_store(&b->done_ns, bench_now_ns());
    return rc;
}

static void
bench_free(void *self)
{
    struct bench *b = self;
    b->inner.ops->free(b->inner.self);
}

static const struct speech_engine_ops bench_ops = {
    .name = "bench",
    .speak = bench_speak,
    .free = bench_free,
};

static int
bench_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The P-th percentile of the N values in V (sorted in place). */
static double
bench_pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, bench_cmp);
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i];
}

/* Spins until *V is at least NOT_BEFORE; -1 when 10 s pass first. */
static int
bench_wait_ll(atomic_llong *v, long long not_before)
{
    long long deadline = bench_now_ns() + 10000000000LL;
    while (atomic_load(v) < not_before) {
        if (bench_now_ns() > deadline)
            return -1;
    }
    return 0;
}

/* Milliseconds from spawning espeak-ng to the first byte of its output,
 * or a negative value when it could not be run. */
static double
bench_process_once(const char *lang, const char *text)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    char *argv[] = {(char *)"espeak-ng", (char *)"--stdout", (char *)"-v",
                    (char *)lang,        (char *)text,       NULL};
    pid_t pid;
    long long t0 = bench_now_ns();
    int rc = posix_spawnp(&pid, "espeak-ng", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    double ms = -1;
    if (rc == 0) {
        char buf[4096];
        ssize_t got;
        do {
            got = read(fd[0], buf, 1);
        } while (got < 0 && errno == EINTR);
        if (got == 1)
            ms = (double)(bench_now_ns() - t0) / 1e6;
        while ((got = read(fd[0], buf, sizeof buf)) > 0 ||
               (got < 0 && errno == EINTR))
            ;
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            ms = -1;
    }
    close(fd[0]);
    return ms;
}

int
main(int argc, char **argv)
{
    int count = 200;
    const char *device = NULL;
    const char *lexicon_dir = "data/lexicon";
    int c;
    while ((c = getopt(argc, argv, "n:a:l:")) != -1) {
        switch (c) {
        case 'n':
            count = atoi(optarg);
            break;
        case 'a':
            device = optarg;
            break;
        case 'l':
            lexicon_dir = optarg;
            break;
        default:
            fprintf(stderr, "usage: speech_bench [-n COUNT] [-a ALSA_DEVICE] "
                            "[-l LEXICON_DIR]\n");
            return 2;
        }
    }
    if (count < 2)
        count = 2;
    signal(SIGPIPE, SIG_IGN);

    static struct bench b;
    struct speech_espeak_options opt = {
        .audio = device != NULL,
        .alsa_device = device,
        .lexicon_dir = lexicon_dir,
        .on_first_audio = bench_first_audio,
        .ctx = &b,
    };
    char *why = NULL;
    if (speech_espeak_engine_new(&opt, &b.inner, &why) != 0) {
        fprintf(stderr, "speech_bench: %s\n", why);
        free(why);
        return 3;
    }
    struct speech *sp = speech_new((struct speech_engine){.ops = &bench_ops,
                                                          .self = &b},
                                   NULL, &why);
    if (sp == NULL) {
        fprintf(stderr, "speech_bench: %s\n", why);
        free(why);
        return 3;
    }

    size_t llen = (sizeof bench_long - 1) * 100 + 1;
    char *longtext = malloc(llen);
    longtext[0] = '\0';
    for (int i = 0; i < 100; i++)
        strcat(longtext, bench_long);

    double *k2a = calloc((size_t)count, sizeof *k2a);
    double *barge = calloc((size_t)count, sizeof *barge);
    double *proc = calloc((size_t)count, sizeof *proc);
    double *k2s = calloc((size_t)count, sizeof *k2s);
    double *synth = calloc((size_t)count, sizeof *synth);
    uint64_t seq = 0;
    int status = 0;
    for (int i = 0; i < count; i++) {
        /* A long utterance is playing... */
        atomic_store(&b.ask_seq, ++seq);
        atomic_store(&b.long_seq, seq);
        atomic_store(&b.long_done_ns, 0);
        speech_say(sp, "kk", longtext);
        if (bench_wait_ll(&b.first_audio_ns, 1) != 0)
            goto stuck;
        atomic_store(&b.first_audio_ns, 0);
        struct timespec pause = {0, 2000000};
        nanosleep(&pause, NULL);
        /* ...when a key is pressed. */
        const char *const *ph = bench_phrases[(size_t)i % BENCH_NPHRASES];
        atomic_store(&b.ask_seq, seq + 1);
        long long t0 = bench_now_ns();
        speech_stop(sp);
        speech_say(sp, ph[0], ph[1]);
        seq++;
        if (bench_wait_ll(&b.first_audio_ns, t0) != 0)
            goto stuck;
        k2a[i] = (double)(atomic_load(&b.first_audio_ns) - t0) / 1e6;
        atomic_store(&b.first_audio_ns, 0);
        if (bench_wait_ll(&b.long_done_ns, t0) != 0)
            goto stuck;
        barge[i] = (double)(atomic_load(&b.long_done_ns) - t0) / 1e6;
        while (!speech_idle(sp))
            nanosleep(&pause, NULL);
        speech_take_events(sp);
    }

    /* The same with spans, then the synthesis of the spans in silence. */
    for (int i = 0; i < count; i++) {
        atomic_store(&b.ask_seq, ++seq);
        speech_say(sp, "kk", longtext);
        if (bench_wait_ll(&b.first_audio_ns, 1) != 0)
            goto stuck;
        atomic_store(&b.first_audio_ns, 0);
        struct timespec pause = {0, 2000000};
        nanosleep(&pause, NULL);
        atomic_store(&b.ask_seq, seq + 1);
        long long t0 = bench_now_ns();
        speech_stop(sp);
        speech_say_spans(sp, bench_spans, 3);
        seq++;
        if (bench_wait_ll(&b.first_audio_ns, t0) != 0)
            goto stuck;
        k2s[i] = (double)(atomic_load(&b.first_audio_ns) - t0) / 1e6;
        atomic_store(&b.first_audio_ns, 0);
        while (!speech_idle(sp))
            nanosleep(&pause, NULL);
        atomic_store(&b.done_seq, seq + 1);
        t0 = bench_now_ns();
        speech_say_spans(sp, bench_spans, 3);
        seq++;
        if (bench_wait_ll(&b.done_ns, t0) != 0)
            goto stuck;
        synth[i] = (double)(atomic_load(&b.done_ns) - t0) / 1e6;
        while (!speech_idle(sp))
            nanosleep(&pause, NULL);
        speech_take_events(sp);
    }

    int nproc = 0;
    for (int i = 0; i < count; i++) {
        const char *const *ph = bench_phrases[(size_t)i % BENCH_NPHRASES];
        double ms = bench_process_once(ph[0], ph[1]);
        if (ms < 0)
            break;
        proc[nproc++] = ms;
    }

    double k50 = bench_pct(k2a, (size_t)count, 50);
    printf("BENCH key_to_audio_p50 %.2f ms\n", k50);
    printf("BENCH key_to_audio_p99 %.2f ms\n",
           bench_pct(k2a, (size_t)count, 99));
    printf("BENCH barge_in_p99 %.2f ms\n", bench_pct(barge, (size_t)count, 99));
    printf("BENCH key_to_audio_spans_p50 %.2f ms\n",
           bench_pct(k2s, (size_t)count, 50));
    printf("BENCH key_to_audio_spans_p99 %.2f ms\n",
           bench_pct(k2s, (size_t)count, 99));
    printf("BENCH spans_synth_p50 %.2f ms\n",
           bench_pct(synth, (size_t)count, 50));
    if (nproc > 0) {
        double p50 = bench_pct(proc, (size_t)nproc, 50);
        printf("BENCH key_to_audio_espeak_process_p50 %.2f ms\n", p50);
        printf("BENCH key_to_audio_vs_espeak_process %.3f ratio\n", k50 / p50);
    } else {
        fprintf(stderr, "speech_bench: cannot run espeak-ng --stdout\n");
        status = 1;
    }
    goto out;

stuck:
    fprintf(stderr, "speech_bench: no audio from the synthesiser in 10 s\n");
    status = 1;
out:
    speech_free(sp);
    free(longtext);
    free(k2a);
    free(k2s);
    free(synth);
    free(barge);
    free(proc);
    return status;
}
