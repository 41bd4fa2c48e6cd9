/*
 * Ten Qogam screens as state machines, driven headless through the app
 * with the bundled catalogue and a fake store and printer that fail on
 * demand: browsing by ear, applying with valid and invalid IINs, going
 * back without losing input, consent, the number announced only after a
 * successful store (and whatever the printer does), the saved screen's
 * number and QR code on a small terminal, the failures a visitor hears,
 * the status check and the staff console.
 */
#include <linux/input-event-codes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kiosk/layout.h"
#include "kiosk/qrtext.h"
#include "kiosk/services.h"
#include "services/damm.h"
#include "tests/unit/kiosk/driver.h"
#include "tests/unit/unit.h"

struct fake {
    int submit_rc; /* what submit returns */
    int submits;   /* successful submissions */
    struct application last;
    char number[10];
    int print_rc;
    int prints;
    char print_centre[64];
    char print_service[256];
    enum app_status status;
    int set_status_calls;
    char note[256];
    char export_dir[256];
    struct driver *d;       /* to hear what was said before printing */
    bool number_said_first; /* when the printer was asked */
};

static int
fake_submit(void *ctx, const struct application *a, char number[10],
            int64_t *created, char **why)
{
    struct fake *f = ctx;
    if (f->submit_rc != 0) {
        *why = strdup("injected");
        return f->submit_rc;
    }
    f->last = *a;
    f->submits++;
    snprintf(number, 10, "%s", f->number);
    *created = 1740000000;
    return 0;
}

static int
fake_status(void *ctx, const char *number, enum app_status *status,
            int64_t *changed_at, char *service, char **why)
{
    struct fake *f = ctx;
    (void)why;
    if (strcmp(number, f->number) != 0)
        return 1;
    *status = f->status;
    *changed_at = 1740000000;
    snprintf(service, 33, "invataxi");
    return 0;
}

static int
fake_print(void *ctx, const struct receipt *r, char **why)
{
    struct fake *f = ctx;
    /* D5: the number is shown and spoken before the printer is tried. */
    f->number_said_first = f->d != NULL &&
                           driver_said(f->d, -1, "1 2 3, 4 5 6, 7 8");
    if (f->print_rc != 0) {
        *why = strdup("no printer");
        return -1;
    }
    assert_string_equal(r->number, f->number);
    snprintf(f->print_centre, sizeof f->print_centre, "%s", r->centre);
    snprintf(f->print_service, sizeof f->print_service, "%s", r->service);
    f->prints++;
    return 0;
}

static int
fake_list(void *ctx, const struct store_query *q, store_row_fn fn, void *fctx,
          char **why)
{
    struct fake *f = ctx;
    (void)why;
    /* One application, created 2025-02-20 02:20 in Kazakhstan. */
    int64_t created = 1740000000;
    if ((q->number != NULL && strcmp(q->number, f->number) != 0) ||
        (q->status >= 0 && q->status != (int)f->status) ||
        (q->from != 0 && created < q->from) || (q->to != 0 && created >= q->to))
        return 0;
    struct store_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.number, sizeof r.number, "%s", f->number);
    r.created_at = created;
    r.status = f->status;
    /* As the store gives it: the personal fields are sealed. */
    r.app = f->last;
    memset(r.app.iin, 0, sizeof r.app.iin);
    memset(r.app.phone, 0, sizeof r.app.phone);
    memset(r.app.name, 0, sizeof r.app.name);
    r.app.group = GROUP_UNKNOWN;
    fn(fctx, &r);
    return 0;
}

static int
fake_set_status(void *ctx, const char *number, enum app_status status,
                const char *note, char **why)
{
    struct fake *f = ctx;
    (void)why;
    if (strcmp(number, f->number) != 0)
        return 1;
    f->status = status;
    f->set_status_calls++;
    snprintf(f->note, sizeof f->note, "%s", note ? note : "");
    return 0;
}

static int
fake_accept(void *ctx, const char *number, char **why)
{
    (void)ctx;
    (void)number;
    (void)why;
    return 0;
}

