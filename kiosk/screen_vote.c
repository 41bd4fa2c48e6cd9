/*
 * The voter's screens: one screen, several phases, over one voting
 * session (ballot/flow.h).
 *
 * start     the test-package warning, a short orientation on the keys,
 *           the practice ballot, voting, the language;
 * ballot    title and instructions, then the windows in paper order, each
 *           "Window N of M" with its label as printed (its `say` text for
 *           speech), against-all and referendum answers named as such;
 * option    one window: label and details, choose / where to mark / take
 *           back;
 * confirm   "You chose window N: label. Is this right?";
 * guide     where to mark: the cut corner, the window counted from the
 *           top, the Braille number beside it, where the mark goes, and
 *           with max_marks > 1 how many choices remain;
 * review    every ballot's choices with their guidance; change any;
 * finish    the last question before everything is wiped.
 *
 * Every phase lists its options by id (enum vote_option; a ballot's
 * windows by their index) and the app moves the focus among them. A phase
 * is entered with an FX_FOCUS on its first option, and a ballot's list on
 * the window last focused there: the flow keeps that window for each
 * ballot, learnt from the focused id every key brings (and, for Back,
 * from the id the app keeps in the screen).
 *
 * The session (choices, cursors, which window is open) lives only in this
 * screen's state and the app's focused id beside it; freeing the screen
 * wipes both, and the app frees it at the end of the session, on idle
 * timeout (FX_HOME) and when staff press F10 (the screen is a `session`
 * screen). The practice ballot runs the same phases over the practice
 * package with a session of its own, which is wiped when the practice
 * ends. Nothing here logs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "accessibility/readout.h"
#include "accessibility/xalloc.h"
#include "ballot/flow.h"
#include "kiosk/screen.h"

enum vote_phase {
    VOTE_START,
    VOTE_BALLOT,
    VOTE_OPTION,
    VOTE_CONFIRM,
    VOTE_GUIDE,
    VOTE_REVIEW,
    VOTE_FINISH,
    VOTE_ABOUT, /* a ballot's title and instructions as printed */
};

enum vote_notice {
    VOTE_NOTICE_NONE,
    VOTE_NOTICE_FULL,       /* a choice beyond max_marks was refused */
    VOTE_NOTICE_TAKEN_BACK, /* a choice was taken back */
    VOTE_NOTICE_PRACTICE_DONE,
    VOTE_NOTICE_NO_PRACTICE,
    VOTE_NOTICE_FIRST, /* Left on the first ballot */
};

/* The ids of the options. A ballot's windows are known by the index of
 * their option (0 is the top window), far below these; the review's
 * "Change ballot N" by VOTE_OPT_CHANGE + the ballot's index. */
enum vote_option {
    VOTE_OPT_PRACTICE = 10000, /* start: the practice ballot */
    VOTE_OPT_VOTE,             /* start: start or continue voting */
    VOTE_OPT_LANGUAGE,         /* start: the next language */
    VOTE_OPT_CHOOSE,           /* option: choose this */
    VOTE_OPT_WHERE,            /* option: where to mark */
    VOTE_OPT_TAKE_BACK,        /* option: take back this choice */
    VOTE_OPT_LIST,             /* option, confirm, guide: back to the list */
    VOTE_OPT_YES,              /* confirm, finish */
    VOTE_OPT_NEXT,             /* guide: next ballot, or the review */
    VOTE_OPT_FINISH,           /* review: finish */
    VOTE_OPT_REVIEW_BACK,      /* finish: back to the review */
    VOTE_OPT_DETAILS,          /* option: the window's details */
    VOTE_OPT_BRAILLE,          /* guide: the Braille number */
    VOTE_OPT_SIDE,             /* guide: where in the window */
    VOTE_OPT_STENCIL,          /* guide: how to lay the stencil */
    VOTE_OPT_ABOUT,            /* ballot: its title and instructions */
    VOTE_OPT_CHANGE = 20000,   /* review: + the ballot's index */
};

struct vote {
    struct flow *real;  /* the voting session, once started */
    struct flow *trial; /* the practice session, while practising */
    struct flow *flow;  /* real or trial; NULL on the start screen */
    bool practising;    /* flow is trial */
    bool voted;         /* a real session was started */
    enum vote_phase phase;
    size_t opt; /* the option of option/confirm/guide */
    enum vote_notice notice;
    unsigned heard;    /* ballots (bits) whose header was read, this
                            session or practice */
    bool header_quiet; /* the ballot on screen was read before */
};

/* The text of T in the screen's language, else Russian, else Kazakh (the
 * ballot is printed in both); *LANG says which one it is. */
static const char *
vote_text(const struct election_text *t, enum lang want, int *lang)
{
    static const int order[] = {-1, ELECTION_RU, ELECTION_KK};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int l = order[i] < 0 ? (int)want : order[i];
        if (t->s[l] != NULL && t->s[l][0] != '\0') {
            if (lang != NULL)
                *lang = l;
            return t->s[l];
        }
    }
    if (lang != NULL)
        *lang = (int)want;
    return "";
}

/* Formats TMPL (a translated template) with up to four arguments. */
static char *
vote_fmt(char *buf, size_t size, const char *tmpl, const char *a1,
         const char *a2, const char *a3, const char *a4)
{
    const char *args[] = {a1 ? a1 : "", a2 ? a2 : "", a3 ? a3 : "",
                          a4 ? a4 : ""};
    return i18n_format(buf, size, tmpl, 4, args);
}

