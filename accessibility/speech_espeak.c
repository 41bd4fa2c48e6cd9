/*
 * espeak-ng in synchronous (retrieval) mode, with our own sinks.
 *
 * espeak_Synth() runs on the speech thread and hands us about 20 ms of
 * samples at a time through the synth callback; the callback first checks
 * the cancel flag (returning 1 makes espeak-ng stop at once), then scales
 * the samples by the gain of the utterance's volume level (in floating
 * point, so that both sinks get the same level), appends them to the WAV
 * file and writes them to ALSA. espeak-ng itself always speaks at one
 * amplitude, chosen with headroom so that level 10 never clips. The ALSA device is
 * opened non-blocking with a period of about 10 ms and a buffer of about
 * 80 ms; when the buffer is full we wait on it at most 10 ms at a time and
 * look at the cancel flag in between. On cancel, snd_pcm_drop() throws away
 * what is buffered, so that no stale sound follows a key press. After the
 * last samples, speak() waits for the device to play them (again checking
 * the flag), because an utterance that returned early would leave sound in
 * the buffer that the next barge-in could no longer drop.
 *
 * The WAV file of an utterance is written as the samples come, with the
 * sizes in the header patched when it ends (also when it was cancelled,
 * so a cancelled utterance leaves a valid, shorter file).
 *
 * The state that other threads read (is the audio device working, why
 * not) sits behind a mutex of the engine; everything else belongs to the
 * speech thread. The once-per-process espeak-ng initialisation and the
 * "one engine at a time" rule use this file's own lock.
 */
#include "accessibility/speech_espeak.h"

#include <alsa/asoundlib.h>
#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/lexicon.h"
#include "accessibility/xalloc.h"

#define SPEECH_ESPEAK_CHUNK_MS 20
#define SPEECH_ESPEAK_PERIOD_US 10000
#define SPEECH_ESPEAK_BUFFER_US 80000
#define SPEECH_ESPEAK_WAIT_MS 10
#define SPEECH_ESPEAK_REOPEN_NS (5 * 1000000000LL)

/* espeak-ng's amplitude (its own scale, 100 is its default): at 100 its
 * Russian reaches -1 dBFS and from 140 it clips. At 50 its peaks stay
 * below -7 dBFS in Kazakh and Russian, which leaves the headroom that
 * level 10 (gain 0 dB) must keep; the volume levels are our own gain on
 * top of it (speech_espeak_gain()). */
#define SPEECH_ESPEAK_AMPLITUDE 50
/* Samples scaled at a time (espeak-ng hands about 20 ms, 441 samples). */
#define SPEECH_ESPEAK_SCALE_MAX 1024

static const char *const speech_espeak_langs[3] = {"kk", "ru", "en"};

/* Process-wide: espeak-ng's own state is global. */
static pthread_mutex_t speech_espeak_global = PTHREAD_MUTEX_INITIALIZER;
static bool speech_espeak_initialised;
static char *speech_espeak_initialised_path;
static bool speech_espeak_in_use;

/* In each group, the words come before the smaller fields, which keeps
 * the padding small. */
struct speech_espeak {
    char *wav_dir;
    char *alsa_device;
    void (*on_first_audio)(void *ctx, uint64_t seq);
    void *ctx;
    struct lexicon *lexicon[3];
    int sample_rate;
    bool audio;

    /* Speech thread only. */
    const atomic_int *cancel;
    struct speech_utterance *u;
    FILE *wav;
    char *wav_path;
    snd_pcm_t *pcm;
    snd_pcm_uframes_t buffer_frames;
    long long next_open_ns;
    int rc;
    uint32_t wav_samples;
    char voice[4];
    float gain; /* of the utterance's volume level, linear */
    bool first;
    bool wav_reported;
    bool audio_reported;

    /* Shared with other threads, under LOCK. */
    pthread_mutex_t lock;
    char *audio_why;
    char *wav_why;
    bool audio_ok;
    bool wav_ok;
};

static const struct speech_engine_ops speech_espeak_ops;

