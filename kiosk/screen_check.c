/*
 * "Check this terminal": the readiness check staff do before voting opens,
 * in four steps, each its own screen handing the result on (a struct
 * report_check, plain data) with fx_replace():
 *
 * 1. Keys. Every key of the active keypad profile is listed; each press
 *    is named (spoken and shown) and ticks it, and when all are ticked the
 *    check goes on by itself. Every key reaches this screen (all_keys), so
 *    the keypad's own Back is ticked like any other, and the answer says
 *    that Back pressed again goes on; so does the keyboard's Escape (a key
 *    that is not on the keypad). The keys not pressed are listed in the
 *    report. Without a keypad this step is skipped.
 * 2. Sound. A chime and one sentence in Kazakh and one in Russian in the
 *    headphones; staff answer whether they heard all three.
 * 3. Printer. A test line (every letter a printer could lose) is printed;
 *    staff answer whether it came out. Without a printer, skipped.
 * 4. Result: what the check found; staff write the opening report (printed
 *    and written as PDF into a folder, kiosk/station.h) or leave.
 *
 * From step 2 on, Escape leaves the check. Nothing here does I/O: the
 * sound, the printout and the report are effects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"
#include "kiosk/report.h"
#include "kiosk/screen.h"

#define CHECK_KEYS_MAX 96

static const char *const check_sentence = N_(
    "This is the readiness check. If you hear this sentence clearly, "
    "speech works in this language.");

static struct screen *check_sound_new(const struct report_check *r);
static struct screen *check_result_new(const struct report_check *r);

/* ---- 1. keys --------------------------------------------------------- */

struct check_keys {
    struct report_check r;
    bool ticked[CHECK_KEYS_MAX];
    const char *last;   /* message id of the last key named */
    bool back_once;     /* the last key was the keypad's Back */
    bool not_on_keypad; /* the last key is not one of the keypad's */
};

/* The distinct key names of the profile, in its order (message ids). */
static size_t
check_key_names(const struct ctx *c, const char **names)
{
    size_t n = 0, count = keyprofile_count(c->keypad);
    for (size_t i = 0; i < count && n < CHECK_KEYS_MAX; i++) {
        unsigned code;
        struct key k = keyprofile_binding(c->keypad, i, &code);
        bool seen = false;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strcmp(names[j], k.name) == 0;
        if (!seen)
            names[n++] = k.name;
    }
    return n;
}

static unsigned
check_keys_pressed(const struct check_keys *k, size_t n)
{
    unsigned pressed = 0;
    for (size_t i = 0; i < n; i++)
        pressed += k->ticked[i];
    return pressed;
}

static void
keys_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct check_keys *k = s->state;
    const char *names[CHECK_KEYS_MAX];
    size_t n = check_key_names(c, names);
    char buf[VIEW_TEXT_MAX], n1[24], n2[24];
    view_title(v, "%s", T(c, "Check this terminal: the keys"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Press every key of the keypad once. Each key is named "
                  "and ticked. To go on before all are pressed, press Back "
                  "twice, or Escape on the keyboard."));
    snprintf(n1, sizeof n1, "%u", check_keys_pressed(k, n));
    snprintf(n2, sizeof n2, "%zu", n);
    const char *a[] = {n1, n2};
    view_add(v, VIEW_TEXT, "%s",
             i18n_format(buf, sizeof buf, T(c, "Keys pressed: {1} of {2}"), 2,
                         a));
    /* Two lists, so that a whole keypad fits on 80x24: the count is
     * read, the lists are shown (each press names its key). */
    for (int done = 0; done < 2; done++) {
        char list[VIEW_TEXT_MAX];
        size_t len = 0;
        list[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (k->ticked[i] != (done == 1))
                continue;
            int w = snprintf(list + len, sizeof list - len, "%s%s",
                             len > 0 ? ", " : "", T(c, names[i]));
            if (w < 0 || (size_t)w >= sizeof list - len)
                break;
            len += (size_t)w;
        }
        if (len == 0)
            continue;
        const char *b[] = {list};
        view_add(v, VIEW_TEXT, "%s",
                 i18n_format(buf, sizeof buf,
                             done ? T(c, "Pressed: {1}")
                                  : T(c, "Still to press: {1}"),
                             1, b))
            ->quiet = true;
    }
    view_hint(v, "%s", T(c, "Any keypad key: tick it   Escape: go on"));
}

