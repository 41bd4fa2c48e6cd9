/*
 * The keypad through libinput (see keypad.h).
 *
 * One epoll descriptor gathers libinput's own descriptor and a timerfd
 * that ticks every retry_ms while the device is lost, so that the loop has
 * a single descriptor to poll. libinput reports an unplugged device (ENODEV
 * on read) as LIBINPUT_EVENT_DEVICE_REMOVED; any other failure of
 * libinput_dispatch() removes the device ourselves, which produces the
 * same event. libinput's log goes into a buffer that becomes the reason
 * reported by keypad_problem(), never to stderr, which belongs to the
 * screen.
 */
#include "accessibility/keypad.h"

#include <errno.h>
#include <fcntl.h>
#include <libinput.h>
#include <linux/input.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/xalloc.h"

struct keypad {
    char *device;
    bool grab;
    unsigned retry_ms;
    struct libinput *li;
    struct libinput_device *dev; /* referenced while attached */
    struct keypad_filter *filter;
    int epfd, tfd;
    bool pending; /* a synthetic event waits in `held` */
    struct keypad_event held;
    char problem[512]; /* empty: none */
    char log[200];     /* libinput's last message */
    /* The test hook: the named pipe, its partial line, and the inputs
     * read from it that keypad_next() has not fed yet. */
    int test_fd;
    char test_line[256];
    size_t test_len;
    bool test_skip; /* the line being read is too long */
    uint64_t test_last_ms;
    struct keypad_input *test_queue;
    size_t test_n, test_cap;
    char warning[512];     /* empty: none */
    char warning_out[512]; /* what keypad_warning() returned */
};

static int
keypad_open_restricted(const char *path, int flags, void *user_data)
{
    struct keypad *kp = user_data;
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(kp->problem, sizeof kp->problem, "cannot open %s: %s", path,
                 strerror(e));
        return -e;
    }
    if (kp->grab && ioctl(fd, EVIOCGRAB, (void *)1) != 0) {
        int e = errno;
        snprintf(kp->problem, sizeof kp->problem,
                 "cannot take %s for the kiosk alone: %s", path, strerror(e));
        close(fd);
        return -e;
    }
    return fd;
}

static void
keypad_close_restricted(int fd, void *user_data)
{
    (void)user_data;
    close(fd);
}

static const struct libinput_interface keypad_iface = {
    .open_restricted = keypad_open_restricted,
    .close_restricted = keypad_close_restricted,
};

static void keypad_log(struct libinput *li, enum libinput_log_priority prio,
                       const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void
keypad_log(struct libinput *li, enum libinput_log_priority prio,
           const char *fmt, va_list ap)
{
    (void)prio;
    struct keypad *kp = libinput_get_user_data(li);
    vsnprintf(kp->log, sizeof kp->log, fmt, ap);
    kp->log[strcspn(kp->log, "\n")] = '\0';
}

static struct libinput *
keypad_context(struct keypad *kp)
{
    struct libinput *li = libinput_path_create_context(&keypad_iface, kp);
    if (li != NULL) {
        libinput_log_set_priority(li, LIBINPUT_LOG_PRIORITY_ERROR);
        libinput_log_set_handler(li, keypad_log);
    }
    return li;
}

/* Says in PROBLEM why PATH cannot be an evdev device, before libinput
 * answers with its less helpful "Invalid path". Returns true when it may
 * be one. */
static bool
keypad_plausible(const char *path, char *problem, size_t size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(problem, size, "cannot open %s: %s", path, strerror(errno));
        return false;
    }
    /* Input devices have major number 13 (INPUT_MAJOR). */
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 13) {
        snprintf(problem, size,
                 "%s is not an input event device "
                 "(/dev/input/event*)",
                 path);
        return false;
    }
    return true;
}

static void
keypad_arm(struct keypad *kp, bool on)
{
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    if (on) {
        its.it_value.tv_sec = kp->retry_ms / 1000;
        its.it_value.tv_nsec = (long)(kp->retry_ms % 1000) * 1000000;
        its.it_interval = its.it_value;
    }
    if (timerfd_settime(kp->tfd, 0, &its, NULL) != 0 && on)
        snprintf(kp->problem, sizeof kp->problem,
                 "cannot time the reopening of %s: %s", kp->device,
                 strerror(errno));
}