static int
fake_export(void *ctx, const char *dir, char **path, long *count, char **why)
{
    struct fake *f = ctx;
    (void)why;
    snprintf(f->export_dir, sizeof f->export_dir, "%s", dir);
    *path = strdup("/media/stick/outbox-ALM-01-20250220-022000.jsonl");
    *count = 1;
    return 0;
}

static const struct services_ops fake_ops = {
    .submit = fake_submit,
    .status = fake_status,
    .print = fake_print,
    .list = fake_list,
    .set_status = fake_set_status,
    .accept_iin = fake_accept,
    .export_outbox = fake_export,
};

/* The app in services mode over the bundled catalogue, with the fake
 * store and printer; staff PIN 123456. */
struct svc {
    struct driver *d;
    struct catalogue *cat;
    struct services sv;
    struct fake fake;
};

static struct svc *
svc_new_pad(int lang, bool keyboard, const char *keypad)
{
    struct svc *t = calloc(1, sizeof *t);
    unit_ok(catalogue_load("data/services/catalogue.txt", &t->cat, unit_why()));
    snprintf(t->fake.number, sizeof t->fake.number, "12345678");
    t->fake.number[8] = (char)('0' + damm_digit(t->fake.number));
    t->sv = (struct services){
        .catalogue = t->cat,
        .centre = "ALM-01",
        .keyboard = keyboard,
        .retention_days = 1095,
        .ops = &fake_ops,
        .ops_ctx = &t->fake,
    };
    t->d = driver_new(&(struct driver_options){
        .mode = MODE_SERVICES,
        .first_lang = lang,
        .pin = "123456",
        .svc = &t->sv,
        .keypad = keypad,
    });
    t->fake.d = t->d;
    return t;
}

static struct svc *
svc_new(int lang, bool keyboard)
{
    return svc_new_pad(lang, keyboard, NULL);
}

static void
svc_free(struct svc *t)
{
    driver_free(t->d);
    catalogue_free(t->cat);
    free(t);
}

/* From the welcome screen (in English) to the services menu. */
static void
open_services(struct driver *d)
{
    driver_enter(d); /* welcome: language */
    driver_enter(d); /* home: social services */
    assert_true(driver_shows(d, i18n_text(d->i18n, app_lang(d->app),
                                          "Social services")));
}

