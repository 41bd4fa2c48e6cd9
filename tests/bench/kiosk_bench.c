/*
 * The kiosk as a visitor meets it, measured (specs/cli.md "Benchmarks"):
 *
 *   render_p99_size1, render_p99_size4  time of one tty_render() of the
 *       real app's view at 80x24 while the focus moves (layout, curses and
 *       the write to the terminal), 99th percentile of RENDERS renders,
 *       drawn into a pseudo-terminal whose other end is drained;
 *   startup_ms  from exec of `dauys run --demo` to both its first frame
 *       (first bytes on its terminal) and its first utterance started
 *       (the first WAV file of --speech-wav appears, which the engine
 *       creates when synthesis of the first utterance starts);
 *   rss_mb  the peak resident size (VmHWM) of that process after a
 *       scripted session: language, moves, volume, speed, theme, every
 *       text size, help, staff login screen, back;
 *   key_to_audio_kiosk_p50, key_to_audio_kiosk_p99  (with the argument
 *       key-to-audio, alone) through the real binary: from a key byte
 *       written to the kiosk's pseudo-terminal to the first PCM samples of
 *       its answer reaching a sink, KEYS keys. The sink is the WAV sink of
 *       --speech-wav (a test hook the kiosk refuses with --kiosk): it
 *       writes each chunk of samples as it gets them, so the first write
 *       to an answer's new file, seen through inotify, is its first
 *       sample reaching the sink (the file is created, header unwritten,
 *       just before synthesis starts). The keys are the digits 1 and 2 on
 *       the home screen, each moving the focus and reading the option;
 *       each key is pressed once the answer before it has been written
 *       whole (a quiet machine, not a barge-in).
 *
 * Usage: kiosk_bench DAUYS_BINARY [key-to-audio] (DAUYS_DATADIR and
 * DAUYS_LOCALEDIR as `make bench` sets them).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kiosk/options.h"
#include "kiosk/tty.h"
#include "tests/unit/kiosk/driver.h"

#define RENDERS 400
#define KEYS 300

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void
die(const char *what)
{
    fprintf(stderr, "kiosk_bench: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Reads and drops whatever the terminal side writes, as a terminal would
 * display it, so that the renderer never blocks on a full buffer. */
static void *
drain(void *arg)
{
    int fd = *(int *)arg;
    char buf[65536];
    while (read(fd, buf, sizeof buf) > 0)
        ;
    return NULL;
}

/* Renders the home screen RENDERS times at SIZE while the focus moves;
 * returns the 99th percentile in ms. */
static double
render_p99(struct driver *d, struct tty *t, int size)
{
    while (app_view(d->app)->text_size != size)
        driver_char(d, 'z');
    static double ms[RENDERS];
    const struct tty_texts tx = {"TEST MODE", "too small", "hidden"};
    for (int i = 0; i < RENDERS; i++) {
        driver_press(d, i % 2 ? TERM_KEY_UP : TERM_KEY_DOWN, 0);
        double start = now_ms();
        tty_render(t, app_view(d->app), &tx);
        ms[i] = now_ms() - start;
    }
    qsort(ms, RENDERS, sizeof ms[0], cmp_double);
    return ms[RENDERS * 99 / 100];
}

static void
bench_render(void)
{
    int master, slave;
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    if (openpty(&master, &slave, NULL, NULL, &ws) < 0)
        die("openpty");
    int out_fd = dup(STDOUT_FILENO), in_fd = dup(STDIN_FILENO);
    if (out_fd < 0 || in_fd < 0 || dup2(slave, STDIN_FILENO) < 0 ||
        dup2(slave, STDOUT_FILENO) < 0)
        die("dup");
    pthread_t th;
    pthread_create(&th, NULL, drain, &master);
    setenv("TERM", "xterm-256color", 1);

    char *why = NULL;
    struct tty *t = tty_open(&why);
    if (t == NULL) {
        dup2(out_fd, STDOUT_FILENO);
        fprintf(stderr, "kiosk_bench: %s\n", why);
        exit(1);
    }
    /* The app as the kiosk runs it, driven like the unit tests drive it. */
    struct driver *d = driver_new(&(struct driver_options){
        .mode = MODE_BOTH,
        .first_lang = -1,
        .localedir = options_localedir(),
        .max_text_size = tty_max_text_size(t),
    });
    driver_enter(d); /* Қазақша: the home screen */
    double p1 = render_p99(d, t, 1);
    double p4 = tty_max_text_size(t) >= 4 ? render_p99(d, t, 4) : -1;
    tty_close(t);
    driver_free(d);
    dup2(out_fd, STDOUT_FILENO);
    dup2(in_fd, STDIN_FILENO);
    close(slave);
    printf("BENCH render_p99_size1 %.2f ms\n", p1);
    if (p4 < 0)
        fprintf(stderr, "kiosk_bench: no large fonts; size 4 not measured\n");
    else
        printf("BENCH render_p99_size4 %.2f ms\n", p4);
    fflush(stdout);
}