static const struct election_ballot *
vote_ballot(const struct vote *v)
{
    return flow_ballot(v->flow);
}

/* The label of option O with its speech-only form in *SAY and the
 * language *SAY is spoken in in *LANG: the package's `say` for the
 * voter's language when it has one (it wins), else the label (or its
 * `say`) in the label's own language. */
static const char *
vote_label(const struct ctx *c, const struct election_option *o,
           const char **say, int *lang)
{
    const char *label = vote_text(&o->label, c->lang, lang);
    const char *mine = o->say.s[c->lang];
    if (mine != NULL && mine[0] != '\0') {
        *say = mine;
        *lang = (int)c->lang;
        return label;
    }
    const char *s = o->say.s[*lang];
    *say = s != NULL && s[0] != '\0' ? s : label;
    return label;
}

/* "Against all: …", "Answer: …" or the label alone, for showing (SAY
 * false) or for speech. */
static void
vote_named(const struct ctx *c, const struct election_ballot *b,
           const struct election_option *o, bool say, char *buf, size_t size)
{
    const char *spoken;
    int lang;
    const char *label = vote_label(c, o, &spoken, &lang);
    const char *text = say ? spoken : label;
    /* A label that already says "against all" is not announced twice. */
    if (o->against_all && strcasecmp(text, T(c, "Against all")) != 0)
        vote_fmt(buf, size, T(c, "Against all: {1}"), text, 0, 0, 0);
    else if (b->kind == BALLOT_REFERENDUM)
        vote_fmt(buf, size, T(c, "Answer: {1}"), text, 0, 0, 0);
    else
        snprintf(buf, size, "%s", text);
}

static const char *
vote_corner(const struct ctx *c, enum corner_cut cut)
{
    switch (cut) {
    case CORNER_TOP_LEFT:
        return T(c, "Lay the stencil on the ballot with the cut corners "
                    "together, at the top left.");
    case CORNER_TOP_RIGHT:
        return T(c, "Lay the stencil on the ballot with the cut corners "
                    "together, at the top right.");
    case CORNER_NONE:
        break;
    }
    return T(c, "This ballot has no cut corner: lay the stencil over it so "
                "that their edges meet, with the stencil's printed title at "
                "the top.");
}

/* The Braille number of G: cells for the screen in *SHOWN, dots for
 * speech ("3 4 5 6, 1 4 5") in *SPOKEN and dots for the screen in *DOTS.
 * The caller frees all three. */
static void
vote_braille(const struct flow_guidance *g, char **shown, char **spoken,
             char **dots)
{
    *shown = braille_to_unicode(g->cells, g->n_cells);
    *dots = braille_describe_dots(g->cells, g->n_cells);
    size_t cap = strlen(*dots) * 4 + 8, o = 0;
    char *s = xcalloc(1, cap);
    const char *p = *dots;
    while (*p != '\0') {
        size_t n = strcspn(p, " ");
        char *one = xstrndup(p, n);
        char *read = readout_digits(one, 0);
        o += (size_t)snprintf(s + o, cap - o, "%s%s", o > 0 ? ", " : "", read);
        xfree_wiped(read);
        xfree_wiped(one);
        p += n;
        while (*p == ' ')
            p++;
    }
    *spoken = s;
}

/* Adds the guidance for option OPT of ballot B. With OPTIONS false, the
 * essential message: the window's number, shown large, and the window
 * counted from the top, read with the screen. With OPTIONS true, the rest
 * as options of their own, read when the visitor moves to them: the
 * Braille number, the side of the box and how to lay the stencil on this
 * ballot; the first two are essential too, so that Repeat says them with
 * the window's number. */
static void
vote_add_guidance(const struct vote *v, const struct ctx *c, struct view *view,
                  size_t b, size_t opt, bool options)
{
    struct flow_guidance g;
    char buf[VIEW_TEXT_MAX], say[VIEW_TEXT_MAX], n[24], m[24];
    struct view_item *it;
    if (flow_guidance(v->flow, b, opt, &g) != FLOW_OK)
        return;
    if (!options) {
        snprintf(n, sizeof n, "%d", g.window);
        snprintf(m, sizeof m, "%d", g.n_windows);
        /* The window's number in the largest text, kept (with the
         * sentence when there is room) by the magnified layouts. */
        it = view_add(view, VIEW_BIG, "%s", n);
        if (it != NULL) {
            it->quiet = true;
            it->essential = true;
        }
        it = view_add(view, VIEW_TEXT, "%s",
                      vote_fmt(buf, sizeof buf,
                               T(c, "Window {1} of {2}, counted from the "
                                    "top."),
                               n, m, 0, 0));
        if (it != NULL)
            it->essential = true;
        return;
    }
    char *cells, *spoken, *dots;
    vote_braille(&g, &cells, &spoken, &dots);
    it = view_option(
        view, VOTE_OPT_BRAILLE, "%s",
        vote_fmt(buf, sizeof buf,
                 T(c, "Braille number beside the window: {1}, dots {2}."),
                 cells, dots, 0, 0));
    if (it != NULL) {
        snprintf(it->say, sizeof it->say, "%s",
                 vote_fmt(say, sizeof say,
                          T(c, "Braille number beside the window: dots "
                               "{1}."),
                          spoken, 0, 0, 0));
        /* Repeat says it with the window's number (app.c). */
        it->essential = true;
    }
    xfree_wiped(cells);
    xfree_wiped(spoken);
    xfree_wiped(dots);
    const struct election_ballot *bal = &flow_election(v->flow)->ballots[b];
    const char *where;
    if (bal->kind == BALLOT_REFERENDUM)
        where = g.side == FLOW_SIDE_LEFT
                    ? T(c, "Mark inside that window, in the empty square "
                           "left of the answer.")
                    : T(c, "Mark inside that window, in the empty square "
                           "right of the answer.");
    else
        where = g.side == FLOW_SIDE_LEFT
                    ? T(c, "Mark inside that window, in the empty square "
                           "left of the name.")
                    : T(c, "Mark inside that window, in the empty square "
                           "right of the name.");
    it = view_option(view, VOTE_OPT_SIDE, "%s", where);
    if (it != NULL)
        it->essential = true;
    view_option(view, VOTE_OPT_STENCIL, "%s", vote_corner(c, g.corner));
}

