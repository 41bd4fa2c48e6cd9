/*
 * BrlAPI behind brldisplay.h. One handle (brlapi__ functions, no global
 * session); BrlAPI's default exception handler prints and aborts, so ours
 * only marks the connection as failed and the next call notices. A timer
 * ticks every retry_ms for as long as the display is open: while lost it
 * retries the connection, while connected it asks for the display's size,
 * which is how an unplugged display (no cells) or a new one (other cells)
 * is noticed even when nothing is written.
 */
#include "accessibility/brldisplay.h"

#include <brlapi.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "accessibility/xalloc.h"

#define BRLDISPLAY_QUEUE 32

struct brldisplay {
    char *host;
    unsigned retry_ms;
    int epfd, tfd;
    int efd; /* readable while events wait in the queue */
    brlapi_handle_t *h;
    int fd;               /* the BrlAPI socket, or -1 while lost */
    bool failed;          /* the exception handler was called */
    bool reported;        /* lost, and LOST was reported */
    unsigned width;       /* cells of the text line, 0 while lost */
    unsigned char *shown; /* what the display shows (width cells) */
    bool shown_valid;
    char problem[256];
    struct brldisplay_event queue[BRLDISPLAY_QUEUE];
    size_t head, count;
};

static void
brldisplay_push(struct brldisplay *d, enum brldisplay_event_kind kind,
                enum brldisplay_cmd cmd, unsigned arg)
{
    if (d->count == BRLDISPLAY_QUEUE)
        return; /* keys pressed faster than the kiosk reads them */
    struct brldisplay_event
        *ev = &d->queue[(d->head + d->count++) % BRLDISPLAY_QUEUE];
    ev->kind = kind;
    ev->cmd = cmd;
    ev->arg = arg;
    /* Events may be queued outside dispatch (keys that BrlAPI kept while
     * it waited for the answer to a write): wake the loop. */
    uint64_t one = 1;
    if (write(d->efd, &one, sizeof one) < 0 && errno != EAGAIN)
        snprintf(d->problem, sizeof d->problem, "cannot wake the loop: %s",
                 strerror(errno));
}

static void
brldisplay_exception(brlapi_handle_t *h, int error, brlapi_packetType_t type,
                     const void *packet, size_t size)
{
    struct brldisplay *d = brlapi__getClientData(h);
    (void)type;
    (void)packet;
    (void)size;
    if (d == NULL)
        return;
    d->failed = true;
    snprintf(d->problem, sizeof d->problem, "BrlAPI: %s",
             brlapi_strerror(&(brlapi_error_t){.brlerrno = error}));
}

/* Closes the connection: the display is lost (reported once). */
static void
brldisplay_lose(struct brldisplay *d)
{
    if (d->fd >= 0) {
        epoll_ctl(d->epfd, EPOLL_CTL_DEL, d->fd, NULL);
        brlapi__closeConnection(d->h);
        d->fd = -1;
    }
    d->width = 0;
    d->shown_valid = false;
    if (d->problem[0] == '\0')
        snprintf(d->problem, sizeof d->problem,
                 "the Braille display is "
                 "not reachable");
    if (!d->reported)
        brldisplay_push(d, BRLDISPLAY_EVENT_LOST, 0, 0);
    d->reported = true;
}

/* The last BrlAPI error as text, into PROBLEM. */
static void
brldisplay_error(struct brldisplay *d, const char *what)
{
    const char *host = d->host ? d->host : "the default BrlAPI host";
    snprintf(d->problem, sizeof d->problem, "%s (%s): %s", what, host,
             brlapi_strerror(&brlapi_error));
}

/* Asks BrlAPI for the display's size; false (and PROBLEM) when it has no
 * cells or the connection failed. */
static bool
brldisplay_size(struct brldisplay *d, unsigned *width)
{
    unsigned x = 0, y = 0;
    if (brlapi__getDisplaySize(d->h, &x, &y) < 0 || d->failed) {
        if (!d->failed)
            brldisplay_error(d, "cannot ask BRLTTY for the display's size");
        return false;
    }
    if (x == 0) {
        snprintf(d->problem, sizeof d->problem,
                 "BRLTTY runs but no Braille display is attached");
        return false;
    }
    *width = x;
    return true;
}

