/*
 * Language spans: what the app says is a list of spans, each in its own
 * language, and no voice is ever handed a letter outside its alphabet.
 *
 * fx_say_spans() is tested on its own (marks, gaps, punctuation, names
 * found by their script). Then the whole demo is walked in kk, ru and en
 * through the headless driver: the welcome, home, voting (start, practice,
 * each ballot, each window, confirm, guidance, review, finish), services
 * (catalogue, categories, every service, the application steps, status)
 * and help on every screen. The walk is an explorer, not a script: from
 * every screen it reached it tries each option (and typed answers on entry
 * screens), replaying the keys from a fresh app, so that a new screen is
 * walked without this test being changed. On every screen it repeats the
 * screen, moves the focus over every option and opens help, and checks
 * every span of every utterance: a Kazakh voice reads Cyrillic (Russian
 * and Kazakh letters), a Russian voice only the Russian alphabet, an
 * English voice only Latin; no voice gets Latin except English (key names
 * and codes in a Kazakh or Russian sentence are English spans: docs/
 * speech.md). The alphabet check here is written apart from the kiosk's
 * own script table (kiosk/view.c), so that a mistake there is caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/utf8.h"
#include "ballot/election.h"
#include "ballot/package.h"
#include "kiosk/fx.h"
#include "kiosk/services.h"
#include "services/catalogue.h"
#include "services/damm.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

/* --- the alphabets ---------------------------------------------------- */

static bool
is_latin(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

/* The 33 letters of the Russian alphabet, both cases. */
static bool
is_russian(uint32_t cp)
{
    return (cp >= 0x410 && cp <= 0x44F) || cp == 0x401 || cp == 0x451;
}

static bool
is_cyrillic(uint32_t cp)
{
    return cp >= 0x400 && cp <= 0x52F;
}

/* The 9 letters Kazakh adds to the Russian alphabet, both cases. */
static bool
is_kazakh_only(uint32_t cp)
{
    static const uint32_t kk[] = {0x4D8, 0x4D9, 0x492, 0x493, 0x49A, 0x49B,
                                  0x4A2, 0x4A3, 0x4E8, 0x4E9, 0x4B0, 0x4B1,
                                  0x4AE, 0x4AF, 0x4BA, 0x4BB, 0x406, 0x456};
    for (size_t i = 0; i < sizeof kk / sizeof kk[0]; i++)
        if (cp == kk[i])
            return true;
    return false;
}

/* True when the voice of LANG reads the letter CP (anything that is not
 * a letter of these scripts is read by all: digits, punctuation). */
static bool
voice_reads(int lang, uint32_t cp)
{
    if (!is_latin(cp) && !is_cyrillic(cp))
        return true;
    switch (lang) {
    case LANG_KK:
        return is_russian(cp) || is_kazakh_only(cp);
    case LANG_RU:
        return is_russian(cp);
    default:
        return is_latin(cp);
    }
}

/* The first letter of the LEN bytes at S that LANG's voice cannot read,
 * or 0. */
static uint32_t
unreadable(int lang, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += utf8_decode_shown(s + i, len - i, &cp);
        if (!voice_reads(lang, cp))
            return cp;
    }
    return 0;
}

/* --- checking what was said ------------------------------------------- */

struct report {
    int problems;
    char first[40][512];
    int n_first;
};

static void
report_add(struct report *r, const char *where, const char *what)
{
    r->problems++;
    char line[512];
    snprintf(line, sizeof line, "%s: %s", where, what);
    for (int i = 0; i < r->n_first; i++)
        if (strcmp(r->first[i], line) == 0)
            return;
    if (r->n_first < 40)
        snprintf(r->first[r->n_first++], sizeof r->first[0], "%s", line);
}

/* Checks every span of every FX_SAY in OUT: the spans cover the text in
 * order, and each holds only letters its voice reads. */