/* Waits up to LIMIT_MS for output on FD (drained) or for PATH to exist;
 * returns the time each was first seen (ms since START, -1 if never). */
static void
startup_watch(int fd, const char *path, double start, double limit_ms,
              double *frame, double *audio)
{
    char buf[65536];
    *frame = *audio = -1;
    while (now_ms() - start < limit_ms && (*frame < 0 || *audio < 0)) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 1) > 0 && read(fd, buf, sizeof buf) > 0 && *frame < 0)
            *frame = now_ms() - start;
        struct stat st;
        if (*audio < 0 && stat(path, &st) == 0)
            *audio = now_ms() - start;
    }
}

static void
send_keys(int fd, const char *keys)
{
    char buf[65536];
    for (const char *k = keys; *k != '\0'; k++) {
        if (write(fd, k, 1) != 1)
            die("write to the kiosk");
        /* A visitor's pace, fast: let each key be handled and drawn. */
        double t = now_ms();
        while (now_ms() - t < 30) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            if (poll(&p, 1, 5) > 0 && read(fd, buf, sizeof buf) < 0)
                break;
        }
    }
}

/* A fresh folder for a kiosk's runs: DIR (a mkdtemp template, filled in)
 * holding wav/ (the WAV sink's folder, its path in WAV) and state/, where
 * XDG_STATE_HOME points, as the demo keeps its data there. */
static void
bench_dirs(char *dir, char wav[256])
{
    char state[256];
    if (mkdtemp(dir) == NULL)
        die("mkdtemp");
    snprintf(wav, 256, "%s/wav", dir);
    snprintf(state, sizeof state, "%s/state", dir);
    if (mkdir(wav, 0700) < 0 || mkdir(state, 0700) < 0)
        die("mkdir");
    setenv("XDG_STATE_HOME", state, 1);
    setenv("TERM", "xterm-256color", 1);
}

/* Starts `dauys run --demo` with espeak-ng and the WAV sink in WAV on a
 * new 80x24 pseudo-terminal, whose other end is *MASTER; returns its pid. */