/* From the services menu to the IIN step of the invataxi service. */
static void
open_invataxi_application(struct driver *d)
{
    open_services(d);
    driver_press(d, TERM_KEY_CHAR, '3'); /* Treatment and travel */
    driver_enter(d);
    assert_true(driver_shows(d, "Treatment and travel"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    assert_true(driver_shows(d, "Invataxi"));
    driver_enter(d); /* Apply for this service */
    assert_true(driver_shows(d, "Your IIN"));
}

/* Presses Enter N times (each step's focused default). */
static void
enter_times(struct driver *d, int n)
{
    for (int i = 0; i < n; i++)
        driver_enter(d);
}

/* On the consent, whose first focus is "Read again": moves to "I give
 * my consent" and chooses it. */
static void
agree(struct driver *d)
{
    enum lang l = app_lang(d->app);
    assert_true(driver_shows(d, i18n_text(d->i18n, l, "Your consent")));
    assert_string_equal(driver_focused(d), i18n_text(d->i18n, l, "Read again"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d),
                        i18n_text(d->i18n, l, "I give my consent"));
    driver_enter(d);
}

/* Types a valid IIN and a phone number, each confirmed with Enter. */
static void
enter_iin_and_phone(struct driver *d)
{
    driver_type(d, "061211600012");
    driver_enter(d);
    driver_type(d, "7011234567");
    driver_enter(d);
}

/* From the welcome screen to Apply on the first service of the first
 * category: the IIN step, when applications can be taken. */
static void
open_first_application(struct driver *d)
{
    open_services(d);
    enter_times(d, 3);
}

static void
test_browse_by_ear(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_RU, true);
    struct driver *d = t->d;
    open_services(d);
    assert_true(driver_said(d, -1, "Технические средства реабилитации"));
    assert_true(driver_shows(d, "Проверить статус заявки"));
    driver_enter(d);
    assert_true(driver_said(d, -1, "Протезы и ортопедические средства"));
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_true(driver_said(d, -1, "Средства для слуха"));
    assert_true(driver_said(d, -1, "2 из 5"));
    driver_enter(d);
    /* The whole entry is read: what, who, what to bring, where. */
    assert_true(driver_said(d, -1, "слуховые аппараты"));
    assert_true(driver_said(d, -1, "Кто может получить:"));
    assert_true(driver_said(d, -1, "Что взять с собой:"));
    assert_true(driver_said(d, -1, "Где:"));
    assert_true(driver_said(d, -1, "Подать заявку на эту услугу"));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Социальные услуги"));
    /* In Kazakh too. */
    driver_press(d, TERM_KEY_CHAR, 'l');
    driver_press(d, TERM_KEY_CHAR, 'l');
    assert_true(driver_said(d, -1, "Оңалтудың техникалық құралдары"));
    svc_free(t);
}

static void
test_apply_valid_iin_full_flow(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, true);
    struct driver *d = t->d;
    open_invataxi_application(d);
    driver_type(d, "06121160001");
    assert_true(driver_said(d, -1, "1"));
    driver_type(d, "2");
    assert_true(driver_said(d, -1, "You typed 0 6 1, 2 1 1, 6 0 0, 0 1 2"));
    assert_true(driver_shows(d, "061 211 600 012"));
    driver_enter(d);
    assert_true(driver_shows(d, "Your phone number"));
    driver_type(d, "7011234567");
    assert_true(driver_said(d, -1, "+7, 7 0 1, 1 2 3, 4 5, 6 7"));
    driver_enter(d);
    /* A keyboard is attached: the name is asked, and may be skipped;
     * letters that are keys elsewhere (l, r, space) are typed here. */
    assert_true(driver_shows(d, "Your name"));
    driver_type(d, "Ali Lr");
    assert_true(driver_shows(d, "Ali Lr"));
    assert_int_equal(app_lang(d->app), LANG_EN);
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    driver_type(d, "x");
    driver_enter(d);
    assert_true(driver_shows(d, "Your disability group"));
    driver_press(d, TERM_KEY_CHAR, '2');
    driver_enter(d);
    assert_true(driver_shows(d, "How should staff contact you?"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    assert_true(driver_shows(d, "In which language?"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    /* Consent is read in full before the choice. */
    assert_true(driver_shows(d, "Your consent"));
    assert_true(driver_said(d, -1, "What is stored: your IIN"));
    assert_true(driver_said(d, -1, "For how long: 1095 days"));
    assert_true(driver_said(d, -1, "Who sees it"));
    assert_int_equal(t->fake.submits, 0);
    agree(d);
    assert_true(driver_shows(d, "Check your application"));
    assert_true(driver_said(d, -1, "IIN: 0 6 1, 2 1 1, 6 0 0, 0 1 2"));
    assert_true(driver_shows(d, "Name: Ali Lx"));
    assert_true(driver_shows(d, "Disability group: Group II"));
    assert_int_equal(t->fake.submits, 0);
    assert_null(driver_big(d));
    driver_enter(d); /* Send */
    assert_int_equal(t->fake.submits, 1);
    assert_string_equal(t->fake.last.iin, "061211600012");
    assert_false(t->fake.last.iin_flagged);
    assert_string_equal(t->fake.last.phone, "7011234567");
    assert_string_equal(t->fake.last.name, "Ali Lx");
    assert_string_equal(t->fake.last.service, "invataxi");
    assert_int_equal(t->fake.last.group, GROUP_II);
    assert_int_equal(t->fake.last.contact, CONTACT_SMS);
    assert_int_equal(t->fake.last.contact_lang, LANG_RU);
    assert_int_equal(t->fake.last.ui_lang, LANG_EN);
    /* The number: largest text, groups of three, QR code, printed. */
    assert_true(driver_shows(d, "Your application is saved"));
    const struct view_item *b = driver_big(d);
    assert_non_null(b);
    char grouped[16];
    snprintf(grouped, sizeof grouped, "%.3s %.3s %.3s", t->fake.number,
             t->fake.number + 3, t->fake.number + 6);
    assert_string_equal(b->text, grouped);
    assert_true(driver_said(d, -1, "1 2 3, 4 5 6, 7 8"));
    assert_true(driver_shows(d, "█"));
    assert_int_equal(t->fake.prints, 1);
    assert_string_equal(t->fake.print_centre, "ALM-01");
    assert_string_equal(t->fake.print_service, "Invataxi");
    assert_true(t->fake.number_said_first);
    assert_true(driver_said(d, -1, "receipt with this number is printed"));
    driver_press(d, TERM_KEY_UP, 0);
    driver_enter(d);
    assert_true(driver_said(d, -1, "Your application number is 1 2 3, 4 5 6"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Finish: the session ends */
    assert_true(driver_shows(d, "Қазақша"));
    svc_free(t);
}

static void
test_invalid_iin_twice_continues_flagged(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, false);
    struct driver *d = t->d;
    open_invataxi_application(d);
    driver_type(d, "0612116000");
    driver_enter(d);
    assert_true(driver_said(d, -1, "An IIN has 12 digits"));
    driver_type(d, "13");
    driver_enter(d);
    assert_true(driver_said(d, -1, "does not pass the check"));
    assert_true(driver_shows(d, "Your IIN"));
    /* A business number is explained. */
    driver_type(d, "990540000123");
    driver_enter(d);
    assert_true(driver_shows(d, "The IIN did not pass the check"));
    assert_true(driver_said(d, -1, "continue: a member of staff will confirm"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    assert_true(driver_shows(d, "Your phone number"));
    /* No keyboard: no name step. */
    driver_type(d, "7771234567");
    driver_enter(d);
    assert_true(driver_shows(d, "Your disability group"));
    enter_times(d, 3);
    agree(d);
    assert_true(driver_said(d, -1, "Staff will confirm the IIN"));
    driver_enter(d);
    assert_int_equal(t->fake.submits, 1);
    assert_true(t->fake.last.iin_flagged);
    assert_string_equal(t->fake.last.iin, "990540000123");
    assert_int_equal(t->fake.last.group, GROUP_UNKNOWN);
    svc_free(t);
}

static void
test_business_number_is_explained(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_RU, false);
    struct driver *d = t->d;
    open_first_application(d);
    driver_type(d, "990540000123");
    driver_enter(d);
    assert_true(driver_said(d, -1, "номер организации (БИН)"));
    driver_type(d, "0");
    driver_type(d, "61211600012");
    driver_enter(d);
    assert_true(driver_shows(d, "Ваш номер телефона"));
    svc_free(t);
}

static void
test_back_keeps_input(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, true);
    struct driver *d = t->d;
    open_invataxi_application(d);
    driver_type(d, "061211600012");
    driver_enter(d);
    driver_type(d, "70112");
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Your IIN"));
    assert_true(driver_shows(d, "061 211 600 012"));
    driver_enter(d);
    assert_true(driver_shows(d, "+7 701 12"));
    driver_type(d, "34567");
    driver_enter(d);
    driver_type(d, "Dana");
    driver_enter(d);
    driver_press(d, TERM_KEY_CHAR, '3');
    driver_enter(d);
    driver_press(d, TERM_KEY_ESCAPE, 0); /* back from contact to group */
    assert_true(driver_shows(d, "Your disability group"));
    const struct view *v = app_view(d->app);
    assert_string_equal(v->items[v->focus].text, "Group III");
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Dana"));
    /* Backspace in an empty field goes back too. */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "+7 701 123 45 67"));
    svc_free(t);
}

static void
test_long_name_is_refused(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, true);
    struct driver *d = t->d;
    open_invataxi_application(d);
    enter_iin_and_phone(d);
    assert_true(driver_shows(d, "Your name"));
    /* Ж is two bytes: 60 of them fill the 120 bytes a name may have. */
    for (int i = 0; i < APPLICATION_NAME_MAX / 2; i++)
        driver_press(d, TERM_KEY_CHAR, 0x416);
    assert_true(driver_said(d, -1, "Ж"));
    assert_false(driver_shows(d, "No more characters fit."));
    driver_press(d, TERM_KEY_CHAR, 0x416);
    assert_false(driver_said(d, -1, "Ж"));
    assert_true(driver_shows(d, "No more characters fit."));
    driver_press(d, TERM_KEY_BACKSPACE, 0);
    assert_true(driver_said(d, -1, "deleted"));
    assert_false(driver_shows(d, "No more characters fit."));
    driver_press(d, TERM_KEY_CHAR, 0x416);
    enter_times(d, 4);
    agree(d);
    assert_true(driver_shows(d, "Check your application"));
    driver_enter(d);
    assert_int_equal(t->fake.submits, 1);
    assert_int_equal(strlen(t->fake.last.name), APPLICATION_NAME_MAX);
    svc_free(t);
}

static void
test_no_consent_stores_nothing(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, false);
    struct driver *d = t->d;
    open_invataxi_application(d);
    enter_iin_and_phone(d);
    driver_enter(d);
    driver_enter(d);
    driver_enter(d);
    assert_true(driver_shows(d, "Your consent"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d),
                        "I do not give my consent: cancel the application");
    driver_enter(d);
    assert_true(driver_said(d, -1, "nothing was stored"));
    assert_int_equal(t->fake.submits, 0);
    svc_free(t);
}

/* An Enter that lands on the consent's first focus (meant, say, to stop
 * the reading) gives no consent: the consent is read again and stays on
 * screen, nothing is sent; only "I give my consent" goes on. */
static void
test_enter_on_the_first_focus_gives_no_consent(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, false);
    struct driver *d = t->d;
    open_invataxi_application(d);
    enter_iin_and_phone(d);
    driver_enter(d);
    driver_enter(d);
    driver_enter(d);
    assert_true(driver_shows(d, "Your consent"));
    assert_string_equal(driver_focused(d), "Read again");
    driver_enter(d);
    driver_enter(d);
    assert_true(driver_shows(d, "Your consent"));
    assert_true(driver_said(d, LANG_EN, "What is stored:"));
    assert_true(driver_said(d, LANG_EN, "Who sees it:"));
    assert_false(driver_shows(d, "Check your application"));
    assert_int_equal(t->fake.submits, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    assert_string_equal(driver_focused(d), "I give my consent");
    driver_enter(d);
    assert_true(driver_shows(d, "Check your application"));
    /* Back to the consent: again on "Read again". */
    driver_press(d, TERM_KEY_ESCAPE, 0);
    assert_true(driver_shows(d, "Your consent"));
    assert_string_equal(driver_focused(d), "Read again");
    /* The same words for everyone: no masculine "Я согласен". */
    assert_string_equal(i18n_text(d->i18n, LANG_RU, "I give my consent"),
                        "Даю согласие");
    svc_free(t);
}

/* Goes through the steps to the review screen with valid data. */
static void
to_review(struct svc *t)
{
    struct driver *d = t->d;
    open_invataxi_application(d);
    enter_iin_and_phone(d);
    if (t->sv.keyboard)
        driver_enter(d); /* no name */
    enter_times(d, 3);
    agree(d);
    assert_true(driver_shows(d, "Check your application"));
}

static void
test_storage_failures_are_told(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, false);
    struct driver *d = t->d;
    to_review(t);
    t->fake.submit_rc = STORE_FULL;
    driver_enter(d);
    assert_true(driver_said(d, -1, "storage is full. Nothing was saved"));
    assert_null(driver_big(d));
    assert_false(driver_said(d, -1, "1 2 3, 4 5 6"));
    t->fake.submit_rc = STORE_BUSY;
    driver_enter(d);
    assert_true(driver_said(d, -1, "terminal is busy"));
    t->fake.submit_rc = STORE_ERROR;
    driver_enter(d);
    assert_true(driver_said(d, -1, "because of a fault"));
    assert_int_equal(t->fake.submits, 0);
    assert_int_equal(t->fake.prints, 0);
    /* Once the store works again the same application goes through. */
    t->fake.submit_rc = 0;
    driver_enter(d);
    assert_int_equal(t->fake.submits, 1);
    assert_int_equal(t->fake.prints, 1);
    assert_non_null(driver_big(d));
    svc_free(t);
}