/* The title, after "Practice · " in the practice. A test package's
 * marker is before the start screen's title and, below the title, shown
 * and not read on the other screens. */
static void
vote_title(const struct vote *v, const struct ctx *c, struct view *view,
           const char *title)
{
    const struct election *e = v->flow ? flow_election(v->flow) : c->election;
    bool test = !v->practising && e != NULL && e->test;
    if (v->practising)
        view_title(view, "%s · %s", T(c, "Practice"), title);
    else if (test && v->phase == VOTE_START)
        view_title(view, "%s · %s", T(c, "TEST PACKAGE"), title);
    else
        view_title(view, "%s", title);
    if (test && v->phase != VOTE_START) {
        struct view_item *it = view_add(view, VIEW_TEXT, "%s",
                                        T(c, "TEST PACKAGE"));
        if (it != NULL)
            it->quiet = true;
    }
}

static void
vote_notice(const struct vote *v, const struct ctx *c, struct view *view)
{
    char buf[VIEW_TEXT_MAX], n[24];
    const struct election_ballot *b = v->flow ? vote_ballot(v) : NULL;
    switch (v->notice) {
    case VOTE_NOTICE_FULL:
        snprintf(n, sizeof n, "%d", b ? b->max_marks : 1);
        view_notice(view, "%s",
                    vote_fmt(buf, sizeof buf,
                             i18n_ntext(c->i18n, c->lang,
                                        "Not chosen: this ballot allows {1} "
                                        "choice and you have made it. To "
                                        "choose this one, first take back "
                                        "that choice.",
                                        "Not chosen: this ballot allows {1} "
                                        "choices and you have made them "
                                        "all. To choose this one, first "
                                        "take back another choice.",
                                        b ? (unsigned long)b->max_marks : 1),
                             n, 0, 0, 0));
        break;
    case VOTE_NOTICE_TAKEN_BACK:
        view_notice(view, "%s", T(c, "The choice was taken back."));
        break;
    case VOTE_NOTICE_PRACTICE_DONE:
        view_notice(view, "%s",
                    T(c, "The practice is over and was forgotten. You can "
                         "practise again or start voting."));
        break;
    case VOTE_NOTICE_NO_PRACTICE:
        view_notice(view, "%s",
                    T(c, "The practice ballot is not available on this "
                         "terminal."));
        break;
    case VOTE_NOTICE_FIRST:
        view_notice(view, "%s", T(c, "This is the first ballot."));
        break;
    case VOTE_NOTICE_NONE:
        break;
    }
}

static void
vote_view_start(const struct vote *v, const struct ctx *c, struct view *view)
{
    int lang;
    vote_title(v, c, view, T(c, "Voting assistance"));
    struct view_item *it;
    if (c->election != NULL && c->election->test &&
        (it = view_add(view, VIEW_TEXT, "%s",
                       T(c, "This is a test package, not a real "
                            "election."))) != NULL)
        it->quiet = true; /* the title says it */
    /* The election's title is shown; what the terminal does and the keys
     * are in help, so that the options come first. */
    if (c->election != NULL) {
        it = view_add(view, VIEW_TEXT, "%s",
                      vote_text(&c->election->title, c->lang, &lang));
        if (it != NULL) {
            it->lang = lang;
            it->quiet = true;
        }
    }
    /* How to lay the stencil, once a session (each ballot's corner is in
     * its guidance). */
    if (c->election != NULL && c->election->n_ballots > 0 &&
        c->election->ballots[0].corner_cut != CORNER_NONE)
        view_add(view, VIEW_TEXT, "%s",
                 T(c, "Lay the stencil on each ballot with the cut corners "
                      "together."));
    view_option(view, VOTE_OPT_PRACTICE, "%s", T(c, "Practice ballot"));
    view_option(view, VOTE_OPT_VOTE, "%s",
                v->voted ? T(c, "Continue voting") : T(c, "Start voting"));
    char buf[VIEW_TEXT_MAX];
    view_option(view, VOTE_OPT_LANGUAGE, "%s",
                vote_fmt(buf, sizeof buf, T(c, "Language: {1}"),
                         lang_native_name(c->lang), 0, 0, 0));
    view_hint(view, "%s",
              T(c, "{select}: choose   {back}: back   {help}: help"));
}

