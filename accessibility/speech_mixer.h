/*
 * The ALSA mixer, set once at start to the calibrated level ([speech]
 * calibration_db, docs/speech.md): at that setting volume level 10 is
 * 100 dB SPL at the headphones, and every other level is a known step of
 * 8 dB below it (accessibility/speech.h). The kiosk never moves the mixer
 * afterwards; the visitor's louder and quieter keys are a gain on the
 * samples.
 */
#ifndef DAUYS_ACCESSIBILITY_SPEECH_MIXER_H
#define DAUYS_ACCESSIBILITY_SPEECH_MIXER_H

/*
 * Sets the playback control of the card of DEVICE (an ALSA PCM name such
 * as "default", "hw:1,0" or "plughw:CARD=Headset,DEV=0"; NULL: "default")
 * to DB decibels, rounded down to the control's next step so that the
 * sound is never louder than calibrated, and unmutes it. The control is the
 * first of Master, PCM, Headphone and Speaker that has a playback volume
 * in dB. Returns 0 and fills *SET (the caller frees) with what was set,
 * e.g. "Master -12.50 dB"; or -1 and fills *WHY (the caller frees) when
 * the mixer cannot be opened, has no such control, or DB is outside the
 * control's range.
 */
int speech_mixer_set_db(const char *device, double db, char **set, char **why);

/*
 * Without a calibration: sets the same control as speech_mixer_set_db() to
 * 0 dB (or, when its range does not reach 0 dB, the end of the range
 * nearest to it) and unmutes it. A card starts muted or at its lowest
 * step until something sets its mixer (an HDA codec does; the appliance
 * restores no mixer state), so a kiosk that left it alone would be silent.
 * Returns and fills *SET or *WHY as speech_mixer_set_db().
 */
int speech_mixer_set_unity(const char *device, char **set, char **why);

#endif