static void
check_said(struct report *r, const struct fx_list *out, const char *where)
{
    for (size_t i = 0; i < out->n; i++) {
        const struct fx *f = &out->v[i];
        if (f->kind != FX_SAY)
            continue;
        size_t at = 0;
        if (f->n_spans == 0)
            report_add(r, where, "an utterance without spans");
        for (size_t k = 0; k < f->n_spans; k++) {
            const struct fx_span *s = &f->spans[k];
            if (s->off != at || s->len == 0)
                report_add(r, where, "spans do not cover the text");
            at = s->off + s->len;
            uint32_t cp = unreadable(s->lang, f->text + s->off, s->len);
            if (cp != 0) {
                char msg[480];
                snprintf(msg, sizeof msg, "U+%04X in a %s span \"%.*s\"",
                         (unsigned)cp, lang_code((enum lang)s->lang),
                         (int)(s->len > 300 ? 300 : s->len), f->text + s->off);
                report_add(r, where, msg);
            }
        }
        if (at != strlen(f->text))
            report_add(r, where, "spans do not cover the text");
    }
}

/* --- fx_say_spans() --------------------------------------------------- */

/* The span K of the last FX_SAY in L as "lang:text". */
static const char *
span_at(const struct fx_list *l, size_t k)
{
    static char buf[256];
    const struct fx *f = &l->v[l->n - 1];
    if (k >= f->n_spans)
        return "-";
    const struct fx_span *s = &f->spans[k];
    snprintf(buf, sizeof buf, "%s:%.*s", lang_code((enum lang)s->lang),
             (int)s->len, f->text + s->off);
    return buf;
}

static size_t
n_spans(const struct fx_list *l)
{
    return l->v[l->n - 1].n_spans;
}

static void
test_a_kazakh_name_in_a_russian_sentence(void **state)
{
    (void)state;
    struct fx_list l = {0};
    /* Found by its script: the whole quotation, not word by word. */
    fx_say(&l, LANG_RU, "Окно 1 из 7: Партия «Болашақ жолы».");
    assert_int_equal(n_spans(&l), 2);
    assert_string_equal(span_at(&l, 0), "ru:Окно 1 из 7: Партия «");
    assert_string_equal(span_at(&l, 1), "kk:Болашақ жолы»."); /* no words:
                                                  joined to the name */
    assert_string_equal(span_at(&l, 2), "-");
    fx_clear(&l);
    /* Outside quotes: words with Kazakh letters, joined across spaces. */
    fx_say(&l, LANG_RU, "Кандидат Жұмабаева Айгерім Қайратқызы, окно 5");
    assert_string_equal(span_at(&l, 0), "ru:Кандидат ");
    assert_string_equal(span_at(&l, 1), "kk:Жұмабаева Айгерім Қайратқызы");
    assert_string_equal(span_at(&l, 2), "ru:, окно 5");
    fx_clear(&l);
    /* Cyrillic in English: Russian unless it has a Kazakh letter. */
    fx_say(&l, LANG_EN, "Choose Русский or Қазақша");
    assert_int_equal(n_spans(&l), 4);
    assert_string_equal(span_at(&l, 1), "ru:Русский");
    assert_string_equal(span_at(&l, 2), "en: or ");
    assert_string_equal(span_at(&l, 3), "kk:Қазақша");
    fx_clear(&l);
    /* A word in two scripts is split where the script changes. */
    fx_say(&l, LANG_RU, "Наведите QR-код сюда");
    assert_string_equal(span_at(&l, 0), "ru:Наведите ");
    assert_string_equal(span_at(&l, 1), "en:QR-");
    assert_string_equal(span_at(&l, 2), "ru:код сюда");
    fx_clear(&l);
    /* Latin in Kazakh: an English span. */
    fx_say(&l, LANG_KK, "F1: анықтама");
    assert_string_equal(span_at(&l, 0), "en:F1");
    assert_string_equal(span_at(&l, 1), "kk:: анықтама");
    fx_clear(&l);
    /* A Kazakh voice reads Russian letters: one span. */
    fx_say(&l, LANG_KK, "Жумабаева Айгерим");
    assert_int_equal(n_spans(&l), 1);
    fx_list_free(&l);
}

