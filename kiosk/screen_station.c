/*
 * Staff screens for the election (the polling station): a menu, the
 * package information (id, date, ballots, the test flag, the hash in
 * groups of four, read aloud on request, and its QR code), opening and
 * closing voting assistance, a speech test in Kazakh and Russian, and a
 * one-line text field (an entry, kiosk/entry.h) for the directories to load
 * a package from and to write stencils into. Menus are options by id; Back
 * is the app's. Loading and writing are I/O: these screens only ask for
 * them with effects (kiosk/station.h carries them out). Every staff action
 * goes to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "kiosk/entry.h"
#include "kiosk/media.h"
#include "kiosk/qrtext.h"
#include "kiosk/report.h"
#include "kiosk/screen.h"

/* ---- the menu ------------------------------------------------------- */

enum station_option {
    STATION_LOAD,
    STATION_INFO,
    STATION_VOTING,
    STATION_SPEECH,
    STATION_STENCILS,
};

static void
smenu_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", T(c, "Election package and voting"));
    if (c->election == NULL)
        view_add(v, VIEW_TEXT, "%s", T(c, "No package is loaded."));
    else
        view_add(v, VIEW_TEXT, "%s",
                 c->voting_open ? T(c, "Voting assistance is open.")
                                : T(c, "Voting assistance is closed."));
    screen_staff_status(c, v);
    view_option(v, STATION_LOAD, "%s", T(c, "Load election package"));
    view_option(v, STATION_INFO, "%s", T(c, "Package information"));
    view_option(v, STATION_VOTING, "%s",
                c->voting_open ? T(c, "Close voting assistance")
                               : T(c, "Open voting assistance"));
    view_option(v, STATION_SPEECH, "%s", T(c, "Speech test"));
    view_option(v, STATION_STENCILS, "%s", T(c, "Write stencils"));
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back"));
}

static void
smenu_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    switch ((enum station_option)id) {
    case STATION_LOAD:
        /* What is on the USB stick; the typed folder without one. */
        fx_add(fx, FX_MEDIA_LOAD);
        break;
    case STATION_INFO:
        fx_push(fx, screen_station_info_new());
        break;
    case STATION_VOTING:
        if (c->election == NULL) {
            const char *line = T(c, "Load an election package first.");
            fx_push(fx, screen_message_new(T(c, "Open voting assistance"),
                                           &line, 1));
            break;
        }
        fx_add(fx, FX_VOTING)->value = c->voting_open ? 0 : 1;
        break;
    case STATION_SPEECH:
        fx_audit(fx, "speech test");
        fx_push(fx, screen_station_speech_test_new());
        break;
    case STATION_STENCILS:
        /* Onto the USB stick; without one, a typed folder. */
        if (c->election == NULL) {
            const char *line = T(c, "Load an election package first.");
            fx_push(fx, screen_message_new(T(c, "Write stencils"), &line, 1));
            break;
        }
        fx_add(fx, FX_WRITE_STENCILS);
        break;
    }
}

static const struct screen_ops smenu_ops = {
    .name = "station-menu",
    .help = N_("Election commission menu. Load a signed election package "
               "from the USB stick, check its hash, open or close voting "
               "assistance for the day, test the speech, write the "
               "stencils. Escape goes back."),
    .staff = true,
    .view = smenu_view,
    .choose = smenu_choose,
};

struct screen *
screen_station_menu_new(void)
{
    return screen_new(&smenu_ops, NULL);
}

/* ---- package information ------------------------------------------- */

enum info_option { INFO_READ_HASH, INFO_QR, INFO_BACK };

static const struct menu_item info_menu[] = {
    {INFO_READ_HASH, N_("Read the hash aloud")},
    {INFO_QR, N_("Show the QR code")},
    {INFO_BACK, N_("Back")},
};

