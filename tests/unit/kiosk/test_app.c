/*
 * The app as a state machine, driven headless: keys in, utterances and the
 * view model out, with an injected clock. This is the driver every screen
 * test uses: no terminal, no speech engine, no real time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/xalloc.h"
#include "kiosk/media.h"
#include "kiosk/screen.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

/* The app as the kiosk runs it, with the idle timeout and large text. */
static struct driver *
start(enum kiosk_mode mode, int first_lang, const char *pin)
{
    return driver_new(&(struct driver_options){
        .mode = mode,
        .first_lang = first_lang,
        .pin = pin,
        .idle_warning_s = 180,
        .idle_grace_s = 30,
        .max_text_size = 4,
    });
}

static void
test_welcome_greets_in_kk_and_ru(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, -1, NULL);
    assert_true(driver_said(d, LANG_KK, "Сәлеметсіз бе"));
    assert_true(driver_said(d, LANG_RU, "Здравствуйте"));
    assert_true(driver_shows(d, "Сәлеметсіз бе"));
    assert_true(driver_shows(d, "Здравствуйте"));
    assert_string_equal(driver_focused(d), "Қазақша");
    driver_free(d);
}

static void
test_choose_russian_then_switch_language(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, -1, NULL);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Русский");
    assert_true(driver_said(d, LANG_RU, "Русский"));
    driver_enter(d);
    assert_true(driver_shows(d, "Что Вы хотите сделать?"));
    assert_true(driver_said(d, LANG_RU, "Что Вы хотите сделать?"));
    assert_int_equal(app_lang(d->app), LANG_RU);
    driver_char(d, 'l');
    assert_int_equal(app_lang(d->app), LANG_EN);
    assert_true(driver_shows(d, "What would you like to do?"));
    assert_true(driver_said(d, LANG_EN, "Voting assistance"));
    driver_char(d, 'l');
    assert_true(driver_shows(d, "Не істегіңіз келеді?"));
    assert_true(driver_said(d, LANG_KK, "Не істегіңіз келеді?"));
    driver_free(d);
}

/* Barge-in: every key stops speech before it acts, even one that does
 * nothing, and pause too (it then says that speech is paused). Every
 * action of the keyboard is tried, on the welcome screen and on the home
 * screen. */
static void
test_every_key_stops_speech_first(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, -1, NULL);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(d->out.n > 0);
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    driver_char(d, 'x'); /* a key that does nothing still stops speech */
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    driver_char(d, ' '); /* pause: silence, after one word */
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    assert_true(app_view(d->app)->paused);
    driver_free(d);
    for (int a = ACTION_NONE; a < ACTION_COUNT; a++) {
        /* Only a switch profile moves with next (tested in test_scan.c). */
        if (a == ACTION_NEXT)
            continue;
        for (int home = 0; home <= 1; home++) {
            d = start(MODE_BOTH, -1, NULL);
            if (home)
                driver_enter(d);
            assert_true(driver_action(d, (enum action)a));
            if (d->out.n == 0 || d->out.v[0].kind != FX_STOP)
                fail_msg("action %s on the %s screen: no FX_STOP first",
                         action_id((enum action)a), home ? "home" : "welcome");
            driver_free(d);
        }
    }
}

static void
test_help_and_key_describe(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, NULL);
    driver_press(d, TERM_KEY_F1, 0);
    assert_true(driver_shows(d, "Choose the language of the kiosk"));
    assert_true(driver_said(d, LANG_EN, "Help"));
    driver_char(d, '?');
    assert_true(driver_said(d, LANG_EN, "Press any key to hear its name"));
    driver_press(d, TERM_KEY_UP, 0);
    assert_true(driver_said(d, LANG_EN, "Up arrow: previous item"));
    /* named, not acted on */
    assert_string_equal(driver_focused(d), "English");
    driver_press(d, TERM_KEY_UP, 0);
    assert_string_equal(driver_focused(d), "Русский");
    driver_free(d);
}

static void
test_repeat_speaks_current_item(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_RU, NULL);
    driver_char(d, 'r');
    assert_true(driver_said(d, LANG_RU, "Русский"));
    assert_true(driver_said(d, LANG_RU, "2 из 3"));
    driver_press(d, TERM_KEY_F2, 0);
    assert_true(driver_said(d, LANG_RU, "Русский"));
    driver_free(d);
}

