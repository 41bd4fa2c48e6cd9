/*
 * Speech: a queue of utterances spoken by an engine on its own thread.
 *
 * An utterance is a list of spans, each in its own language (a Kazakh
 * name inside a Russian sentence is a kk span between two ru spans); the
 * engine speaks each span with the voice of its language and reports the
 * voice it actually used. Each span is normalised for its language
 * (normalise_text()) when it is queued; the log and the engine get the
 * normalised text.
 *
 * The loop thread calls speech_say() and speech_stop() and never blocks on
 * audio. The engine (espeak-ng, or "none") runs on the speech thread and
 * checks a cancel flag between audio chunks; speech_stop() is barge-in: it
 * purges the queue first, then raises the flag so that synthesis in progress
 * ends at its next chunk. The speech log (a test hook) is written by the
 * loop thread at the moment of the call, so its order is the order of the
 * program's decisions. The thread reports finished utterances and engine
 * trouble through an eventfd that the loop polls (speech_fd()).
 */
#ifndef DAUYS_ACCESSIBILITY_SPEECH_H
#define DAUYS_ACCESSIBILITY_SPEECH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Speech rate steps, percent of normal (about 140 words per minute). */
#define SPEECH_RATE_MIN 50
#define SPEECH_RATE_MAX 200
#define SPEECH_RATE_DEFAULT 100

/*
 * Volume levels (VVSG 2.0 7.1-K): eleven levels, 0..10, SPEECH_VOLUME_STEP_DB
 * apart. Level 10 is the calibrated point, 100 dB SPL at the headphones
 * when the mixer is set to the calibration ([speech] calibration_db,
 * docs/speech.md); level L is then 20 + 8 L dB SPL: 20 dB at level 0, 60 dB
 * at the default level 5. The gain is applied to the samples, in floating
 * point, before they reach any sink.
 */
#define SPEECH_VOLUME_MIN 0
#define SPEECH_VOLUME_MAX 10
#define SPEECH_VOLUME_DEFAULT 5
#define SPEECH_VOLUME_STEP_DB 8
#define SPEECH_VOLUME_TOP_SPL 100

/* The longest voice name an engine reports, with its NUL. */
#define SPEECH_VOICE_MAX 16

/* The language of a span that is not speech but a chime: two short notes
 * (the readiness check's sound test). Its text is only what the speech log
 * shows; an engine without audio (none) ignores it. */
#define SPEECH_CHIME "snd"

/* A part of what to say, as the caller gives it (speech_say_spans()). */
struct speech_part {
    const char *lang; /* "kk", "ru" or "en" */
    const char *text; /* UTF-8 */
};

/* One span of an utterance as the engine receives it. */
struct speech_span {
    char lang[4];                 /* "kk", "ru" or "en" */
    char *text;                   /* UTF-8, normalised; owned by the queue */
    char voice[SPEECH_VOICE_MAX]; /* set by the engine when it starts the
                                     span: the language of the voice it
                                     actually used ("kk", "ru", "en-gb");
                                     empty when the span was not spoken */
};

/* One utterance as the engine receives it: at least one span. */
struct speech_utterance {
    char lang[4];              /* the first span's language */
    struct speech_span *spans; /* owned by the queue */
    size_t n_spans;
    int rate;            /* percent of normal, 50..200 */
    int volume;          /* level, 0..10 */
    uint64_t seq;        /* increasing number of the utterance */
    uint64_t first_span; /* number of its first span among all spans said
                            (1, 2, …): the `say` line of the speech log
                            that starts it, and its WAV file's number */
};

/*
 * An engine: a table of functions (the brltty way). speak() runs on the
 * speech thread and speaks the spans of U in order, each with the voice of
 * its language, writing into each span's `voice` the voice it used (an
 * engine without voices leaves it empty); it must return soon after
 * *cancel becomes nonzero and returns 0, or a negative number when the
 * audio device failed (the loop is told through speech_fd()). free() is
 * called once on the loop thread after the speech thread has ended.
 */
struct speech_engine_ops {
    const char *name;
    int (*speak)(void *engine, struct speech_utterance *u,
                 const atomic_int *cancel);
    void (*free)(void *engine);
};

struct speech_engine {
    const struct speech_engine_ops *ops;
    void *self;
};

/* Events the speech thread reports to the loop. */
enum speech_event {
    SPEECH_EVENT_NONE = 0,
    SPEECH_EVENT_DONE,        /* the queue became empty */
    SPEECH_EVENT_AUDIO_ERROR, /* the engine reported a device failure */
};

struct speech;

/* The engine that produces no sound ("--speech none"): utterances complete
 * at once. Never fails. */
struct speech_engine speech_none_engine(void);

/*
 * Starts the speech thread with ENGINE (ownership passes to the speech
 * object). LOG_PATH, when not NULL, is the speech log of specs/cli.md,
 * opened for appending. Returns NULL and fills *why (caller frees) when the
 * log cannot be opened or the thread cannot start; the engine is freed then.
 */
struct speech *speech_new(struct speech_engine engine, const char *log_path,
                          char **why);

/* Stops the thread, frees the engine and closes the log. NULL is a no-op. */
void speech_free(struct speech *sp);

/*
 * Queues one utterance of the N parts PARTS (copied) at the current rate
 * and volume. Each part is normalised for its language (normalise_text())
 * and loses the white space at its ends; a part that is then empty is
 * dropped, and an utterance with no part
 * left is not queued. Appends one "say" line per remaining span to the
 * speech log, in order, with the normalised text: exactly what the engine
 * will receive. When the engine has spoken a span, the speech thread
 * appends a "voice" line with the voice it used (docs/speech.md).
 */
void speech_say_spans(struct speech *sp, const struct speech_part *parts,
                      size_t n);

/* Queues TEXT in LANG: an utterance of one span (speech_say_spans()). */
void speech_say(struct speech *sp, const char *lang, const char *text);

/* Barge-in: purges the queue, cancels synthesis in progress and appends
 * "stop" to the speech log. Cheap; call it before acting on any key. */
void speech_stop(struct speech *sp);

/* Pauses or resumes speaking. While paused, queued utterances wait. */
void speech_set_paused(struct speech *sp, bool paused);
bool speech_paused(const struct speech *sp);

/* Rate (percent, clamped to 50..200) and volume (a level, clamped to
 * 0..10) for what is queued from now on. */
void speech_set_rate(struct speech *sp, int rate);
void speech_set_volume(struct speech *sp, int volume);

/* The gain of volume LEVEL (clamped to 0..10) in dB relative to the
 * calibrated level 10: 8 (LEVEL - 10), so -80 dB at level 0. */
double speech_volume_gain_db(int level);

/* The sound pressure of volume LEVEL (clamped) at the headphones when the
 * mixer is calibrated, in dB SPL: 20 + 8 LEVEL. */
int speech_volume_spl(int level);

/* True when nothing is queued or being spoken. */
bool speech_idle(struct speech *sp);

/* The eventfd that becomes readable when the thread has events. */
int speech_fd(const struct speech *sp);

/* Reads and clears the pending events; returns a bit set of
 * (1 << enum speech_event). */
unsigned int speech_take_events(struct speech *sp);

/* The name of the engine ("espeak", "none"). */
const char *speech_engine_name(const struct speech *sp);

#endif