static long long
speech_espeak_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
speech_espeak_sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000,
                          .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* ALSA prints its errors on stderr, which is the kiosk's screen; we report
 * them through speech_espeak_audio_ok() instead. */
static void
speech_espeak_alsa_quiet(const char *file, int line, const char *function,
                         int err, const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    (void)fmt;
}

void
speech_espeak_rate(int rate, int *wpm, int *word_gap)
{
    if (rate < SPEECH_RATE_MIN)
        rate = SPEECH_RATE_MIN;
    if (rate > SPEECH_RATE_MAX)
        rate = SPEECH_RATE_MAX;
    double w = SPEECH_ESPEAK_WPM_NORMAL * rate / 100.0;
    *word_gap = 0;
    if (w < espeakRATE_MINIMUM) {
        /* A pause of 10 units (about 0.3 s at 80 words per minute) after
         * each word; 40 units per doubling of the length was measured to
         * bring a typical Kazakh sentence to the wanted length. */
        *word_gap = (int)((espeakRATE_MINIMUM / w - 1.0) * 40.0 + 0.5);
        w = espeakRATE_MINIMUM;
    }
    *wpm = (int)(w + 0.5);
}

static void
speech_espeak_set_state(struct speech_espeak *e, bool audio, bool ok, char *why)
{
    pthread_mutex_lock(&e->lock);
    if (audio) {
        e->audio_ok = ok;
        free(e->audio_why);
        e->audio_why = why;
    } else {
        e->wav_ok = ok;
        free(e->wav_why);
        e->wav_why = why;
    }
    pthread_mutex_unlock(&e->lock);
}

/* Opens and configures the ALSA device; returns 0 or -1 with *why. */
static int
speech_espeak_audio_open(struct speech_espeak *e, char **why)
{
    snd_pcm_t *pcm = NULL;
    snd_pcm_hw_params_t *hw = NULL;
    snd_pcm_sw_params_t *sw = NULL;
    const char *what = "open";
    int r = snd_pcm_open(&pcm, e->alsa_device, SND_PCM_STREAM_PLAYBACK,
                         SND_PCM_NONBLOCK);
    if (r < 0)
        goto fail;
    what = "configure";
    if ((r = snd_pcm_hw_params_malloc(&hw)) < 0 ||
        (r = snd_pcm_sw_params_malloc(&sw)) < 0 ||
        (r = snd_pcm_hw_params_any(pcm, hw)) < 0 ||
        (r = snd_pcm_hw_params_set_rate_resample(pcm, hw, 1)) < 0 ||
        (r = snd_pcm_hw_params_set_access(pcm, hw,
                                          SND_PCM_ACCESS_RW_INTERLEAVED)) < 0 ||
        (r = snd_pcm_hw_params_set_format(pcm, hw, SND_PCM_FORMAT_S16)) < 0 ||
        (r = snd_pcm_hw_params_set_channels(pcm, hw, 1)) < 0 ||
        (r = snd_pcm_hw_params_set_rate(pcm, hw, (unsigned)e->sample_rate, 0)) <
            0)
        goto fail;
    unsigned int period_us = SPEECH_ESPEAK_PERIOD_US;
    unsigned int buffer_us = SPEECH_ESPEAK_BUFFER_US;
    snd_pcm_uframes_t period = 0, buffer = 0;
    if ((r = snd_pcm_hw_params_set_buffer_time_near(pcm, hw, &buffer_us,
                                                    NULL)) < 0 ||
        (r = snd_pcm_hw_params_set_period_time_near(pcm, hw, &period_us,
                                                    NULL)) < 0 ||
        (r = snd_pcm_hw_params(pcm, hw)) < 0 ||
        (r = snd_pcm_hw_params_get_period_size(hw, &period, NULL)) < 0 ||
        (r = snd_pcm_hw_params_get_buffer_size(hw, &buffer)) < 0)
        goto fail;
    /* Start playing as soon as one period is there: the synthesiser is far
     * faster than real time, so the buffer fills behind it. */
    if ((r = snd_pcm_sw_params_current(pcm, sw)) < 0 ||
        (r = snd_pcm_sw_params_set_start_threshold(pcm, sw, period)) < 0 ||
        (r = snd_pcm_sw_params_set_avail_min(pcm, sw, period)) < 0 ||
        (r = snd_pcm_sw_params(pcm, sw)) < 0 || (r = snd_pcm_prepare(pcm)) < 0)
        goto fail;
    snd_pcm_hw_params_free(hw);
    snd_pcm_sw_params_free(sw);
    e->pcm = pcm;
    e->buffer_frames = buffer;
    return 0;

fail:
    *why = xasprintf("cannot %s the audio device \"%s\": %s", what,
                     e->alsa_device, snd_strerror(r));
    if (hw != NULL)
        snd_pcm_hw_params_free(hw);
    if (sw != NULL)
        snd_pcm_sw_params_free(sw);
    if (pcm != NULL)
        snd_pcm_close(pcm);
    return -1;
}

