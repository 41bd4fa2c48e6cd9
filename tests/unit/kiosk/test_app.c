/*
 * The app as a state machine, driven headless: keys in, utterances and the
 * view model out, with an injected clock. This is the driver every screen
 * test uses: no terminal, no speech engine, no real time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "accessibility/keymap.h"
#include "kiosk/app.h"
#include "kiosk/staff.h"

struct driver {
    struct i18n *i18n;
    struct app *app;
    struct fx_list out;
    uint64_t now;
    const char *pin; /* the right PIN, or NULL: none set */
};

static bool
driver_verify(void *ctx, const char *pin)
{
    struct driver *d = ctx;
    return strcmp(pin, d->pin) == 0;
}

static struct driver *
driver_new(enum kiosk_mode mode, int first_lang, const char *pin)
{
    struct driver *d = calloc(1, sizeof *d);
    char *why = NULL;
    d->i18n = i18n_new("build/locale", &why);
    if (d->i18n == NULL) {
        fprintf(stderr, "catalogues: %s (run make first)\n", why);
        free(why);
        d->i18n = i18n_new_empty();
    }
    d->pin = pin;
    d->now = 1000000;
    struct app_options o = {
        .i18n = d->i18n,
        .mode = mode,
        .first_lang = first_lang,
        .lockout_base_s = 30,
        .staff_verify = pin ? driver_verify : NULL,
        .staff_verify_ctx = d,
        .idle_warning_s = 180,
        .idle_grace_s = 30,
        .max_text_size = 4,
    };
    d->app = app_new(&o);
    app_start(d->app, d->now, &d->out);
    return d;
}

static void
driver_free(struct driver *d)
{
    app_free(d->app);
    fx_list_free(&d->out);
    i18n_free(d->i18n);
    free(d);
}

/* Presses a terminal key; the effects of earlier keys are dropped. */
static void
press(struct driver *d, enum term_key tk, unsigned cp)
{
    fx_clear(&d->out);
    struct key k = keymap_keyboard(tk, cp);
    d->now += 100;
    app_key(d->app, &k, d->now, &d->out);
}

static void
press_char(struct driver *d, unsigned cp)
{
    press(d, TERM_KEY_CHAR, cp);
}

/* True when some utterance in the last effects contains TEXT in LANG. */
static bool
said(const struct driver *d, int lang, const char *text)
{
    for (size_t i = 0; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind == FX_SAY && (lang < 0 || f->lang == lang) &&
            strstr(f->text, text) != NULL)
            return true;
    }
    return false;
}

static int
count(const struct driver *d, enum fx_kind kind)
{
    int n = 0;
    for (size_t i = 0; i < d->out.n; i++)
        n += d->out.v[i].kind == kind;
    return n;
}

static bool
shows(const struct driver *d, const char *text)
{
    const struct view *v = app_view(d->app);
    if (strstr(v->title, text) || strstr(v->notice, text))
        return true;
    for (size_t i = 0; i < v->n_items; i++)
        if (strstr(v->items[i].text, text))
            return true;
    return false;
}

static const char *
focused(const struct driver *d)
{
    const struct view *v = app_view(d->app);
    return v->focus >= 0 ? v->items[v->focus].text : "";
}

/* Lets time pass until MS; the app gets the ticks it asked for. */
static void
wait_until(struct driver *d, uint64_t ms)
{
    fx_clear(&d->out);
    for (;;) {
        uint64_t dl = app_deadline(d->app);
        if (dl == 0 || dl > ms)
            break;
        d->now = dl > d->now ? dl : d->now;
        app_tick(d->app, d->now, &d->out);
    }
    d->now = ms;
}

static void
test_welcome_greets_in_kk_and_ru(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, -1, NULL);
    assert_true(said(d, LANG_KK, "Сәлеметсіз бе"));
    assert_true(said(d, LANG_RU, "Здравствуйте"));
    assert_true(shows(d, "Сәлеметсіз бе"));
    assert_true(shows(d, "Здравствуйте"));
    assert_string_equal(focused(d), "Қазақша");
    driver_free(d);
}

static void
test_choose_russian_then_switch_language(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, -1, NULL);
    press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(focused(d), "Русский");
    assert_true(said(d, LANG_RU, "Русский"));
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Что вы хотите сделать?"));
    assert_true(said(d, LANG_RU, "Что вы хотите сделать?"));
    assert_int_equal(app_lang(d->app), LANG_RU);
    press_char(d, 'l');
    assert_int_equal(app_lang(d->app), LANG_EN);
    assert_true(shows(d, "What would you like to do?"));
    assert_true(said(d, LANG_EN, "Voting assistance"));
    press_char(d, 'l');
    assert_true(shows(d, "Не істегіңіз келеді?"));
    assert_true(said(d, LANG_KK, "Не істегіңіз келеді?"));
    driver_free(d);
}

