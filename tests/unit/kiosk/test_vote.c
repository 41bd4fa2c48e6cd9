/*
 * The voter's screens and the election staff screens, driven headless
 * through the app: keys in, utterances and the view model out. A session
 * over the demo package (three ballots, test: true) in English, Russian
 * and Kazakh; a two-mark ballot; the practice ballot; the end of a
 * session by finishing, by F10 and by FX_HOME; where the focus lands at
 * each step and on each ballot (options by id, the app moving the focus);
 * the review laid out at 80x24; the staff menu's effects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ballot/package.h"
#include "kiosk/layout.h"
#include "tests/unit/free_hook.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

/* The app as the kiosk runs it, with the idle timeout. */
static struct driver *
start(enum kiosk_mode mode, int first_lang, const char *pin)
{
    return driver_new(&(struct driver_options){
        .mode = mode,
        .first_lang = first_lang,
        .pin = pin,
        .idle_warning_s = 180,
        .idle_grace_s = 30,
    });
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

/* A driver with the demo package loaded and voting OPEN or not. */
static struct driver *
voting_driver(int lang, bool open)
{
    struct driver *d = start(MODE_BOTH, lang, "246810");
    app_set_election(d->app, read_package("data/demo/election"));
    app_set_practice(d->app, read_package("data/demo/practice"));
    app_set_voting(d->app, open);
    return d;
}

/* From the welcome screen (language already chosen) to the voter's
 * start screen. */
static void
open_voting(struct driver *d)
{
    driver_enter(d); /* welcome: the focused language */
    driver_enter(d); /* home: voting assistance */
}

static void
test_voting_closed_or_without_package_says_not_open(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, false);
    open_voting(d);
    assert_true(driver_shows(d, "not open on this terminal"));
    driver_free(d);
    d = start(MODE_BOTH, LANG_EN, NULL);
    app_set_voting(d->app, true); /* no package: stays closed */
    assert_false(app_voting_open(d->app));
    open_voting(d);
    assert_true(driver_shows(d, "not open on this terminal"));
    driver_free(d);
}

/* The start screen says where the voter is (a test package's voting
 * assistance) and how to lay the stencil, then the first option; what the
 * terminal does and the keys are in help. */
static void
test_start_says_the_essentials_and_keys_are_in_help(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    assert_true(driver_shows(d, "TEST PACKAGE · Voting assistance"));
    assert_true(driver_said(d, LANG_EN, "TEST PACKAGE · Voting assistance"));
    assert_true(driver_shows(d, "This is a test package, not a real "
                                "election."));
    assert_true(driver_said(d, LANG_EN,
                            "Lay the stencil on each ballot with the cut "
                            "corners together."));
    assert_false(driver_said(d, LANG_EN, "move between the windows"));
    assert_false(driver_said(d, LANG_EN, "Demonstration"));
    assert_string_equal(driver_focused(d), "Practice ballot");
    assert_string_equal(driver_last_said(d), "1 of 3");
    driver_action(d, ACTION_HELP);
    /* The keys named are the keyboard's: the visitor used it. */
    assert_true(driver_said(d, LANG_EN,
                            "Up and Down move between "
                            "the windows"));
    assert_true(driver_said(d, LANG_EN, "it never keeps your choice"));
    driver_free(d);
}