/* A ballot's list. The first time a ballot is shown its header is read:
 * for a referendum the question, otherwise what kind of ballot it is and
 * how many windows it has (the title and instructions as printed are
 * shown, and read on "Ballot text"); coming back to it reads the title
 * and the focused window only. A window is announced by its name, then its
 * number. */
static void
vote_view_ballot(const struct vote *v, const struct ctx *c, struct view *view)
{
    const struct election_ballot *b = vote_ballot(v);
    size_t bi = flow_ballot_index(v->flow);
    char buf[VIEW_TEXT_MAX], name[VIEW_TEXT_MAX];
    char i[24], n[24], k[24];
    int lang;
    snprintf(i, sizeof i, "%zu", bi + 1);
    snprintf(n, sizeof n, "%zu", flow_n_ballots(v->flow));
    vote_title(v, c, view,
               vote_fmt(buf, sizeof buf, T(c, "Ballot {1} of {2}"), i, n, 0,
                        0));
    snprintf(n, sizeof n, "%zu", b->n_options);
    struct view_item *it = view_add(view, VIEW_TEXT, "%s",
                                    vote_text(&b->title, c->lang, &lang));
    if (it != NULL) {
        it->lang = lang;
        it->quiet = v->header_quiet || b->kind != BALLOT_REFERENDUM;
    }
    const char *ins = vote_text(&b->instructions, c->lang, &lang);
    if (ins[0] != '\0' && (it = view_add(view, VIEW_TEXT, "%s", ins)) != NULL) {
        it->lang = lang;
        it->quiet = true;
    }
    if (b->kind != BALLOT_REFERENDUM) {
        it = view_add(view, VIEW_TEXT, "%s",
                      vote_fmt(buf, sizeof buf,
                               b->kind == BALLOT_PARTIES
                                   ? T(c, "Party lists, {1} windows.")
                                   : T(c, "Candidates, {1} windows."),
                               n, 0, 0, 0));
        if (it != NULL)
            it->quiet = v->header_quiet;
    }
    snprintf(k, sizeof k, "%d", b->max_marks);
    if (b->max_marks > 1) {
        char r[24];
        snprintf(r, sizeof r, "%zu", flow_remaining(v->flow, bi));
        view_add(view, VIEW_TEXT, "%s",
                 vote_fmt(buf, sizeof buf,
                          T(c, "You may choose up to {1}. Choices left: "
                               "{2}."),
                          k, r, 0, 0));
    }
    for (size_t o = 0; o < b->n_options; o++) {
        const struct election_option *op = &b->options[o];
        bool chosen = flow_is_chosen(v->flow, bi, o);
        snprintf(i, sizeof i, "%d", op->position);
        vote_named(c, b, op, false, name, sizeof name);
        vote_fmt(buf, sizeof buf, T(c, "Window {1}: {2}"), i, name, 0, 0);
        it = view_option(view, (int)o, "%s%s%s", buf, chosen ? " ✓ " : "",
                         chosen ? T(c, "chosen") : "");
        if (it == NULL)
            break;
        vote_named(c, b, op, true, name, sizeof name);
        vote_fmt(it->say, sizeof it->say,
                 chosen ? T(c, "{1}, window {2}. Chosen.")
                        : T(c, "{1}, window {2}."),
                 name, i, 0, 0);
    }
    view_option(view, VOTE_OPT_ABOUT, "%s",
                T(c, "Ballot text and instructions"));
    view->own_position = true;
    view->initial = (int)flow_cursor(v->flow);
    vote_notice(v, c, view);
    view_hint(view, "%s",
              T(c, "{select}: open   {left}/{right}: ballots   {back}: back"));
}

/* A ballot's title and instructions as printed, asked for from its
 * list. */
static void
vote_view_about(const struct vote *v, const struct ctx *c, struct view *view)
{
    const struct election_ballot *b = vote_ballot(v);
    char buf[VIEW_TEXT_MAX], i[24];
    int lang;
    snprintf(i, sizeof i, "%zu", flow_ballot_index(v->flow) + 1);
    vote_title(v, c, view,
               vote_fmt(buf, sizeof buf, T(c, "Ballot {1}: text"), i, 0, 0, 0));
    struct view_item *it = view_add(view, VIEW_TEXT, "%s",
                                    vote_text(&b->title, c->lang, &lang));
    if (it != NULL)
        it->lang = lang;
    const char *ins = vote_text(&b->instructions, c->lang, &lang);
    if (ins[0] != '\0' && (it = view_add(view, VIEW_TEXT, "%s", ins)) != NULL)
        it->lang = lang;
    view_option(view, VOTE_OPT_LIST, "%s", T(c, "Back to the list"));
    view_hint(view, "%s", T(c, "{select}: back to the list"));
}

/* The window on screen: its name, then the choices; its details (year of
 * birth, occupation, nomination) are the last item, read when the visitor
 * moves to them. */