static void
test_every_key_stops_speech_first(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, -1, NULL);
    press(d, TERM_KEY_DOWN, 0);
    assert_true(d->out.n > 0);
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    press_char(d, 'x'); /* a key that does nothing still stops speech */
    assert_int_equal(d->out.v[0].kind, FX_STOP);
    press_char(d, ' '); /* except pause, which must not lose the speech */
    assert_int_equal(count(d, FX_STOP), 0);
    assert_int_equal(count(d, FX_PAUSE), 1);
    driver_free(d);
}

static void
test_help_and_key_describe(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_EN, NULL);
    press(d, TERM_KEY_F1, 0);
    assert_true(shows(d, "Choose the language of the kiosk"));
    assert_true(said(d, LANG_EN, "Help"));
    press_char(d, '?');
    assert_true(said(d, LANG_EN, "Press any key to hear its name"));
    press(d, TERM_KEY_UP, 0);
    assert_true(said(d, LANG_EN, "Up arrow: previous item"));
    /* named, not acted on */
    assert_string_equal(focused(d), "English");
    press(d, TERM_KEY_UP, 0);
    assert_string_equal(focused(d), "Русский");
    driver_free(d);
}

static void
test_repeat_speaks_current_item(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_RU, NULL);
    press_char(d, 'r');
    assert_true(said(d, LANG_RU, "Русский"));
    assert_true(said(d, LANG_RU, "2 из 3"));
    press(d, TERM_KEY_F2, 0);
    assert_true(said(d, LANG_RU, "Русский"));
    driver_free(d);
}

static void
test_home_follows_mode(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_SERVICES, LANG_EN, NULL);
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Social services"));
    assert_false(shows(d, "Voting assistance"));
    driver_free(d);
    d = driver_new(MODE_BOTH, LANG_EN, NULL);
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Social services"));
    assert_true(shows(d, "Voting assistance"));
    driver_free(d);
}

static void
test_volume_and_rate_are_confirmed(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_RU, NULL);
    press_char(d, '+');
    assert_int_equal(app_volume(d->app), 60);
    assert_true(said(d, LANG_RU, "Громкость 60 процентов"));
    press_char(d, '>');
    assert_int_equal(app_rate(d->app), 125);
    assert_true(said(d, LANG_RU, "Быстрее"));
    for (int i = 0; i < 10; i++)
        press_char(d, '<');
    assert_int_equal(app_rate(d->app), 50);
    assert_true(said(d, LANG_RU, "самая медленная"));
    driver_free(d);
}

static void
enter_pin(struct driver *d, const char *pin)
{
    for (const char *p = pin; *p; p++)
        press_char(d, (unsigned)*p);
    press(d, TERM_KEY_ENTER, 0);
}

static void
test_pin_is_masked_and_never_spoken(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_EN, "246810");
    press(d, TERM_KEY_F10, 0);
    assert_true(shows(d, "Staff login"));
    for (const char *p = "2468"; *p; p++) {
        press_char(d, (unsigned)*p);
        assert_true(said(d, LANG_EN, "digit entered"));
        assert_false(said(d, -1, "2"));
        assert_false(said(d, -1, "4"));
    }
    assert_true(shows(d, "●●●●"));
    assert_false(shows(d, "2468"));
    press_char(d, '1');
    press_char(d, '0');
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Staff menu"));
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(focused(d), "Quit kiosk");
    press(d, TERM_KEY_ENTER, 0);
    assert_int_equal(count(d, FX_QUIT), 1);
    driver_free(d);
}

static void
test_five_wrong_pins_lock_with_doubling_delay(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_RU, "246810");
    press(d, TERM_KEY_F10, 0);
    for (int i = 0; i < 4; i++) {
        enter_pin(d, "111111");
        assert_true(said(d, LANG_RU, "Неверный PIN-код"));
    }
    enter_pin(d, "111111");
    assert_true(said(d, LANG_RU, "заблокирован на 30 секунд"));
    /* While locked even the right PIN is refused, and the time is said. */
    press_char(d, '2');
    assert_true(said(d, LANG_RU, "Повторите через 30 секунд"));
    enter_pin(d, "246810");
    assert_false(shows(d, "Меню сотрудника"));
    /* The clock passes the lockout: the tick announces it. */
    uint64_t deadline = app_deadline(d->app);
    assert_true(deadline > d->now);
    d->now += 30000;
    fx_clear(&d->out);
    while (app_deadline(d->app) != 0 && app_deadline(d->app) <= d->now)
        app_tick(d->app, d->now, &d->out);
    assert_true(said(d, LANG_RU, "Можно снова ввести PIN-код"));
    enter_pin(d, "000000");
    assert_true(said(d, LANG_RU, "заблокирован на 60 секунд"));
    d->now += 60000;
    enter_pin(d, "246810");
    assert_true(shows(d, "Меню сотрудника"));
    driver_free(d);
}