static void
test_marks_give_languages(void **state)
{
    (void)state;
    struct fx_list l = {0};
    const char *t = "Окно 4: Nur Otan, окно 5";
    /* A marked part keeps its language even where the script would say
     * otherwise, and what it cannot read is still split off. */
    struct fx_span marks[] = {
        {(size_t)(strstr(t, "Nur") - t), strlen("Nur Otan"), LANG_KK}};
    fx_say_spans(&l, LANG_RU, t, marks, 1);
    assert_int_equal(n_spans(&l), 3);
    assert_string_equal(span_at(&l, 0), "ru:Окно 4: ");
    assert_string_equal(span_at(&l, 1), "en:Nur Otan");
    assert_string_equal(span_at(&l, 2), "ru:, окно 5");
    assert_string_equal(span_at(&l, 3), "-");
    fx_clear(&l);
    /* A Russian name marked Kazakh in a Russian sentence. */
    const char *u = "Вы выбрали: Жумабаева. Верно?";
    struct fx_span m2[] = {
        {(size_t)(strstr(u, "Жумабаева") - u), strlen("Жумабаева"), LANG_KK}};
    fx_say_spans(&l, LANG_RU, u, m2, 1);
    assert_int_equal(n_spans(&l), 3);
    assert_string_equal(span_at(&l, 1), "kk:Жумабаева");
    assert_string_equal(span_at(&l, 2), "ru:. Верно?");
    assert_int_equal(l.v[0].lang, LANG_RU);
    fx_list_free(&l);
}

static struct election *
read_package(const char *dir)
{
    struct election *e = NULL;
    char *why = NULL;
    if (package_read(dir, &e, &why) < 0) {
        fprintf(stderr, "%s: %s\n", dir, why);
        free(why);
        fail();
    }
    return e;
}

/* --- names on the ballot ---------------------------------------------- */

/* The spans of the first FX_SAY of the last key whose text contains TEXT,
 * as "lang:text|lang:text", or "" when none does. */
static const char *
spans_of(const struct driver *d, const char *text)
{
    static char buf[2048];
    buf[0] = '\0';
    for (size_t i = 0; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind != FX_SAY || strstr(f->text, text) == NULL)
            continue;
        size_t n = 0;
        for (size_t k = 0; k < f->n_spans && n < sizeof buf; k++)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s:%.*s",
                                  k > 0 ? "|" : "",
                                  lang_code((enum lang)f->spans[k].lang),
                                  (int)f->spans[k].len,
                                  f->text + f->spans[k].off);
        break;
    }
    return buf;
}

/* A driver in LANG with ELECTION open, at the first ballot's list. */
static struct driver *
ballot_driver(int lang, struct election *election)
{
    struct driver *d = driver_new(
        &(struct driver_options){.mode = MODE_VOTING, .first_lang = lang});
    app_set_election(d->app, election);
    app_set_voting(d->app, true);
    driver_enter(d); /* welcome: the language */
    driver_enter(d); /* home: voting */
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* start voting */
    return d;
}

static void
test_names_in_their_language(void **state)
{
    (void)state;
    /* A Kazakh party name in a Russian label: the Kazakh voice. */
    struct driver *d = ballot_driver(LANG_RU,
                                     read_package("data/demo/election"));
    assert_string_equal(spans_of(d, "Болашақ"),
                        "ru:Партия «|kk:Болашақ жолы|ru:», окно 1.");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(spans_of(d, "Ауыл"),
                        "ru:Партия «|kk:Ауыл еңбегі|ru:», окно 3.");
    /* A Russian `say` for a Russian voter: Russian only. */
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(spans_of(d, "Абилкасы"),
                        "ru:Абилкасы́мова Гульна́з Серико́вна, окно 2.");
    driver_free(d);

    /* No English label: the Russian one, in the Russian voice, with the
     * Kazakh name in the Kazakh one. */
    struct election *e = read_package("data/demo/election");
    struct election_option *o = &e->ballots[0].options[0];
    free(o->label.s[ELECTION_EN]);
    o->label.s[ELECTION_EN] = NULL;
    struct election_option *o2 = &e->ballots[0].options[1];
    free(o2->label.s[ELECTION_EN]);
    o2->label.s[ELECTION_EN] = NULL;
    o2->say.s[ELECTION_EN] = strdup("Taza Ozen");
    d = ballot_driver(LANG_EN, e);
    assert_string_equal(spans_of(d, "Болашақ"),
                        "ru:Партия «|kk:Болашақ жолы|en:», window 1.");
    /* An English `say` wins over the Russian label. */
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(spans_of(d, "Taza"), "en:Taza Ozen, window 2.");
    assert_true(driver_shows(d, "Экологическая партия «Таза өзен»"));
    driver_free(d);
}