/* Feeds IN to the filter; keeps the event it causes for keypad_next(). */
static void
keypad_feed_synthetic(struct keypad *kp, enum keypad_input_kind kind)
{
    struct keypad_input in = {.kind = kind};
    struct keypad_event ev;
    if (keypad_filter_feed(kp->filter, &in, &ev)) {
        kp->held = ev;
        kp->pending = true;
    }
}

/* Tries to open the device; on failure the keypad is (or stays) lost and
 * the retry timer runs. */
static void
keypad_attach(struct keypad *kp)
{
    kp->problem[0] = kp->log[0] = '\0';
    struct libinput_device *dev = NULL;
    if (keypad_plausible(kp->device, kp->problem, sizeof kp->problem))
        dev = libinput_path_add_device(kp->li, kp->device);
    if (dev == NULL) {
        if (kp->problem[0] == '\0')
            snprintf(kp->problem, sizeof kp->problem, "cannot open %s%s%s",
                     kp->device, kp->log[0] ? ": " : "", kp->log);
        keypad_feed_synthetic(kp, KEYPAD_IN_REMOVED);
        keypad_arm(kp, true);
        return;
    }
    kp->dev = libinput_device_ref(dev);
    keypad_arm(kp, false);
}

static uint64_t
keypad_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int
keypad_test_parse(const char *line, uint64_t now_ms, uint64_t *last_ms,
                  struct keypad_input *in, char **why)
{
    char code[64], state[16], delay[32], extra[8];
    size_t skip = strspn(line, " \t");
    if (line[skip] == '\0' || line[skip] == '#')
        return 0;
    int n = sscanf(line, "%63s %15s %31s %7s", code, state, delay, extra);
    if (n < 2 || n > 3) {
        *why = xasprintf("keypad test: '%s' is not 'CODE down|up [+MS]'", line);
        return -1;
    }
    int c = keyprofile_code(code);
    if (c < 0) {
        char *end;
        errno = 0;
        long v = strtol(code, &end, 10);
        if (errno == 0 && end != code && *end == '\0' && v > 0 && v < 0x300)
            c = (int)v;
    }
    if (c < 0) {
        *why = xasprintf("keypad test: unknown key '%s' (an evdev name such "
                         "as KEY_SPACE, or its number)",
                         code);
        return -1;
    }
    bool down = strcmp(state, "down") == 0;
    if (!down && strcmp(state, "up") != 0) {
        *why = xasprintf("keypad test: '%s' must be 'down' or 'up'", state);
        return -1;
    }
    uint64_t t = now_ms > *last_ms ? now_ms : *last_ms;
    if (n == 3) {
        char *end;
        errno = 0;
        unsigned long ms = delay[0] == '+' ? strtoul(delay + 1, &end, 10) : 0;
        if (delay[0] != '+' || errno != 0 || end == delay + 1 || *end != '\0' ||
            ms > 60000) {
            *why = xasprintf("keypad test: '%s' must be +MS, the "
                             "milliseconds since the previous event "
                             "(0-60000)",
                             delay);
            return -1;
        }
        t = *last_ms + ms;
    }
    *last_ms = t;
    *in = (struct keypad_input){.kind = KEYPAD_IN_KEY,
                                .code = (unsigned)c,
                                .pressed = down,
                                .time_ms = t};
    return 1;
}

/* Reads what the test pipe holds and queues the inputs of its lines. */
static void
keypad_test_read(struct keypad *kp)
{
    char buf[1024];
    ssize_t got;
    while ((got = read(kp->test_fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] != '\n') {
                if (kp->test_len + 1 < sizeof kp->test_line)
                    kp->test_line[kp->test_len++] = buf[i];
                else
                    kp->test_skip = true;
                continue;
            }
            kp->test_line[kp->test_len] = '\0';
            struct keypad_input in;
            char *why = NULL;
            int r = kp->test_skip
                        ? -1
                        : keypad_test_parse(kp->test_line, keypad_now_ms(),
                                            &kp->test_last_ms, &in, &why);
            if (r < 0)
                snprintf(kp->warning, sizeof kp->warning, "%s",
                         why != NULL ? why : "keypad test: a line is too long");
            free(why);
            if (r > 0) {
                if (kp->test_n == kp->test_cap) {
                    kp->test_cap = kp->test_cap ? 2 * kp->test_cap : 16;
                    kp->test_queue = xrealloc(kp->test_queue,
                                              kp->test_cap * sizeof in);
                }
                kp->test_queue[kp->test_n++] = in;
            }
            kp->test_len = 0;
            kp->test_skip = false;
        }
    }
}