/* The device failed while playing: close it and tell the loop once. */
static void
speech_espeak_audio_fail(struct speech_espeak *e, const char *what, int err)
{
    snd_pcm_close(e->pcm);
    e->pcm = NULL;
    e->next_open_ns = speech_espeak_now_ns() + SPEECH_ESPEAK_REOPEN_NS;
    speech_espeak_set_state(e, true, false,
                            xasprintf("the audio device \"%s\" failed (%s): "
                                      "%s",
                                      e->alsa_device, what, snd_strerror(err)));
    if (!e->audio_reported) {
        e->audio_reported = true;
        e->rc = -1;
    }
}

/* Before an utterance: reopens a closed device every few seconds and
 * reports a missing one once. */
static void
speech_espeak_audio_begin(struct speech_espeak *e)
{
    if (!e->audio || e->pcm != NULL)
        return;
    long long now = speech_espeak_now_ns();
    if (now >= e->next_open_ns) {
        char *why = NULL;
        if (speech_espeak_audio_open(e, &why) == 0) {
            e->audio_reported = false;
            speech_espeak_set_state(e, true, true, NULL);
            return;
        }
        e->next_open_ns = now + SPEECH_ESPEAK_REOPEN_NS;
        speech_espeak_set_state(e, true, false, why);
    }
    if (!e->audio_reported) {
        e->audio_reported = true;
        e->rc = -1;
    }
}

/* Writes N samples to the device; returns 1 when cancelled meanwhile. */
static int
speech_espeak_audio_write(struct speech_espeak *e, const short *s, int n)
{
    while (n > 0 && e->pcm != NULL) {
        if (atomic_load(e->cancel))
            return 1;
        snd_pcm_sframes_t w = snd_pcm_writei(e->pcm, s, (snd_pcm_uframes_t)n);
        if (w == -EAGAIN) {
            int r = snd_pcm_wait(e->pcm, SPEECH_ESPEAK_WAIT_MS);
            if (r < 0 && snd_pcm_recover(e->pcm, r, 1) < 0)
                speech_espeak_audio_fail(e, "wait", r);
            continue;
        }
        if (w < 0) {
            int r = snd_pcm_recover(e->pcm, (int)w, 1);
            if (r < 0)
                speech_espeak_audio_fail(e, "write", (int)w);
            continue;
        }
        s += w;
        n -= (int)w;
    }
    return 0;
}

/* After an utterance: plays out what is buffered unless cancelled, then
 * leaves the device empty and prepared for the next one. */