static void
test_no_printer(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_KK, false);
    struct driver *d = t->d;
    t->fake.print_rc = -1;
    open_first_application(d);
    enter_iin_and_phone(d);
    enter_times(d, 3);
    agree(d);
    driver_enter(d); /* send */
    assert_int_equal(t->fake.submits, 1);
    assert_true(driver_shows(d, i18n_text(d->i18n, LANG_KK,
                                          "Staff: the receipt printer is not "
                                          "working.")));
    assert_true(strstr(app_view(d->app)->notice, "принтер") != NULL);
    assert_true(driver_said(d, -1, "1 2 3, 4 5 6"));
    assert_non_null(driver_big(d));
    /* The number came first; the fault is told to the visitor, with the
     * number again, and to staff (the notice, said too). */
    assert_true(t->fake.number_said_first);
    assert_true(driver_said(d, -1,
                            i18n_text(d->i18n, LANG_KK,
                                      "Staff: the receipt printer is not "
                                      "working.")));
    assert_int_equal(t->fake.submits, 1);
    svc_free(t);
}

static void
test_saved_screen_number_and_qr(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, false);
    struct driver *d = t->d;
    to_review(t);
    driver_enter(d);
    assert_true(driver_shows(d, "Your application is saved"));
    const struct view *v = app_view(d->app);
    char grouped[16];
    snprintf(grouped, sizeof grouped, "%.3s %.3s %.3s", t->fake.number,
             t->fake.number + 3, t->fake.number + 6);
    /* On the smallest screen the kiosk supports, the number is there. */
    assert_true(driver_laid_out(d, 80, 24, true, grouped));
    assert_true(driver_laid_out(d, 80, 24, true, "Finish"));
    /* The QR code is the block rows of application_qr_text, unwrapped
     * and one after the other. */
    char text[128], *why = NULL;
    assert_int_equal(application_qr_text("ALM-01", t->fake.number, text,
                                         sizeof text),
                     0);
    struct qrtext q;
    assert_int_equal(qrtext_make(text, &q, &why), 0);
    size_t first = 0, n = 0;
    for (size_t i = 0; i < v->n_items; i++) {
        if (v->items[i].kind != VIEW_BLOCK)
            continue;
        if (n == 0)
            first = i;
        assert_int_equal(i, first + n);
        assert_true(n < (size_t)q.n_lines);
        assert_string_equal(v->items[i].text, q.lines[n]);
        n++;
    }
    assert_int_equal(n, q.n_lines);
    /* At 100x60 the whole code is on the screen, row after row. */
    struct layout l;
    driver_layout(d, 100, 60, true, &l);
    int at = -1;
    for (int i = 0; i < l.height && at < 0; i++)
        if (strcmp(l.rows[i].text, q.lines[0]) == 0)
            at = i;
    assert_true(at >= 0);
    for (int i = 0; i < q.n_lines; i++)
        assert_string_equal(l.rows[at + i].text, q.lines[i]);
    layout_free(&l);
    qrtext_free(&q);
    /* The QR code is never read out; the number is, in groups. */
    assert_false(driver_said(d, -1, "▀"));
    assert_true(driver_said(d, -1, "1 2 3, 4 5 6, 7 8"));
    svc_free(t);
}