static void
test_no_pin_set_explains(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_KK, NULL);
    press(d, TERM_KEY_F10, 0);
    enter_pin(d, "123456");
    assert_true(said(d, LANG_KK, "dauys staff passwd"));
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(shows(d, "Сәлеметсіз бе"));
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
    struct driver *d = driver_new(MODE_BOTH, LANG_EN, "246810");
    press(d, TERM_KEY_F10, 0);
    press_char(d, '2');
    press_char(d, '4');
    press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(said(d, LANG_EN, "digit deleted"));
    assert_string_equal(field(d), "●");
    /* The keypad's 8 is Up elsewhere; here it types its digit. */
    struct key kp8 = {.action = ACTION_UP, .name = "Key 8",
                      .entry = ACTION_DIGIT, .entry_digit = '8'};
    fx_clear(&d->out);
    app_key(d->app, &kp8, d->now += 100, &d->out);
    assert_true(said(d, LANG_EN, "digit entered"));
    assert_false(said(d, -1, "8"));
    assert_string_equal(field(d), "●●");
    press(d, TERM_KEY_BACKSPACE, 0);
    press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(shows(d, "Staff login"));
    press(d, TERM_KEY_BACKSPACE, 0);
    assert_false(shows(d, "Staff login"));
    driver_free(d);
}

static void
login(struct driver *d)
{
    press(d, TERM_KEY_F10, 0);
    enter_pin(d, "246810");
    assert_true(shows(d, "Staff menu"));
}

/* Escape, or Return to the kiosk, logs the staff member out. */
static void
test_staff_menu_back_logs_out(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_EN, "246810");
    login(d);
    assert_true(emitted(d, FX_AUDIT, "staff login"));
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(emitted(d, FX_AUDIT, "staff logout"));
    assert_false(shows(d, "Staff menu"));
    login(d);
    for (int i = 0; i < 3; i++)
        press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(focused(d), "Return to the kiosk");
    press(d, TERM_KEY_ENTER, 0);
    assert_true(emitted(d, FX_AUDIT, "staff logout"));
    assert_false(shows(d, "Staff menu"));
    driver_free(d);
}

/* The election screens without a package: the menu's options by id, the
 * information and the speech test, and the folder typed for a package (a
 * text field: letters do not act, a Kazakh letter is deleted whole). */
static void
test_station_screens(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_EN, "246810");
    login(d);
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "No package is loaded."));
    assert_string_equal(focused(d), "Load election package");
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(focused(d), "Open voting assistance");
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Load an election package first."));
    assert_int_equal(count(d, FX_VOTING), 0);
    press(d, TERM_KEY_ESCAPE, 0);
    assert_string_equal(focused(d), "Open voting assistance");
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Speech test"));
    assert_true(said(d, LANG_KK, ""));
    press(d, TERM_KEY_ENTER, 0); /* Say it again */
    assert_int_equal(count(d, FX_SAY), 2);
    assert_true(said(d, LANG_RU, ""));
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_ENTER, 0); /* Back */
    assert_string_equal(focused(d), "Speech test");
    press(d, TERM_KEY_UP, 0);
    press(d, TERM_KEY_UP, 0);
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Package information"));
    assert_string_equal(focused(d), "Back");
    press(d, TERM_KEY_ENTER, 0);
    assert_string_equal(focused(d), "Package information");
    press(d, TERM_KEY_UP, 0);
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Type the directory"));
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, "Type a directory first."));
    assert_int_equal(count(d, FX_LOAD_PACKAGE), 0);
    press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(said(d, LANG_EN, "empty"));
    assert_true(shows(d, "Type the directory"));
    for (const char *p = "/mnt/lr"; *p; p++)
        press_char(d, (unsigned)*p);
    assert_true(said(d, LANG_EN, "r"));
    press_char(d, 0x4D9); /* ә */
    assert_string_equal(field(d), "/mnt/lrә");
    press(d, TERM_KEY_BACKSPACE, 0);
    assert_string_equal(field(d), "/mnt/lr");
    press(d, TERM_KEY_ENTER, 0);
    assert_true(emitted(d, FX_LOAD_PACKAGE, "/mnt/lr"));
    assert_false(emitted(d, FX_LOAD_PACKAGE, "/mnt/lr\xd3"));
    assert_string_equal(focused(d), "Load election package");
    /* Escape leaves the election screens for the staff menu. */
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(shows(d, "Staff menu"));
    driver_free(d);
}

/* A visitor changes every setting; the idle timeout warns, counts down,
 * then wipes the session; the next visitor starts with the defaults. */
