/*
 * The speech queue and its thread.
 *
 * One mutex guards the queue, the pause flag and the settings; a condition
 * variable wakes the thread. The cancel flag is atomic so that the engine
 * can poll it between chunks without taking the lock. Pausing in the middle
 * of an utterance cancels it and puts it back at the head of the queue, so
 * that resuming says it again from its start (espeak-ng cannot resume
 * mid-sentence, and a repeated sentence is easier to follow than half of
 * one).
 *
 * The log has two writers: the loop thread ("say", "stop", at the moment
 * of the call) and the speech thread ("voice", when the engine has spoken
 * a span). Each line is written whole under the FILE's own lock
 * (flockfile()), so lines never mix.
 */
#include "accessibility/speech.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "accessibility/normalise.h"
#include "accessibility/xalloc.h"

struct speech_node {
    struct speech_utterance u;
    struct speech_node *next;
};

struct speech {
    struct speech_engine engine;
    FILE *log;
    int efd;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    struct speech_node *head, *tail;
    struct speech_node *current; /* being spoken, owned by the thread */
    bool paused;
    bool quit;
    bool requeue_current; /* cancelled by pause: speak it again later */
    int rate, volume;
    uint64_t seq;
    uint64_t spans; /* spans said so far: the `say` lines of the log */
    atomic_int cancel;
    atomic_uint events;
};

static void
speech_node_free(struct speech_node *n)
{
    if (n == NULL)
        return;
    /* What is said may be a voter's choice. */
    for (size_t i = 0; i < n->u.n_spans; i++)
        xfree_wiped(n->u.spans[i].text);
    free(n->u.spans);
    free(n);
}

static void
speech_notify(struct speech *sp, enum speech_event ev)
{
    atomic_fetch_or(&sp->events, 1u << ev);
    uint64_t one = 1;
    ssize_t r;
    do {
        r = write(sp->efd, &one, sizeof one);
    } while (r < 0 && errno == EINTR);
}

static void speech_log_voices(struct speech *sp,
                              const struct speech_utterance *u);

static void *
speech_thread(void *arg)
{
    struct speech *sp = arg;

    pthread_mutex_lock(&sp->lock);
    for (;;) {
        while (!sp->quit && (sp->paused || sp->head == NULL))
            pthread_cond_wait(&sp->wake, &sp->lock);
        if (sp->quit)
            break;
        struct speech_node *n = sp->head;
        sp->head = n->next;
        if (sp->head == NULL)
            sp->tail = NULL;
        n->next = NULL;
        sp->current = n;
        sp->requeue_current = false;
        atomic_store(&sp->cancel, 0);
        pthread_mutex_unlock(&sp->lock);

        int rc = sp->engine.ops->speak(sp->engine.self, &n->u, &sp->cancel);
        speech_log_voices(sp, &n->u);

        pthread_mutex_lock(&sp->lock);
        sp->current = NULL;
        if (sp->requeue_current) {
            n->next = sp->head;
            sp->head = n;
            if (sp->tail == NULL)
                sp->tail = n;
        } else {
            speech_node_free(n);
        }
        if (rc < 0)
            speech_notify(sp, SPEECH_EVENT_AUDIO_ERROR);
        if (sp->head == NULL)
            speech_notify(sp, SPEECH_EVENT_DONE);
    }
    pthread_mutex_unlock(&sp->lock);
    return NULL;
}

static int
speech_none_speak(void *engine, struct speech_utterance *u,
                  const atomic_int *cancel)
{
    (void)engine;
    (void)u;
    (void)cancel;
    return 0;
}

static void
speech_none_free(void *engine)
{
    (void)engine;
}

static const struct speech_engine_ops speech_none_ops = {
    .name = "none",
    .speak = speech_none_speak,
    .free = speech_none_free,
};

struct speech_engine
speech_none_engine(void)
{
    return (struct speech_engine){.ops = &speech_none_ops, .self = NULL};
}

