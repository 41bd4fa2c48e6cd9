/*
 * The espeak-ng engine through the real speech queue, with WAV files as
 * the sink: Kazakh and Russian speech is produced and audible, the rate
 * changes the length, the eleven volume levels are 8 dB apart without
 * clipping, barge-in stops synthesis within
 * 20 ms and leaves a shorter file, the lexicon is applied, a missing
 * audio device is reported once without stopping speech, and each span
 * of an utterance is spoken with the voice of its own language, as the
 * engine reports in the speech log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dirent.h>
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "accessibility/speech.h"
#include "accessibility/speech_espeak.h"
#include "tests/unit/unit.h"

#define KK_SENTENCE "Сәлеметсіз бе. Тізімнен үміткерді таңдаңыз."
#define RU_SENTENCE "Здравствуйте. Выберите кандидата из списка."

struct wav_info {
    bool valid;
    double seconds;
    double rms;
    int peak; /* the largest magnitude of a sample */
    size_t bytes;
};

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint32_t
le(const unsigned char *p, int n)
{
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static struct wav_info
read_wav(const char *path)
{
    struct wav_info w = {0};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return w;
    unsigned char h[44];
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (size < 44 || fread(h, 44, 1, f) != 1) {
        fclose(f);
        return w;
    }
    uint32_t data = le(h + 40, 4);
    w.valid = memcmp(h, "RIFF", 4) == 0 && le(h + 4, 4) == 36 + data &&
              memcmp(h + 8, "WAVEfmt ", 8) == 0 && le(h + 16, 4) == 16 &&
              le(h + 20, 2) == 1 && le(h + 22, 2) == 1 &&
              le(h + 24, 4) == 22050 && le(h + 28, 4) == 44100 &&
              le(h + 32, 2) == 2 && le(h + 34, 2) == 16 &&
              memcmp(h + 36, "data", 4) == 0 && (long)data == size - 44;
    w.bytes = data;
    double sum = 0;
    unsigned char s[2];
    size_t n = 0;
    while (fread(s, 2, 1, f) == 1) {
        int16_t v = (int16_t)le(s, 2);
        sum += (double)v * v;
        if (abs(v) > w.peak)
            w.peak = abs(v);
        n++;
    }
    fclose(f);
    w.seconds = n / 22050.0;
    w.rms = n > 0 ? sqrt(sum / n) : 0;
    return w;
}

struct fixture {
    char dir[64];
    struct speech *sp;
    struct speech_engine engine;
    atomic_int first_audio; /* seq of the last utterance that started */
};

static void
on_first_audio(void *ctx, uint64_t seq)
{
    struct fixture *fx = ctx;
    atomic_store(&fx->first_audio, (int)seq);
}

static void
start(struct fixture *fx, const char *lexicon_dir, bool audio,
      const char *device)
{
    snprintf(fx->dir, sizeof fx->dir, "/tmp/dauys-espeak-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    atomic_init(&fx->first_audio, 0);
    struct speech_espeak_options opt = {
        .wav_dir = fx->dir,
        .audio = audio,
        .alsa_device = device,
        .lexicon_dir = lexicon_dir,
        .on_first_audio = on_first_audio,
        .ctx = fx,
    };
    char *why = NULL;
    if (speech_espeak_engine_new(&opt, &fx->engine, &why) != 0)
        fail_msg("engine: %s", why);
    fx->sp = speech_new(fx->engine, NULL, &why);
    if (fx->sp == NULL)
        fail_msg("speech: %s", why);
    assert_string_equal(speech_engine_name(fx->sp), "espeak");
    /* The loudest level, so that the audibility checks have room. */
    speech_set_volume(fx->sp, SPEECH_VOLUME_MAX);
}

static void
wait_idle(struct fixture *fx)
{
    double t0 = now_ms();
    while (!speech_idle(fx->sp)) {
        assert_true(now_ms() - t0 < 30000);
        usleep(1000);
    }
}

static char *
wav_path(struct fixture *fx, int seq, const char *lang)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%06d-%s.wav", fx->dir, seq, lang);
    return path;
}

/*
 * Says TEXT in LANG three times on a fresh fixture, calling SET with V[i]
 * (a rate or a volume) before the i-th time, waits until all is said and
 * fills OUT with the three recordings, in order.
 */
static void
say_three(struct fixture *fx, void (*set)(struct speech *, int), const int v[3],
          const char *lang, const char *text, struct wav_info out[3])
{
    for (int i = 0; i < 3; i++) {
        set(fx->sp, v[i]);
        speech_say(fx->sp, lang, text);
    }
    wait_idle(fx);
    for (int i = 0; i < 3; i++)
        out[i] = read_wav(wav_path(fx, i + 1, lang));
}

static void
finish(struct fixture *fx)
{
    speech_free(fx->sp);
    DIR *d = opendir(fx->dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", fx->dir, de->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(fx->dir);
}

/* The chime: a span in SPEECH_CHIME is two notes, about 0.36 s of clear
 * sound, written to the same sinks as speech; a sentence after it in the
 * same utterance is spoken after it. */
static void
test_chime(void **state)
{
    (void)state;
    struct fixture fx;
    start(&fx, NULL, false, NULL);
    speech_say(fx.sp, SPEECH_CHIME, "♪");
    const struct speech_part parts[] = {{SPEECH_CHIME, "♪"},
                                        {"kk", KK_SENTENCE}};
    speech_say_spans(fx.sp, parts, 2);
    wait_idle(&fx);
    struct wav_info chime = read_wav(wav_path(&fx, 1, SPEECH_CHIME));
    assert_true(chime.valid);
    assert_true(chime.seconds > 0.3 && chime.seconds < 0.45);
    assert_true(chime.rms > 1000);
    struct wav_info both = read_wav(wav_path(&fx, 2, SPEECH_CHIME));
    assert_true(both.valid);
    assert_true(both.seconds > chime.seconds + 0.5);
    finish(&fx);
}

static void
test_kazakh_and_russian_are_spoken(void **state)
{
    (void)state;
    struct fixture fx;
    start(&fx, NULL, false, NULL);
    speech_say(fx.sp, "kk", KK_SENTENCE);
    speech_say(fx.sp, "ru", RU_SENTENCE);
    wait_idle(&fx);
    struct wav_info kk = read_wav(wav_path(&fx, 1, "kk"));
    struct wav_info ru = read_wav(wav_path(&fx, 2, "ru"));
    assert_true(kk.valid);
    assert_true(ru.valid);
    assert_true(kk.seconds > 0.5 && kk.seconds < 10);
    assert_true(ru.seconds > 0.5 && ru.seconds < 10);
    assert_true(kk.rms > 300);
    assert_true(ru.rms > 300);
    assert_int_equal(atomic_load(&fx.first_audio), 2);
    assert_true(speech_espeak_wav_ok(fx.engine, NULL));
    char *why = NULL;
    assert_false(speech_espeak_audio_ok(fx.engine, &why));
    assert_non_null(why);
    free(why);
    assert_int_equal(speech_take_events(fx.sp) &
                         (1u << SPEECH_EVENT_AUDIO_ERROR),
                     0);
    finish(&fx);
}

static void
test_rate_changes_length(void **state)
{
    (void)state;
    struct fixture fx;
    struct wav_info w[3];
    start(&fx, NULL, false, NULL);
    say_three(&fx, speech_set_rate, (const int[3]){50, 100, 200}, "kk",
              KK_SENTENCE, w);
    double slow = w[0].seconds, normal = w[1].seconds, fast = w[2].seconds;
    /* Each step doubles the rate: about half the length, allowing for the
     * pauses espeak-ng keeps at sentence ends. */
    assert_true(fast < normal * 0.7);
    assert_true(normal < slow * 0.7);
    assert_true(fast < slow * 0.4);
    finish(&fx);

    int wpm, gap;
    speech_espeak_rate(100, &wpm, &gap);
    assert_int_equal(wpm, SPEECH_ESPEAK_WPM_NORMAL);
    assert_int_equal(gap, 0);
    speech_espeak_rate(200, &wpm, &gap);
    assert_int_equal(wpm, 2 * SPEECH_ESPEAK_WPM_NORMAL);
    speech_espeak_rate(50, &wpm, &gap);
    assert_int_equal(wpm, 80);
    assert_true(gap > 0);
    speech_espeak_rate(10, &wpm, &gap);
    assert_int_equal(wpm, 80);
}

/* The same utterance at each volume level, 0..10 (VVSG 2.0 7.1-K): the
 * levels are 8 dB apart in RMS (within 1 dB for the upper six steps, where
 * 16-bit samples are precise enough to tell), the loudest never reaches
 * full scale, and the quietest is not silence. */
static void
test_volume_levels_8db_apart(void **state)
{
    (void)state;
    struct fixture fx;
    struct wav_info w[SPEECH_VOLUME_MAX + 1];
    start(&fx, NULL, false, NULL);
    for (int level = 0; level <= SPEECH_VOLUME_MAX; level++) {
        speech_set_volume(fx.sp, level);
        speech_say(fx.sp, "ru", RU_SENTENCE);
    }
    wait_idle(&fx);
    for (int level = 0; level <= SPEECH_VOLUME_MAX; level++) {
        w[level] = read_wav(wav_path(&fx, level + 1, "ru"));
        assert_true(w[level].valid);
        /* The same speech (espeak-ng's length varies by a few ms). */
        assert_true(fabs((double)w[level].bytes - (double)w[0].bytes) <
                    0.02 * (double)w[0].bytes);
    }
    for (int level = 1; level <= SPEECH_VOLUME_MAX; level++) {
        double step = 20 * log10(w[level].rms / w[level - 1].rms);
        print_message("volume %d -> %d: %+.2f dB (RMS %.1f, peak %d)\n",
                      level - 1, level, step, w[level].rms, w[level].peak);
        if (level > SPEECH_VOLUME_MAX - 6 && fabs(step - 8) > 1)
            fail_msg("volume %d -> %d is %.2f dB apart, not 8 +- 1", level - 1,
                     level, step);
    }
    /* Below 0 dBFS with 1 dB to spare: espeak-ng's own clipping (from its
     * amplitude 140) holds peaks just under full scale, at 32575. */
    if (w[SPEECH_VOLUME_MAX].peak >= 29205)
        fail_msg("level 10 peaks at %d of 32767: clipped or no headroom",
                 w[SPEECH_VOLUME_MAX].peak);
    assert_true(w[0].peak > 0);
    assert_true(w[0].rms > 0);
    /* The calibration figures of docs/speech.md. */
    assert_true(fabs(speech_volume_gain_db(SPEECH_VOLUME_MAX)) < 1e-9);
    assert_true(fabs(speech_volume_gain_db(0) + 80) < 1e-9);
    assert_int_equal(speech_volume_spl(0), 20);
    assert_int_equal(speech_volume_spl(SPEECH_VOLUME_DEFAULT), 60);
    assert_int_equal(speech_volume_spl(SPEECH_VOLUME_MAX), 100);
    finish(&fx);
}

static void
test_barge_in_stops_within_20ms(void **state)
{
    (void)state;
    char *text = malloc(90 * sizeof KK_SENTENCE);
    text[0] = '\0';
    for (int i = 0; i < 80; i++)
        strcat(strcat(text, KK_SENTENCE), " ");
    struct fixture fx;
    start(&fx, NULL, false, NULL);
    speech_say(fx.sp, "kk", text);
    double t0 = now_ms();
    while (atomic_load(&fx.first_audio) != 1) {
        assert_true(now_ms() - t0 < 5000);
        usleep(200);
    }
    usleep(20000);
    assert_false(speech_idle(fx.sp));
    double stop = now_ms();
    speech_stop(fx.sp);
    while (!speech_idle(fx.sp))
        usleep(100);
    double took = now_ms() - stop;
    if (took > 20)
        fail_msg("barge-in took %.1f ms", took);

    speech_say(fx.sp, "kk", text);
    wait_idle(&fx);
    struct wav_info cut = read_wav(wav_path(&fx, 1, "kk"));
    struct wav_info full = read_wav(wav_path(&fx, 2, "kk"));
    assert_true(cut.valid);
    assert_true(full.valid);
    assert_true(cut.seconds > 0);
    assert_true(full.seconds > 30);
    assert_true(cut.seconds < full.seconds * 0.8);
    finish(&fx);
    free(text);
}

static void
test_lexicon_applied(void **state)
{
    (void)state;
    struct fixture fx;
    start(&fx, "data/lexicon", false, NULL);
    speech_say(fx.sp, "kk", "ЦИК");
    speech_say(fx.sp, "kk", "цэ-и-ка");
    speech_say(fx.sp, "kk", "цик");
    wait_idle(&fx);
    struct wav_info a = read_wav(wav_path(&fx, 1, "kk"));
    struct wav_info b = read_wav(wav_path(&fx, 2, "kk"));
    struct wav_info lower = read_wav(wav_path(&fx, 3, "kk"));
    /* espeak-ng carries a little state from one utterance to the next, so
     * the same text differs by a few samples: compare lengths. */
    assert_true(a.valid && a.bytes > 0);
    assert_true(fabs(a.seconds - b.seconds) < 0.03 * b.seconds);
    assert_true(fabs(lower.seconds - b.seconds) < 0.03 * b.seconds);
    finish(&fx);

    /* Without the lexicon, "ЦИК" is read as a word, far shorter. */
    start(&fx, NULL, false, NULL);
    speech_say(fx.sp, "kk", "ЦИК");
    wait_idle(&fx);
    struct wav_info c = read_wav(wav_path(&fx, 1, "kk"));
    assert_true(c.valid);
    assert_true(c.seconds < 0.85 * b.seconds);
    finish(&fx);
}

static void
test_missing_audio_device_reported_once(void **state)
{
    (void)state;
    struct fixture fx;
    start(&fx, NULL, true, "dauys_no_such_device");
    char *why = NULL;
    assert_false(speech_espeak_audio_ok(fx.engine, &why));
    assert_non_null(strstr(why, "dauys_no_such_device"));
    free(why);
    speech_say(fx.sp, "kk", "Бір");
    wait_idle(&fx);
    unsigned ev = speech_take_events(fx.sp);
    assert_true(ev & (1u << SPEECH_EVENT_AUDIO_ERROR));
    speech_say(fx.sp, "ru", "Два");
    wait_idle(&fx);
    ev = speech_take_events(fx.sp);
    assert_false(ev & (1u << SPEECH_EVENT_AUDIO_ERROR));
    assert_true(ev & (1u << SPEECH_EVENT_DONE));
    /* The WAV sink kept working. */
    assert_true(read_wav(wav_path(&fx, 1, "kk")).rms > 300);
    assert_true(read_wav(wav_path(&fx, 2, "ru")).rms > 300);
    finish(&fx);
}

static void
test_alsa_path_with_null_device(void **state)
{
    (void)state;
    struct fixture fx;
    start(&fx, NULL, true, "null");
    char *why = NULL;
    if (!speech_espeak_audio_ok(fx.engine, &why))
        fail_msg("%s", why);
    speech_say(fx.sp, "kk", KK_SENTENCE);
    wait_idle(&fx);
    assert_false(speech_take_events(fx.sp) & (1u << SPEECH_EVENT_AUDIO_ERROR));
    assert_true(speech_espeak_audio_ok(fx.engine, NULL));
    assert_true(read_wav(wav_path(&fx, 1, "kk")).rms > 300);
    finish(&fx);
}

static void
test_bad_options_refused(void **state)
{
    (void)state;
    struct fixture fx;
    start(&fx, NULL, false, NULL);
    struct speech_engine other;
    char *why = NULL;
    struct speech_espeak_options opt = {0};
    assert_int_equal(speech_espeak_engine_new(&opt, &other, &why), -1);
    assert_non_null(strstr(why, "already"));
    free(why);
    finish(&fx);

    why = NULL;
    opt.lexicon_dir = "/nonexistent";
    assert_int_equal(speech_espeak_engine_new(&opt, &other, &why), -1);
    assert_non_null(strstr(why, "/nonexistent/kk.txt"));
    free(why);
    why = NULL;
    opt.lexicon_dir = NULL;
    opt.wav_dir = "/nonexistent/wav";
    assert_int_equal(speech_espeak_engine_new(&opt, &other, &why), -1);
    assert_non_null(strstr(why, "/nonexistent/wav"));
    free(why);

    /* After all that, an engine can still be made. */
    opt.wav_dir = NULL;
    why = NULL;
    assert_int_equal(speech_espeak_engine_new(&opt, &other, &why), 0);
    assert_false(speech_espeak_audio_ok(speech_none_engine(), NULL));
    other.ops->free(other.self);
}

/* The speech log's "voice" lines (without the word "voice"). */
static int
read_voice_lines(const char *log, char lines[][256], int max)
{
    FILE *f = fopen(log, "r");
    assert_non_null(f);
    char buf[1024];
    int n = 0;
    while (fgets(buf, sizeof buf, f) != NULL && n < max)
        if (strncmp(buf, "voice\t", 6) == 0) {
            buf[strcspn(buf, "\n")] = '\0';
            snprintf(lines[n++], 256, "%.200s", buf + 6);
        }
    fclose(f);
    return n;
}

static void
test_each_span_in_its_voice(void **state)
{
    (void)state;
    struct fixture fx;
    snprintf(fx.dir, sizeof fx.dir, "/tmp/dauys-espeak-XXXXXX");
    assert_non_null(mkdtemp(fx.dir));
    char log[128];
    snprintf(log, sizeof log, "%s/speech.log", fx.dir);
    struct speech_espeak_options opt = {.wav_dir = fx.dir};
    char *why = NULL;
    if (speech_espeak_engine_new(&opt, &fx.engine, &why) != 0)
        fail_msg("engine: %s", why);
    fx.sp = speech_new(fx.engine, log, &why);
    assert_non_null(fx.sp);

    const struct speech_part parts[] = {
        {"ru", "Окно 1 из 7: партия «"},
        {"kk", "Болашақ жолы"},
        {"ru", "». Нажмите"},
        {"en", "Enter"},
        {"kk", "немесе 5 пернесін басыңыз."},
    };
    speech_say_spans(fx.sp, parts, 5);
    /* The same language twice running, then another: the voice follows. */
    speech_say(fx.sp, "kk", KK_SENTENCE);
    speech_say(fx.sp, "ru", RU_SENTENCE);
    wait_idle(&fx);

    char lines[10][256];
    int n = read_voice_lines(log, lines, 10);
    assert_int_equal(n, 7);
    const char *const want[] = {"ru", "kk", "ru", "en", "kk", "kk", "ru"};
    for (int i = 0; i < n; i++) {
        /* LANG<TAB>VOICE<TAB>TEXT: the voice's language starts with the
         * span's ("en-gb" for "en"). */
        char lang[8] = "", voice[32] = "";
        assert_int_equal(sscanf(lines[i], "%7[^\t]\t%31[^\t]", lang, voice), 2);
        assert_string_equal(lang, want[i]);
        if (strncmp(voice, lang, 2) != 0 ||
            (voice[2] != '\0' && voice[2] != '-'))
            fail_msg("span %d in %s was spoken with the voice %s", i, lang,
                     voice);
    }
    assert_non_null(strstr(lines[1], "\tБолашақ жолы"));
    /* One WAV file for the utterance of five spans, named by its first
     * span's language, holding all of them. */
    struct wav_info w = read_wav(wav_path(&fx, 1, "ru"));
    assert_true(w.valid);
    assert_true(w.seconds > 2.0);
    finish(&fx);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_kazakh_and_russian_are_spoken),
          cmocka_unit_test(test_chime),
          cmocka_unit_test(test_rate_changes_length),
          cmocka_unit_test(test_volume_levels_8db_apart),
          cmocka_unit_test(test_barge_in_stops_within_20ms),
          cmocka_unit_test(test_lexicon_applied),
          cmocka_unit_test(test_missing_audio_device_reported_once),
          cmocka_unit_test(test_alsa_path_with_null_device),
          cmocka_unit_test(test_bad_options_refused),
          cmocka_unit_test(test_each_span_in_its_voice))