static void
test_session_guidance_in_english(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Start voting */
    assert_true(driver_shows(d, "Ballot 1 of 3"));
    assert_true(driver_said(d, LANG_EN, "Ballot 1 of 3"));
    assert_true(driver_said(d, LANG_EN, "Party lists, 7 windows."));
    /* The title and instructions as printed are shown, not read. */
    assert_true(driver_shows(d, "Put any mark in the empty square"));
    assert_false(driver_said(d, LANG_EN, "Put any mark in the empty square"));
    assert_false(driver_said(d, LANG_EN, "Ballot paper for"));
    /* The name first, then the window; no "1 of 8" added. */
    assert_string_equal(driver_last_said(d), "Bolashaq Joly party, window 1.");
    for (int i = 0; i < 6; i++)
        driver_press(d, TERM_KEY_DOWN, 0);
    /* Against all is announced as such, and only once when the label
     * already says it. */
    assert_string_equal(driver_last_said(d), "Against all, window 7.");
    assert_false(driver_said(d, LANG_EN, "Against all: Against all"));
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_true(driver_said(d, LANG_EN, "Ballot 2 of 3"));
    assert_true(driver_said(d, LANG_EN, "Candidates, 7 windows."));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_last_said(d),
                        "Gabdullin Timur Maratuly, window 4.");
    driver_enter(d); /* open window 4 */
    assert_true(driver_shows(d, "Window 4 of 7"));
    assert_true(driver_said(d, LANG_EN, "Gabdullin Timur Maratuly"));
    /* The details are shown, and read when the voter moves to them. */
    assert_true(driver_shows(d, "1990"));
    assert_false(driver_said(d, LANG_EN, "1990"));
    assert_string_equal(driver_focused(d), "Choose this");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "1990"));
    driver_press(d, TERM_KEY_UP, 0);
    driver_press(d, TERM_KEY_UP, 0);
    driver_enter(d);
    assert_true(driver_shows(d, "Is this your choice?"));
    assert_true(driver_said(d, LANG_EN, "Gabdullin Timur Maratuly, window 4."));
    driver_enter(d); /* yes */
    assert_true(driver_shows(d, "Where to mark: window 4"));
    assert_true(
        driver_said(d, LANG_EN, "Window 4 of 7, counted from the top."));
    /* The stencil's placement was said on the start screen. */
    assert_false(driver_said(d, LANG_EN, "Lay the stencil"));
    assert_false(driver_said(d, LANG_EN, "dots"));
    assert_string_equal(driver_last_said(d), "1 of 5");
    assert_true(driver_shows(d, "⠼⠙"));
    assert_true(driver_shows(d, "at the top right"));
    /* Repeatable at any time. */
    driver_char(d, 'r');
    assert_true(driver_said(d, LANG_EN, "Next ballot"));
    /* The Braille number, the side of the box and the stencil follow. */
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN,
                            "Braille number beside the window: dots 3 4 5 6, "
                            "1 4 5."));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "right of the name"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN,
                            "cut corners together, at the top "
                            "right"));
    driver_char(d, '1');
    driver_enter(d); /* Next ballot: the referendum */
    assert_true(driver_shows(d, "Ballot 3 of 3"));
    /* A referendum's question is read before its answers. */
    assert_true(driver_said(d, LANG_EN, "Do you agree"));
    assert_string_equal(driver_last_said(d), "Answer: Yes, window 1.");
    driver_press(d, TERM_KEY_RIGHT, 0); /* past the last ballot: review */
    assert_true(driver_shows(d, "Review"));
    assert_string_equal(driver_last_said(d), "Ballot 1: Nothing chosen.");
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_last_said(d),
                        "Ballot 2: Gabdullin Timur Maratuly, window 4.");
    assert_true(driver_shows(d, "Ballot 2: Gabdullin Timur Maratuly, window "
                                "4 of 7, Braille ⠼⠙."));
    driver_free(d);
}

/* A ballot's header is read the first time it is shown, not when the
 * voter comes back to it from a window or from another ballot. */
static void
test_ballot_header_is_read_once_per_ballot(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    assert_true(driver_said(d, LANG_EN, "Party lists, 7 windows."));
    driver_enter(d); /* open window 1 */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_said(d, LANG_EN, "Ballot 1 of 3"));
    assert_false(driver_said(d, LANG_EN, "Party lists"));
    assert_string_equal(driver_last_said(d), "Bolashaq Joly party, window 1.");
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_true(driver_said(d, LANG_EN, "Candidates, 7 windows."));
    driver_press(d, TERM_KEY_LEFT, 0);
    assert_false(driver_said(d, LANG_EN, "Party lists"));
    /* The printed text is one item away, at the end of the list. */
    driver_char(d, '8');
    assert_string_equal(driver_focused(d), "Ballot text and instructions");
    driver_enter(d);
    assert_true(driver_said(d, LANG_EN, "Ballot paper for"));
    assert_true(driver_said(d, LANG_EN, "Put any mark in the empty square"));
    driver_enter(d); /* back to the list */
    assert_true(driver_shows(d, "Ballot 1 of 3"));
    /* A new session reads the headers again. */
    driver_press(d, TERM_KEY_F10, 0);
    driver_press(d, TERM_KEY_ESCAPE, 0);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    assert_true(driver_said(d, LANG_EN, "Party lists, 7 windows."));
    driver_free(d);
}