static void
info_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    const struct election *e = c->election;
    char buf[VIEW_TEXT_MAX], num[24];
    view_title(v, "%s", T(c, "Package information"));
    if (e == NULL) {
        view_add(v, VIEW_TEXT, "%s", T(c, "No package is loaded."));
        view_option(v, INFO_BACK, "%s", T(c, "Back"));
        view_hint(v, "%s", T(c, "Enter or Escape: back"));
        return;
    }
    const char *a1[] = {e->id};
    view_add(v, VIEW_TEXT, "%s",
             i18n_format(buf, sizeof buf, T(c, "Identifier: {1}"), 1, a1));
    const char *a2[] = {e->date};
    view_add(v, VIEW_TEXT, "%s",
             i18n_format(buf, sizeof buf, T(c, "Date: {1}"), 1, a2));
    int l = (int)c->lang;
    if (e->title.s[l] == NULL)
        l = ELECTION_RU;
    struct view_item *it = view_add(v, VIEW_TEXT, "%s", e->title.s[l]);
    if (it != NULL)
        it->lang = l;
    view_add(v, VIEW_TEXT, "%s",
             e->test ? T(c, "TEST PACKAGE: not a real election.")
                     : T(c, "A real election package, not a test."));
    snprintf(num, sizeof num, "%zu", e->n_ballots);
    const char *a3[] = {num};
    view_add(v, VIEW_TEXT, "%s",
             i18n_format(buf, sizeof buf, T(c, "Ballots: {1}"), 1, a3));
    for (size_t b = 0; b < e->n_ballots; b++) {
        const struct election_ballot *bal = &e->ballots[b];
        char pos[24], opts[24], marks[24];
        snprintf(pos, sizeof pos, "%zu", b + 1);
        snprintf(opts, sizeof opts, "%zu", bal->n_options);
        snprintf(marks, sizeof marks, "%d", bal->max_marks);
        const char *a4[] = {pos, bal->id, opts, marks};
        view_add(v, VIEW_TEXT, "%s",
                 i18n_format(buf, sizeof buf,
                             T(c, "{1}. {2}: {3} windows, up to {4} "
                                  "mark(s)"),
                             4, a4));
    }
    view_add(v, VIEW_TEXT, "%s",
             c->voting_open ? T(c, "Voting assistance is open.")
                            : T(c, "Voting assistance is closed."));
    /* The short hash, as every report prints it; said character by
     * character. */
    char shorth[REPORT_SHORT_HASH + 1], spaced[2 * REPORT_SHORT_HASH];
    const char *a5[] = {report_short_hash(e->hash, shorth)};
    it = view_add(v, VIEW_TEXT, "%s",
                  i18n_format(buf, sizeof buf, T(c, "Short hash: {1}"), 1, a5));
    a5[0] = report_spaced(shorth, spaced, sizeof spaced);
    if (it != NULL)
        i18n_format(it->say, sizeof it->say, T(c, "Short hash: {1}"), 1, a5);
    view_add(v, VIEW_TEXT, "%s", T(c, "Package hash:"));
    char *grouped = readout_grouped(e->hash, 4);
    it = view_add(v, VIEW_BIG, "%s", grouped);
    free(grouped);
    if (it != NULL)
        it->quiet = true; /* read on request, group by group */
    SCREEN_MENU(c, v, info_menu);
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back"));
}

static void
info_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    const struct election *e = c->election;
    switch ((enum info_option)id) {
    case INFO_BACK:
        fx_add(fx, FX_POP);
        break;
    case INFO_READ_HASH:
        if (e != NULL) {
            char *read = readout_digits(e->hash, 4);
            fx_say(fx, (int)c->lang, T(c, "Package hash:"));
            fx_say(fx, LANG_EN, read);
            free(read);
        }
        break;
    case INFO_QR:
        if (e != NULL) {
            char *text = xasprintf("dauys-election:%s:%s", e->id, e->hash);
            fx_push(fx, screen_station_qr_new(text));
            free(text);
        }
        break;
    }
}

static const struct screen_ops info_ops = {
    .name = "station-info",
    .help = N_("The loaded election package. Compare its hash, four "
               "characters at a time, with the one the election commission "
               "published, or scan its QR code."),
    .staff = true,
    .view = info_view,
    .choose = info_choose,
};

struct screen *
screen_station_info_new(void)
{
    return screen_new(&info_ops, NULL);
}

/* ---- the QR code ---------------------------------------------------- */

struct station_qr {
    struct qrtext qr;
    char *text;
    char *error; /* libqrencode refused */
};

