/*
 * Staff screens for the election (the polling station): a menu, the
 * package information (id, date, ballots, the test flag, the hash in
 * groups of four, read aloud on request, and its QR code), opening and
 * closing voting assistance, a speech test in Kazakh and Russian, and a
 * one-line text field for the directories to load a package from and to
 * write stencils into. Loading and writing are I/O: these screens only
 * ask for them with effects (kiosk/station.h carries them out). Every
 * staff action goes to the audit log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "kiosk/qrtext.h"
#include "kiosk/screen.h"

/* ---- the menu ------------------------------------------------------- */

struct station_menu {
    int sel;
};

enum station_entry {
    STATION_LOAD,
    STATION_INFO,
    STATION_VOTING,
    STATION_SPEECH,
    STATION_STENCILS,
    STATION_N
};

static void
smenu_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct station_menu *m = s->state;
    view_title(v, "%s", T(c, "Election package and voting"));
    if (c->election == NULL)
        view_add(v, VIEW_TEXT, "%s", T(c, "No package is loaded."));
    else
        view_add(v, VIEW_TEXT, "%s",
                 c->voting_open ? T(c, "Voting assistance is open.")
                                : T(c, "Voting assistance is closed."));
    view_add(v, VIEW_OPTION, "%s", T(c, "Load election package"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Package information"));
    view_add(v, VIEW_OPTION, "%s",
             c->voting_open ? T(c, "Close voting assistance")
                            : T(c, "Open voting assistance"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Speech test"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Write stencils"));
    view_focus_rank(v, (size_t)m->sel);
    view_hint(v, "%s", T(c, "Enter: choose   Escape: back"));
}

static void
smenu_key(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    struct station_menu *m = s->state;
    if (screen_menu_key(&m->sel, STATION_N, k))
        return;
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action != ACTION_SELECT)
        return;
    switch ((enum station_entry)(m->sel - 1)) {
    case STATION_LOAD:
        fx_push(fx, screen_station_path_new(
                        T(c, "Load election package"),
                        T(c, "Type the directory that holds election.json "
                             "and election.json.sig, then press Enter."),
                        "", FX_LOAD_PACKAGE));
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
        fx_push(fx, screen_station_path_new(
                        T(c, "Write stencils"),
                        T(c, "Type the directory to write the stencils of "
                             "every ballot into (SVG, PDF and PNG), then "
                             "press Enter."),
                        "", FX_WRITE_STENCILS));
        break;
    case STATION_N:
        break;
    }
}

static const struct screen_ops smenu_ops = {
    .name = "station-menu",
    .help = N_("Election commission menu. Load a signed election package "
               "from a directory, check its hash, open or close voting "
               "assistance for the day, test the speech, write the "
               "stencils. Escape goes back."),
    .staff = true,
    .view = smenu_view,
    .key = smenu_key,
};

struct screen *
screen_station_menu_new(void)
{
    struct station_menu *m = xcalloc(1, sizeof *m);
    m->sel = 1;
    return screen_new(&smenu_ops, m);
}

/* ---- package information ------------------------------------------- */

struct station_info {
    int sel;
};

static void
info_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct station_info *in = s->state;
    const struct election *e = c->election;
    char buf[VIEW_TEXT_MAX], num[24];
    view_title(v, "%s", T(c, "Package information"));
    if (e == NULL) {
        view_add(v, VIEW_TEXT, "%s", T(c, "No package is loaded."));
        view_add(v, VIEW_OPTION, "%s", T(c, "Back"));
        view_focus_rank(v, 1);
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
    view_add(v, VIEW_TEXT, "%s", T(c, "Package hash:"));
    char *grouped = readout_grouped(e->hash, 4);
    it = view_add(v, VIEW_BIG, "%s", grouped);
    free(grouped);
    if (it != NULL)
        it->quiet = true; /* read on request, group by group */
    view_add(v, VIEW_OPTION, "%s", T(c, "Read the hash aloud"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Show the QR code"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Back"));
    view_focus_rank(v, (size_t)in->sel);
    view_hint(v, "%s", T(c, "Enter: choose   Escape: back"));
}

static void
info_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct station_info *in = s->state;
    const struct election *e = c->election;
    int n = e != NULL ? 3 : 1;
    if (screen_menu_key(&in->sel, n, k))
        return;
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE ||
        (k->action == ACTION_SELECT && in->sel == n)) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action != ACTION_SELECT || e == NULL)
        return;
    if (in->sel == 1) {
        char *read = readout_digits(e->hash, 4);
        fx_say(fx, (int)c->lang, T(c, "Package hash:"));
        fx_say(fx, LANG_EN, read);
        free(read);
    } else {
        char *text = xasprintf("dauys-election:%s:%s", e->id, e->hash);
        fx_push(fx, screen_station_qr_new(text));
        free(text);
    }
}

static const struct screen_ops info_ops = {
    .name = "station-info",
    .help = N_("The loaded election package. Compare its hash, four "
               "characters at a time, with the one the election commission "
               "published, or scan its QR code."),
    .staff = true,
    .view = info_view,
    .key = info_key,
};