static void
test_say_override_and_russian(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_RU, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    /* c02 has a Russian `say`: spoken, but the screen shows the label. */
    assert_true(driver_said(d, LANG_RU, "Абилкасы́мова"));
    assert_true(driver_shows(d, "Абилкасымова Гульназ Сериковна"));
    assert_false(driver_shows(d, "Абилкасы́мова"));
    assert_true(
        driver_said(d, LANG_RU, "Абилкасы́мова Гульна́з Серико́вна, окно 2."));
    driver_enter(d);
    driver_enter(d);
    driver_enter(d);
    assert_true(driver_said(d, LANG_RU, "Окно 2 из 7, считая сверху."));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_RU, "точки 3 4 5 6, 1 2"));
    driver_free(d);
}

static void
test_kazakh_guidance(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_KK, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    driver_enter(d);
    driver_enter(d);
    assert_true(driver_said(d, LANG_KK,
                            "Жоғарыдан санағанда 7 терезенің "
                            "3-терезесі."));
    assert_true(driver_shows(d, "⠼⠉"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_KK, "3 4 5 6, 1 4"));
    driver_free(d);
}

static const char two_marks[] =
    "{\"format\":\"dauys-election/1\",\"id\":\"t\",\"test\":false,"
    "\"date\":\"2026-03-15\",\"title\":{\"kk\":\"a\",\"ru\":\"a\"},"
    "\"ballots\":[{\"id\":\"two\",\"kind\":\"candidates\","
    "\"title\":{\"kk\":\"c\",\"ru\":\"c\"},"
    "\"max_marks\":2,\"paper\":{\"width_mm\":148,\"height_mm\":210,"
    "\"corner_cut\":\"top-left\"},\"options\":["
    "{\"id\":\"c1\",\"position\":1,\"label\":{\"kk\":\"C1\",\"ru\":\"C1\"},"
    "\"box\":{\"x_mm\":10,\"y_mm\":40,\"w_mm\":14,\"h_mm\":10}},"
    "{\"id\":\"c2\",\"position\":2,\"label\":{\"kk\":\"C2\",\"ru\":\"C2\"},"
    "\"box\":{\"x_mm\":10,\"y_mm\":60,\"w_mm\":14,\"h_mm\":10}},"
    "{\"id\":\"c3\",\"position\":3,\"label\":{\"kk\":\"C3\",\"ru\":\"C3\"},"
    "\"box\":{\"x_mm\":10,\"y_mm\":80,\"w_mm\":14,\"h_mm\":10}}]}]}";

/* Opens the focused window, chooses it and confirms. */
static void
choose_focused(struct driver *d)
{
    driver_enter(d);
    driver_enter(d);
    driver_enter(d);
}

static void
test_two_marks_counted_and_a_third_refused(void **state)
{
    (void)state;
    struct driver *d = start(MODE_VOTING, LANG_EN, NULL);
    struct election *e = NULL;
    char *why = NULL;
    assert_int_equal(package_parse(two_marks, sizeof two_marks - 1, &e, &why),
                     0);
    app_set_election(d->app, e);
    app_set_voting(d->app, true);
    open_voting(d);
    assert_false(driver_shows(d, "TEST PACKAGE"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    assert_true(
        driver_said(d, LANG_EN, "You may choose up to 2. Choices left: 2."));
    choose_focused(d);
    assert_true(
        driver_said(d, LANG_EN, "You may choose 1 more on this ballot."));
    assert_true(driver_shows(d, "at the top left"));
    assert_true(driver_shows(d, "left of the name"));
    driver_press(d, TERM_KEY_DOWN, 0); /* Back to the list */
    driver_enter(d);
    assert_true(driver_said(d, LANG_EN, "Choices left: 1."));
    assert_true(driver_said(d, LANG_EN, "C1, window 1. Chosen."));
    driver_press(d, TERM_KEY_DOWN, 0);
    choose_focused(d);
    assert_true(driver_said(d, LANG_EN,
                            "You have made every choice this ballot "
                            "allows."));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "C3, window 3."));
    driver_enter(d);
    driver_enter(d); /* Choose this: refused, with the reason */
    assert_true(driver_said(d, LANG_EN, "Not chosen: this ballot allows 2"));
    assert_true(driver_shows(d, "Not chosen"));
    assert_false(driver_shows(d, "Is this your choice?"));
    /* Take one back, then the third can be chosen. */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    driver_press(d, TERM_KEY_UP, 0);
    driver_enter(d);
    assert_string_equal(driver_focused(d), "Where to mark");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Take back this choice */
    assert_true(driver_said(d, LANG_EN, "The choice was taken back."));
    driver_press(d, TERM_KEY_DOWN, 0);
    choose_focused(d);
    assert_true(driver_shows(d, "Where to mark: window 3"));
    driver_free(d);
}