static void
speech_espeak_audio_end(struct speech_espeak *e)
{
    if (e->pcm == NULL)
        return;
    if (!atomic_load(e->cancel)) {
        snd_pcm_sframes_t avail = snd_pcm_avail(e->pcm);
        if (snd_pcm_state(e->pcm) == SND_PCM_STATE_PREPARED && avail >= 0 &&
            (snd_pcm_uframes_t)avail < e->buffer_frames) {
            int r = snd_pcm_start(e->pcm);
            if (r < 0) {
                speech_espeak_audio_fail(e, "start", r);
                return;
            }
        }
        /* Bounded, in case a device never reports its progress. */
        long long deadline = speech_espeak_now_ns() +
                             (long long)e->buffer_frames * 1000000000LL /
                                 e->sample_rate +
                             500000000LL;
        while (!atomic_load(e->cancel) &&
               snd_pcm_state(e->pcm) == SND_PCM_STATE_RUNNING &&
               speech_espeak_now_ns() < deadline) {
            snd_pcm_sframes_t delay = 0;
            if (snd_pcm_delay(e->pcm, &delay) < 0 || delay <= 0)
                break;
            long ms = (long)(delay * 1000 / e->sample_rate);
            speech_espeak_sleep_ms(ms < 1 ? 1 : ms > 5 ? 5 : ms);
        }
    }
    int r = snd_pcm_drop(e->pcm);
    if (r >= 0)
        r = snd_pcm_prepare(e->pcm);
    if (r < 0)
        speech_espeak_audio_fail(e, "prepare", r);
}