static void
open_status(struct driver *d)
{
    open_services(d);
    const struct view *v = app_view(d->app);
    driver_press(d, TERM_KEY_CHAR, (unsigned)('0' + view_option_count(v)));
    driver_enter(d);
    assert_true(driver_shows(d, "Check the status of an application"));
}

static void
test_status_check(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, true);
    struct driver *d = t->d;
    t->fake.status = STATUS_FORWARDED;
    open_status(d);
    driver_type(d, "1234");
    driver_enter(d);
    assert_true(driver_said(d, -1, "has 9 digits"));
    char wrong[10];
    memcpy(wrong, t->fake.number, 10);
    wrong[3] = t->fake.number[4];
    wrong[4] = t->fake.number[3];
    driver_type(d, wrong);
    driver_enter(d);
    assert_true(driver_said(d, -1, "two digits swapped"));
    driver_type(d, t->fake.number);
    driver_enter(d);
    assert_true(driver_shows(d, "Status of your application"));
    assert_true(
        driver_said(d, -1, "Status: Forwarded. Last change: 2025-02-20 02:20"));
    assert_true(driver_said(d, -1, "1 2 3, 4 5 6"));
    assert_true(driver_said(d, -1, "Invataxi"));
    driver_enter(d); /* check another: the scanned QR text of a receipt */
    char qr[64];
    snprintf(qr, sizeof qr, "dauys-application:ALM-01:%s", t->fake.number);
    driver_type(d, qr);
    driver_enter(d);
    assert_true(driver_said(d, -1, "Status: Forwarded"));
    driver_enter(d);
    driver_type(d, "dauys-application:OTHER:123456789");
    driver_enter(d);
    assert_true(driver_said(d, -1, "not a receipt of this centre"));
    driver_type(d, "dauys-application:ALM-01:1234");
    driver_enter(d);
    assert_true(driver_said(d, -1, "has 9 digits"));
    driver_type(d, "receipt 42");
    driver_enter(d);
    assert_true(driver_said(d, -1, "not a receipt of this centre"));
    /* A valid number that is not stored. */
    char other[10] = "87654321";
    other[8] = (char)('0' + damm_digit(other));
    other[9] = '\0';
    driver_type(d, other);
    driver_enter(d);
    assert_true(driver_said(d, -1, "no application with this number"));
    svc_free(t);
}