static void
test_finish_wipes_and_returns_to_welcome(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    choose_focused(d); /* party 1 */
    driver_enter(d);   /* next ballot */
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0); /* review */
    assert_true(driver_shows(d, "Review"));
    /* Change ballot 1: back on its list, the choice still there. */
    driver_enter(d);
    assert_true(driver_shows(d, "Ballot 1 of 3"));
    assert_true(driver_shows(d, "✓"));
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    for (int i = 0; i < 3; i++)
        driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Finish");
    driver_enter(d);
    assert_true(driver_said(d, LANG_EN, "this terminal forgets your choices"));
    driver_enter(d);
    assert_true(driver_shows(d, "Hello!"));
    assert_int_equal(driver_count(d, FX_AUDIT), 0);
    assert_int_equal(driver_count(d, FX_LOG), 0);
    /* A new session starts with nothing chosen. */
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Start voting");
    driver_enter(d);
    assert_false(driver_shows(d, "✓"));
    driver_free(d);
}

static void
test_staff_key_ends_the_session(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    choose_focused(d);
    driver_press(d, TERM_KEY_F10, 0);
    assert_true(driver_shows(d, "Staff login"));
    assert_true(driver_has_fx(d, FX_LOG, "visitor session ended by staff"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Hello!"));
    open_voting(d);
    assert_string_equal(driver_focused(d), "Practice ballot");
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Start voting"); /* not "Continue" */
    driver_enter(d);
    assert_false(driver_shows(d, "✓"));
    driver_free(d);
}

static void
test_idle_timeout_ends_the_session(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    choose_focused(d);
    assert_true(driver_shows(d, "Where to mark: window 1"));
    driver_wait_until(d, d->now + 210000);
    assert_int_equal(driver_count(d, FX_HOME), 1);
    assert_true(driver_shows(d, "Hello!"));
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Start voting");
    driver_enter(d);
    assert_false(driver_shows(d, "✓"));
    driver_free(d);
}

/* Chooses window 4 of ballot 2 from the voter's start screen (English)
 * and stays on its guidance. */
static void
choose_window_4_of_ballot_2(struct driver *d)
{
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Start voting */
    driver_press(d, TERM_KEY_RIGHT, 0);
    for (int i = 0; i < 3; i++)
        driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    driver_enter(d); /* Choose this */
    assert_true(driver_said(d, LANG_EN, "Gabdullin Timur Maratuly, window 4."));
    driver_enter(d); /* yes */
    assert_true(driver_shows(d, "Where to mark: window 4"));
    assert_true(driver_said(d, LANG_EN, "Window 4 of 7, counted from the top"));
}

/* Text sizes 3-4 keep the guidance's essentials: at 80x24 and size 4 the
 * magnified grid is 6 x 2 large characters (12 x 12 cells each), and it
 * shows the window's number beside the focused option; at size 2 (10 x 3)
 * the title too. */
static void
test_magnified_guidance_shows_the_window_number(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    choose_window_4_of_ballot_2(d);
    const struct view *v = app_view(d->app);
    struct layout l;
    layout_build_magnified(v, 6, 2, &l);
    bool number = false, focus = false;
    for (int y = 0; y < l.height; y++) {
        number |= l.rows[y].role == ROLE_BIG &&
                  strcmp(l.rows[y].text, "4") == 0;
        focus |= l.rows[y].role == ROLE_SELECTED;
    }
    layout_free(&l);
    assert_true(number);
    assert_true(focus);
    layout_build_magnified(v, 10, 3, &l);
    assert_int_equal(l.rows[0].role, ROLE_TITLE);
    assert_int_equal(l.rows[1].role, ROLE_BIG);
    assert_string_equal(l.rows[1].text, "4");
    layout_free(&l);
    driver_free(d);
}

/* A text that tells the voter's choice, spoken (fx_clear) or on screen
 * (the app's view, the screen's state), is wiped before its memory is
 * freed: when a key's effects are dropped, when the session ends (here by
 * the staff key) and when the app is freed with the choice on screen.
 * Every block freed meanwhile is scanned for the sentences that name the
 * chosen window (tests/unit/free_hook.h). */
static void
test_choice_is_wiped_before_free(void **state)
{
    (void)state;
    static const char *const secrets[] = {
        "Timur Maratuly, window 4",
        "Where to mark: window 4",
        "Window 4 of 7, counted from the top",
        "3456 145",       /* the window's number in Braille dots */
        "3 4 5 6, 1 4 5", /* the same, as spoken */
    };
    /* The hook sees a block freed with a secret in it. */
    free_hook_reset();
    free_hook_watch_string(secrets[2]);
    /* (volatile: the compiler may not leave out a block freed unread) */
    char *volatile control = strdup("Window 4 of 7, counted from the top.");
    free(control);
    assert_int_equal(free_hook_hits(), 1);
    free_hook_reset();

    struct driver *d = voting_driver(LANG_EN, true);
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
        free_hook_watch_string(secrets[i]);
    choose_window_4_of_ballot_2(d);
    /* Laid out for the screen, at the smallest and a large size. */
    assert_true(driver_laid_out(d, 80, 24, false, "window 4"));
    assert_true(driver_laid_out(d, 200, 60, false, "window 4"));
    driver_char(d, 'r');              /* said again */
    driver_press(d, TERM_KEY_F10, 0); /* the session ends */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Hello!"));
    choose_window_4_of_ballot_2(d);
    driver_free(d);
    size_t frees = free_hook_frees(), hits = free_hook_hits();
    if (hits != 0)
        print_error("freed unwiped: %s\n", free_hook_first_hit());
    free_hook_reset();
    assert_true(frees > 100);
    assert_int_equal(hits, 0);
}

static void
test_practice_then_voting(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_RU, true);
    open_voting(d);
    driver_enter(d); /* practice */
    assert_true(driver_shows(d, "Бюллетень 1 из 1"));
    assert_true(driver_said(d, LANG_RU, ", окно 1."));
    choose_focused(d);
    driver_enter(d); /* review */
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* finish the practice */
    driver_enter(d); /* yes */
    assert_true(driver_said(d, LANG_RU, "Тренировка окончена"));
    assert_string_equal(driver_focused(d), "Начать голосование");
    driver_enter(d);
    assert_true(driver_shows(d, "Бюллетень 1 из 3"));
    assert_false(driver_shows(d, "✓"));
    /* Back to the start and in again: the session is kept. */
    driver_enter(d);
    driver_enter(d);
    driver_enter(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* back to the list */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_string_equal(driver_focused(d), "Продолжить голосование");
    driver_enter(d);
    assert_true(driver_shows(d, "✓"));
    driver_free(d);
}

/* Presses Enter on the start screen's "Start voting". */
static void
start_voting(struct driver *d)
{
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0);
}

static void
test_each_ballot_keeps_its_focused_window(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    start_voting(d);
    assert_string_equal(driver_focused(d), "Window 1: Bolashaq Joly party");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, ", window 3."));
    driver_press(d, TERM_KEY_RIGHT,
                 0); /* ballot 2 starts on its first window */
    assert_true(driver_shows(d, "Ballot 2 of 3"));
    assert_true(driver_said(d, LANG_EN, ", window 1."));
    assert_string_equal(driver_focused(d),
                        "Window 1: Akhmetov Yerlan Bolatuly");
    driver_char(d, '5'); /* a digit focuses that window */
    assert_true(driver_said(d, LANG_EN, ", window 5."));
    driver_press(d, TERM_KEY_LEFT, 0); /* back on ballot 1: still on window 3 */
    assert_true(driver_shows(d, "Ballot 1 of 3"));
    assert_true(driver_said(d, LANG_EN, ", window 3."));
    assert_false(driver_said(d, LANG_EN, ", window 1."));
    driver_press(d, TERM_KEY_RIGHT, 0); /* and ballot 2 on window 5 */
    assert_true(driver_said(d, LANG_EN, ", window 5."));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ESCAPE, 0); /* Back: ballot 1, on window 3 */
    assert_true(driver_shows(d, "Ballot 1 of 3"));
    assert_true(driver_said(d, LANG_EN, ", window 3."));
    driver_press(d, TERM_KEY_RIGHT, 0); /* ballot 2 remembers window 6 too */
    assert_true(driver_said(d, LANG_EN, ", window 6."));
    /* Opening a window and going back to the list returns to it. */
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(driver_shows(d, "Window 6 of 7"));
    assert_string_equal(driver_focused(d), "Choose this");
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Ballot 2 of 3"));
    assert_true(driver_said(d, LANG_EN, ", window 6."));
    driver_free(d);
}