static void
qr_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct station_qr *q = s->state;
    view_title(v, "%s", T(c, "Package QR code"));
    if (q->error != NULL)
        view_add(v, VIEW_TEXT, "%s", q->error);
    for (int i = 0; i < q->qr.n_lines; i++)
        view_add(v, VIEW_BLOCK, "%s", q->qr.lines[i]);
    view_add(v, VIEW_TEXT, "%s", q->text)->quiet = true;
    view_hint(v, "%s", T(c, "Enter or Escape: back"));
}

static void
qr_release(void *state)
{
    struct station_qr *q = state;
    qrtext_free(&q->qr);
    free(q->text);
    free(q->error);
}

static const struct screen_ops qr_ops = {
    .name = "station-qr",
    .help = N_("The QR code holds the package's identifier and hash. Scan "
               "it to compare them with the published ones. The window must "
               "be large enough to show the whole code."),
    .staff = true,
    .view = qr_view,
    .choose = screen_choose_close,
    .release = qr_release,
};

struct screen *
screen_station_qr_new(const char *text)
{
    struct station_qr *q = xcalloc(1, sizeof *q);
    q->text = xstrdup(text);
    if (qrtext_make(text, &q->qr, &q->error) < 0)
        memset(&q->qr, 0, sizeof q->qr);
    return screen_new(&qr_ops, q);
}

/* ---- the speech test ------------------------------------------------ */

static const char *const speech_sample = N_(
    "This is the speech test. If you hear this sentence clearly, speech "
    "works in this language.");

enum speech_option { SPEECH_AGAIN, SPEECH_BACK };

static const struct menu_item speech_menu[] = {
    {SPEECH_AGAIN, N_("Say it again")},
    {SPEECH_BACK, N_("Back")},
};

static void
speech_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", T(c, "Speech test"));
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_KK, speech_sample))->lang = LANG_KK;
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_RU, speech_sample))->lang = LANG_RU;
    SCREEN_MENU(c, v, speech_menu);
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back"));
}

static void
speech_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    switch ((enum speech_option)id) {
    case SPEECH_BACK:
        fx_add(fx, FX_POP);
        break;
    case SPEECH_AGAIN:
        fx_say(fx, LANG_KK, TL(c, LANG_KK, speech_sample));
        fx_say(fx, LANG_RU, TL(c, LANG_RU, speech_sample));
        break;
    }
}

static const struct screen_ops speech_ops = {
    .name = "station-speech",
    .help = N_("The speech test reads a sentence in Kazakh and in Russian. "
               "Check the headphones and the volume before voting opens."),
    .staff = true,
    .view = speech_view,
    .choose = speech_choose,
};

struct screen *
screen_station_speech_test_new(void)
{
    return screen_new(&speech_ops, NULL);
}

/* ---- what is on the USB stick -------------------------------------- */

enum { MEDIA_TYPE_FOLDER = 100000 };

struct station_media {
    struct media_list list;
};

static void
media_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct station_media *m = s->state;
    char buf[VIEW_TEXT_MAX], hash[MEDIA_SHORT_HASH + 1];
    size_t packages = 0;
    view_title(v, "%s", T(c, "On the USB stick"));
    for (size_t i = 0; i < m->list.n; i++) {
        const struct media_item *it = &m->list.v[i];
        snprintf(hash, sizeof hash, "%.*s", MEDIA_SHORT_HASH, it->hash);
        /* The hash is read one character at a time. */
        char *spelled = readout_digits(hash, 0);
        struct view_item *item;
        if (it->kind == MEDIA_TERMINAL) {
            const char *a[] = {it->name, hash}, *s2[] = {it->name, spelled};
            item = view_add(v, VIEW_TEXT, "%s",
                            i18n_format(buf, sizeof buf,
                                        T(c, "Terminal configuration {1}, "
                                             "hash {2}."),
                                        2, a));
            if (item != NULL)
                i18n_format(item->say, sizeof item->say,
                            T(c, "Terminal configuration {1}, hash {2}."), 2,
                            s2);
            free(spelled);
            continue;
        }
        packages++;
        if (it->problem != NULL) {
            const char *a[] = {it->name, it->problem};
            view_option(v, (int)i, "%s",
                        i18n_format(buf, sizeof buf,
                                    T(c, "Folder {1}: not a valid election "
                                         "package ({2})."),
                                    2, a));
            free(spelled);
            continue;
        }
        const char *a[] = {it->id, it->date, hash};
        const char *s3[] = {it->id, it->date, spelled};
        item = view_option(v, (int)i, "%s",
                           i18n_format(buf, sizeof buf,
                                       T(c, "Package {1}, election date {2}, "
                                            "hash {3}"),
                                       3, a));
        if (item != NULL)
            i18n_format(item->say, sizeof item->say,
                        T(c, "Package {1}, election date {2}, hash {3}"), 3,
                        s3);
        free(spelled);
    }
    if (packages == 0)
        view_add(v, VIEW_TEXT, "%s",
                 T(c, "There is no election package on the USB stick."));
    view_option(v, MEDIA_TYPE_FOLDER, "%s", T(c, "Type a folder instead"));
    view_hint(v, "%s", T(c, "Enter: load   Escape: back"));
}