static void
test_staff_console(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, true);
    struct driver *d = t->d;
    to_review(t);
    driver_enter(d);
    driver_press(d, TERM_KEY_F10, 0);
    driver_type(d, "123456");
    driver_enter(d);
    assert_true(driver_shows(d, "Staff menu"));
    /* A services terminal: Applications comes first. */
    assert_string_equal(driver_focused(d), "Applications");
    driver_enter(d);
    assert_true(driver_shows(d, "Applications"));
    assert_true(driver_shows(d, "123 456 78"));
    driver_type(d, t->fake.number);
    driver_enter(d);
    assert_true(driver_said(d, -1, "Found: 1."));
    driver_enter(d);
    assert_false(driver_shows(d, "061 211 600 012"));
    assert_false(driver_shows(d, "7011234567"));
    assert_true(driver_shows(d, "only the centre can read them"));
    assert_true(driver_shows(d, "Not yet received by the centre"));
    driver_type(d, "called back");
    assert_true(driver_shows(d, "Note: called back"));
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d); /* Set the status: In review */
    assert_int_equal(t->fake.set_status_calls, 1);
    assert_int_equal(t->fake.status, STATUS_IN_REVIEW);
    assert_string_equal(t->fake.note, "called back");
    assert_true(driver_shows(d, "Saved."));
    driver_press(d, TERM_KEY_ESCAPE, 0);
    /* Search by the day it was made (Kazakhstan time), and by status. */
    driver_type(d, "20250219");
    driver_enter(d);
    assert_true(driver_said(d, -1, "Found: 0."));
    driver_type(d, "20250220");
    driver_enter(d);
    assert_true(driver_said(d, -1, "Found: 1."));
    driver_type(d, "20251340");
    driver_enter(d);
    assert_true(driver_shows(d, "That is not a date"));
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_true(driver_said(d, -1, "Status shown: Received. Found: 0."));
    driver_press(d, TERM_KEY_RIGHT, 0);
    assert_true(driver_said(d, -1, "Status shown: In review. Found: 1."));
    driver_press(d, TERM_KEY_LEFT, 0);
    driver_press(d, TERM_KEY_LEFT, 0);
    assert_true(driver_said(d, -1, "Status shown: every status. Found: 1."));
    driver_press(d, TERM_KEY_UP, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_press(d, TERM_KEY_DOWN, 0);
    driver_enter(d);
    /* The export asks for the folder (the USB stick), then writes there. */
    assert_true(driver_shows(d, "Type the directory of the USB stick"));
    driver_type(d, "/media/stick");
    driver_enter(d);
    assert_string_equal(t->fake.export_dir, "/media/stick");
    assert_true(
        driver_said(d, -1,
                    "1 sealed applications written to "
                    "/media/stick/outbox-ALM-01-20250220-022000.jsonl."));
    assert_true(driver_shows(d, "Applications"));
    svc_free(t);
}