/* Opens the test pipe in place of a device. Returns 0 or -1 with *WHY. */
static int
keypad_test_open(struct keypad *kp, const char *path, char **why)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        *why = xasprintf("--keypad-test: %s is not a named pipe (make one "
                         "with mkfifo)",
                         path);
        return -1;
    }
    /* Read and write: the pipe never reads as ended when a writer
     * closes it, so a test may write its lines with one command each. */
    kp->test_fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (kp->test_fd < 0) {
        *why = xasprintf("--keypad-test: cannot open %s: %s", path,
                         strerror(errno));
        return -1;
    }
    struct epoll_event ee = {.events = EPOLLIN};
    ee.data.fd = kp->test_fd;
    if (epoll_ctl(kp->epfd, EPOLL_CTL_ADD, kp->test_fd, &ee) != 0) {
        *why = xasprintf("--keypad-test: cannot watch %s: %s", path,
                         strerror(errno));
        return -1;
    }
    struct keypad_input in = {.kind = KEYPAD_IN_ADDED};
    struct keypad_event ev;
    keypad_filter_feed(kp->filter, &in, &ev);
    return 0;
}

struct keypad *
keypad_open(const struct keypad_options *opt, char **why)
{
    struct keypad *kp = xcalloc(1, sizeof *kp);
    kp->test_fd = -1;
    kp->device = xstrdup(opt->test_fifo != NULL ? opt->test_fifo : opt->device);
    kp->grab = true;
    kp->retry_ms = opt->retry_ms ? opt->retry_ms : KEYPAD_RETRY_MS;
    kp->filter = keypad_filter_new(opt->profile, opt->double_press_ms);
    kp->epfd = epoll_create1(EPOLL_CLOEXEC);
    kp->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (kp->epfd < 0 || kp->tfd < 0) {
        *why = xasprintf("keypad: cannot create descriptors: %s",
                         strerror(errno));
        goto fail;
    }
    if (opt->test_fifo != NULL) {
        if (keypad_test_open(kp, opt->test_fifo, why) < 0)
            goto fail;
        return kp;
    }
    kp->li = keypad_context(kp);
    if (kp->li == NULL) {
        *why = xstrdup("keypad: cannot create a libinput context");
        goto fail;
    }
    struct epoll_event ee = {.events = EPOLLIN};
    ee.data.fd = libinput_get_fd(kp->li);
    if (epoll_ctl(kp->epfd, EPOLL_CTL_ADD, ee.data.fd, &ee) != 0) {
        *why = xasprintf("keypad: cannot watch libinput: %s", strerror(errno));
        goto fail;
    }
    ee.data.fd = kp->tfd;
    if (epoll_ctl(kp->epfd, EPOLL_CTL_ADD, kp->tfd, &ee) != 0) {
        *why = xasprintf("keypad: cannot watch the retry timer: %s",
                         strerror(errno));
        goto fail;
    }
    keypad_attach(kp);
    return kp;
fail:
    keypad_close(kp);
    return NULL;
}

void
keypad_close(struct keypad *kp)
{
    if (kp == NULL)
        return;
    if (kp->dev != NULL) {
        libinput_path_remove_device(kp->dev);
        libinput_device_unref(kp->dev);
    }
    if (kp->li != NULL)
        libinput_unref(kp->li);
    if (kp->epfd >= 0)
        close(kp->epfd);
    if (kp->tfd >= 0)
        close(kp->tfd);
    if (kp->test_fd >= 0)
        close(kp->test_fd);
    free(kp->test_queue);
    keypad_filter_free(kp->filter);
    free(kp->device);
    free(kp);
}

int
keypad_fd(const struct keypad *kp)
{
    return kp->epfd;
}

void
keypad_dispatch(struct keypad *kp)
{
    if (kp->test_fd >= 0) {
        keypad_test_read(kp);
        return;
    }
    uint64_t n;
    if (read(kp->tfd, &n, sizeof n) == (ssize_t)sizeof n && kp->dev == NULL)
        keypad_attach(kp);
    if (libinput_dispatch(kp->li) < 0 && kp->dev != NULL) {
        snprintf(kp->problem, sizeof kp->problem, "reading %s failed: %s",
                 kp->device, kp->log[0] ? kp->log : "libinput error");
        /* Queues LIBINPUT_EVENT_DEVICE_REMOVED: handled as an unplug. */
        libinput_path_remove_device(kp->dev);
    }
}

/* Turns one libinput event into filter input. Returns false for events
 * the filter does not need. */