static void
test_home_follows_mode(void **state)
{
    (void)state;
    struct driver *d = start(MODE_SERVICES, LANG_EN, NULL);
    driver_enter(d);
    assert_true(driver_shows(d, "Social services"));
    assert_false(driver_shows(d, "Voting assistance"));
    driver_free(d);
    d = start(MODE_BOTH, LANG_EN, NULL);
    driver_enter(d);
    assert_true(driver_shows(d, "Social services"));
    assert_true(driver_shows(d, "Voting assistance"));
    driver_free(d);
}

static void
test_volume_and_rate_are_confirmed(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_RU, NULL);
    driver_char(d, '+');
    assert_int_equal(app_volume(d->app), 6);
    assert_true(driver_said(d, LANG_RU, "Громкость 6 из 10"));
    assert_int_equal(driver_fx_nth(&d->out, FX_VOLUME, 0)->value, 6);
    /* Eleven levels, 0..10: the ends are said, and stay. */
    for (int i = 0; i < 4; i++)
        driver_char(d, '+');
    assert_true(driver_said(d, LANG_RU, "Громкость 10 из 10"));
    driver_char(d, '+');
    assert_int_equal(app_volume(d->app), 10);
    assert_true(driver_said(d, LANG_RU, "Это самая высокая громкость"));
    assert_int_equal(driver_count(d, FX_VOLUME), 0);
    for (int i = 0; i < 10; i++)
        driver_char(d, '-');
    assert_int_equal(app_volume(d->app), 0);
    assert_true(driver_said(d, LANG_RU, "Громкость 0 из 10"));
    driver_char(d, '-');
    assert_int_equal(app_volume(d->app), 0);
    assert_true(driver_said(d, LANG_RU, "Это самая низкая громкость"));
    driver_char(d, '>');
    assert_int_equal(app_rate(d->app), 125);
    assert_true(driver_said(d, LANG_RU, "Быстрее"));
    for (int i = 0; i < 10; i++)
        driver_char(d, '<');
    assert_int_equal(app_rate(d->app), 50);
    assert_true(driver_said(d, LANG_RU, "самая медленная"));
    driver_free(d);
}

/* [speech] volume is the level every session starts at (and returns to);
 * a session that only changed the volume is still a session. */
static void
test_configured_volume_starts_each_session(void **state)
{
    (void)state;
    struct driver *d = driver_new(
        &(struct driver_options){.first_lang = LANG_KK,
                                 .volume = 8,
                                 .idle_warning_s = 180,
                                 .idle_grace_s = 30});
    assert_int_equal(app_volume(d->app), 8);
    assert_int_equal(driver_fx_nth(&d->out, FX_VOLUME, 0)->value, 8);
    driver_char(d, '-');
    assert_int_equal(app_volume(d->app), 7);
    assert_true(driver_said(d, LANG_KK, "Дыбыс деңгейі: 10 ішінен 7"));
    driver_wait_until(d, d->now + 250000);
    assert_int_equal(driver_count(d, FX_HOME), 1);
    assert_int_equal(app_volume(d->app), 8);
    assert_int_equal(driver_fx_nth(&d->out, FX_VOLUME, 0)->value, 8);
    driver_free(d);
}

static void
test_pin_is_masked_and_never_spoken(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, "246810");
    driver_press(d, TERM_KEY_F10, 0);
    assert_true(driver_shows(d, "Staff login"));
    for (const char *p = "2468"; *p; p++) {
        driver_char(d, (unsigned)*p);
        assert_true(driver_said(d, LANG_EN, "digit entered"));
        assert_false(driver_said(d, -1, "2"));
        assert_false(driver_said(d, -1, "4"));
    }
    assert_true(driver_shows(d, "●●●●"));
    assert_false(driver_shows(d, "2468"));
    driver_char(d, '1');
    driver_char(d, '0');
    driver_enter(d);
    assert_true(driver_shows(d, "Staff menu"));
    for (int i = 0; i < 5; i++)
        driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Quit kiosk");
    driver_enter(d);
    assert_int_equal(driver_count(d, FX_QUIT), 1);
    driver_free(d);
}