static void
vote_view_option(const struct vote *v, const struct ctx *c, struct view *view)
{
    const struct election_ballot *b = vote_ballot(v);
    const struct election_option *o = &b->options[v->opt];
    size_t bi = flow_ballot_index(v->flow);
    char buf[VIEW_TEXT_MAX], name[VIEW_TEXT_MAX], i[24], n[24];
    int lang;
    snprintf(i, sizeof i, "%d", o->position);
    snprintf(n, sizeof n, "%zu", b->n_options);
    vote_title(v, c, view,
               vote_fmt(buf, sizeof buf, T(c, "Window {1} of {2}"), i, n, 0,
                        0));
    vote_named(c, b, o, false, name, sizeof name);
    struct view_item *it = view_add(view, VIEW_TEXT, "%s", name);
    if (it != NULL)
        vote_named(c, b, o, true, it->say, sizeof it->say);
    if (o->against_all)
        view_add(view, VIEW_TEXT, "%s",
                 T(c, "This row is for a vote against all."));
    bool chosen = flow_is_chosen(v->flow, bi, v->opt);
    if (chosen) {
        view_add(view, VIEW_TEXT, "%s", T(c, "You have chosen this."));
        view_option(view, VOTE_OPT_WHERE, "%s", T(c, "Where to mark"));
        view_option(view, VOTE_OPT_TAKE_BACK, "%s",
                    T(c, "Take back this choice"));
    } else {
        view_option(view, VOTE_OPT_CHOOSE, "%s", T(c, "Choose this"));
    }
    view_option(view, VOTE_OPT_LIST, "%s", T(c, "Back to the list"));
    const char *det = vote_text(&o->details, c->lang, &lang);
    if (det[0] != '\0' &&
        (it = view_option(view, VOTE_OPT_DETAILS, "%s", det)) != NULL)
        it->lang = lang;
    vote_notice(v, c, view);
    view_hint(view, "%s", T(c, "{select}: choose   {back}: back to the list"));
}

static void
vote_view_confirm(const struct vote *v, const struct ctx *c, struct view *view)
{
    const struct election_ballot *b = vote_ballot(v);
    const struct election_option *o = &b->options[v->opt];
    char buf[VIEW_TEXT_MAX], name[VIEW_TEXT_MAX], say[VIEW_TEXT_MAX], i[24];
    snprintf(i, sizeof i, "%d", o->position);
    vote_title(v, c, view, T(c, "Is this your choice?"));
    vote_named(c, b, o, false, name, sizeof name);
    struct view_item *it = view_add(view, VIEW_TEXT, "%s",
                                    vote_fmt(buf, sizeof buf,
                                             T(c, "{1}, window {2}."), name, i,
                                             0, 0));
    vote_named(c, b, o, true, name, sizeof name);
    if (it != NULL)
        snprintf(it->say, sizeof it->say, "%s",
                 vote_fmt(say, sizeof say, T(c, "{1}, window {2}."), name, i, 0,
                          0));
    view_option(view, VOTE_OPT_YES, "%s", T(c, "Yes, this is my choice"));
    view_option(view, VOTE_OPT_LIST, "%s", T(c, "No, back to the list"));
    view_hint(view, "%s", T(c, "{select}: answer   {back}: no"));
}

static bool
vote_last_ballot(const struct vote *v)
{
    return flow_ballot_index(v->flow) + 1 >= flow_n_ballots(v->flow);
}

/* Where to mark: the window counted from the top is read with the screen,
 * then the next step; the Braille number, the side of the box and the
 * stencil's placement follow the steps as options. */
static void
vote_view_guide(const struct vote *v, const struct ctx *c, struct view *view)
{
    const struct election_ballot *b = vote_ballot(v);
    size_t bi = flow_ballot_index(v->flow);
    char buf[VIEW_TEXT_MAX], i[24], r[24];
    snprintf(i, sizeof i, "%d", b->options[v->opt].position);
    vote_title(v, c, view,
               vote_fmt(buf, sizeof buf, T(c, "Where to mark: window {1}"), i,
                        0, 0, 0));
    vote_add_guidance(v, c, view, bi, v->opt, false);
    if (b->max_marks > 1) {
        size_t left = flow_remaining(v->flow, bi);
        snprintf(r, sizeof r, "%zu", left);
        view_add(view, VIEW_TEXT, "%s",
                 left > 0 ? vote_fmt(buf, sizeof buf,
                                     T(c, "You may choose {1} more on this "
                                          "ballot."),
                                     r, 0, 0, 0)
                          : T(c, "You have made every choice this ballot "
                                 "allows."));
    }
    view_option(view, VOTE_OPT_NEXT, "%s",
                vote_last_ballot(v) ? T(c, "Review all ballots")
                                    : T(c, "Next ballot"));
    view_option(view, VOTE_OPT_LIST, "%s", T(c, "Back to the list"));
    vote_add_guidance(v, c, view, bi, v->opt, true);
    view_hint(view, "%s",
              T(c, "{repeat}: repeat   {select}: choose   {back}: back"));
}

/* The review: one option per ballot, naming its choices and their windows
 * (the Braille number too, on screen); choosing it goes back to that
 * ballot. */