static void
test_welcome_title_in_kazakh(void **state)
{
    (void)state;
    struct driver *d = driver_new(
        &(struct driver_options){.first_lang = LANG_RU});
    assert_string_equal(spans_of(d, "Dauys"), "kk:Дауыс · |en:Dauys");
    driver_free(d);
}

/* --- the walk --------------------------------------------------------- */

enum step_kind { STEP_ENTER, STEP_UP, STEP_DOWN, STEP_TYPE };

struct step {
    enum step_kind kind;
    const char *text; /* STEP_TYPE */
};

#define PATH_MAX_STEPS 160
#define WALK_MAX_STATES 1000
#define WALK_MAX_PATHS 20000

/* The keys from a fresh app to a screen, and what tells apart screens
 * that look the same but lead on differently (the guidance of one window
 * on two ballots): the list the visitor last chose from. */
struct path {
    struct step s[PATH_MAX_STEPS];
    size_t n;
    uint64_t list; /* hash of the title of the last screen with 3 options
                      or more */
};

struct walk {
    int lang;
    struct election *election, *practice;
    struct catalogue *cat;
    struct services sv;
    char number[10];
    char *seen[WALK_MAX_STATES];
    size_t n_seen;
    struct path *queue; /* WALK_MAX_PATHS */
    size_t head, tail;
    size_t dropped; /* paths not walked: too long, or too many */
    struct report rep;
    char titles[65536]; /* every screen title seen, for the coverage check */
};

static int
fake_submit(void *ctx, const struct application *a, char number[10],
            int64_t *created, char **why)
{
    struct walk *w = ctx;
    (void)a;
    (void)why;
    snprintf(number, 10, "%s", w->number);
    *created = 1740000000;
    return 0;
}

static int
fake_status(void *ctx, const char *number, enum app_status *status,
            int64_t *changed_at, char *service, char **why)
{
    struct walk *w = ctx;
    (void)why;
    if (strcmp(number, w->number) != 0)
        return 1;
    *status = STATUS_FORWARDED;
    *changed_at = 1740000000;
    snprintf(service, 33, "invataxi");
    return 0;
}

static int
fake_print(void *ctx, const struct receipt *r, char **why)
{
    (void)ctx;
    (void)r;
    (void)why;
    return 0;
}

static const struct services_ops walk_ops = {
    .submit = fake_submit,
    .status = fake_status,
    .print = fake_print,
};

/* A fresh app in LANG: voting open with the demo package, services with
 * the bundled catalogue. */
static struct driver *
walk_start(struct walk *w)
{
    struct driver *d = driver_new(&(struct driver_options){
        .mode = MODE_BOTH,
        .first_lang = w->lang,
        .svc = &w->sv,
    });
    app_set_election(d->app, read_package("data/demo/election"));
    app_set_practice(d->app, read_package("data/demo/practice"));
    app_set_voting(d->app, true);
    return d;
}

static void
walk_step(struct driver *d, const struct step *s)
{
    switch (s->kind) {
    case STEP_ENTER:
        driver_enter(d);
        break;
    case STEP_UP:
        driver_press(d, TERM_KEY_UP, 0);
        break;
    case STEP_DOWN:
        driver_press(d, TERM_KEY_DOWN, 0);
        break;
    case STEP_TYPE:
        driver_type(d, s->text);
        break;
    }
}

/* What tells one screen from another: the title and the texts that are
 * not options (a window's details, a step's question). */
static char *
walk_signature(const struct view *v, uint64_t list)
{
    size_t cap = 4096, n = 0;
    char *sig = calloc(1, cap);
    n += (size_t)snprintf(sig, cap, "%016llx|%s", (unsigned long long)list,
                          v->title);
    for (size_t i = 0; i < v->n_items && n < cap - 1; i++)
        if (v->items[i].kind == VIEW_TEXT)
            n += (size_t)snprintf(sig + n, cap - n, "|%.300s",
                                  v->items[i].text);
    return sig;
}

static bool
walk_seen(struct walk *w, const char *sig)
{
    for (size_t i = 0; i < w->n_seen; i++)
        if (strcmp(w->seen[i], sig) == 0)
            return true;
    return false;
}