static void
test_five_wrong_pins_lock_with_doubling_delay(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_RU, "246810");
    driver_press(d, TERM_KEY_F10, 0);
    for (int i = 0; i < 4; i++) {
        driver_enter_text(d, "111111");
        assert_true(driver_said(d, LANG_RU, "Неверный PIN-код"));
    }
    driver_enter_text(d, "111111");
    assert_true(driver_said(d, LANG_RU, "заблокирован на 30 секунд"));
    /* While locked even the right PIN is refused, and the time is said. */
    driver_char(d, '2');
    assert_true(driver_said(d, LANG_RU, "Повторите через 30 секунд"));
    driver_enter_text(d, "246810");
    assert_false(driver_shows(d, "Меню сотрудника"));
    /* The clock passes the lockout: the tick announces it. */
    uint64_t deadline = app_deadline(d->app);
    assert_true(deadline > d->now);
    d->now += 30000;
    fx_clear(&d->out);
    while (app_deadline(d->app) != 0 && app_deadline(d->app) <= d->now)
        app_tick(d->app, d->now, &d->out);
    assert_true(driver_said(d, LANG_RU, "Можно снова ввести PIN-код"));
    driver_enter_text(d, "000000");
    assert_true(driver_said(d, LANG_RU, "заблокирован на 60 секунд"));
    d->now += 60000;
    driver_enter_text(d, "246810");
    assert_true(driver_shows(d, "Меню сотрудника"));
    driver_free(d);
}

static void
test_no_pin_set_explains(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_KK, NULL);
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "123456");
    assert_true(driver_said(d, LANG_KK, "dauys staff passwd"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Сәлеметсіз бе"));
    driver_free(d);
}

/* The effect of KIND in the last effects whose text contains TEXT. */
static bool
emitted(const struct driver *d, enum fx_kind kind, const char *text)
{
    for (size_t i = 0; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind == kind && f->text != NULL && strstr(f->text, text))
            return true;
    }
    return false;
}

/* The text of the view's typed field, or "". */
static const char *
field(const struct driver *d)
{
    const struct view *v = app_view(d->app);
    for (size_t i = 0; i < v->n_items; i++)
        if (v->items[i].kind == VIEW_ENTRY)
            return v->items[i].text;
    return "";
}

/* Backspace deletes a PIN digit (and does not leave the screen); on an
 * empty PIN it cancels. A keypad's digit keys type the PIN. */
static void
test_pin_field_delete_and_keypad(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, "246810");
    driver_press(d, TERM_KEY_F10, 0);
    driver_char(d, '2');
    driver_char(d, '4');
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(driver_said(d, LANG_EN, "digit deleted"));
    assert_string_equal(field(d), "●");
    /* The keypad's 8 is Up elsewhere; here it types its digit. */
    struct key kp8 = {.action = ACTION_UP,
                      .name = "Key 8",
                      .entry = ACTION_DIGIT,
                      .entry_digit = '8'};
    fx_clear(&d->out);
    app_key(d->app, &kp8, d->now += 100, &d->out);
    assert_true(driver_said(d, LANG_EN, "digit entered"));
    assert_false(driver_said(d, -1, "8"));
    assert_string_equal(field(d), "●●");
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(driver_shows(d, "Staff login"));
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    assert_false(driver_shows(d, "Staff login"));
    driver_free(d);
}

static void
login(struct driver *d)
{
    driver_press(d, TERM_KEY_F10, 0);
    driver_enter_text(d, "246810");
    assert_true(driver_shows(d, "Staff menu"));
}