/* Fills the result's key fields from the ticks and goes on to the sound. */
static void
keys_done(struct check_keys *k, const struct ctx *c, struct fx_list *fx)
{
    const char *names[CHECK_KEYS_MAX];
    size_t n = check_key_names(c, names);
    k->r.keypad = true;
    k->r.keys_total = (unsigned)n;
    k->r.keys_pressed = check_keys_pressed(k, n);
    size_t len = 0;
    k->r.keys_missing[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (k->ticked[i])
            continue;
        int w = snprintf(k->r.keys_missing + len,
                         sizeof k->r.keys_missing - len, "%s%s",
                         len > 0 ? ", " : "", T(c, names[i]));
        if (w < 0 || (size_t)w >= sizeof k->r.keys_missing - len) {
            /* cut at a whole character, then say there is more */
            size_t end = sizeof k->r.keys_missing - 5;
            while (end > 0 && (k->r.keys_missing[end] & 0xC0) == 0x80)
                end--;
            snprintf(k->r.keys_missing + end, 5, "…");
            break;
        }
        len += (size_t)w;
    }
    fx_audit(fx, "check: keys %u of %u pressed", k->r.keys_pressed,
             k->r.keys_total);
    fx_replace(fx, check_sound_new(&k->r));
}

static void
keys_key(struct screen *s, const struct ctx *c, const struct key *kp,
         struct fx_list *fx)
{
    struct check_keys *k = s->state;
    const char *names[CHECK_KEYS_MAX];
    size_t n = check_key_names(c, names);
    size_t at = n;
    for (size_t i = 0; i < n && at == n; i++)
        if (strcmp(names[i], kp->name) == 0)
            at = i;
    bool back = kp->action == ACTION_BACK || kp->action == ACTION_STAFF;
    if (at == n) {
        /* Not a key of the keypad: the keyboard's Escape goes on. */
        if (back) {
            keys_done(k, c, fx);
            return;
        }
        char buf[VIEW_TEXT_MAX];
        const char *a[] = {T(c, kp->name)};
        fx_say(fx, (int)c->lang,
               i18n_format(buf, sizeof buf,
                           T(c, "{1}: not a key of the keypad."), 1, a));
        k->back_once = false;
        return;
    }
    if (back && k->back_once) {
        keys_done(k, c, fx);
        return;
    }
    k->back_once = back;
    k->ticked[at] = true;
    unsigned pressed = check_keys_pressed(k, n);
    char buf[VIEW_TEXT_MAX], n1[24], n2[24];
    snprintf(n1, sizeof n1, "%u", pressed);
    snprintf(n2, sizeof n2, "%zu", n);
    const char *a[] = {T(c, kp->name), n1, n2};
    i18n_format(buf, sizeof buf, T(c, "{1}. Keys pressed: {2} of {3}."), 3, a);
    if (k->back_once) {
        char more[VIEW_TEXT_MAX];
        const char *b[] = {buf};
        i18n_format(more, sizeof more, T(c, "{1} Press Back again to go on."),
                    1, b);
        fx_say(fx, (int)c->lang, more);
    } else {
        fx_say(fx, (int)c->lang, buf);
    }
    if (pressed == n)
        keys_done(k, c, fx);
}

static const struct screen_ops keys_ops = {
    .name = "check-keys",
    .help = N_("Press every key of the keypad once; each is named and "
               "ticked. Back pressed twice, or Escape on the keyboard, goes "
               "on to the sound check."),
    .staff = true,
    .all_keys = true,
    .view = keys_view,
    .key = keys_key,
};

/* ---- 2. sound -------------------------------------------------------- */

enum sound_option { SOUND_PLAY, SOUND_YES, SOUND_NO };

static const struct menu_item sound_menu[] = {
    {SOUND_PLAY, N_("Play the chime and the sentences")},
    {SOUND_YES, N_("Yes, I heard the chime and both sentences")},
    {SOUND_NO, N_("No, something was missing")},
};

static void
sound_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", T(c, "Check this terminal: the headphones"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Put on the headphones and play the sound: a chime, then "
                  "one sentence in Kazakh and one in Russian. Did you hear "
                  "all three?"));
    SCREEN_MENU(c, v, sound_menu);
    view_hint(v, "%s", T(c, "Enter: choose   Escape: leave the check"));
}

static void
sound_play(const struct ctx *c, struct fx_list *fx)
{
    fx_chime(fx);
    fx_say(fx, LANG_KK, TL(c, LANG_KK, check_sentence));
    fx_say(fx, LANG_RU, TL(c, LANG_RU, check_sentence));
}

static void
sound_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    struct report_check *r = s->state;
    switch ((enum sound_option)id) {
    case SOUND_PLAY:
        sound_play(c, fx);
        return;
    case SOUND_YES:
    case SOUND_NO:
        r->heard = id == SOUND_YES ? REPORT_YES : REPORT_NO;
        fx_audit(fx, "check: sound heard=%s", id == SOUND_YES ? "yes" : "no");
        fx_replace(fx, check_result_new(r));
        return;
    }
}

static const struct screen_ops sound_ops = {
    .name = "check-sound",
    .help = N_("Play the sound in the headphones: a chime and a sentence in "
               "Kazakh and in Russian. Then say whether you heard all three. "
               "Escape leaves the check."),
    .staff = true,
    .view = sound_view,
    .choose = sound_choose,
};

static struct screen *
check_sound_new(const struct report_check *r)
{
    struct report_check *copy = xmalloc(sizeof *copy);
    *copy = *r;
    return screen_new(&sound_ops, copy);
}

