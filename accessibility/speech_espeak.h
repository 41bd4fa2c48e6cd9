/*
 * The espeak-ng speech engine: synthesises each span of an utterance with
 * the voice of its language (kk, ru, en) after the pronunciation lexicon,
 * reports in the span the voice espeak-ng actually had, and sends
 * the samples to the sinks: the ALSA device, written by us in short
 * periods so that barge-in drops at most a few milliseconds of sound, and
 * optionally one WAV file per utterance (a test and diagnosis hook).
 *
 * espeak-ng keeps its state in process globals, so at most one engine
 * exists at a time, and espeak-ng is initialised once per process and
 * never terminated (espeak_ng_Terminate() blocks for ever in synchronous
 * mode in espeak-ng 1.51). Threads: the constructor calls espeak-ng on the
 * caller's thread, before speech_new() starts the speech thread; from then
 * on only speak(), on the speech thread, calls espeak-ng and ALSA, and the
 * engine is freed after that thread has been joined. pthread_create() and
 * pthread_join() order those calls, so no lock is needed around espeak-ng.
 * speech_espeak_audio_ok() and speech_espeak_wav_ok() may be called from
 * any thread.
 */
#ifndef DAUYS_ACCESSIBILITY_SPEECH_ESPEAK_H
#define DAUYS_ACCESSIBILITY_SPEECH_ESPEAK_H

#include <stdbool.h>
#include <stdint.h>

#include "accessibility/speech.h"

/* The words per minute of rate 100 %. */
#define SPEECH_ESPEAK_WPM_NORMAL 140

struct speech_espeak_options {
    const char *wav_dir;     /* one WAV file per utterance; NULL: none */
    bool audio;              /* play on the ALSA device */
    const char *alsa_device; /* NULL: "default" */
    const char *lexicon_dir; /* holds kk.txt, ru.txt, en.txt; NULL: none */
    const char *data_path;   /* espeak-ng data; NULL: espeak-ng's default */
    /* Called on the speech thread when the first samples of utterance SEQ
     * leave the synthesiser (before they reach any sink); may be NULL. */
    void (*on_first_audio)(void *ctx, uint64_t seq);
    void *ctx;
};

/*
 * Makes an espeak-ng engine with the options OPT (copied; the strings may
 * be freed after the call) and stores it in *ENGINE, to be handed to
 * speech_new(), which then owns it. Returns 0, or -1 and fills *why (the
 * caller frees) when espeak-ng cannot start, a voice is missing, a lexicon
 * is bad, the WAV folder is not a writable folder, or another espeak-ng
 * engine exists. An audio device that cannot be opened is not an error:
 * the engine works without it (WAV files are still written), its first
 * speak() returns -1, it retries every few seconds, and
 * speech_espeak_audio_ok() says why.
 */
int speech_espeak_engine_new(const struct speech_espeak_options *opt,
                             struct speech_engine *engine, char **why);

/*
 * True when ENGINE is an espeak-ng engine whose audio device is open and
 * has not failed. Otherwise false, and *why (when WHY is not NULL) is set
 * to the reason (the caller frees). Any thread.
 */
bool speech_espeak_audio_ok(struct speech_engine engine, char **why);

/*
 * True when ENGINE is an espeak-ng engine whose last WAV file was written
 * without error (or that writes none). Otherwise false with *why as above.
 */
bool speech_espeak_wav_ok(struct speech_engine engine, char **why);

/*
 * The words per minute and the extra pause between words, in espeak-ng's
 * units of 10 ms, that espeak-ng is given for RATE (percent of normal).
 * Below espeak-ng's minimum of 80 words per minute the slowing is done
 * with pauses between words, so that the pitch stays unchanged.
 */
void speech_espeak_rate(int rate, int *wpm, int *word_gap);

/* The linear factor by which the samples of volume LEVEL (0..10, clamped)
 * are multiplied before the sinks: 10^(speech_volume_gain_db(LEVEL) / 20),
 * 1 at level 10. */
float speech_espeak_gain(int level);

#endif