struct screen *
screen_station_info_new(void)
{
    struct station_info *in = xcalloc(1, sizeof *in);
    in->sel = 1;
    return screen_new(&info_ops, in);
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
qr_key(struct screen *s, const struct ctx *c, const struct key *k,
       struct fx_list *fx)
{
    (void)s;
    (void)c;
    if (k->action == ACTION_SELECT || k->action == ACTION_BACK ||
        k->action == ACTION_DELETE)
        fx_add(fx, FX_POP);
}

static void
qr_free(void *state)
{
    struct station_qr *q = state;
    qrtext_free(&q->qr);
    free(q->text);
    free(q->error);
    free(q);
}

static const struct screen_ops qr_ops = {
    .name = "station-qr",
    .help = N_("The QR code holds the package's identifier and hash. Scan "
               "it to compare them with the published ones. The window must "
               "be large enough to show the whole code."),
    .staff = true,
    .view = qr_view,
    .key = qr_key,
    .free = qr_free,
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

static const char *const speech_sample =
    N_("This is the speech test. If you hear this sentence clearly, speech "
       "works in this language.");

static void
speech_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)s;
    view_title(v, "%s", T(c, "Speech test"));
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_KK, speech_sample))->lang =
        LANG_KK;
    view_add(v, VIEW_TEXT, "%s", TL(c, LANG_RU, speech_sample))->lang =
        LANG_RU;
    view_add(v, VIEW_OPTION, "%s", T(c, "Say it again"));
    view_add(v, VIEW_OPTION, "%s", T(c, "Back"));
    view_hint(v, "%s", T(c, "Enter: choose   Escape: back"));
}

static void
speech_key(struct screen *s, const struct ctx *c, const struct key *k,
           struct fx_list *fx)
{
    int *sel = s->state;
    if (screen_menu_key(sel, 2, k))
        return;
    if (k->action == ACTION_BACK || k->action == ACTION_DELETE ||
        (k->action == ACTION_SELECT && *sel == 2)) {
        fx_add(fx, FX_POP);
        return;
    }
    if (k->action == ACTION_SELECT) {
        fx_say(fx, LANG_KK, TL(c, LANG_KK, speech_sample));
        fx_say(fx, LANG_RU, TL(c, LANG_RU, speech_sample));
    }
}

static void
speech_view_sel(const struct screen *s, const struct ctx *c, struct view *v)
{
    speech_view(s, c, v);
    view_focus_rank(v, (size_t) * (const int *)s->state);
}

static const struct screen_ops speech_ops = {
    .name = "station-speech",
    .help = N_("The speech test reads a sentence in Kazakh and in Russian. "
               "Check the headphones and the volume before voting opens."),
    .staff = true,
    .view = speech_view_sel,
    .key = speech_key,
};

struct screen *
screen_station_speech_test_new(void)
{
    int *sel = xcalloc(1, sizeof *sel);
    *sel = 1;
    return screen_new(&speech_ops, sel);
}

/* ---- a directory typed on the keyboard ----------------------------- */

#define PATH_FIELD_MAX 512

struct path_field {
    char *title;
    char *prompt;
    char text[PATH_FIELD_MAX];
    size_t len;
    enum fx_kind kind;
    bool empty; /* Enter on an empty field */
};

static void
path_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct path_field *p = s->state;
    view_title(v, "%s", p->title);
    view_add(v, VIEW_TEXT, "%s", p->prompt);
    view_add(v, VIEW_ENTRY, "%s", p->text);
    if (p->empty)
        view_notice(v, "%s", T(c, "Type a directory first."));
    view_hint(v, "%s", T(c, "Enter: go   Backspace: delete   Escape: cancel"));
}

/* Appends the code point CP to the field as UTF-8. */
static void
path_append(struct path_field *p, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (p->len + n >= sizeof p->text)
        return;
    memcpy(p->text + p->len, u, n);
    p->len += n;
    p->text[p->len] = '\0';
}

static void
path_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct path_field *p = s->state;
    p->empty = false;
    switch (k->action) {
    case ACTION_CHAR:
    case ACTION_DIGIT:
        path_append(p, k->codepoint);
        break;
    case ACTION_DELETE:
        while (p->len > 0 &&
               ((unsigned char)p->text[p->len - 1] & 0xC0) == 0x80)
            p->len--;
        if (p->len > 0)
            p->len--;
        p->text[p->len] = '\0';
        fx_say(fx, (int)c->lang, p->text[0] ? p->text : T(c, "empty"));
        break;
    case ACTION_BACK:
        fx_add(fx, FX_POP);
        break;
    case ACTION_SELECT:
        if (p->len == 0) {
            p->empty = true;
            break;
        }
        fx_add(fx, FX_POP);
        fx_add(fx, p->kind)->text = xstrdup(p->text);
        break;
    default:
        break;
    }
}

static void
path_free(void *state)
{
    struct path_field *p = state;
    free(p->title);
    free(p->prompt);
    free(p);
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
    .free = path_free,
};

struct screen *
screen_station_path_new(const char *title, const char *prompt,
                        const char *initial, enum fx_kind kind)
{
    struct path_field *p = xcalloc(1, sizeof *p);
    p->title = xstrdup(title);
    p->prompt = xstrdup(prompt);
    snprintf(p->text, sizeof p->text, "%s", initial);
    p->len = strlen(p->text);
    p->kind = kind;
    return screen_new(&path_ops, p);
}