struct speech *
speech_new(struct speech_engine engine, const char *log_path, char **why)
{
    struct speech *sp = xcalloc(1, sizeof *sp);
    sp->engine = engine;
    sp->rate = SPEECH_RATE_DEFAULT;
    sp->volume = SPEECH_VOLUME_DEFAULT;
    sp->efd = -1;
    atomic_init(&sp->cancel, 0);
    atomic_init(&sp->events, 0);

    if (log_path != NULL) {
        sp->log = fopen(log_path, "ae");
        if (sp->log == NULL) {
            *why = xasprintf("cannot open the speech log %s: %s", log_path,
                             strerror(errno));
            goto fail;
        }
    }
    sp->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (sp->efd < 0) {
        *why = xasprintf("cannot create an eventfd: %s", strerror(errno));
        goto fail;
    }
    pthread_mutex_init(&sp->lock, NULL);
    pthread_cond_init(&sp->wake, NULL);
    int rc = pthread_create(&sp->thread, NULL, speech_thread, sp);
    if (rc != 0) {
        *why = xasprintf("cannot start the speech thread: %s", strerror(rc));
        pthread_mutex_destroy(&sp->lock);
        pthread_cond_destroy(&sp->wake);
        goto fail;
    }
    return sp;

fail:
    /* Nothing was written to the log yet: closing cannot lose a line. */
    if (sp->log != NULL)
        (void)fclose(sp->log);
    if (sp->efd >= 0)
        close(sp->efd);
    engine.ops->free(engine.self);
    free(sp);
    return NULL;
}

static void
speech_purge_locked(struct speech *sp)
{
    struct speech_node *n = sp->head;
    while (n != NULL) {
        struct speech_node *next = n->next;
        speech_node_free(n);
        n = next;
    }
    sp->head = sp->tail = NULL;
}

void
speech_free(struct speech *sp)
{
    if (sp == NULL)
        return;
    pthread_mutex_lock(&sp->lock);
    sp->quit = true;
    speech_purge_locked(sp);
    atomic_store(&sp->cancel, 1);
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->lock);
    pthread_join(sp->thread, NULL);
    pthread_mutex_destroy(&sp->lock);
    pthread_cond_destroy(&sp->wake);
    sp->engine.ops->free(sp->engine.self);
    /* Every line was flushed as it was written (speech_log_line()), so
     * closing has nothing left to lose. */
    if (sp->log != NULL)
        (void)fclose(sp->log);
    close(sp->efd);
    free(sp);
}

/* Writes TEXT with newlines and tabs folded into spaces. */
static void
speech_log_text(FILE *f, const char *text)
{
    for (const char *p = text; *p != '\0'; p++)
        putc_unlocked(*p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p, f);
}

/* Writes one "say" line. A line that cannot be written is dropped: the log
 * is a test hook, the test that reads it sees the line missing, and the
 * kiosk has no one else to tell (stderr is its screen). */
static void
speech_log_line(struct speech *sp, const char *lang, const char *text)
{
    if (sp->log == NULL)
        return;
    flockfile(sp->log);
    fprintf(sp->log, "say\t%s\t", lang);
    speech_log_text(sp->log, text);
    putc_unlocked('\n', sp->log);
    (void)fflush(sp->log);
    funlockfile(sp->log);
}

/* On the speech thread, after U was spoken: one "voice" line per span the
 * engine started, with the voice it reported (dropped like "say"). */
static void
speech_log_voices(struct speech *sp, const struct speech_utterance *u)
{
    if (sp->log == NULL)
        return;
    flockfile(sp->log);
    for (size_t i = 0; i < u->n_spans; i++) {
        const struct speech_span *s = &u->spans[i];
        if (s->voice[0] == '\0')
            continue;
        fprintf(sp->log, "voice\t%s\t%s\t", s->lang, s->voice);
        speech_log_text(sp->log, s->text);
        putc_unlocked('\n', sp->log);
    }
    (void)fflush(sp->log);
    funlockfile(sp->log);
}