/* ---- 3. printer and 4. result ----------------------------------------- */

enum result_option {
    RESULT_PRINT,
    RESULT_PRINTED_YES,
    RESULT_PRINTED_NO,
    RESULT_REPORT,
    RESULT_AGAIN,
};

struct check_result {
    struct report_check r;
    bool sent; /* the test line was sent to the printer */
};

static void
result_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct check_result *k = s->state;
    const struct report_check *r = &k->r;
    char buf[VIEW_TEXT_MAX], n1[24], n2[24];
    view_title(v, "%s", T(c, "Check this terminal: the result"));
    if (r->keypad) {
        snprintf(n1, sizeof n1, "%u", r->keys_pressed);
        snprintf(n2, sizeof n2, "%u", r->keys_total);
        const char *a[] = {n1, n2};
        view_add(v, VIEW_TEXT, "%s",
                 i18n_format(buf, sizeof buf,
                             T(c, "Keypad keys pressed: {1} of {2}"), 2, a));
        if (r->keys_pressed < r->keys_total) {
            const char *b[] = {r->keys_missing};
            view_add(v, VIEW_TEXT, "%s",
                     i18n_format(buf, sizeof buf, T(c, "Keys not pressed: {1}"),
                                 1, b));
        }
    } else {
        view_add(v, VIEW_TEXT, "%s", T(c, "Keypad: no keypad is configured."));
    }
    view_add(v, VIEW_TEXT, "%s",
             r->heard == REPORT_YES ? T(c, "The sound was heard.")
                                    : T(c, "The sound was NOT heard."));
    if (c->election != NULL) {
        char shorth[REPORT_SHORT_HASH + 1], spaced[2 * REPORT_SHORT_HASH];
        report_short_hash(c->election->hash, shorth);
        const char *a[] = {c->election->id, shorth};
        struct view_item *it = view_add(
            v, VIEW_TEXT, "%s",
            i18n_format(buf, sizeof buf, T(c, "Package {1}, hash {2}."), 2, a));
        /* said character by character */
        a[1] = report_spaced(shorth, spaced, sizeof spaced);
        if (it != NULL)
            i18n_format(it->say, sizeof it->say, T(c, "Package {1}, hash {2}."),
                        2, a);
    } else {
        view_add(v, VIEW_TEXT, "%s", T(c, "No package is loaded."));
    }
    view_add(v, VIEW_TEXT, "%s",
             T(c, "Print the printer's test line and say whether it came "
                  "out. Then write the opening report."));
    if (r->printed != REPORT_NOT_ASKED)
        view_add(v, VIEW_TEXT, "%s",
                 r->printed == REPORT_YES
                     ? T(c, "The test line was printed.")
                     : T(c, "The test line was NOT printed."));
    view_option(v, RESULT_PRINT, "%s", T(c, "Print the test line"));
    if (k->sent) {
        view_option(v, RESULT_PRINTED_YES, "%s",
                    T(c, "Yes, the test line came out"));
        view_option(v, RESULT_PRINTED_NO, "%s",
                    T(c, "No, the test line did not come out"));
    }
    view_option(v, RESULT_REPORT, "%s", T(c, "Write the opening report"));
    view_option(v, RESULT_AGAIN, "%s", T(c, "Start the check again"));
    view_hint(v, "%s", T(c, "Enter: choose   Escape: leave the check"));
}

static void
result_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    struct check_result *k = s->state;
    switch ((enum result_option)id) {
    case RESULT_PRINT:
        k->sent = true;
        fx_add(fx, FX_PRINT_TEST);
        fx_focus(fx, RESULT_PRINTED_YES);
        return;
    case RESULT_PRINTED_YES:
    case RESULT_PRINTED_NO:
        k->r.printed = id == RESULT_PRINTED_YES ? REPORT_YES : REPORT_NO;
        fx_audit(fx, "check: test line printed=%s",
                 id == RESULT_PRINTED_YES ? "yes" : "no");
        fx_focus(fx, RESULT_REPORT);
        return;
    case RESULT_REPORT:
        fx_push(fx, screen_station_report_path_new(REPORT_OPENING, &k->r));
        return;
    case RESULT_AGAIN:
        fx_replace(fx, screen_check_new(c));
        return;
    }
}

static const struct screen_ops result_ops = {
    .name = "check-result",
    .help = N_("The result of the check. Print the printer's test line and "
               "say whether it came out, then write the opening report: it "
               "is printed and written as PDF into a folder."),
    .staff = true,
    .view = result_view,
    .choose = result_choose,
};

static struct screen *
check_result_new(const struct report_check *r)
{
    struct check_result *k = xcalloc(1, sizeof *k);
    k->r = *r;
    return screen_new(&result_ops, k);
}

struct screen *
screen_check_new(const struct ctx *c)
{
    if (keyprofile_count(c->keypad) == 0) {
        struct report_check r = {.keypad = false};
        return check_sound_new(&r);
    }
    return screen_new(&keys_ops, xcalloc(1, sizeof(struct check_keys)));
}