static bool
keypad_input_of(struct keypad *kp, struct libinput_event *e,
                struct keypad_input *in)
{
    struct libinput_device *dev = libinput_event_get_device(e);
    switch (libinput_event_get_type(e)) {
    case LIBINPUT_EVENT_DEVICE_ADDED:
        if (!libinput_device_has_capability(dev,
                                            LIBINPUT_DEVICE_CAP_KEYBOARD)) {
            snprintf(kp->problem, sizeof kp->problem, "%s (%s) has no keys",
                     kp->device, libinput_device_get_name(dev));
            libinput_path_remove_device(dev);
            return false;
        }
        kp->problem[0] = '\0';
        *in = (struct keypad_input){.kind = KEYPAD_IN_ADDED};
        return true;
    case LIBINPUT_EVENT_DEVICE_REMOVED:
        if (dev == kp->dev) {
            libinput_device_unref(kp->dev);
            kp->dev = NULL;
        }
        if (kp->problem[0] == '\0')
            snprintf(kp->problem, sizeof kp->problem, "%s was unplugged",
                     kp->device);
        keypad_arm(kp, true);
        *in = (struct keypad_input){.kind = KEYPAD_IN_REMOVED};
        return true;
    case LIBINPUT_EVENT_KEYBOARD_KEY: {
        struct libinput_event_keyboard *k = libinput_event_get_keyboard_event(
            e);
        *in = (struct keypad_input){
            .kind = KEYPAD_IN_KEY,
            .code = libinput_event_keyboard_get_key(k),
            .pressed = libinput_event_keyboard_get_key_state(k) ==
                       LIBINPUT_KEY_STATE_PRESSED,
            .time_ms = libinput_event_keyboard_get_time_usec(k) / 1000,
        };
        return true;
    }
    default:
        return false;
    }
}

bool
keypad_next(struct keypad *kp, struct keypad_event *ev)
{
    if (kp->pending) {
        *ev = kp->held;
        kp->pending = false;
        return true;
    }
    if (kp->test_fd >= 0) {
        size_t used = 0;
        bool got = false;
        while (!got && used < kp->test_n)
            got = keypad_filter_feed(kp->filter, &kp->test_queue[used++], ev);
        memmove(kp->test_queue, kp->test_queue + used,
                (kp->test_n - used) * sizeof *kp->test_queue);
        kp->test_n -= used;
        return got;
    }
    struct libinput_event *e;
    while ((e = libinput_get_event(kp->li)) != NULL) {
        struct keypad_input in;
        bool got = keypad_input_of(kp, e, &in) &&
                   keypad_filter_feed(kp->filter, &in, ev);
        libinput_event_destroy(e);
        if (got)
            return true;
    }
    return false;
}

bool
keypad_present(const struct keypad *kp)
{
    return (kp->dev != NULL || kp->test_fd >= 0) &&
           keypad_filter_present(kp->filter);
}

const char *
keypad_warning(struct keypad *kp)
{
    if (kp->warning[0] == '\0')
        return NULL;
    memcpy(kp->warning_out, kp->warning, sizeof kp->warning_out);
    kp->warning[0] = '\0';
    return kp->warning_out;
}

const char *
keypad_problem(const struct keypad *kp)
{
    if (keypad_present(kp))
        return NULL;
    return kp->problem[0] != '\0' ? kp->problem : "not opened yet";
}

int
keypad_probe(const char *device, char **name, char **why)
{
    struct keypad kp = {.grab = false};
    int rc = -1;
    kp.li = keypad_context(&kp);
    if (kp.li == NULL) {
        *why = xstrdup("cannot create a libinput context");
        return -1;
    }
    struct libinput_device *dev = NULL;
    if (keypad_plausible(device, kp.problem, sizeof kp.problem))
        dev = libinput_path_add_device(kp.li, device);
    if (dev == NULL) {
        *why = xstrdup(kp.problem[0] ? kp.problem
                       : kp.log[0]   ? kp.log
                                     : "cannot open the device");
        goto out;
    }
    if (!libinput_device_has_capability(dev, LIBINPUT_DEVICE_CAP_KEYBOARD)) {
        *why = xasprintf("%s (%s) has no keys", device,
                         libinput_device_get_name(dev));
    } else {
        *name = xstrdup(libinput_device_get_name(dev));
        rc = 0;
    }
    libinput_path_remove_device(dev);
out:
    libinput_unref(kp.li);
    return rc;
}