static void
test_end_and_top_of_a_ballot_are_said(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    start_voting(d);
    driver_press(d, TERM_KEY_UP, 0);
    assert_true(driver_said(d, LANG_EN, "Top of list"));
    assert_string_equal(driver_focused(d), "Window 1: Bolashaq Joly party");
    for (int i = 0; i < 6; i++)
        driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "Against all, window 7."));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "Ballot text and instructions"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "End of list"));
    assert_false(driver_said(d, LANG_EN, "Ballot text"));
    driver_press(d, TERM_KEY_UP, 0);
    driver_press(d, TERM_KEY_ENTER, 0); /* the last window */
    assert_true(driver_shows(d, "Window 7 of 7"));
    driver_free(d);
}

static void
test_each_step_starts_on_its_first_option(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    start_voting(d);
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_string_equal(driver_focused(d), "Choose this");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_string_equal(driver_focused(d), "Yes, this is my choice");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0); /* No: the list, on the same window */
    assert_true(driver_shows(d, "Ballot 1 of 3"));
    assert_string_equal(driver_focused(d), "Window 1: Bolashaq Joly party");
    choose_focused(d);
    assert_string_equal(driver_focused(d), "Next ballot");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0); /* back to the list */
    driver_press(d, TERM_KEY_ENTER,
                 0); /* the chosen window opens on its guidance */
    assert_string_equal(driver_focused(d), "Where to mark");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_string_equal(driver_focused(d), "Next ballot");
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_true(driver_shows(d, "Review"));
    assert_string_equal(driver_focused(d),
                        "Ballot 1: Bolashaq Joly party, window 1 of 7, "
                        "Braille ⠼⠁.");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0); /* change ballot 2 */
    assert_true(driver_shows(d, "Ballot 2 of 3"));
    driver_press(d, TERM_KEY_LEFT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_char(d, '4');
    assert_string_equal(driver_focused(d), "Finish");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_string_equal(driver_focused(d), "Yes, finish");
    driver_press(d, TERM_KEY_ESCAPE, 0); /* Back: the review, from its top */
    assert_true(driver_shows(d, "Review"));
    assert_non_null(strstr(driver_focused(d), "Ballot 1: "));
    driver_press(d, TERM_KEY_LEFT, 0); /* Left: the ballot last shown */
    assert_true(driver_shows(d, "Ballot 3 of 3"));
    driver_free(d);
}