static pid_t
kiosk_spawn(const char *dauys, const char *wav, int *master)
{
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    pid_t pid = forkpty(master, NULL, NULL, &ws);
    if (pid < 0)
        die("forkpty");
    if (pid == 0) {
        execl(dauys, dauys, "run", "--demo", "--speech", "espeak",
              "--speech-wav", wav, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Stops the kiosk PID and waits for it. */
static void
kiosk_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    int st;
    waitpid(pid, &st, 0);
}

/* Removes the folder DIR of bench_dirs(). */
static void
bench_remove(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "kiosk_bench: cannot remove %s\n", dir);
}

static void
bench_startup(const char *dauys)
{
    char dir[] = "/tmp/dauys-bench.XXXXXX";
    char wav[256], first[300];
    bench_dirs(dir, wav);
    snprintf(first, sizeof first, "%s/000001-kk.wav", wav);
    /* The demo's first start creates its data folder and staff PIN (an
     * Argon2id hash, on purpose slow); measure a later start, as on every
     * morning but the first. */
    double start_frame = -1, start_audio = -1;
    for (int round = 0; round < 2; round++) {
        int master;
        double start = now_ms();
        pid_t pid = kiosk_spawn(dauys, wav, &master);
        startup_watch(master, first, start, 10000, &start_frame, &start_audio);
        if (round == 1) {
            /* The scripted session; then the peak resident size. */
            send_keys(master, "\r\033[B\033[A+->< tzzzz?\033\033[B\r\033\033");
            char path[64], line[256];
            snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
            FILE *f = fopen(path, "r");
            long kb = -1;
            while (f != NULL && fgets(line, sizeof line, f) != NULL)
                if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
                    break;
            if (f != NULL)
                fclose(f);
            if (kb > 0)
                printf("BENCH rss_mb %.1f MB\n", (double)kb / 1024);
            else
                fprintf(stderr, "kiosk_bench: cannot read %s\n", path);
        }
        kiosk_stop(pid);
        close(master);
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -f %s/*", wav);
        if (system(cmd) != 0)
            fprintf(stderr, "kiosk_bench: cannot empty %s\n", wav);
    }
    if (start_frame < 0 || start_audio < 0) {
        fprintf(stderr, "kiosk_bench: no %s in 10 s\n",
                start_frame < 0 ? "frame" : "first utterance");
        exit(1);
    }
    printf("BENCH startup_ms %.1f ms\n",
           start_frame > start_audio ? start_frame : start_audio);
    bench_remove(dir);
}

/* The number of the WAV file NAME ("000012-kk.wav"), 0 when not one. */
static unsigned long
wav_number(const char *name)
{
    char *end;
    unsigned long n = strtoul(name, &end, 10);
    return end != name && *end == '-' ? n : 0;
}

/* Reads the inotify events on FD for up to WAIT_MS (-1: until one comes)
 * and returns the highest number of a WAV file written to among them
 * (IN_MODIFY), 0 when none was; *ANY is set when any event came. */
static unsigned long
wav_written(int fd, int wait_ms, bool *any)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    unsigned long high = 0;
    *any = false;
    if (poll(&p, 1, wait_ms) <= 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf);
    for (char *q = buf; n > 0 && q < buf + n;) {
        const struct inotify_event *ev = (const struct inotify_event *)q;
        *any = true;
        if ((ev->mask & IN_MODIFY) && ev->len > 0) {
            unsigned long w = wav_number(ev->name);
            if (w > high)
                high = w;
        }
        q += sizeof *ev + ev->len;
    }
    return high;
}

static void
bench_key_to_audio(const char *dauys)
{
    char dir[] = "/tmp/dauys-bench.XXXXXX";
    char wav[256];
    bench_dirs(dir, wav);
    int in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (in < 0 || inotify_add_watch(in, wav, IN_MODIFY) < 0)
        die("inotify");
    int master;
    pid_t pid = kiosk_spawn(dauys, wav, &master);
    pthread_t th;
    pthread_create(&th, NULL, drain, &master);

    /* The greeting, then Enter (Қазақша) to the home screen. */
    static double ms[KEYS];
    unsigned long last = 0;
    bool any;
    double t0 = now_ms();
    while (last == 0 && now_ms() - t0 < 10000)
        last = wav_written(in, 100, &any);
    int n = 0;
    const char keys[] = "\r";
    for (int i = -1; i < KEYS && last != 0; i++) {
        /* Quiet: the answer before has been written whole. */
        do {
            unsigned long w = wav_written(in, 30, &any);
            if (w > last)
                last = w;
        } while (any);
        char key = i < 0 ? keys[0] : i % 2 ? '2' : '1';
        double start = now_ms();
        if (write(master, &key, 1) != 1)
            die("write to the kiosk");
        unsigned long w = 0;
        while (w <= last && now_ms() - start < 5000)
            w = wav_written(in, 1000, &any);
        if (w <= last) {
            fprintf(stderr, "kiosk_bench: no answer to key %d in 5 s\n", i);
            break;
        }
        if (i >= 0)
            ms[n++] = now_ms() - start;
        last = w;
    }
    kiosk_stop(pid);
    close(in);
    bench_remove(dir);
    if (n < KEYS) {
        fprintf(stderr, "kiosk_bench: %d of %d keys answered\n", n, KEYS);
        exit(1);
    }
    qsort(ms, (size_t)n, sizeof ms[0], cmp_double);
    fprintf(stderr, "kiosk_bench: key to audio p90 %.2f p95 %.2f max %.2f ms\n",
            ms[n * 90 / 100], ms[n * 95 / 100], ms[n - 1]);
    printf("BENCH key_to_audio_kiosk_p50 %.2f ms\n", ms[n / 2]);
    printf("BENCH key_to_audio_kiosk_p99 %.2f ms\n", ms[n * 99 / 100]);
    fflush(stdout);
}

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[2], "key-to-audio") == 0) {
        bench_key_to_audio(argv[1]);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: kiosk_bench DAUYS_BINARY [key-to-audio]\n");
        return 2;
    }
    bench_render();
    bench_startup(argv[1]);
    return 0;
}