static void
speech_espeak_put_le(unsigned char *p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The 44-byte header of a 16-bit mono PCM WAV file of SAMPLES samples. */
static void
speech_espeak_wav_header(unsigned char h[44], int rate, uint32_t samples)
{
    uint32_t data = samples * 2;
    /* The chunk tags are bytes of a binary header, not strings: no '\0'
     * belongs after them, so the check's complaint does not apply. */
    memcpy(h, "RIFF", 4); /* NOLINT(bugprone-not-null-terminated-result) */
    speech_espeak_put_le(h + 4, 36 + data, 4);
    /* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
    memcpy(h + 8, "WAVEfmt ", 8);
    speech_espeak_put_le(h + 16, 16, 4);
    speech_espeak_put_le(h + 20, 1, 2); /* PCM */
    speech_espeak_put_le(h + 22, 1, 2); /* mono */
    speech_espeak_put_le(h + 24, (uint32_t)rate, 4);
    speech_espeak_put_le(h + 28, (uint32_t)rate * 2, 4);
    speech_espeak_put_le(h + 32, 2, 2);  /* block align */
    speech_espeak_put_le(h + 34, 16, 2); /* bits */
    /* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
    memcpy(h + 36, "data", 4);
    speech_espeak_put_le(h + 40, data, 4);
}

static void
speech_espeak_wav_fail(struct speech_espeak *e, const char *what)
{
    speech_espeak_set_state(e, false, false,
                            xasprintf("cannot %s the WAV file %s: %s", what,
                                      e->wav_path, strerror(errno)));
    /* The file is broken already and that was just reported: what fclose
     * would add is not worth a second message. */
    if (e->wav != NULL)
        (void)fclose(e->wav);
    e->wav = NULL;
    if (!e->wav_reported) {
        e->wav_reported = true;
        e->rc = -1;
    }
}

static void
speech_espeak_wav_begin(struct speech_espeak *e)
{
    if (e->wav_dir == NULL)
        return;
    free(e->wav_path);
    e->wav_path = xasprintf("%s/%06" PRIu64 "-%s.wav", e->wav_dir,
                            e->u->first_span, e->u->lang);
    e->wav_samples = 0;
    e->wav = fopen(e->wav_path, "wbe");
    if (e->wav == NULL) {
        speech_espeak_wav_fail(e, "create");
        return;
    }
    unsigned char h[44];
    speech_espeak_wav_header(h, e->sample_rate, 0);
    if (fwrite(h, sizeof h, 1, e->wav) != 1)
        speech_espeak_wav_fail(e, "write");
}

static void
speech_espeak_wav_write(struct speech_espeak *e, const short *s, int n)
{
    unsigned char buf[1024];
    while (e->wav != NULL && n > 0) {
        int k = n < (int)(sizeof buf / 2) ? n : (int)(sizeof buf / 2);
        for (int i = 0; i < k; i++)
            speech_espeak_put_le(buf + (size_t)2 * i, (uint16_t)s[i], 2);
        if (fwrite(buf, 2, (size_t)k, e->wav) != (size_t)k) {
            speech_espeak_wav_fail(e, "write");
            return;
        }
        e->wav_samples += (uint32_t)k;
        s += k;
        n -= k;
    }
    /* The file holds what reached the sink so far (the kiosk benchmark
     * times the first sample of an answer by it): one write per chunk of
     * about 20 ms. */
    if (e->wav != NULL && fflush(e->wav) != 0)
        speech_espeak_wav_fail(e, "write");
}

static void
speech_espeak_wav_end(struct speech_espeak *e)
{
    if (e->wav == NULL)
        return;
    unsigned char h[44];
    speech_espeak_wav_header(h, e->sample_rate, e->wav_samples);
    if (fseek(e->wav, 0, SEEK_SET) != 0 ||
        fwrite(h, sizeof h, 1, e->wav) != 1) {
        speech_espeak_wav_fail(e, "finish");
        return;
    }
    FILE *f = e->wav;
    e->wav = NULL;
    if (fclose(f) != 0) {
        speech_espeak_wav_fail(e, "close");
        return;
    }
    speech_espeak_set_state(e, false, true, NULL);
}

float
speech_espeak_gain(int level)
{
    return (float)pow(10.0, speech_volume_gain_db(level) / 20.0);
}

/* Multiplies the N samples IN by GAIN into OUT, in floating point, rounded
 * to the nearest sample; a result beyond the 16-bit range is held at its
 * end (never reached with SPEECH_ESPEAK_AMPLITUDE's headroom, but a
 * wrapped sample would be a loud click). */
static void
speech_espeak_scale(float gain, const short *in, short *out, int n)
{
    for (int i = 0; i < n; i++) {
        long v = lrintf((float)in[i] * gain);
        out[i] = (short)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

static int speech_espeak_out(struct speech_espeak *e, short *wav, int n);

/* espeak-ng's synth callback; USER_DATA of every event is the engine. */
static int
speech_espeak_synth_cb(short *wav, int n, espeak_EVENT *events)
{
    struct speech_espeak *e = events != NULL ? events[0].user_data : NULL;
    if (e == NULL)
        return 1;
    if (atomic_load(e->cancel))
        return 1;
    if (wav == NULL || n <= 0)
        return 0;
    return speech_espeak_out(e, wav, n);
}

/* Hands N samples to the sinks (WAV file, audio device); returns 1 when
 * cancelled. */
static int
speech_espeak_out(struct speech_espeak *e, short *wav, int n)
{
    if (e->first) {
        e->first = false;
        if (e->on_first_audio != NULL)
            e->on_first_audio(e->ctx, e->u->seq);
    }
    short scaled[SPEECH_ESPEAK_SCALE_MAX];
    while (n > 0) {
        int k = n < SPEECH_ESPEAK_SCALE_MAX ? n : SPEECH_ESPEAK_SCALE_MAX;
        speech_espeak_scale(e->gain, wav, scaled, k);
        speech_espeak_wav_write(e, scaled, k);
        if (speech_espeak_audio_write(e, scaled, k) != 0)
            return 1;
        wav += k;
        n -= k;
    }
    return atomic_load(e->cancel) ? 1 : 0;
}

static char *speech_espeak_status_text(espeak_ng_STATUS st);

/* espeak-ng refused a voice, a parameter or the text: the utterance is
 * lost, which the staff must hear about like a silent device. */
static void
speech_espeak_synth_fail(struct speech_espeak *e, espeak_ng_STATUS st)
{
    char *msg = speech_espeak_status_text(st);
    speech_espeak_set_state(e, true, false,
                            xasprintf("espeak-ng cannot speak: %s", msg));
    free(msg);
    e->rc = -1;
}

static size_t
speech_espeak_lang_index(const char *lang)
{
    for (size_t i = 0; i < 3; i++)
        if (strcmp(lang, speech_espeak_langs[i]) == 0)
            return i;
    return 2;
}

/* Loads the voice of language index LI unless it is loaded, and writes the
 * language of the voice espeak-ng then has into VOICE (SPEECH_VOICE_MAX
 * bytes): what it reports, not what was asked for. */
static espeak_ng_STATUS
speech_espeak_voice(struct speech_espeak *e, size_t li, char *voice)
{
    espeak_ng_STATUS st = ENS_OK;
    if (strcmp(e->voice, speech_espeak_langs[li]) != 0) {
        e->voice[0] = '\0';
        st = espeak_ng_SetVoiceByName(speech_espeak_langs[li]);
        if (st != ENS_OK)
            return st;
        snprintf(e->voice, sizeof e->voice, "%s", speech_espeak_langs[li]);
    }
    /* languages is a list of (priority byte, name, NUL), the first is the
     * voice's own language. */
    const espeak_VOICE *v = espeak_GetCurrentVoice();
    if (v != NULL && v->languages != NULL && v->languages[0] != '\0')
        snprintf(voice, SPEECH_VOICE_MAX, "%s", v->languages + 1);
    else
        snprintf(voice, SPEECH_VOICE_MAX, "?");
    return ENS_OK;
}

/* Sets rate, word gap, amplitude and punctuation for U. The amplitude is
 * always SPEECH_ESPEAK_AMPLITUDE: the volume level is our gain. */
static espeak_ng_STATUS
speech_espeak_params(const struct speech_utterance *u)
{
    int wpm, gap;
    speech_espeak_rate(u->rate, &wpm, &gap);
    espeak_ng_STATUS st = espeak_ng_SetParameter(espeakRATE, wpm, 0);
    if (st == ENS_OK)
        st = espeak_ng_SetParameter(espeakWORDGAP, gap, 0);
    if (st == ENS_OK)
        st = espeak_ng_SetParameter(espeakVOLUME, SPEECH_ESPEAK_AMPLITUDE, 0);
    if (st == ENS_OK) {
        /* espeak-ng 1.51 applies the punctuation setting but returns
         * EINVAL for it; only other failures count. */
        espeak_ng_STATUS p = espeak_ng_SetParameter(espeakPUNCTUATION,
                                                    espeakPUNCT_NONE, 0);
        if (p != ENS_OK && p != (espeak_ng_STATUS)EINVAL)
            st = p;
    }
    return st;
}

/* The chime: two notes (E6, then C6), 180 ms each with soft edges, through
 * the same sinks as speech, so the utterance's volume level (its gain)
 * applies to it as to the words. */
static void
speech_espeak_chime(struct speech_espeak *e)
{
    static const double notes[] = {1318.5, 1046.5};
    int rate = e->sample_rate > 0 ? e->sample_rate : 22050;
    int len = rate * 180 / 1000, edge = rate * 15 / 1000;
    const double amp = 8000.0; /* about espeak-ng's peak at its amplitude */
    short chunk[512];
    for (size_t note = 0; note < 2; note++) {
        for (int at = 0; at < len;) {
            int n = len - at < 512 ? len - at : 512;
            for (int i = 0; i < n; i++) {
                int k = at + i;
                double env = k < edge         ? (double)k / edge
                             : k > len - edge ? (double)(len - k) / edge
                                              : 1.0;
                chunk[i] = (short)(amp * env *
                                   sin(2 * M_PI * notes[note] * k / rate));
            }
            if (speech_espeak_out(e, chunk, n) != 0)
                return;
            at += n;
        }
    }
}

/* One synthesis call per span, each after loading the span's voice (a
 * voice switch costs about 2 ms; docs/speech.md compares this with SSML).
 * Only the last span ends with a sentence pause, so that a name inside a
 * sentence is not set apart by pauses. The parameters are set again after
 * each voice switch, which resets them. */
static int
speech_espeak_speak(void *self, struct speech_utterance *u,
                    const atomic_int *cancel)
{
    struct speech_espeak *e = self;
    e->u = u;
    e->cancel = cancel;
    e->first = true;
    e->rc = 0;
    e->gain = speech_espeak_gain(u->volume);

    speech_espeak_audio_begin(e);
    speech_espeak_wav_begin(e);
    espeak_ng_STATUS st = ENS_OK;
    for (size_t i = 0; i < u->n_spans && st == ENS_OK; i++) {
        struct speech_span *sp = &u->spans[i];
        if (atomic_load(cancel))
            break;
        if (strcmp(sp->lang, SPEECH_CHIME) == 0) {
            snprintf(sp->voice, sizeof sp->voice, "%s", SPEECH_CHIME);
            speech_espeak_chime(e);
            continue;
        }
        size_t li = speech_espeak_lang_index(sp->lang);
        st = speech_espeak_voice(e, li, sp->voice);
        if (st == ENS_OK)
            st = speech_espeak_params(u);
        if (st != ENS_OK)
            break;
        char *text = lexicon_apply(e->lexicon[li], sp->text);
        unsigned int flags = espeakCHARS_UTF8;
        if (i + 1 == u->n_spans)
            flags |= espeakENDPAUSE;
        st = espeak_ng_Synthesize(text, strlen(text) + 1, 0, POS_CHARACTER, 0,
                                  flags, NULL, e);
        free(text);
    }
    if (st != ENS_OK && st != ENS_SPEECH_STOPPED)
        speech_espeak_synth_fail(e, st);
    speech_espeak_audio_end(e);
    speech_espeak_wav_end(e);
    e->u = NULL;
    e->cancel = NULL;
    return e->rc;
}

static void
speech_espeak_free(void *self)
{
    struct speech_espeak *e = self;
    if (e == NULL)
        return;
    if (e->pcm != NULL)
        snd_pcm_close(e->pcm);
    /* Never open here (speak() ends every file it begins); if it were, the
     * file would be unfinished anyway, with no one left to tell. */
    if (e->wav != NULL)
        (void)fclose(e->wav);
    for (size_t i = 0; i < 3; i++)
        lexicon_free(e->lexicon[i]);
    free(e->wav_dir);
    free(e->wav_path);
    free(e->alsa_device);
    free(e->audio_why);
    free(e->wav_why);
    pthread_mutex_destroy(&e->lock);
    free(e);
    pthread_mutex_lock(&speech_espeak_global);
    speech_espeak_in_use = false;
    pthread_mutex_unlock(&speech_espeak_global);
}

static const struct speech_engine_ops speech_espeak_ops = {
    .name = "espeak",
    .speak = speech_espeak_speak,
    .free = speech_espeak_free,
};

static char *
speech_espeak_status_text(espeak_ng_STATUS st)
{
    char buf[512];
    espeak_ng_GetStatusCodeMessage(st, buf, sizeof buf);
    return xstrdup(buf);
}

/* Starts espeak-ng once per process and claims it for one engine; returns
 * 0 or -1 with *why. Called with speech_espeak_global held. */
static int
speech_espeak_claim(const char *data_path, int *sample_rate, char **why)
{
    if (speech_espeak_in_use) {
        *why = xstrdup("another espeak-ng speech engine is already running "
                       "in this process");
        return -1;
    }
    if (speech_espeak_initialised) {
        const char *was = speech_espeak_initialised_path;
        if ((was == NULL) != (data_path == NULL) ||
            (was != NULL && strcmp(was, data_path) != 0)) {
            *why = xasprintf("espeak-ng was already started with the data "
                             "in %s",
                             was != NULL ? was : "its default folder");
            return -1;
        }
    } else {
        espeak_ng_InitializePath(data_path);
        espeak_ng_ERROR_CONTEXT ctx = NULL;
        espeak_ng_STATUS st = espeak_ng_Initialize(&ctx);
        espeak_ng_ClearErrorContext(&ctx);
        if (st == ENS_OK)
            st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS,
                                            SPEECH_ESPEAK_CHUNK_MS, NULL);
        if (st != ENS_OK) {
            char *msg = speech_espeak_status_text(st);
            *why = xasprintf("cannot start espeak-ng (data: %s): %s",
                             data_path != NULL ? data_path : "default", msg);
            free(msg);
            return -1;
        }
        speech_espeak_initialised = true;
        speech_espeak_initialised_path = data_path != NULL ? xstrdup(data_path)
                                                           : NULL;
    }
    for (size_t i = 0; i < 3; i++) {
        espeak_ng_STATUS st = espeak_ng_SetVoiceByName(speech_espeak_langs[i]);
        if (st != ENS_OK) {
            char *msg = speech_espeak_status_text(st);
            *why = xasprintf("espeak-ng has no usable voice \"%s\" (is "
                             "espeak-ng-data installed?): %s",
                             speech_espeak_langs[i], msg);
            free(msg);
            return -1;
        }
    }
    espeak_SetSynthCallback(speech_espeak_synth_cb);
    *sample_rate = espeak_ng_GetSampleRate();
    speech_espeak_in_use = true;
    return 0;
}

int
speech_espeak_engine_new(const struct speech_espeak_options *opt,
                         struct speech_engine *engine, char **why)
{
    struct speech_espeak *e = xcalloc(1, sizeof *e);
    pthread_mutex_init(&e->lock, NULL);
    e->audio = opt->audio;
    e->alsa_device = xstrdup(opt->alsa_device != NULL ? opt->alsa_device
                                                      : "default");
    e->wav_dir = opt->wav_dir != NULL ? xstrdup(opt->wav_dir) : NULL;
    e->on_first_audio = opt->on_first_audio;
    e->ctx = opt->ctx;
    e->wav_ok = true;

    if (opt->lexicon_dir != NULL) {
        for (size_t i = 0; i < 3; i++) {
            char *path = xasprintf("%s/%s.txt", opt->lexicon_dir,
                                   speech_espeak_langs[i]);
            e->lexicon[i] = lexicon_new();
            int rc = lexicon_load_file(e->lexicon[i], path, why);
            free(path);
            if (rc != 0)
                goto fail;
        }
    }
    if (e->wav_dir != NULL) {
        struct stat st;
        if (stat(e->wav_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
            access(e->wav_dir, W_OK | X_OK) != 0) {
            *why = xasprintf("the WAV folder %s is not a writable folder",
                             e->wav_dir);
            goto fail;
        }
    }

    pthread_mutex_lock(&speech_espeak_global);
    int rc = speech_espeak_claim(opt->data_path, &e->sample_rate, why);
    pthread_mutex_unlock(&speech_espeak_global);
    if (rc != 0)
        goto fail;
    /* Nothing below fails: FAIL never has espeak-ng's claim to undo. */
    snprintf(e->voice, sizeof e->voice, "%s", speech_espeak_langs[2]);

    if (e->audio) {
        snd_lib_error_set_handler(speech_espeak_alsa_quiet);
        char *reason = NULL;
        if (speech_espeak_audio_open(e, &reason) == 0) {
            e->audio_ok = true;
        } else {
            e->audio_why = reason;
            e->next_open_ns = speech_espeak_now_ns() + SPEECH_ESPEAK_REOPEN_NS;
        }
    } else {
        e->audio_why = xstrdup("audio output is off");
    }
    *engine = (struct speech_engine){.ops = &speech_espeak_ops, .self = e};
    return 0;

fail:
    for (size_t i = 0; i < 3; i++)
        lexicon_free(e->lexicon[i]);
    free(e->wav_dir);
    free(e->alsa_device);
    pthread_mutex_destroy(&e->lock);
    free(e);
    return -1;
}

static bool
speech_espeak_state(struct speech_engine engine, bool audio, char **why)
{
    if (engine.ops != &speech_espeak_ops) {
        if (why != NULL)
            *why = xstrdup("the speech engine is not espeak-ng");
        return false;
    }
    struct speech_espeak *e = engine.self;
    pthread_mutex_lock(&e->lock);
    bool ok = audio ? e->audio_ok : e->wav_ok;
    const char *reason = audio ? e->audio_why : e->wav_why;
    if (!ok && why != NULL)
        *why = xstrdup(reason != NULL ? reason : "unknown");
    pthread_mutex_unlock(&e->lock);
    return ok;
}

bool
speech_espeak_audio_ok(struct speech_engine engine, char **why)
{
    return speech_espeak_state(engine, true, why);
}

bool
speech_espeak_wav_ok(struct speech_engine engine, char **why)
{
    return speech_espeak_state(engine, false, why);
}