/* Escape, or Return to the kiosk, logs the staff member out. */
static void
test_staff_menu_back_logs_out(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, "246810");
    login(d);
    assert_true(emitted(d, FX_AUDIT, "staff login"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(emitted(d, FX_AUDIT, "staff logout"));
    assert_false(driver_shows(d, "Staff menu"));
    login(d);
    for (int i = 0; i < 4; i++)
        driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Return to the kiosk");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(emitted(d, FX_AUDIT, "staff logout"));
    assert_false(driver_shows(d, "Staff menu"));
    driver_free(d);
}

/* The election screens without a package: the menu's options by id, the
 * information and the speech test, and the folder typed for a package (a
 * text field: letters do not act, a Kazakh letter is deleted whole). */
static void
test_station_screens(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, "246810");
    login(d);
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(driver_shows(d, "No package is loaded."));
    assert_string_equal(driver_focused(d), "Load election package");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Open voting assistance");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(driver_shows(d, "Load an election package first."));
    assert_int_equal(driver_count(d, FX_VOTING), 0);
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_string_equal(driver_focused(d), "Open voting assistance");
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(driver_shows(d, "Speech test"));
    assert_true(driver_said(d, LANG_KK, ""));
    driver_press(d, TERM_KEY_ENTER, 0); /* Say it again */
    assert_int_equal(driver_count(d, FX_SAY), 2);
    assert_true(driver_said(d, LANG_RU, ""));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0); /* Back */
    assert_string_equal(driver_focused(d), "Speech test");
    driver_press(d, TERM_KEY_UP, 0);
    driver_press(d, TERM_KEY_UP, 0);
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(driver_shows(d, "Package information"));
    assert_string_equal(driver_focused(d), "Back");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_string_equal(driver_focused(d), "Package information");
    driver_press(d, TERM_KEY_UP, 0);
    driver_press(d, TERM_KEY_ENTER, 0);
    /* Load asks the station what is on the stick (FX_MEDIA_LOAD), which
     * opens the list: packages (id, date, short hash), a broken one with
     * its problem, configurations, and the typed folder. */
    assert_int_equal(driver_count(d, FX_MEDIA_LOAD), 1);
    struct media_list list = {xcalloc(3, sizeof *list.v), 3};
    list.v[0].kind = MEDIA_TERMINAL;
    list.v[0].path = xstrdup("/m/t.json");
    list.v[0].name = xstrdup("t.json");
    strcpy(list.v[0].hash, "abcdef0123");
    list.v[1].kind = MEDIA_PACKAGE;
    list.v[1].path = xstrdup("/m/bad");
    list.v[1].name = xstrdup("bad");
    list.v[1].problem = xstrdup("election.json: bad JSON");
    list.v[2].kind = MEDIA_PACKAGE;
    list.v[2].path = xstrdup("/m/pkg");
    list.v[2].name = xstrdup("pkg");
    list.v[2].id = xstrdup("e-1");
    list.v[2].date = xstrdup("2026-03-15");
    strcpy(list.v[2].hash, "0123456789abcdef");
    fx_clear(&d->out);
    app_open(d->app, screen_station_media_new(&list), d->now, &d->out);
    assert_true(driver_shows(d, "On the USB stick"));
    assert_true(
        driver_shows(d, "Terminal configuration t.json, hash abcdef0."));
    assert_true(
        driver_shows(d, "Folder bad: not a valid election package (election"
                        ".json: bad JSON)."));
    assert_true(
        driver_shows(d, "Package e-1, election date 2026-03-15, hash 0123456"));
    assert_false(driver_shows(d, "0123456789"));
    driver_press(d, TERM_KEY_ENTER, 0); /* the broken one: why, no load */
    assert_true(driver_said(d, LANG_EN, "election.json: bad JSON"));
    assert_int_equal(driver_count(d, FX_LOAD_PACKAGE), 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(emitted(d, FX_LOAD_PACKAGE, "/m/pkg"));
    assert_string_equal(driver_focused(d), "Load election package");
    fx_clear(&d->out);
    app_open(d->app, screen_station_media_new(&list), d->now, &d->out);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Type a folder instead");
    driver_press(d, TERM_KEY_ENTER, 0);
    media_list_free(&list);
    assert_true(driver_shows(d, "Type the directory"));
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(driver_shows(d, "Type a directory first."));
    assert_int_equal(driver_count(d, FX_LOAD_PACKAGE), 0);
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(driver_said(d, LANG_EN, "empty"));
    assert_true(driver_shows(d, "Type the directory"));
    for (const char *p = "/mnt/lr"; *p; p++)
        driver_char(d, (unsigned)*p);
    assert_true(driver_said(d, LANG_EN, "r"));
    driver_char(d, 0x4D9); /* ә */
    assert_string_equal(field(d), "/mnt/lrә");
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    assert_string_equal(field(d), "/mnt/lr");
    driver_press(d, TERM_KEY_ENTER, 0);
    assert_true(emitted(d, FX_LOAD_PACKAGE, "/mnt/lr"));
    assert_false(emitted(d, FX_LOAD_PACKAGE, "/mnt/lr\xd3"));
    assert_string_equal(driver_focused(d), "Load election package");
    /* Escape leaves the election screens for the staff menu. */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Staff menu"));
    driver_free(d);
}