static void
test_idle_timeout_resets_every_setting(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, -1, NULL);
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_ENTER, 0); /* Русский */
    press_char(d, '+');
    press_char(d, '>');
    press_char(d, 't');
    assert_true(said(d, LANG_RU, "Белый текст на чёрном"));
    press_char(d, 'z');
    assert_true(said(d, LANG_RU, "Размер текста 2"));
    assert_int_equal(app_view(d->app)->text_size, 2);
    assert_int_equal(app_view(d->app)->theme, 1);
    assert_int_equal(app_volume(d->app), 60);
    assert_int_equal(app_rate(d->app), 125);

    /* 179 s: nothing yet; 180 s: the warning, spoken and shown. */
    uint64_t last = d->now;
    wait_until(d, last + 179000);
    assert_int_equal(count(d, FX_SAY), 0);
    wait_until(d, last + 180000);
    assert_true(said(d, LANG_RU, "Вы ещё здесь?"));
    assert_true(shows(d, "30"));
    /* The countdown moves each second; at ten seconds it is spoken. */
    wait_until(d, last + 195000);
    assert_true(shows(d, "15"));
    wait_until(d, last + 200000);
    assert_true(said(d, LANG_RU, "Осталось десять секунд"));
    /* At zero: the welcome screen, in kk+ru, with every default. */
    wait_until(d, last + 210000);
    assert_int_equal(count(d, FX_HOME), 1);
    assert_true(said(d, LANG_KK, "Сәлеметсіз бе"));
    assert_int_equal(app_view(d->app)->text_size, 1);
    assert_int_equal(app_view(d->app)->theme, 0);
    assert_int_equal(app_volume(d->app), 50);
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
    struct driver *d = driver_new(MODE_BOTH, -1, NULL);
    press(d, TERM_KEY_ENTER, 0); /* Қазақша */
    const char *title = "Не істегіңіз келеді?";
    assert_true(shows(d, title));
    wait_until(d, d->now + 185000);
    assert_false(shows(d, title));
    press(d, TERM_KEY_ENTER, 0);
    assert_true(shows(d, title));
    assert_true(said(d, LANG_KK, title));
    assert_int_equal(count(d, FX_PUSH), 0);
    wait_until(d, d->now + 179000);
    assert_true(shows(d, title));
    driver_free(d);
}

/* The privacy curtain hides the screen but speech goes on. */
static void
test_curtain_hides_screen_not_speech(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, -1, NULL);
    press(d, TERM_KEY_ENTER, 0);
    press_char(d, 'b');
    assert_true(app_view(d->app)->curtain);
    assert_true(said(d, LANG_KK, "Экран жасырылды"));
    press(d, TERM_KEY_DOWN, 0);
    assert_true(app_view(d->app)->curtain);
    assert_true(said(d, LANG_KK, "3 ішінен 2"));
    press_char(d, 'b');
    assert_false(app_view(d->app)->curtain);
    driver_free(d);
}

/* Themes and text sizes cycle; every change is confirmed by speech. */
static void
test_theme_and_size_cycle(void **state)
{
    (void)state;
    struct driver *d = driver_new(MODE_BOTH, LANG_EN, NULL);
    const char *names[] = {"White text on black", "Black text on white",
                           "Yellow text on black", "Standard colours"};
    for (int i = 0; i < 4; i++) {
        press_char(d, 't');
        assert_true(said(d, LANG_EN, names[i]));
        assert_int_equal(app_view(d->app)->theme, (i + 1) % 4);
    }
    for (int i = 2; i <= 5; i++) {
        press_char(d, 'z');
        assert_int_equal(app_view(d->app)->text_size, i <= 4 ? i : 1);
    }
    driver_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_welcome_greets_in_kk_and_ru),
        cmocka_unit_test(test_choose_russian_then_switch_language),
        cmocka_unit_test(test_every_key_stops_speech_first),
        cmocka_unit_test(test_help_and_key_describe),
        cmocka_unit_test(test_repeat_speaks_current_item),
        cmocka_unit_test(test_home_follows_mode),
        cmocka_unit_test(test_volume_and_rate_are_confirmed),
        cmocka_unit_test(test_pin_is_masked_and_never_spoken),
        cmocka_unit_test(test_five_wrong_pins_lock_with_doubling_delay),
        cmocka_unit_test(test_no_pin_set_explains),
        cmocka_unit_test(test_pin_field_delete_and_keypad),
        cmocka_unit_test(test_staff_menu_back_logs_out),
        cmocka_unit_test(test_station_screens),
        cmocka_unit_test(test_idle_timeout_resets_every_setting),
        cmocka_unit_test(test_key_during_idle_warning_continues),
        cmocka_unit_test(test_curtain_hides_screen_not_speech),
        cmocka_unit_test(test_theme_and_size_cycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