static void
walk_push(struct walk *w, const struct path *p, const struct step *more,
          size_t n_more)
{
    if (w->tail >= WALK_MAX_PATHS || p->n + n_more > PATH_MAX_STEPS) {
        w->dropped++;
        return;
    }
    struct path *q = &w->queue[w->tail++];
    *q = *p;
    for (size_t i = 0; i < n_more; i++)
        q->s[q->n++] = more[i];
}

/* Repeats the screen, reads every option and opens help, checking what
 * each says. The app is not used again afterwards. */
static void
walk_tour(struct walk *w, struct driver *d, const char *where)
{
    size_t n = view_option_count(app_view(d->app));
    driver_action(d, ACTION_REPEAT);
    check_said(&w->rep, &d->out, where);
    for (size_t i = 0; i < n; i++) {
        driver_press(d, TERM_KEY_UP, 0);
        check_said(&w->rep, &d->out, where);
    }
    for (size_t i = 0; i < n; i++) {
        driver_press(d, TERM_KEY_DOWN, 0);
        check_said(&w->rep, &d->out, where);
    }
    driver_action(d, ACTION_HELP);
    check_said(&w->rep, &d->out, where);
}

/* The typed answers an entry screen is offered: an IIN, a phone number,
 * an application number. */
static const char *const walk_inputs[] = {"061211600012", "7011234567", NULL};

static uint64_t walk_hash(const char *s);

static void
walk_one(struct walk *w, const struct path *p)
{
    struct driver *d = walk_start(w);
    char where[600];
    const char *title = app_view(d->app)->title;
    snprintf(where, sizeof where, "welcome");
    if (p->n == 0)
        check_said(&w->rep, &d->out, where);
    for (size_t i = 0; i < p->n; i++)
        walk_step(d, &p->s[i]);
    const struct view *v = app_view(d->app);
    title = v->title;
    snprintf(where, sizeof where, "%s «%.200s»", lang_code(app_lang(d->app)),
             title);
    check_said(&w->rep, &d->out, where);
    char *sig = walk_signature(v, p->list);
    if (walk_seen(w, sig) || w->n_seen >= WALK_MAX_STATES) {
        free(sig);
        driver_free(d);
        return;
    }
    w->seen[w->n_seen++] = sig;
    size_t tl = strlen(w->titles);
    snprintf(w->titles + tl, sizeof w->titles - tl, "%s\n", title);

    /* The ways on: each option (from the top), and typed answers. */
    size_t n = view_option_count(v);
    struct path here = *p;
    /* A screen is told apart by the list it was reached from: two
     * ballots' guidance screens look alike, but lead on to different
     * ballots. Short menus (a window's options, a confirmation) keep the list
     * they were reached from. */
    if (n >= 4)
        here.list = walk_hash(v->title);
    p = &here;
    bool entry = false;
    for (size_t i = 0; i < v->n_items; i++)
        entry = entry || v->items[i].kind == VIEW_ENTRY;
    struct step go[80 + 1];
    size_t at = v->focus >= 0 ? view_option_rank(v, v->focus) : 1;
    for (size_t k = 1; k <= n; k++) {
        size_t m = 0;
        for (size_t u = k; u < at; u++)
            go[m++] = (struct step){STEP_UP, NULL};
        for (size_t u = at; u < k; u++)
            go[m++] = (struct step){STEP_DOWN, NULL};
        go[m++] = (struct step){STEP_ENTER, NULL};
        walk_push(w, p, go, m);
    }
    if (entry) {
        const char *inputs[] = {walk_inputs[0], walk_inputs[1], w->number,
                                "Aigerim"};
        for (size_t k = 0; k < 4; k++) {
            struct step t[2] = {{STEP_TYPE, inputs[k]}, {STEP_ENTER, NULL}};
            walk_push(w, p, t, 2);
        }
        walk_push(w, p, &(struct step){STEP_ENTER, NULL}, 1);
    }
    walk_tour(w, d, where);
    driver_free(d);
}