/* A visitor changes every setting; the idle timeout warns, counts down,
 * then wipes the session; the next visitor starts with the defaults. */
static void
test_idle_timeout_resets_every_setting(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, -1, NULL);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Русский */
    driver_char(d, '+');
    driver_char(d, '>');
    driver_char(d, 't');
    assert_true(driver_said(d, LANG_RU, "Белый текст на чёрном"));
    driver_char(d, 'z');
    assert_true(driver_said(d, LANG_RU, "Размер текста 2"));
    assert_int_equal(app_view(d->app)->text_size, 2);
    assert_int_equal(app_view(d->app)->theme, 1);
    assert_int_equal(app_volume(d->app), 6);
    assert_int_equal(app_rate(d->app), 125);

    /* 20 s: the prompt once more (read on idle); 179 s: nothing more;
     * 180 s: the warning, spoken and shown. */
    uint64_t last = d->now;
    driver_wait_until(d, last + 30000);
    assert_true(driver_said(d, LANG_RU, "1 из 3"));
    driver_wait_until(d, last + 179000);
    assert_int_equal(driver_count(d, FX_SAY), 0);
    driver_wait_until(d, last + 180000);
    assert_true(driver_said(d, LANG_RU, "Вы ещё здесь?"));
    assert_true(driver_shows(d, "30"));
    /* The countdown moves each second; at ten seconds it is spoken. */
    driver_wait_until(d, last + 195000);
    assert_true(driver_shows(d, "15"));
    driver_wait_until(d, last + 200000);
    assert_true(driver_said(d, LANG_RU, "Осталось десять секунд"));
    /* At zero: the welcome screen, in kk+ru, with every default. */
    driver_wait_until(d, last + 210000);
    assert_int_equal(driver_count(d, FX_HOME), 1);
    assert_true(driver_said(d, LANG_KK, "Сәлеметсіз бе"));
    assert_int_equal(app_view(d->app)->text_size, 1);
    assert_int_equal(app_view(d->app)->theme, 0);
    assert_int_equal(app_volume(d->app), 5);
    assert_int_equal(app_rate(d->app), 100);
    assert_int_equal(app_lang(d->app), LANG_KK);
    /* An untouched welcome screen waits for ever. */
    assert_int_equal(app_deadline(d->app), 0);
    driver_free(d);
}

/* Any key during the warning only ends it: the screen stays, nothing is
 * chosen, and the full idle time starts again. */
static void
test_key_during_idle_warning_continues(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, -1, NULL);
    driver_enter(d); /* Қазақша */
    const char *title = "Не істегіңіз келеді?";
    assert_true(driver_shows(d, title));
    driver_wait_until(d, d->now + 185000);
    assert_false(driver_shows(d, title));
    driver_enter(d);
    assert_true(driver_shows(d, title));
    assert_true(driver_said(d, LANG_KK, title));
    assert_int_equal(driver_count(d, FX_PUSH), 0);
    driver_wait_until(d, d->now + 179000);
    assert_true(driver_shows(d, title));
    driver_free(d);
}

/* The idle timeout counts from the end of speech, not from the last key:
 * a review read at half speed for longer than the warning time is not
 * cut off by the warning. After it the warning comes the full time later;
 * speech that never ends holds it for ten minutes at most. */
static void
test_idle_counts_from_end_of_speech(void **state)
{
    (void)state;
    const char *home = "Не істегіңіз келеді?",
               *warning = "Сіз әлі осындасыз ба?";
    struct driver *d = start(MODE_BOTH, -1, NULL);
    driver_enter(d); /* Қазақша */
    app_speech_idle(d->app, false, d->now);
    /* Speaking for 200 s after the key: no warning, nothing said. */
    driver_wait_until(d, d->now + 200000);
    assert_true(driver_shows(d, home));
    assert_false(driver_shows(d, warning));
    assert_int_equal(driver_count(d, FX_SAY), 0);
    uint64_t end = d->now;
    app_speech_idle(d->app, true, end);
    driver_wait_until(d, end + 179999);
    assert_false(driver_shows(d, warning));
    driver_wait_until(d, end + 180000);
    assert_true(driver_shows(d, warning));
    assert_true(driver_said(d, LANG_KK, warning));

    /* A key ends the warning; speech that goes on for ever (a stuck
     * engine) holds the timeout ten minutes, not more. */
    driver_enter(d);
    assert_true(driver_shows(d, home));
    app_speech_idle(d->app, false, d->now);
    uint64_t began = d->now;
    driver_wait_until(d, began + 599999);
    assert_false(driver_shows(d, warning));
    driver_wait_until(d, began + 600000);
    assert_true(driver_shows(d, warning));
    driver_free(d);
}