static void
media_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    const struct station_media *m = s->state;
    if (id == MEDIA_TYPE_FOLDER) {
        fx_replace(fx, screen_station_path_new(
                           T(c, "Load election package"),
                           T(c, "Type the directory that holds "
                                "election.json and election.json.sig, then "
                                "press Enter."),
                           "", FX_LOAD_PACKAGE));
        return;
    }
    if (id < 0 || (size_t)id >= m->list.n)
        return;
    const struct media_item *it = &m->list.v[id];
    if (it->problem != NULL) {
        fx_say(fx, (int)c->lang,
               T(c, "This folder is not a valid election package."));
        fx_say(fx, LANG_EN, it->problem);
        return;
    }
    fx_add(fx, FX_POP);
    fx_add(fx, FX_LOAD_PACKAGE)->text = xstrdup(it->path);
}

static void
media_release(void *state)
{
    struct station_media *m = state;
    media_list_free(&m->list);
}

static const struct screen_ops media_ops = {
    .name = "station-media",
    .help = N_("The election packages and terminal configurations found on "
               "the USB stick, with the package's election date and the "
               "first characters of its hash. Choose a package to check "
               "and load it. The stick is only read; you can remove it at "
               "any time here."),
    .staff = true,
    .view = media_view,
    .choose = media_choose,
    .release = media_release,
};

struct screen *
screen_station_media_new(const struct media_list *l)
{
    struct station_media *m = xcalloc(1, sizeof *m);
    m->list.n = l->n;
    m->list.v = xcalloc(l->n ? l->n : 1, sizeof *m->list.v);
    for (size_t i = 0; i < l->n; i++) {
        const struct media_item *from = &l->v[i];
        struct media_item *to = &m->list.v[i];
        to->kind = from->kind;
        to->path = xstrdup(from->path);
        to->name = xstrdup(from->name);
        to->id = from->id ? xstrdup(from->id) : NULL;
        to->date = from->date ? xstrdup(from->date) : NULL;
        to->problem = from->problem ? xstrdup(from->problem) : NULL;
        memcpy(to->hash, from->hash, sizeof to->hash);
    }
    return screen_new(&media_ops, m);
}

/* ---- a directory typed on the keyboard ----------------------------- */

#define PATH_FIELD_MAX 511 /* characters */

struct path_field {
    char *title;
    char *prompt;
    struct entry field;
    enum fx_kind kind;
    bool translate;             /* title and prompt are message ids */
    int value;                  /* the effect's value */
    struct report_check *check; /* FX_REPORT: handed on with it, or NULL */
    bool empty;                 /* Enter on an empty field */
};

static void
path_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct path_field *p = s->state;
    view_title(v, "%s", p->translate ? T(c, p->title) : p->title);
    view_add(v, VIEW_TEXT, "%s", p->translate ? T(c, p->prompt) : p->prompt);
    entry_view(&p->field, v, NULL);
    if (p->empty)
        view_notice(v, "%s", T(c, "Type a directory first."));
    view_hint(v, "%s", T(c, "Enter: go   Backspace: delete   Escape: cancel"));
}