static void
test_unavailable_storage_is_explained(void **state)
{
    (void)state;
    struct svc *t = svc_new(LANG_EN, true);
    struct driver *d = t->d;
    t->sv.ops = NULL;
    t->sv.problem = "the applications database is damaged";
    open_first_application(d);
    assert_true(
        driver_said(d, -1, "Applications cannot be taken on this terminal"));
    driver_press(d, TERM_KEY_F10, 0);
    driver_type(d, "123456");
    driver_enter(d);
    driver_enter(d); /* Applications, first on a services terminal */
    assert_true(driver_shows(d, "the applications database is damaged"));
    svc_free(t);
}

/* Typing the IIN on the numpad: its digit keys type, so the hint names
 * the numpad's Enter to go on and its dot to delete (and, on an empty
 * field, to go back), never Backspace or Escape; the same screen typed on
 * the keyboard names the keyboard's keys. */
static void
test_number_entry_names_the_numpad_keys(void **state)
{
    (void)state;
    struct svc *t = svc_new_pad(LANG_EN, false, "data/keypad/numpad.profile");
    struct driver *d = t->d;
    driver_enter(d);                   /* the language */
    driver_press(d, TERM_KEY_DOWN, 0); /* the lesson offered: go on */
    open_invataxi_application(d);
    driver_pad(d, KEY_KP1); /* types 1: the numpad is the input now */
    const char *hint = app_view(d->app)->hint;
    assert_string_equal(hint, "Digits: type   Dot: delete   Enter: next   "
                              "Dot: back");
    assert_true(driver_shows(d, "and press Enter. Dot deletes a digit."));
    /* Help (here from a Braille display, which leaves the input as it
     * is): the screen's help names the keys as they work while the IIN
     * is typed, help's own sentences as they work in help. */
    struct key help = {.action = ACTION_HELP,
                       .name = "Help key",
                       .option = -1,
                       .source = KEY_SOURCE_OTHER};
    driver_key(d, &help);
    assert_true(driver_said(d, LANG_EN, "Dot goes back one step"));
    assert_true(driver_said(d, LANG_EN, "7 closes help"));
    driver_pad(d, KEY_KP7); /* closes help */
    assert_false(driver_shows(d, "Help"));
    driver_pad(d, KEY_KP9); /* types 9, not help */
    assert_false(driver_shows(d, "Help"));
    assert_false(driver_shows(d, "Backspace"));
    assert_false(driver_shows(d, "Escape"));
    driver_press(d, TERM_KEY_CHAR, '1');
    assert_string_equal(app_view(d->app)->hint,
                        "Digits: type   Backspace: delete   Enter: next   "
                        "Escape: back");
    svc_free(t);
}

UNIT_MAIN(NULL, NULL, cmocka_unit_test(test_browse_by_ear),
          cmocka_unit_test(test_number_entry_names_the_numpad_keys),
          cmocka_unit_test(test_apply_valid_iin_full_flow),
          cmocka_unit_test(test_invalid_iin_twice_continues_flagged),
          cmocka_unit_test(test_business_number_is_explained),
          cmocka_unit_test(test_back_keeps_input),
          cmocka_unit_test(test_long_name_is_refused),
          cmocka_unit_test(test_no_consent_stores_nothing),
          cmocka_unit_test(test_enter_on_the_first_focus_gives_no_consent),
          cmocka_unit_test(test_storage_failures_are_told),
          cmocka_unit_test(test_no_printer),
          cmocka_unit_test(test_saved_screen_number_and_qr),
          cmocka_unit_test(test_status_check),
          cmocka_unit_test(test_staff_console),
          cmocka_unit_test(test_unavailable_storage_is_explained))