/* Read on idle: 20 s after the last key and the end of speech the prompt
 * (what the repeat key says) is said once more, once; a key starts the
 * count again. Not while speaking, and not on an untouched welcome screen
 * where no one may be listening. */
static void
test_prompt_read_again_once_on_idle(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, -1, NULL);
    assert_int_equal(app_deadline(d->app), 0);
    driver_enter(d); /* Қазақша: the home screen */
    driver_press(d, TERM_KEY_DOWN, 0);
    const char *focused = "3 ішінен 2";
    assert_true(driver_said(d, LANG_KK, focused));
    app_speech_idle(d->app, false, d->now);
    driver_wait_until(d, d->now + 30000);
    assert_int_equal(driver_count(d, FX_SAY), 0);
    uint64_t end = d->now;
    app_speech_idle(d->app, true, end);
    driver_wait_until(d, end + 19999);
    assert_int_equal(driver_count(d, FX_SAY), 0);
    driver_wait_until(d, end + 20000);
    assert_true(driver_said(d, LANG_KK, focused));
    /* Once: nothing more until the warning. */
    driver_wait_until(d, end + 170000);
    assert_int_equal(driver_count(d, FX_SAY), 0);
    /* A key: 20 s later the new prompt, once again. */
    driver_press(d, TERM_KEY_DOWN, 0);
    uint64_t key = d->now;
    driver_wait_until(d, key + 19999);
    assert_int_equal(driver_count(d, FX_SAY), 0);
    driver_wait_until(d, key + 20000);
    assert_true(driver_said(d, LANG_KK, "3 ішінен 3"));
    driver_free(d);
}

/* The privacy curtain hides the screen but speech goes on. */
static void
test_curtain_hides_screen_not_speech(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, -1, NULL);
    driver_enter(d);
    driver_char(d, 'b');
    assert_true(app_view(d->app)->curtain);
    assert_true(driver_said(d, LANG_KK, "Экран жасырылды"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(app_view(d->app)->curtain);
    assert_true(driver_said(d, LANG_KK, "3 ішінен 2"));
    driver_char(d, 'b');
    assert_false(app_view(d->app)->curtain);
    driver_free(d);
}

/* Themes and text sizes cycle; every change is confirmed by speech. */
static void
test_theme_and_size_cycle(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, NULL);
    const char *names[] = {"White text on black", "Black text on white",
                           "Yellow text on black", "Standard colours"};
    for (int i = 0; i < 4; i++) {
        driver_char(d, 't');
        assert_true(driver_said(d, LANG_EN, names[i]));
        assert_int_equal(app_view(d->app)->theme, (i + 1) % 4);
    }
    for (int i = 2; i <= 5; i++) {
        driver_char(d, 'z');
        assert_int_equal(app_view(d->app)->text_size, i <= 4 ? i : 1);
    }
    driver_free(d);
}

/* The app owns the focus: Up, Down and the digits move it, the ends of the
 * list are said (never silence), the focus stays on the same option when
 * the screen is rebuilt in another language, and Back is the app's. */
