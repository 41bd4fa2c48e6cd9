/*
 * The mixer of the card that plays speech, set to a calibrated level.
 *
 * The mixer is opened, set and closed again at once: nothing holds it
 * open while the kiosk runs. The card's control is found by name (the
 * usual names of USB headsets and on-board codecs, in order), and set in
 * dB through the card's own dB table, so that the same calibration_db
 * gives the same sound on the same model of card and headphones.
 */
#include "accessibility/speech_mixer.h"

#include <alsa/asoundlib.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "accessibility/xalloc.h"

static const char *const speech_mixer_controls[] = {"Master", "PCM",
                                                    "Headphone", "Speaker"};

/* The control device of the card of the PCM name DEVICE: "hw:N" for
 * "hw:N,D" and "plughw:N,D", DEVICE itself otherwise ("default"). */
static char *
speech_mixer_card(const char *device)
{
    const char *colon = strchr(device, ':');
    if (colon != NULL && (strncmp(device, "hw:", 3) == 0 ||
                          strncmp(device, "plughw:", 7) == 0)) {
        size_t n = strcspn(colon + 1, ",");
        return xasprintf("hw:%.*s", (int)n, colon + 1);
    }
    return xstrdup(device);
}

/* Sets the control to DB (held within the control's range when NEAREST,
 * else refused outside it) and unmutes it; speech_mixer_set_db() and
 * speech_mixer_set_unity(). */
static int
speech_mixer_set(const char *device, double db, bool nearest, char **set,
                 char **why)
{
    snd_mixer_t *m = NULL;
    snd_mixer_selem_id_t *id = NULL;
    char *card = speech_mixer_card(device != NULL ? device : "default");
    int rc = -1;
    int r = snd_mixer_open(&m, 0);
    if (r < 0 || (r = snd_mixer_attach(m, card)) < 0 ||
        (r = snd_mixer_selem_register(m, NULL, NULL)) < 0 ||
        (r = snd_mixer_load(m)) < 0 ||
        (r = snd_mixer_selem_id_malloc(&id)) < 0) {
        *why = xasprintf("cannot open the mixer of \"%s\": %s", card,
                         snd_strerror(r));
        goto out;
    }
    for (size_t i = 0;
         i < sizeof speech_mixer_controls / sizeof speech_mixer_controls[0];
         i++) {
        snd_mixer_selem_id_set_index(id, 0);
        snd_mixer_selem_id_set_name(id, speech_mixer_controls[i]);
        snd_mixer_elem_t *el = snd_mixer_find_selem(m, id);
        long lo, hi;
        if (el == NULL || !snd_mixer_selem_has_playback_volume(el) ||
            snd_mixer_selem_get_playback_dB_range(el, &lo, &hi) < 0 || lo >= hi)
            continue;
        long want = lround(db * 100.0);
        if (nearest)
            want = want < lo ? lo : want > hi ? hi : want;
        if (want < lo || want > hi) {
            *why = xasprintf("calibration_db %.2f is outside the range of "
                             "the %s control of \"%s\", %.2f to %.2f dB",
                             db, speech_mixer_controls[i], card,
                             (double)lo / 100.0, (double)hi / 100.0);
            goto out;
        }
        r = snd_mixer_selem_set_playback_dB_all(el, want, -1);
        if (r >= 0 && snd_mixer_selem_has_playback_switch(el))
            r = snd_mixer_selem_set_playback_switch_all(el, 1);
        long got = want;
        if (r >= 0)
            r = snd_mixer_selem_get_playback_dB(el, SND_MIXER_SCHN_MONO, &got);
        if (r < 0) {
            *why = xasprintf("cannot set the %s control of \"%s\": %s",
                             speech_mixer_controls[i], card, snd_strerror(r));
            goto out;
        }
        *set = xasprintf("%s %.2f dB", speech_mixer_controls[i],
                         (double)got / 100.0);
        rc = 0;
        goto out;
    }
    *why = xasprintf("the mixer of \"%s\" has no playback control in dB "
                     "(Master, PCM, Headphone or Speaker)",
                     card);

out:
    if (id != NULL)
        snd_mixer_selem_id_free(id);
    if (m != NULL)
        snd_mixer_close(m);
    free(card);
    return rc;
}

int
speech_mixer_set_db(const char *device, double db, char **set, char **why)
{
    return speech_mixer_set(device, db, false, set, why);
}

int
speech_mixer_set_unity(const char *device, char **set, char **why)
{
    return speech_mixer_set(device, 0.0, true, set, why);
}