void
speech_say_spans(struct speech *sp, const struct speech_part *parts, size_t n)
{
    struct speech_node *node = NULL;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].text == NULL || parts[i].text[0] == '\0')
            continue;
        char *text = normalise_text(parts[i].lang, parts[i].text);
        /* White space at a span's ends says nothing: the engine and the
         * log get the words only ("Буква", "L", ": следующий язык"). */
        size_t lead = strspn(text, " \t\n\r"), len = strlen(text);
        while (len > lead && strchr(" \t\n\r", text[len - 1]) != NULL)
            len--;
        memmove(text, text + lead, len - lead);
        memset(text + len - lead, 0, lead + 1);
        if (text[0] == '\0') {
            xfree_wiped(text);
            continue;
        }
        speech_log_line(sp, parts[i].lang, text);
        sp->spans++;
        if (node == NULL) {
            node = xcalloc(1, sizeof *node);
            node->u.first_span = sp->spans;
            node->u.spans = xcalloc(n, sizeof *node->u.spans);
            snprintf(node->u.lang, sizeof node->u.lang, "%s", parts[i].lang);
        }
        struct speech_span *s = &node->u.spans[node->u.n_spans++];
        snprintf(s->lang, sizeof s->lang, "%s", parts[i].lang);
        s->text = text;
    }
    if (node == NULL)
        return;

    pthread_mutex_lock(&sp->lock);
    node->u.rate = sp->rate;
    node->u.volume = sp->volume;
    node->u.seq = ++sp->seq;
    if (sp->tail != NULL)
        sp->tail->next = node;
    else
        sp->head = node;
    sp->tail = node;
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->lock);
}

void
speech_say(struct speech *sp, const char *lang, const char *text)
{
    struct speech_part part = {.lang = lang, .text = text};
    speech_say_spans(sp, &part, 1);
}

void
speech_stop(struct speech *sp)
{
    pthread_mutex_lock(&sp->lock);
    speech_purge_locked(sp);
    sp->requeue_current = false;
    atomic_store(&sp->cancel, 1);
    pthread_mutex_unlock(&sp->lock);
    if (sp->log != NULL) {
        flockfile(sp->log);
        fputs("stop\n", sp->log);
        (void)fflush(sp->log); /* dropped on failure, as in speech_log_line() */
        funlockfile(sp->log);
    }
}

void
speech_set_paused(struct speech *sp, bool paused)
{
    pthread_mutex_lock(&sp->lock);
    sp->paused = paused;
    if (paused && sp->current != NULL) {
        sp->requeue_current = true;
        atomic_store(&sp->cancel, 1);
    }
    pthread_cond_signal(&sp->wake);
    pthread_mutex_unlock(&sp->lock);
}

bool
speech_paused(const struct speech *sp)
{
    return sp->paused;
}

void
speech_set_rate(struct speech *sp, int rate)
{
    if (rate < SPEECH_RATE_MIN)
        rate = SPEECH_RATE_MIN;
    if (rate > SPEECH_RATE_MAX)
        rate = SPEECH_RATE_MAX;
    pthread_mutex_lock(&sp->lock);
    sp->rate = rate;
    pthread_mutex_unlock(&sp->lock);
}

static int
speech_volume_clamp(int level)
{
    return level < SPEECH_VOLUME_MIN   ? SPEECH_VOLUME_MIN
           : level > SPEECH_VOLUME_MAX ? SPEECH_VOLUME_MAX
                                       : level;
}

void
speech_set_volume(struct speech *sp, int volume)
{
    volume = speech_volume_clamp(volume);
    pthread_mutex_lock(&sp->lock);
    sp->volume = volume;
    pthread_mutex_unlock(&sp->lock);
}

double
speech_volume_gain_db(int level)
{
    return (double)SPEECH_VOLUME_STEP_DB *
           (speech_volume_clamp(level) - SPEECH_VOLUME_MAX);
}

int
speech_volume_spl(int level)
{
    return SPEECH_VOLUME_TOP_SPL +
           SPEECH_VOLUME_STEP_DB *
               (speech_volume_clamp(level) - SPEECH_VOLUME_MAX);
}

bool
speech_idle(struct speech *sp)
{
    pthread_mutex_lock(&sp->lock);
    bool idle = sp->head == NULL && sp->current == NULL;
    pthread_mutex_unlock(&sp->lock);
    return idle;
}

int
speech_fd(const struct speech *sp)
{
    return sp->efd;
}

unsigned int
speech_take_events(struct speech *sp)
{
    uint64_t v;
    while (read(sp->efd, &v, sizeof v) > 0)
        ;
    return atomic_exchange(&sp->events, 0);
}

const char *
speech_engine_name(const struct speech *sp)
{
    return sp->engine.ops->name;
}