/* FNV-1a of S. */
static uint64_t
walk_hash(const char *s)
{
    uint64_t h = 14695981039346656037ULL;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void
walk_lang(int lang, const char *const *must_see)
{
    struct walk *w = calloc(1, sizeof *w);
    w->lang = lang;
    w->queue = calloc(WALK_MAX_PATHS, sizeof *w->queue);
    unit_ok(catalogue_load("data/services/catalogue.txt", &w->cat, unit_why()));
    snprintf(w->number, sizeof w->number, "12345678");
    w->number[8] = (char)('0' + damm_digit(w->number));
    w->sv = (struct services){
        .catalogue = w->cat,
        .centre = "ALM-01",
        .keyboard = true,
        .retention_days = 1095,
        .ops = &walk_ops,
        .ops_ctx = w,
    };
    struct path start = {0};
    walk_push(w, &start, NULL, 0);
    while (w->head < w->tail)
        walk_one(w, &w->queue[w->head++]);

    for (int i = 0; i < w->rep.n_first; i++)
        print_error("%s\n", w->rep.first[i]);
    int problems = w->rep.problems;
    /* The walk reached what it must (a walk that stopped early would
     * pass for the wrong reason). */
    for (size_t i = 0; must_see[i] != NULL; i++)
        if (strstr(w->titles, must_see[i]) == NULL) {
            print_error("the walk never reached \"%s\"\n", must_see[i]);
            problems++;
        }
    if (getenv("WALK_TITLES") != NULL)
        fprintf(stderr, "%zu screens, %zu paths, %zu dropped:\n%s", w->n_seen,
                w->tail, w->dropped, w->titles);
    for (size_t i = 0; i < w->n_seen; i++)
        free(w->seen[i]);
    catalogue_free(w->cat);
    free(w->queue);
    free(w);
    assert_int_equal(problems, 0);
}

/* The walk starts at the welcome that greets in kk and ru and offers kk, ru
 * and en: it goes on in all three. */
static void
test_walk_every_screen(void **state)
{
    (void)state;
    static const char *const must[] = {
        "Дауыс · Dauys",
        /* voting: each ballot, a window, guidance, review, finish */
        "Жаттығу · 1 бюллетеньнің 1-бюллетені", "3 бюллетеньнің 3-бюллетені",
        "Белгіні қайда қою керек: 7-терезе", "Шолу", "Бюллетень 2 из 3",
        "Где ставить отметку: окно 7", "Проверка", "Ballot 3 of 3",
        "Where to mark: window 2", "Review",
        /* services: catalogue, a category, a service, the steps, status */
        "Әлеуметтік қызметтер", "Орталықтағы көмек", "Инватакси", "Сіздің ЖСН",
        "Телефон нөміріңіз", "Өтінішіңіздің мәртебесі", "Социальные услуги",
        "Помощь в центре", "Ваш ИИН", "Ваш номер телефона",
        "Статус Вашей заявки", "Social services", "Invataxi", "Your IIN",
        "Status of your application", NULL};
    walk_lang(-1, must);
}

/* A list of languages: each entry and its place in the entry's language
 * («Русский», "2 из 3"; not "3 ішінен 2" in the Kazakh voice). */
static void
test_position_in_the_items_language(void **state)
{
    (void)state;
    struct driver *d = driver_new(&(struct driver_options){.first_lang = -1});
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Русский");
    assert_true(driver_said(d, LANG_RU, "Русский"));
    assert_true(driver_said(d, LANG_RU, "2 из 3"));
    assert_false(driver_said(d, LANG_KK, "ішінен"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "3 of 3"));
    driver_free(d);
}

/* The welcome that greets in kk and ru at once (no --lang). */
static void
test_walk_bilingual_welcome(void **state)
{
    (void)state;
    struct walk w = {.lang = -1};
    struct driver *d = driver_new(&(struct driver_options){.first_lang = -1});
    check_said(&w.rep, &d->out, "welcome");
    walk_tour(&w, d, "welcome");
    driver_free(d);
    for (int i = 0; i < w.rep.n_first; i++)
        print_error("%s\n", w.rep.first[i]);
    assert_int_equal(w.rep.problems, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_kazakh_name_in_a_russian_sentence),
        cmocka_unit_test(test_marks_give_languages),
        cmocka_unit_test(test_names_in_their_language),
        cmocka_unit_test(test_welcome_title_in_kazakh),
        cmocka_unit_test(test_position_in_the_items_language),
        cmocka_unit_test(test_walk_bilingual_welcome),
        cmocka_unit_test(test_walk_every_screen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