/* Tries to connect; true when connected (WAS_LOST: report BACK). */
static bool
brldisplay_connect(struct brldisplay *d)
{
    bool was_lost = d->reported;
    brlapi_connectionSettings_t want = {.host = d->host, .auth = NULL};
    d->failed = false;
    d->problem[0] = '\0';
    /* A handle whose last connection failed is not always reusable. */
    memset(d->h, 0, brlapi_getHandleSize());
    int fd = brlapi__openConnection(d->h, &want, NULL);
    if (fd < 0) {
        brldisplay_error(d, "cannot connect to BRLTTY");
        return false;
    }
    brlapi__setClientData(d->h, d);
    brlapi__setExceptionHandler(d->h, brldisplay_exception);
    d->fd = fd;
    unsigned w;
    if (!brldisplay_size(d, &w) ||
        brlapi__enterTtyModeWithPath(d->h, NULL, 0, NULL) < 0 || d->failed) {
        if (d->problem[0] == '\0')
            brldisplay_error(d, "cannot take the Braille display");
        brlapi__closeConnection(d->h);
        d->fd = -1;
        return false;
    }
    struct epoll_event ee = {.events = EPOLLIN};
    ee.data.fd = fd;
    if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ee) != 0) {
        snprintf(d->problem, sizeof d->problem,
                 "cannot watch the BrlAPI socket: %s", strerror(errno));
        brlapi__closeConnection(d->h);
        d->fd = -1;
        return false;
    }
    d->width = w;
    d->shown = xrealloc(d->shown, w);
    d->shown_valid = false;
    if (was_lost)
        brldisplay_push(d, BRLDISPLAY_EVENT_BACK, 0, 0);
    d->reported = false;
    return true;
}

struct brldisplay *
brldisplay_open(const struct brldisplay_options *opt, char **why)
{
    struct brldisplay *d = xcalloc(1, sizeof *d);
    d->host = opt->host != NULL && opt->host[0] ? xstrdup(opt->host) : NULL;
    d->retry_ms = opt->retry_ms ? opt->retry_ms : BRLDISPLAY_RETRY_MS;
    d->fd = -1;
    d->h = xcalloc(1, brlapi_getHandleSize());
    d->epfd = epoll_create1(EPOLL_CLOEXEC);
    d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    d->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event ee = {.events = EPOLLIN}, ew = {.events = EPOLLIN};
    ee.data.fd = d->tfd;
    ew.data.fd = d->efd;
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    its.it_value.tv_sec = d->retry_ms / 1000;
    its.it_value.tv_nsec = (long)(d->retry_ms % 1000) * 1000000;
    its.it_interval = its.it_value;
    if (d->epfd < 0 || d->tfd < 0 || d->efd < 0 ||
        epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->tfd, &ee) != 0 ||
        epoll_ctl(d->epfd, EPOLL_CTL_ADD, d->efd, &ew) != 0 ||
        timerfd_settime(d->tfd, 0, &its, NULL) != 0) {
        *why = xasprintf("Braille display: cannot create descriptors: %s",
                         strerror(errno));
        brldisplay_close(d);
        return NULL;
    }
    if (!brldisplay_connect(d))
        brldisplay_lose(d);
    return d;
}

void
brldisplay_close(struct brldisplay *d)
{
    if (d == NULL)
        return;
    if (d->fd >= 0) {
        brlapi__leaveTtyMode(d->h);
        brlapi__closeConnection(d->h);
    }
    if (d->epfd >= 0)
        close(d->epfd);
    if (d->tfd >= 0)
        close(d->tfd);
    if (d->efd >= 0)
        close(d->efd);
    free(d->shown);
    free(d->h);
    free(d->host);
    free(d);
}

int
brldisplay_fd(const struct brldisplay *d)
{
    return d->epfd;
}

/* Translates a BrlAPI key code into a command; false for keys the kiosk
 * does not use. */