static void
test_language_and_practice_notice_on_the_start_screen(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_char(d, '3');
    assert_string_equal(driver_focused(d), "Language: English");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_int_not_equal(app_lang(d->app), LANG_EN);
    /* The focus stays on the language, now named in the new one. */
    assert_true(strstr(driver_focused(d), "English") == NULL);
    assert_int_equal(app_view(d->app)->focus,
                     (int)app_view(d->app)->n_items - 1);
    driver_free(d);

    d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_ENTER, 0); /* practice */
    driver_press(d, TERM_KEY_ESCAPE,
                 0); /* Back from its only ballot: forgotten */
    assert_true(driver_shows(d, "TEST PACKAGE · Voting assistance"));
    assert_string_equal(driver_focused(d), "Start voting");
    driver_press(d, TERM_KEY_UP, 0);
    driver_press(d, TERM_KEY_ENTER, 0); /* practice again: nothing chosen */
    choose_focused(d);
    driver_press(d, TERM_KEY_ENTER, 0); /* review */
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0);
    driver_press(d, TERM_KEY_ENTER, 0); /* yes, finish the practice */
    assert_true(driver_shows(d, "The practice is over"));
    assert_string_equal(driver_focused(d), "Start voting");
    driver_press(d, TERM_KEY_UP, 0); /* the notice stays while moving */
    assert_true(driver_shows(d, "The practice is over"));
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_true(driver_shows(d, "The practice is over"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_false(driver_shows(d, "✓"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_false(driver_shows(d, "The practice is over"));
    driver_press(d, TERM_KEY_ESCAPE, 0); /* Back from the start: home */
    assert_true(driver_shows(d, "What would you like to do?"));
    driver_free(d);
}

static void
test_review_at_80x24_shows_every_option(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    start_voting(d);
    choose_focused(d);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_true(driver_shows(d, "Review"));
    assert_true(driver_laid_out(d, 80, 24, false, "▶ Ballot 1: Bolashaq"));
    assert_true(driver_laid_out(d, 80, 24, false, "Ballot 2: Nothing"));
    assert_true(driver_laid_out(d, 80, 24, false, "Ballot 3: Nothing"));
    assert_true(driver_laid_out(d, 80, 24, false, "Finish"));
    driver_free(d);
}

static void
staff_election_menu(struct driver *d)
{
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "246810");
    assert_true(driver_shows(d, "Staff menu"));
    assert_string_equal(driver_focused(d), "Election package and voting");
    driver_enter(d);
}

static void
test_staff_open_close_and_info(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, false);
    staff_election_menu(d);
    assert_true(driver_shows(d, "Voting assistance is closed."));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Open voting assistance");
    driver_enter(d);
    assert_true(app_voting_open(d->app));
    assert_true(driver_has_fx(d, FX_AUDIT, "voting assistance opened"));
    assert_string_equal(driver_focused(d), "Close voting assistance");
    driver_press(d, TERM_KEY_UP, 0);
    driver_enter(d); /* package information */
    const struct election *e = app_election(d->app);
    char group[8];
    snprintf(group, sizeof group, "%.4s ", e->hash);
    assert_true(driver_shows(d, group));
    assert_true(driver_shows(d, "demo-2026-almaly-district-7"));
    assert_true(driver_shows(d, "2026-03-15"));
    assert_true(driver_shows(d, "TEST PACKAGE"));
    assert_true(driver_said(d, LANG_EN, "Ballots: 3"));
    assert_false(driver_said(d, -1, e->hash));
    driver_enter(d); /* read the hash aloud */
    char spoken[16];
    snprintf(spoken, sizeof spoken, "%c %c %c %c,", e->hash[0], e->hash[1],
             e->hash[2], e->hash[3]);
    assert_true(driver_said(d, LANG_EN, spoken));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* QR code */
    const struct view *v = app_view(d->app);
    size_t blocks = 0;
    for (size_t i = 0; i < v->n_items; i++)
        blocks += v->items[i].kind == VIEW_BLOCK;
    assert_true(blocks >= 12);
    assert_true(driver_shows(d, "dauys-election:demo-2026-almaly-district-7:"));
    assert_false(driver_said(d, -1, "█"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    driver_press(d, TERM_KEY_ESCAPE, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* close voting */
    assert_false(app_voting_open(d->app));
    assert_true(driver_has_fx(d, FX_AUDIT, "voting assistance closed"));
    driver_free(d);
}

static void
test_staff_path_field_takes_every_character(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, false);
    staff_election_menu(d);
    driver_enter(d); /* load election package */
    assert_true(driver_shows(d, "Type the directory"));
    driver_enter(d);
    assert_true(driver_said(d, LANG_EN, "Type a directory first."));
    const char *path = "/media/r l+-?>tzb 1";
    driver_type(d, path);
    assert_true(driver_shows(d, path));
    assert_int_equal(app_lang(d->app), LANG_EN); /* 'l' was typed */
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    driver_enter(d);
    assert_true(driver_has_fx(d, FX_LOAD_PACKAGE, "/media/r l+-?>tzb "));
    assert_true(driver_shows(d, "Load election package"));
    driver_free(d);
}

static void
test_speech_test_in_kk_and_ru(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, false);
    staff_election_menu(d);
    for (int i = 0; i < 3; i++)
        driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    assert_true(driver_has_fx(d, FX_AUDIT, "speech test"));
    assert_true(driver_said(d, LANG_KK, "Бұл сөйлеу тексерісі"));
    assert_true(driver_said(d, LANG_RU, "Это проверка речи"));
    driver_enter(d);
    assert_true(driver_said(d, LANG_KK, "Бұл сөйлеу тексерісі"));
    driver_free(d);
}

/* Repeat on the guidance ("where to mark") screen: the window's number and
 * count, the Braille dots and the side of the box, then the focused item;
 * twice within 2 s the whole screen (its title too); a third press is a
 * first one again; after 2 s it is a first one too. In Kazakh the window
 * is an ordinal ("3-терезесі", read «үшінші терезесі»). */
static void
test_repeat_on_guidance_says_the_essentials(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Start voting */
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* window 3 */
    driver_enter(d); /* Choose this */
    driver_enter(d); /* yes */
    assert_true(driver_shows(d, "Where to mark: window 3"));
    driver_press(d, TERM_KEY_DOWN, 0); /* focus: Back to the list */
    d->now += 5000;
    driver_char(d, 'r');
    assert_true(
        driver_said(d, LANG_EN, "Window 3 of 7, counted from the top."));
    assert_true(driver_said(d, LANG_EN,
                            "Braille number beside the window: "
                            "dots"));
    assert_true(driver_said(d, LANG_EN,
                            "Mark inside that window, in the "
                            "empty square"));
    assert_true(driver_said(d, LANG_EN, "Back to the list"));
    assert_string_equal(driver_last_said(d), "2 of 5");
    /* Not the whole screen: no title, no placement of the stencil. */
    assert_false(driver_said(d, LANG_EN, "Where to mark: window 3"));
    assert_false(driver_said(d, LANG_EN, "Lay the stencil"));
    /* The window first, the focused item last. */
    const struct fx *first = driver_fx_nth(&d->out, FX_SAY, 0);
    assert_non_null(first);
    assert_non_null(strstr(first->text, "Window 3 of 7"));
    driver_char(d, 'r'); /* within 2 s: the whole screen */
    assert_true(driver_said(d, LANG_EN, "Where to mark: window 3"));
    assert_true(
        driver_said(d, LANG_EN, "Window 3 of 7, counted from the top."));
    /* Every item, the options too, the focused one with its place. */
    assert_true(driver_said(d, LANG_EN, "Next ballot"));
    assert_true(driver_said(d, LANG_EN, "Braille number beside the window"));
    assert_true(driver_said(d, LANG_EN, "Lay the stencil"));
    assert_true(driver_said(d, LANG_EN, "2 of 5"));
    driver_char(d, 'r'); /* a third press: the essentials again */
    assert_false(driver_said(d, LANG_EN, "Where to mark: window 3"));
    assert_true(driver_said(d, LANG_EN, "Window 3 of 7"));
    d->now += 2500; /* more than 2 s later: a first press */
    driver_char(d, 'r');
    assert_false(driver_said(d, LANG_EN, "Where to mark: window 3"));
    /* Another key between two presses: a first press again. */
    driver_press(d, TERM_KEY_UP, 0);
    driver_char(d, 'r');
    assert_false(driver_said(d, LANG_EN, "Where to mark: window 3"));
    assert_true(driver_said(d, LANG_EN, "Next ballot"));
    driver_free(d);

    d = voting_driver(LANG_KK, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    driver_enter(d);
    driver_enter(d);
    d->now += 5000;
    driver_char(d, 'r');
    assert_true(driver_said(d, LANG_KK, "7 терезенің 3-терезесі"));
    assert_true(driver_said(d, LANG_KK, "нүктелер"));
    driver_free(d);
}

/* Repeat on a screen that marks nothing essential: its title, then the
 * focused item. */
static void
test_repeat_elsewhere_says_title_and_focus(void **state)
{
    (void)state;
    struct driver *d = voting_driver(LANG_EN, true);
    open_voting(d);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Ballot 1 */
    driver_press(d, TERM_KEY_DOWN, 0);
    d->now += 5000;
    driver_char(d, 'r');
    assert_true(driver_said(d, LANG_EN, "Ballot 1 of 3"));
    assert_true(driver_said(d, LANG_EN, "window 2."));
    assert_false(driver_said(d, LANG_EN, "window 1."));
    driver_free(d);
}

UNIT_MAIN(
    NULL, NULL, cmocka_unit_test(test_repeat_on_guidance_says_the_essentials),
    cmocka_unit_test(test_repeat_elsewhere_says_title_and_focus),
    cmocka_unit_test(test_voting_closed_or_without_package_says_not_open),
    cmocka_unit_test(test_start_says_the_essentials_and_keys_are_in_help),
    cmocka_unit_test(test_ballot_header_is_read_once_per_ballot),
    cmocka_unit_test(test_magnified_guidance_shows_the_window_number),
    cmocka_unit_test(test_session_guidance_in_english),
    cmocka_unit_test(test_say_override_and_russian),
    cmocka_unit_test(test_kazakh_guidance),
    cmocka_unit_test(test_two_marks_counted_and_a_third_refused),
    cmocka_unit_test(test_finish_wipes_and_returns_to_welcome),
    cmocka_unit_test(test_staff_key_ends_the_session),
    cmocka_unit_test(test_idle_timeout_ends_the_session),
    cmocka_unit_test(test_choice_is_wiped_before_free),
    cmocka_unit_test(test_practice_then_voting),
    cmocka_unit_test(test_each_ballot_keeps_its_focused_window),
    cmocka_unit_test(test_end_and_top_of_a_ballot_are_said),
    cmocka_unit_test(test_each_step_starts_on_its_first_option),
    cmocka_unit_test(test_language_and_practice_notice_on_the_start_screen),
    cmocka_unit_test(test_review_at_80x24_shows_every_option),
    cmocka_unit_test(test_staff_open_close_and_info),
    cmocka_unit_test(test_staff_path_field_takes_every_character),
    cmocka_unit_test(test_speech_test_in_kk_and_ru))