static void
test_focus_is_the_apps(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, NULL);
    driver_enter(d);
    assert_string_equal(driver_focused(d), "Voting assistance");
    driver_press(d, TERM_KEY_UP, 0);
    assert_true(driver_said(d, LANG_EN, "Top of list"));
    assert_string_equal(driver_focused(d), "Voting assistance");
    driver_char(d, '3');
    assert_string_equal(driver_focused(d), "Learn the keys");
    assert_true(driver_said(d, LANG_EN, "3 of 3"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, LANG_EN, "End of list"));
    assert_false(driver_said(d, LANG_EN, "Learn the keys"));
    assert_string_equal(driver_focused(d), "Learn the keys");
    driver_press(d, TERM_KEY_UP, 0);
    assert_string_equal(driver_focused(d), "Social services");
    driver_char(d, 'l'); /* English → Kazakh: the same option keeps it */
    const struct view *v = app_view(d->app);
    assert_int_equal(view_option_rank(v, v->focus), 2);
    assert_string_not_equal(driver_focused(d), "Social services");
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Қазақша"));
    /* Down while help is shown closes help and moves on the screen. */
    driver_press(d, TERM_KEY_F1, 0);
    assert_true(driver_shows(d, "Help") || driver_shows(d, "Анықтама"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Русский");
    driver_free(d);
}

/* A screen whose list grows at the top when Right is pressed. */
static void
grow_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    (void)c;
    const bool *grown = s->state;
    view_title(v, "Growing list");
    if (*grown)
        view_option(v, 5, "Five");
    view_option(v, 10, "Ten");
    view_option(v, 20, "Twenty");
    view_option(v, 30, "Thirty");
}

static void
grow_key(struct screen *s, const struct ctx *c, const struct key *k,
         struct fx_list *fx)
{
    (void)c;
    (void)fx;
    if (k->action == ACTION_RIGHT)
        *(bool *)s->state = true;
}

static const struct screen_ops grow_ops = {
    .name = "grow",
    .view = grow_view,
    .key = grow_key,
    .state_size = sizeof(bool),
};

/* The focus stays on the same option (by id, not by position) when the
 * screen is rebuilt with an option added above it, and is not read
 * again since it did not move. */
static void
test_focus_follows_the_option_not_the_rank(void **state)
{
    (void)state;
    struct driver *d = start(MODE_BOTH, LANG_EN, NULL);
    fx_clear(&d->out);
    app_open(d->app, screen_new(&grow_ops, xcalloc(1, sizeof(bool))), d->now,
             &d->out);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "Twenty");
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_string_equal(driver_focused(d), "Twenty");
    assert_false(driver_said(d, LANG_EN, "Twenty"));
    assert_true(driver_shows(d, "Five"));
    driver_press(d, TERM_KEY_UP, 0);
    assert_string_equal(driver_focused(d), "Ten");
    driver_free(d);
}

/* The idle warning's countdown agrees with its number in Russian: 21
 * seconds is "через 21 секунду", not "секунд". */
static void
test_idle_warning_plural(void **state)
{
    (void)state;
    struct driver *d = driver_new(&(struct driver_options){
        .mode = MODE_BOTH,
        .first_lang = LANG_RU,
        .idle_warning_s = 120,
        .idle_grace_s = 21,
        .max_text_size = 4,
    });
    driver_enter(d);
    uint64_t last = d->now;
    driver_wait_until(d, last + 130000);
    assert_true(driver_said(d, LANG_RU, "через 21 секунду всё введённое"));
    driver_free(d);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_welcome_greets_in_kk_and_ru),
          cmocka_unit_test(test_idle_warning_plural),
          cmocka_unit_test(test_choose_russian_then_switch_language),
          cmocka_unit_test(test_every_key_stops_speech_first),
          cmocka_unit_test(test_help_and_key_describe),
          cmocka_unit_test(test_repeat_speaks_current_item),
          cmocka_unit_test(test_home_follows_mode),
          cmocka_unit_test(test_volume_and_rate_are_confirmed),
          cmocka_unit_test(test_configured_volume_starts_each_session),
          cmocka_unit_test(test_pin_is_masked_and_never_spoken),
          cmocka_unit_test(test_five_wrong_pins_lock_with_doubling_delay),
          cmocka_unit_test(test_no_pin_set_explains),
          cmocka_unit_test(test_pin_field_delete_and_keypad),
          cmocka_unit_test(test_staff_menu_back_logs_out),
          cmocka_unit_test(test_station_screens),
          cmocka_unit_test(test_idle_timeout_resets_every_setting),
          cmocka_unit_test(test_key_during_idle_warning_continues),
          cmocka_unit_test(test_idle_counts_from_end_of_speech),
          cmocka_unit_test(test_prompt_read_again_once_on_idle),
          cmocka_unit_test(test_curtain_hides_screen_not_speech),
          cmocka_unit_test(test_theme_and_size_cycle),
          cmocka_unit_test(test_focus_is_the_apps),
          cmocka_unit_test(test_focus_follows_the_option_not_the_rank))