static bool
brldisplay_command(brlapi_keyCode_t code, enum brldisplay_cmd *cmd,
                   unsigned *arg)
{
    brlapi_keyCode_t type = code & BRLAPI_KEY_TYPE_MASK;
    brlapi_keyCode_t value = code & BRLAPI_KEY_CODE_MASK;
    *arg = 0;
    if (type == BRLAPI_KEY_TYPE_CMD) {
        brlapi_keyCode_t blk = value & BRLAPI_KEY_CMD_BLK_MASK;
        unsigned a = (unsigned)(value & BRLAPI_KEY_CMD_ARG_MASK);
        if (blk == BRLAPI_KEY_CMD_ROUTE) {
            *cmd = BRLDISPLAY_ROUTE;
            *arg = a;
            return true;
        }
        if (blk != 0)
            return false;
        switch (BRLAPI_KEY_CMD(0) + a) {
        case BRLAPI_KEY_CMD_LNUP:
        case BRLAPI_KEY_CMD_WINUP:
        case BRLAPI_KEY_CMD_PRDIFLN:
            *cmd = BRLDISPLAY_LINE_UP;
            return true;
        case BRLAPI_KEY_CMD_LNDN:
        case BRLAPI_KEY_CMD_WINDN:
        case BRLAPI_KEY_CMD_NXDIFLN:
            *cmd = BRLDISPLAY_LINE_DOWN;
            return true;
        case BRLAPI_KEY_CMD_FWINLT:
        case BRLAPI_KEY_CMD_HWINLT:
            *cmd = BRLDISPLAY_PAN_LEFT;
            return true;
        case BRLAPI_KEY_CMD_FWINRT:
        case BRLAPI_KEY_CMD_HWINRT:
            *cmd = BRLDISPLAY_PAN_RIGHT;
            return true;
        case BRLAPI_KEY_CMD_TOP:
        case BRLAPI_KEY_CMD_TOP_LEFT:
            *cmd = BRLDISPLAY_TOP;
            return true;
        case BRLAPI_KEY_CMD_BOT:
        case BRLAPI_KEY_CMD_BOT_LEFT:
            *cmd = BRLDISPLAY_BOTTOM;
            return true;
        case BRLAPI_KEY_CMD_HOME:
        case BRLAPI_KEY_CMD_RETURN:
        case BRLAPI_KEY_CMD_BACK:
            *cmd = BRLDISPLAY_HOME;
            return true;
        case BRLAPI_KEY_CMD_HELP:
            *cmd = BRLDISPLAY_HELP;
            return true;
        default:
            return false;
        }
    }
    if (type != BRLAPI_KEY_TYPE_SYM)
        return false;
    brlapi_keyCode_t sym = value & ~BRLAPI_KEY_SYM_UNICODE;
    switch (value) {
    case BRLAPI_KEY_SYM_LINEFEED: /* Return */
    case UINT64_C(0xff8d):        /* KP_Enter */
        *cmd = BRLDISPLAY_SELECT;
        return true;
    case BRLAPI_KEY_SYM_ESCAPE:
        *cmd = BRLDISPLAY_BACK;
        return true;
    case BRLAPI_KEY_SYM_BACKSPACE:
        *cmd = BRLDISPLAY_DELETE;
        return true;
    case BRLAPI_KEY_SYM_UP:
        *cmd = BRLDISPLAY_LINE_UP;
        return true;
    case BRLAPI_KEY_SYM_DOWN:
        *cmd = BRLDISPLAY_LINE_DOWN;
        return true;
    case BRLAPI_KEY_SYM_LEFT:
        *cmd = BRLDISPLAY_PAN_LEFT;
        return true;
    case BRLAPI_KEY_SYM_RIGHT:
        *cmd = BRLDISPLAY_PAN_RIGHT;
        return true;
    default:
        break;
    }
    if (sym >= '0' && sym <= '9') {
        *cmd = BRLDISPLAY_DIGIT;
        *arg = (unsigned)(sym - '0');
        return true;
    }
    return false;
}

/* Takes every key BrlAPI has, from the socket or from its own buffer
 * (keys that arrived while it waited for an answer); false when the
 * connection failed (the display is then lost). */
static bool
brldisplay_drain(struct brldisplay *d)
{
    for (;;) {
        brlapi_keyCode_t code;
        int r = brlapi__readKey(d->h, 0, &code);
        if (r < 0 || d->failed) {
            if (!d->failed)
                brldisplay_error(d, "lost the connection to BRLTTY");
            brldisplay_lose(d);
            return false;
        }
        if (r == 0)
            return true;
        enum brldisplay_cmd cmd;
        unsigned arg;
        if (brldisplay_command(code, &cmd, &arg))
            brldisplay_push(d, BRLDISPLAY_EVENT_KEY, cmd, arg);
    }
}

void
brldisplay_dispatch(struct brldisplay *d)
{
    uint64_t ticks = 0;
    bool tick = read(d->tfd, &ticks, sizeof ticks) == (ssize_t)sizeof ticks;
    uint64_t woken;
    if (read(d->efd, &woken, sizeof woken) < 0 && errno != EAGAIN)
        return;
    if (d->fd < 0) {
        if (tick)
            brldisplay_connect(d);
        return;
    }
    if (!brldisplay_drain(d))
        return;
    unsigned w;
    if (tick) {
        if (!brldisplay_size(d, &w)) {
            brldisplay_lose(d);
            return;
        }
        if (w != d->width) {
            d->width = w;
            d->shown = xrealloc(d->shown, w);
            d->shown_valid = false;
        }
        brldisplay_drain(d);
    }
}

bool
brldisplay_next(struct brldisplay *d, struct brldisplay_event *ev)
{
    if (d->count == 0)
        return false;
    *ev = d->queue[d->head];
    d->head = (d->head + 1) % BRLDISPLAY_QUEUE;
    d->count--;
    return true;
}

unsigned
brldisplay_width(const struct brldisplay *d)
{
    return d->width;
}

bool
brldisplay_present(const struct brldisplay *d)
{
    return d->fd >= 0;
}

const char *
brldisplay_problem(const struct brldisplay *d)
{
    return d->fd >= 0 ? NULL : d->problem;
}

void
brldisplay_write(struct brldisplay *d, const unsigned char *cells, size_t n)
{
    if (d->fd < 0 || d->width == 0)
        return;
    unsigned char *buf = xcalloc(d->width, 1);
    memcpy(buf, cells, n < d->width ? n : d->width);
    if (d->shown_valid && memcmp(buf, d->shown, d->width) == 0) {
        free(buf);
        return;
    }
    if (brlapi__writeDots(d->h, buf) < 0 || d->failed) {
        if (!d->failed)
            brldisplay_error(d, "cannot write to the Braille display");
        brldisplay_lose(d);
    } else {
        memcpy(d->shown, buf, d->width);
        d->shown_valid = true;
        brldisplay_drain(d);
    }
    free(buf);
}