static void
vote_view_review(const struct vote *v, const struct ctx *c, struct view *view)
{
    char buf[VIEW_TEXT_MAX], say[VIEW_TEXT_MAX], name[VIEW_TEXT_MAX];
    char line[VIEW_TEXT_MAX], sline[VIEW_TEXT_MAX];
    char i[24], n[24];
    const struct election *e = flow_election(v->flow);
    vote_title(v, c, view, T(c, "Review"));
    view_add(view, VIEW_TEXT, "%s",
             T(c, "Choose a ballot to change it, or finish."));
    for (size_t bi = 0; bi < e->n_ballots; bi++) {
        const struct election_ballot *b = &e->ballots[bi];
        snprintf(i, sizeof i, "%zu", bi + 1);
        snprintf(n, sizeof n, "%zu", b->n_options);
        size_t lo = 0, so = 0;
        line[0] = sline[0] = '\0';
        long o;
        for (size_t k = 0; (o = flow_chosen_at(v->flow, bi, k)) >= 0; k++) {
            struct flow_guidance g;
            flow_guidance(v->flow, bi, (size_t)o, &g);
            char *cells, *spoken, *dots, w[24];
            vote_braille(&g, &cells, &spoken, &dots);
            snprintf(w, sizeof w, "%d", g.window);
            vote_named(c, b, &b->options[o], false, name, sizeof name);
            vote_fmt(buf, sizeof buf,
                     T(c, "{1}, window {2} of {3}, Braille {4}."), name, w, n,
                     cells);
            lo += (size_t)snprintf(line + lo, sizeof line - lo, "%s%s",
                                   lo > 0 ? " " : "", buf);
            vote_named(c, b, &b->options[o], true, name, sizeof name);
            vote_fmt(say, sizeof say, T(c, "{1}, window {2}."), name, w, 0, 0);
            so += (size_t)snprintf(sline + so, sizeof sline - so, "%s%s",
                                   so > 0 ? " " : "", say);
            if (lo >= sizeof line)
                lo = sizeof line - 1;
            if (so >= sizeof sline)
                so = sizeof sline - 1;
            xfree_wiped(cells);
            xfree_wiped(spoken);
            xfree_wiped(dots);
        }
        const char *none = T(c, "Nothing chosen.");
        struct view_item *it = view_option(
            view, VOTE_OPT_CHANGE + (int)bi, "%s",
            vote_fmt(buf, sizeof buf, T(c, "Ballot {1}: {2}"), i,
                     lo > 0 ? line : none, 0, 0));
        if (it != NULL)
            vote_fmt(it->say, sizeof it->say, T(c, "Ballot {1}: {2}"), i,
                     so > 0 ? sline : none, 0, 0);
    }
    sodium_memzero(line, sizeof line);
    sodium_memzero(sline, sizeof sline);
    sodium_memzero(say, sizeof say);
    sodium_memzero(name, sizeof name);
    view_option(view, VOTE_OPT_FINISH, "%s",
                v->practising ? T(c, "Finish the practice") : T(c, "Finish"));
    view->own_position = true; /* "Ballot 2: ..." */
    view_hint(view, "%s", T(c, "{select}: change or finish   {back}: back"));
}

static void
vote_view_finish(const struct vote *v, const struct ctx *c, struct view *view)
{
    vote_title(v, c, view, T(c, "Finish"));
    view_add(view, VIEW_TEXT, "%s",
             T(c, "Then this terminal forgets your choices."));
    view_option(view, VOTE_OPT_YES, "%s", T(c, "Yes, finish"));
    view_option(view, VOTE_OPT_REVIEW_BACK, "%s",
                T(c, "No, back to the review"));
    view_hint(view, "%s", T(c, "{select}: answer   {back}: back"));
}
static void
vote_view(const struct screen *s, const struct ctx *c, struct view *view)
{
    const struct vote *v = s->state;
    switch (v->phase) {
    case VOTE_START:
        vote_view_start(v, c, view);
        break;
    case VOTE_BALLOT:
        vote_view_ballot(v, c, view);
        break;
    case VOTE_OPTION:
        vote_view_option(v, c, view);
        break;
    case VOTE_CONFIRM:
        vote_view_confirm(v, c, view);
        break;
    case VOTE_GUIDE:
        vote_view_guide(v, c, view);
        break;
    case VOTE_REVIEW:
        vote_view_review(v, c, view);
        break;
    case VOTE_FINISH:
        vote_view_finish(v, c, view);
        break;
    case VOTE_ABOUT:
        vote_view_about(v, c, view);
        break;
    }
    if (v->phase != VOTE_BALLOT && v->phase != VOTE_OPTION)
        vote_notice(v, c, view);
}

/* Enters PHASE with the focus on option FOCUS: each step starts on its
 * first option (or, on a ballot, on the window last focused there). */
static void
vote_go(struct vote *v, enum vote_phase phase, int focus, struct fx_list *fx)
{
    v->phase = phase;
    fx_focus(fx, focus);
}

/* The current ballot, focused on the window the flow remembers for it;
 * its header is read the first time only. */
static void
vote_go_ballot(struct vote *v, struct fx_list *fx)
{
    unsigned bit = 1u << (flow_ballot_index(v->flow) % 32);
    v->header_quiet = (v->heard & bit) != 0;
    v->heard |= bit;
    vote_go(v, VOTE_BALLOT, (int)flow_cursor(v->flow), fx);
}

static void
vote_go_guide(struct vote *v, struct fx_list *fx)
{
    vote_go(v, VOTE_GUIDE, VOTE_OPT_NEXT, fx);
}

/* A new session or practice: its ballots' headers are read again. */
static void
vote_fresh(struct vote *v)
{
    v->heard = 0;
}

static void
vote_go_review(struct vote *v, struct fx_list *fx)
{
    vote_go(v, VOTE_REVIEW, VOTE_OPT_CHANGE, fx);
}

/* The flow remembers the focused window of each ballot (ID, a window's
 * id on the ballot's list), so that coming back to a ballot finds it. */