static void
path_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct path_field *p = s->state;
    p->empty = false;
    if (k->action == ACTION_BACK) {
        fx_add(fx, FX_POP);
        return;
    }
    switch (entry_key(&p->field, c, k, fx)) {
    case ENTRY_CHANGED:
    case ENTRY_FULL:
        return;
    case ENTRY_EMPTY:
        fx_say(fx, (int)c->lang, T(c, "empty"));
        return;
    case ENTRY_IGNORED:
        break;
    }
    if (k->action != ACTION_SELECT)
        return;
    if (p->field.count == 0) {
        p->empty = true;
        return;
    }
    fx_add(fx, FX_POP);
    struct fx *f = fx_add(fx, p->kind);
    f->text = xstrdup(p->field.text);
    f->value = p->value;
    f->check = p->check;
    p->check = NULL;
}

static void
path_release(void *state)
{
    struct path_field *p = state;
    free(p->title);
    free(p->prompt);
    free(p->check);
    entry_clear(&p->field);
}

static const struct screen_ops path_ops = {
    .name = "station-path",
    .help = N_("Type a directory with the keyboard, for example the "
               "mounted USB stick, and press Enter. Backspace deletes the "
               "last character; Escape cancels."),
    .staff = true,
    .text_entry = true,
    .view = path_view,
    .key = path_key,
    .release = path_release,
};

struct screen *
screen_station_path_new(const char *title, const char *prompt,
                        const char *initial, enum fx_kind kind)
{
    struct path_field *p = xcalloc(1, sizeof *p);
    p->title = xstrdup(title);
    p->prompt = xstrdup(prompt);
    entry_init(&p->field, ENTRY_TEXT, PATH_FIELD_MAX, 0);
    entry_set(&p->field, initial);
    p->kind = kind;
    return screen_new(&path_ops, p);
}

struct screen *
screen_station_report_path_new(int kind, const struct report_check *check)
{
    static const char *const titles[] = {
        [REPORT_OPENING] = N_("Opening report"),
        [REPORT_CLOSING] = N_("Close-of-day report"),
        [REPORT_GUIDE] = N_("Staff guide"),
    };
    /* The title and prompt are translated when shown: message ids. */
    struct screen *s = screen_station_path_new(
        titles[kind],
        kind == REPORT_GUIDE
            ? N_("Type the folder to write the staff guide into (in Kazakh "
                 "and in Russian, as PDF), for example the USB stick, then "
                 "press Enter.")
            : N_("Type the folder to write the report into as PDF, for "
                 "example the USB stick, then press Enter. The report is "
                 "also printed."),
        "", kind == REPORT_GUIDE ? FX_GUIDE : FX_REPORT);
    struct path_field *p = s->state;
    p->value = kind == REPORT_GUIDE ? 1 : kind;
    p->translate = true;
    if (check != NULL) {
        p->check = xmalloc(sizeof *p->check);
        *p->check = *check;
    }
    return s;
}

/* ---- the staff guide ------------------------------------------------ */

enum guide_option { GUIDE_PRINT, GUIDE_PDF, GUIDE_BACK };

static const struct menu_item guide_menu[] = {
    {GUIDE_PRINT, N_("Print the short guide")},
    {GUIDE_PDF, N_("Write the guide as PDF to a folder")},
    {GUIDE_BACK, N_("Back")},
};

static void
guide_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", T(c, "Staff guide"));
    view_add(v, VIEW_TEXT, "%s",
             T(c, "The staff guide, in Kazakh and in Russian: configuring, "
                  "loading the package, the check, opening, closing, the "
                  "reports, what each message means and whom to call."));
    SCREEN_MENU(c, v, guide_menu);
    view_hint(v, "%s", T(c, "{select}: choose   {back}: back"));
}

static void
guide_choose(struct screen *s, const struct ctx *c, int id, struct fx_list *fx)
{
    (void)s;
    (void)c;
    switch ((enum guide_option)id) {
    case GUIDE_PRINT:
        fx_add(fx, FX_GUIDE)->value = 0;
        break;
    case GUIDE_PDF:
        fx_push(fx, screen_station_report_path_new(REPORT_GUIDE, NULL));
        break;
    case GUIDE_BACK:
        fx_add(fx, FX_POP);
        break;
    }
}

static const struct screen_ops guide_ops = {
    .name = "staff-guide",
    .help = N_("Print the short staff guide on the receipt printer, or "
               "write the whole guide in Kazakh and in Russian as PDF."),
    .staff = true,
    .view = guide_view,
    .choose = guide_choose,
};

struct screen *
screen_station_guide_new(void)
{
    return screen_new(&guide_ops, NULL);
}