static void
vote_keep_cursor(struct vote *v, int id)
{
    const struct election_ballot *b = vote_ballot(v);
    if (b != NULL && id >= 0 && (size_t)id < b->n_options)
        flow_focus(v->flow, (size_t)id);
}

/* Ends the practice: its choices are wiped and freed. */
static void
vote_drop_trial(struct vote *v)
{
    flow_free(v->trial);
    v->trial = NULL;
    v->practising = false;
    v->flow = NULL;
}

/* Ends the session and the practice: every choice is wiped and freed. */
static void
vote_drop_flow(struct vote *v)
{
    vote_drop_trial(v);
    flow_free(v->real);
    v->real = NULL;
}

static void
vote_key_start(struct vote *v, const struct ctx *c, const struct key *k,
               struct fx_list *fx)
{
    if (k->action != ACTION_SELECT)
        return;
    switch (k->option) {
    case VOTE_OPT_PRACTICE:
        if (c->practice == NULL) {
            v->notice = VOTE_NOTICE_NO_PRACTICE;
            return;
        }
        v->trial = flow_new(c->practice);
        v->flow = v->trial;
        v->practising = true;
        vote_fresh(v);
        vote_go_ballot(v, fx);
        break;
    case VOTE_OPT_VOTE:
        if (c->election == NULL || c->election->n_ballots == 0)
            return;
        if (v->real == NULL) {
            v->real = flow_new(c->election);
            /* Counted for the close-of-day report; nothing else about
             * the session leaves this screen. */
            fx_add(fx, FX_VOTER_SESSION);
        }
        v->flow = v->real;
        v->voted = true;
        vote_fresh(v);
        vote_go_ballot(v, fx);
        break;
    case VOTE_OPT_LANGUAGE:
        fx_add(fx, FX_SET_LANG)->value = ((int)c->lang + 1) % LANG_COUNT;
        break;
    default:
        break;
    }
}

static void
vote_next_ballot(struct vote *v, struct fx_list *fx)
{
    if (vote_last_ballot(v)) {
        vote_go_review(v, fx);
    } else {
        flow_goto_ballot(v->flow, flow_ballot_index(v->flow) + 1);
        vote_go_ballot(v, fx);
    }
}

/* Leaves the ballots for the start screen; a practice is forgotten, a real
 * session is kept until it is finished or the visit ends. */
static void
vote_back_to_start(struct vote *v, struct fx_list *fx)
{
    vote_drop_trial(v);
    vote_go(v, VOTE_START, VOTE_OPT_VOTE, fx);
}

/* Back on a ballot: the previous ballot, or the start screen from the
 * first. */
static void
vote_previous_ballot(struct vote *v, struct fx_list *fx)
{
    if (flow_ballot_index(v->flow) > 0) {
        flow_goto_ballot(v->flow, flow_ballot_index(v->flow) - 1);
        vote_go_ballot(v, fx);
    } else {
        vote_back_to_start(v, fx);
    }
}

static void
vote_key_ballot(struct vote *v, const struct key *k, struct fx_list *fx)
{
    vote_keep_cursor(v, k->option);
    switch (k->action) {
    case ACTION_RIGHT:
        vote_next_ballot(v, fx);
        break;
    case ACTION_LEFT:
        if (flow_ballot_index(v->flow) == 0) {
            v->notice = VOTE_NOTICE_FIRST;
        } else {
            flow_goto_ballot(v->flow, flow_ballot_index(v->flow) - 1);
            vote_go_ballot(v, fx);
        }
        break;
    case ACTION_SELECT:
        if (k->option == VOTE_OPT_ABOUT) {
            vote_go(v, VOTE_ABOUT, VOTE_OPT_LIST, fx);
            break;
        }
        if (k->option < 0 || (size_t)k->option >= vote_ballot(v)->n_options)
            break;
        v->opt = (size_t)k->option;
        vote_go(v, VOTE_OPTION,
                flow_is_chosen(v->flow, flow_ballot_index(v->flow), v->opt)
                    ? VOTE_OPT_WHERE
                    : VOTE_OPT_CHOOSE,
                fx);
        break;
    default:
        break;
    }
}

static void
vote_key_option(struct vote *v, const struct key *k, struct fx_list *fx)
{
    size_t bi = flow_ballot_index(v->flow);
    if (k->action != ACTION_SELECT)
        return;
    switch (k->option) {
    case VOTE_OPT_CHOOSE:
        if (flow_remaining(v->flow, bi) == 0)
            v->notice = VOTE_NOTICE_FULL;
        else
            vote_go(v, VOTE_CONFIRM, VOTE_OPT_YES, fx);
        break;
    case VOTE_OPT_WHERE:
        vote_go_guide(v, fx);
        break;
    case VOTE_OPT_TAKE_BACK:
        flow_unchoose(v->flow, bi, v->opt);
        v->notice = VOTE_NOTICE_TAKEN_BACK;
        vote_go_ballot(v, fx);
        break;
    case VOTE_OPT_LIST:
        vote_go_ballot(v, fx);
        break;
    default:
        break;
    }
}

static void
vote_key_confirm(struct vote *v, const struct key *k, struct fx_list *fx)
{
    if (k->action != ACTION_SELECT)
        return;
    if (k->option == VOTE_OPT_LIST) {
        vote_go_ballot(v, fx);
    } else if (k->option == VOTE_OPT_YES) {
        if (flow_choose(v->flow, flow_ballot_index(v->flow), v->opt) ==
            FLOW_FULL) {
            v->notice = VOTE_NOTICE_FULL;
            vote_go_ballot(v, fx);
            return;
        }
        vote_go_guide(v, fx);
    }
}

static void
vote_key_guide(struct vote *v, const struct key *k, struct fx_list *fx)
{
    if (k->action == ACTION_SELECT && k->option == VOTE_OPT_LIST)
        vote_go_ballot(v, fx);
    else if ((k->action == ACTION_SELECT && k->option == VOTE_OPT_NEXT) ||
             k->action == ACTION_RIGHT)
        vote_next_ballot(v, fx);
}

static void
vote_key_review(struct vote *v, const struct key *k, struct fx_list *fx)
{
    if (k->action == ACTION_LEFT) {
        vote_go_ballot(v, fx);
        return;
    }
    if (k->action != ACTION_SELECT)
        return;
    if (k->option == VOTE_OPT_FINISH) {
        vote_go(v, VOTE_FINISH, VOTE_OPT_YES, fx);
    } else if (k->option >= VOTE_OPT_CHANGE) {
        size_t bi = (size_t)(k->option - VOTE_OPT_CHANGE);
        if (flow_goto_ballot(v->flow, bi) == FLOW_OK)
            vote_go_ballot(v, fx);
    }
}

static void
vote_key_finish(struct vote *v, const struct key *k, struct fx_list *fx)
{
    if (k->action != ACTION_SELECT)
        return;
    if (k->option == VOTE_OPT_REVIEW_BACK) {
        vote_go_review(v, fx);
        return;
    }
    if (k->option != VOTE_OPT_YES)
        return;
    if (v->practising) {
        vote_back_to_start(v, fx);
        v->notice = VOTE_NOTICE_PRACTICE_DONE;
        return;
    }
    /* The end of the visit: the app frees (and so wipes) this screen. */
    vote_drop_flow(v);
    fx_add(fx, FX_HOME);
}

static void
vote_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    struct vote *v = s->state;
    enum vote_notice was = v->notice;
    v->notice = VOTE_NOTICE_NONE;
    switch (v->phase) {
    case VOTE_START:
        if (was == VOTE_NOTICE_PRACTICE_DONE && k->action != ACTION_SELECT)
            v->notice = was;
        vote_key_start(v, c, k, fx);
        break;
    case VOTE_BALLOT:
        vote_key_ballot(v, k, fx);
        break;
    case VOTE_OPTION:
        vote_key_option(v, k, fx);
        break;
    case VOTE_CONFIRM:
        vote_key_confirm(v, k, fx);
        break;
    case VOTE_GUIDE:
        vote_key_guide(v, k, fx);
        break;
    case VOTE_REVIEW:
        vote_key_review(v, k, fx);
        break;
    case VOTE_FINISH:
        vote_key_finish(v, k, fx);
        break;
    case VOTE_ABOUT:
        if (k->action == ACTION_SELECT && k->option == VOTE_OPT_LIST)
            vote_go_ballot(v, fx);
        break;
    }
}

/* Back (Escape): one step back in the session; from the start screen, out
 * of voting assistance. */
static void
vote_back(struct screen *s, const struct ctx *c, const struct key *k,
          struct fx_list *fx)
{
    (void)c;
    struct vote *v = s->state;
    v->notice = VOTE_NOTICE_NONE;
    switch (v->phase) {
    case VOTE_START:
        fx_add(fx, FX_POP);
        break;
    case VOTE_BALLOT:
        vote_keep_cursor(v, k->option);
        vote_previous_ballot(v, fx);
        break;
    case VOTE_OPTION:
    case VOTE_CONFIRM:
    case VOTE_GUIDE:
    case VOTE_REVIEW:
    case VOTE_ABOUT:
        vote_go_ballot(v, fx);
        break;
    case VOTE_FINISH:
        vote_go_review(v, fx);
        break;
    }
}

static void
vote_release(void *state)
{
    struct vote *v = state;
    vote_drop_flow(v);
}

/* Left and Right move between ballots on a ballot: switch scanning offers
 * them as items there. */
static bool
vote_sections(const struct screen *s)
{
    const struct vote *v = s->state;
    return v->phase == VOTE_BALLOT;
}

static const struct screen_ops vote_ops = {
    .name = "vote",
    .help = N_("Voting assistance. This terminal reads the ballots to you "
               "and tells you which window of the Braille stencil to mark; "
               "it never keeps your choice. On a ballot, {up} and {down} "
               "move between the windows, counted from the top, and {left} "
               "and {right} between ballots; the last item of a ballot reads "
               "its text and instructions as printed. {select} opens a "
               "window to hear more and to choose it. After you confirm, you "
               "hear where to mark: the window's number counted from the "
               "top; below the next steps, its Braille number, where in the "
               "window to mark and how to lay the stencil. There {repeat} "
               "repeats the window's number, the Braille dots and the side "
               "of the box. At the end the review names every choice. Your "
               "choices are forgotten when you finish."),
    .session = true,
    .view = vote_view,
    .key = vote_key,
    .back = vote_back,
    .release = vote_release,
    .sections = vote_sections,
    .state_size = sizeof(struct vote),
};

struct screen *
screen_vote_new(void)
{
    struct vote *v = xcalloc(1, sizeof *v);
    return screen_new(&vote_ops, v);
}
