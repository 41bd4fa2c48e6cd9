/*
 * Ten Qogam screens as state machines, driven headless through the app
 * with the bundled catalogue and a fake store and printer that fail on
 * demand: browsing by ear, applying with valid and invalid IINs, going
 * back without losing input, consent, the number announced only after a
 * successful store, the failures a visitor hears, the status check and
 * the staff console.
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
#include "kiosk/services.h"
#include "services/damm.h"

struct fake {
    int submit_rc;     /* what submit returns */
    int submits;       /* successful submissions */
    struct application last;
    char number[10];
    int print_rc;
    int prints;
    enum app_status status;
    int set_status_calls;
    char note[256];
};

struct driver {
    struct i18n *i18n;
    struct app *app;
    struct fx_list out;
    uint64_t now;
    struct catalogue *cat;
    struct services sv;
    struct fake fake;
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
    if (f->print_rc != 0) {
        *why = strdup("no printer");
        return -1;
    }
    assert_string_equal(r->number, f->number);
    f->prints++;
    return 0;
}

static int
fake_list(void *ctx, const struct store_query *q, store_row_fn fn,
          void *fctx, char **why)
{
    struct fake *f = ctx;
    (void)why;
    /* One application, created 2025-02-20 02:20 in Kazakhstan. */
    int64_t created = 1740000000;
    if ((q->number != NULL && strcmp(q->number, f->number) != 0) ||
        (q->status >= 0 && q->status != (int)f->status) ||
        (q->from != 0 && created < q->from) ||
        (q->to != 0 && created >= q->to))
        return 0;
    struct store_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.number, sizeof r.number, "%s", f->number);
    r.created_at = created;
    r.status = f->status;
    r.app = f->last;
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
fake_export(void *ctx, char **path, char **why)
{
    (void)ctx;
    (void)why;
    *path = strdup("/tmp/export.csv");
    return 0;
}

static const struct services_ops fake_ops = {
    .submit = fake_submit,
    .status = fake_status,
    .print = fake_print,
    .list = fake_list,
    .set_status = fake_set_status,
    .accept_iin = fake_accept,
    .export_csv = fake_export,
};

static bool
verify(void *ctx, const char *pin)
{
    (void)ctx;
    return strcmp(pin, "123456") == 0;
}

static struct driver *
driver_new(int lang, bool keyboard)
{
    struct driver *d = calloc(1, sizeof *d);
    char *why = NULL;
    d->i18n = i18n_new("build/locale", &why);
    if (d->i18n == NULL) {
        free(why);
        d->i18n = i18n_new_empty();
    }
    if (catalogue_load("data/services/catalogue.txt", &d->cat, &why) < 0)
        fail_msg("%s", why);
    snprintf(d->fake.number, sizeof d->fake.number, "12345678");
    d->fake.number[8] = (char)('0' + damm_digit(d->fake.number));
    d->sv = (struct services){
        .catalogue = d->cat,
        .centre = "ALM-01",
        .keyboard = keyboard,
        .retention_days = 1095,
        .ops = &fake_ops,
        .ops_ctx = &d->fake,
    };
    d->now = 1000000;
    struct app_options o = {
        .i18n = d->i18n,
        .mode = MODE_SERVICES,
        .first_lang = lang,
        .lockout_base_s = 30,
        .staff_verify = verify,
        .svc = &d->sv,
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
    catalogue_free(d->cat);
    i18n_free(d->i18n);
    free(d);
}

static void
press(struct driver *d, enum term_key tk, unsigned cp)
{
    fx_clear(&d->out);
    struct key k = keymap_keyboard(tk, cp);
    d->now += 100;
    app_key(d->app, &k, d->now, &d->out);
}

static void
type(struct driver *d, const char *s)
{
    for (const char *p = s; *p; p++)
        press(d, TERM_KEY_CHAR, (unsigned char)*p);
}

static void
enter(struct driver *d)
{
    press(d, TERM_KEY_ENTER, 0);
}

static bool
said(const struct driver *d, const char *text)
{
    for (size_t i = 0; i < d->out.n; i++) {
        const struct fx *f = &d->out.v[i];
        if (f->kind == FX_SAY && strstr(f->text, text) != NULL)
            return true;
    }
    return false;
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

static const struct view_item *
big(const struct driver *d)
{
    const struct view *v = app_view(d->app);
    for (size_t i = 0; i < v->n_items; i++)
        if (v->items[i].kind == VIEW_BIG)
            return &v->items[i];
    return NULL;
}

/* From the welcome screen (in English) to the services menu. */
static void
open_services(struct driver *d)
{
    enter(d); /* welcome: language */
    enter(d); /* home: social services */
    assert_true(shows(d, i18n_text(d->i18n, app_lang(d->app),
                                   "Social services")));
}

/* From the services menu to the IIN step of the invataxi service. */
static void
open_invataxi_application(struct driver *d)
{
    open_services(d);
    press(d, TERM_KEY_CHAR, '3'); /* Treatment and travel */
    enter(d);
    assert_true(shows(d, "Treatment and travel"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d);
    assert_true(shows(d, "Invataxi"));
    enter(d); /* Apply for this service */
    assert_true(shows(d, "Your IIN"));
}

static void
test_browse_by_ear(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_RU, true);
    open_services(d);
    assert_true(said(d, "Технические средства реабилитации"));
    assert_true(shows(d, "Проверить статус заявки"));
    enter(d);
    assert_true(said(d, "Протезы и ортопедические средства"));
    press(d, TERM_KEY_DOWN, 0);
    assert_true(said(d, "Средства для слуха"));
    assert_true(said(d, "2 из 5"));
    enter(d);
    /* The whole entry is read: what, who, what to bring, where. */
    assert_true(said(d, "слуховые аппараты"));
    assert_true(said(d, "Кто может получить:"));
    assert_true(said(d, "Что взять с собой:"));
    assert_true(said(d, "Где:"));
    assert_true(said(d, "Подать заявку на эту услугу"));
    press(d, TERM_KEY_ESCAPE, 0);
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(shows(d, "Социальные услуги"));
    /* In Kazakh too. */
    press(d, TERM_KEY_CHAR, 'l');
    press(d, TERM_KEY_CHAR, 'l');
    assert_true(said(d, "Оңалтудың техникалық құралдары"));
    driver_free(d);
}

static void
test_apply_valid_iin_full_flow(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, true);
    open_invataxi_application(d);
    type(d, "06121160001");
    assert_true(said(d, "1"));
    type(d, "2");
    assert_true(said(d, "You typed 0 6 1, 2 1 1, 6 0 0, 0 1 2"));
    assert_true(shows(d, "061 211 600 012"));
    enter(d);
    assert_true(shows(d, "Your phone number"));
    type(d, "7011234567");
    assert_true(said(d, "+7, 7 0 1, 1 2 3, 4 5, 6 7"));
    enter(d);
    /* A keyboard is attached: the name is asked, and may be skipped;
     * letters that are keys elsewhere (l, r, space) are typed here. */
    assert_true(shows(d, "Your name"));
    type(d, "Ali Lr");
    assert_true(shows(d, "Ali Lr"));
    assert_int_equal(app_lang(d->app), LANG_EN);
    press(d, TERM_KEY_BACKSPACE, 0);
    type(d, "x");
    enter(d);
    assert_true(shows(d, "Your disability group"));
    press(d, TERM_KEY_CHAR, '2');
    enter(d);
    assert_true(shows(d, "How should staff contact you?"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d);
    assert_true(shows(d, "In which language?"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d);
    /* Consent is read in full before the choice. */
    assert_true(shows(d, "Your consent"));
    assert_true(said(d, "What is stored: your IIN"));
    assert_true(said(d, "For how long: 1095 days"));
    assert_true(said(d, "Who sees it"));
    assert_int_equal(d->fake.submits, 0);
    enter(d); /* I agree */
    assert_true(shows(d, "Check your application"));
    assert_true(said(d, "IIN: 0 6 1, 2 1 1, 6 0 0, 0 1 2"));
    assert_true(shows(d, "Name: Ali Lx"));
    assert_true(shows(d, "Disability group: Group II"));
    assert_int_equal(d->fake.submits, 0);
    assert_null(big(d));
    enter(d); /* Send */
    assert_int_equal(d->fake.submits, 1);
    assert_string_equal(d->fake.last.iin, "061211600012");
    assert_false(d->fake.last.iin_flagged);
    assert_string_equal(d->fake.last.phone, "7011234567");
    assert_string_equal(d->fake.last.name, "Ali Lx");
    assert_string_equal(d->fake.last.service, "invataxi");
    assert_int_equal(d->fake.last.group, GROUP_II);
    assert_int_equal(d->fake.last.contact, CONTACT_SMS);
    assert_int_equal(d->fake.last.contact_lang, LANG_RU);
    assert_int_equal(d->fake.last.ui_lang, LANG_EN);
    /* The number: largest text, groups of three, QR code, printed. */
    assert_true(shows(d, "Your application is saved"));
    const struct view_item *b = big(d);
    assert_non_null(b);
    char grouped[16];
    snprintf(grouped, sizeof grouped, "%.3s %.3s %.3s", d->fake.number,
             d->fake.number + 3, d->fake.number + 6);
    assert_string_equal(b->text, grouped);
    assert_true(said(d, "1 2 3, 4 5 6, 7 8"));
    assert_true(shows(d, "█"));
    assert_int_equal(d->fake.prints, 1);
    assert_true(said(d, "receipt with this number is printed"));
    press(d, TERM_KEY_UP, 0);
    enter(d);
    assert_true(said(d, "Your application number is 1 2 3, 4 5 6"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d); /* Finish: the session ends */
    assert_true(shows(d, "Қазақша"));
    driver_free(d);
}

static void
test_invalid_iin_twice_continues_flagged(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, false);
    open_invataxi_application(d);
    type(d, "0612116000");
    enter(d);
    assert_true(said(d, "An IIN has 12 digits"));
    type(d, "13");
    enter(d);
    assert_true(said(d, "does not pass the check"));
    assert_true(shows(d, "Your IIN"));
    /* A business number is explained. */
    type(d, "990540000123");
    enter(d);
    assert_true(shows(d, "The IIN did not pass the check"));
    assert_true(said(d, "continue: a member of staff will confirm"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d);
    assert_true(shows(d, "Your phone number"));
    /* No keyboard: no name step. */
    type(d, "7771234567");
    enter(d);
    assert_true(shows(d, "Your disability group"));
    enter(d);
    enter(d);
    enter(d);
    enter(d);
    assert_true(said(d, "Staff will confirm the IIN"));
    enter(d);
    assert_int_equal(d->fake.submits, 1);
    assert_true(d->fake.last.iin_flagged);
    assert_string_equal(d->fake.last.iin, "990540000123");
    assert_int_equal(d->fake.last.group, GROUP_UNKNOWN);
    driver_free(d);
}

static void
test_business_number_is_explained(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_RU, false);
    open_services(d);
    enter(d);
    enter(d);
    enter(d);
    type(d, "990540000123");
    enter(d);
    assert_true(said(d, "номер организации (БИН)"));
    type(d, "0");
    type(d, "61211600012");
    enter(d);
    assert_true(shows(d, "Ваш номер телефона"));
    driver_free(d);
}

static void
test_back_keeps_input(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, true);
    open_invataxi_application(d);
    type(d, "061211600012");
    enter(d);
    type(d, "70112");
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(shows(d, "Your IIN"));
    assert_true(shows(d, "061 211 600 012"));
    enter(d);
    assert_true(shows(d, "+7 701 12"));
    type(d, "34567");
    enter(d);
    type(d, "Dana");
    enter(d);
    press(d, TERM_KEY_CHAR, '3');
    enter(d);
    press(d, TERM_KEY_ESCAPE, 0); /* back from contact to group */
    assert_true(shows(d, "Your disability group"));
    const struct view *v = app_view(d->app);
    assert_string_equal(v->items[v->focus].text, "Group III");
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(shows(d, "Dana"));
    /* Backspace in an empty field goes back too. */
    press(d, TERM_KEY_ESCAPE, 0);
    assert_true(shows(d, "+7 701 123 45 67"));
    driver_free(d);
}

static void
test_no_consent_stores_nothing(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, false);
    open_invataxi_application(d);
    type(d, "061211600012");
    enter(d);
    type(d, "7011234567");
    enter(d);
    enter(d);
    enter(d);
    enter(d);
    assert_true(shows(d, "Your consent"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d);
    assert_true(said(d, "nothing was stored"));
    assert_int_equal(d->fake.submits, 0);
    driver_free(d);
}

/* Goes through the steps to the review screen with valid data. */
static void
to_review(struct driver *d)
{
    open_invataxi_application(d);
    type(d, "061211600012");
    enter(d);
    type(d, "7011234567");
    enter(d);
    if (d->sv.keyboard)
        enter(d); /* no name */
    enter(d);
    enter(d);
    enter(d);
    enter(d);
    assert_true(shows(d, "Check your application"));
}

static void
test_storage_failures_are_told(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, false);
    to_review(d);
    d->fake.submit_rc = STORE_FULL;
    enter(d);
    assert_true(said(d, "storage is full. Nothing was saved"));
    assert_null(big(d));
    assert_false(said(d, "1 2 3, 4 5 6"));
    d->fake.submit_rc = STORE_BUSY;
    enter(d);
    assert_true(said(d, "terminal is busy"));
    d->fake.submit_rc = STORE_ERROR;
    enter(d);
    assert_true(said(d, "because of a fault"));
    assert_int_equal(d->fake.submits, 0);
    /* Once the store works again the same application goes through. */
    d->fake.submit_rc = 0;
    enter(d);
    assert_int_equal(d->fake.submits, 1);
    assert_non_null(big(d));
    driver_free(d);
}

static void
test_no_printer(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_KK, false);
    d->fake.print_rc = -1;
    open_services(d);
    enter(d);
    enter(d);
    enter(d);
    type(d, "061211600012");
    enter(d);
    type(d, "7011234567");
    enter(d);
    for (int i = 0; i < 5; i++)
        enter(d);
    assert_int_equal(d->fake.submits, 1);
    assert_true(shows(d, i18n_text(d->i18n, LANG_KK,
                                   "Staff: the receipt printer is not "
                                   "working.")));
    assert_true(strstr(app_view(d->app)->notice, "принтер") != NULL);
    assert_true(said(d, "1 2 3, 4 5 6"));
    assert_non_null(big(d));
    driver_free(d);
}

static void
open_status(struct driver *d)
{
    open_services(d);
    const struct view *v = app_view(d->app);
    press(d, TERM_KEY_CHAR, (unsigned)('0' + view_option_count(v)));
    enter(d);
    assert_true(shows(d, "Check the status of an application"));
}

static void
test_status_check(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, true);
    d->fake.status = STATUS_FORWARDED;
    open_status(d);
    type(d, "1234");
    enter(d);
    assert_true(said(d, "has 9 digits"));
    char wrong[10];
    memcpy(wrong, d->fake.number, 10);
    wrong[3] = d->fake.number[4];
    wrong[4] = d->fake.number[3];
    type(d, wrong);
    enter(d);
    assert_true(said(d, "two digits swapped"));
    type(d, d->fake.number);
    enter(d);
    assert_true(shows(d, "Status of your application"));
    assert_true(said(d, "Status: Forwarded. Last change: 2025-02-20 02:20"));
    assert_true(said(d, "1 2 3, 4 5 6"));
    assert_true(said(d, "Invataxi"));
    enter(d); /* check another: the scanned QR text of a receipt */
    char qr[64];
    snprintf(qr, sizeof qr, "dauys-application:ALM-01:%s", d->fake.number);
    type(d, qr);
    enter(d);
    assert_true(said(d, "Status: Forwarded"));
    enter(d);
    type(d, "dauys-application:OTHER:123456789");
    enter(d);
    assert_true(said(d, "not a receipt of this centre"));
    /* A valid number that is not stored. */
    char other[10] = "87654321";
    other[8] = (char)('0' + damm_digit(other));
    other[9] = '\0';
    type(d, other);
    enter(d);
    assert_true(said(d, "no application with this number"));
    driver_free(d);
}

static void
test_staff_console(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, true);
    to_review(d);
    enter(d);
    press(d, TERM_KEY_F10, 0);
    type(d, "123456");
    enter(d);
    assert_true(shows(d, "Staff menu"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d); /* Applications */
    assert_true(shows(d, "Applications"));
    assert_true(shows(d, "123 456 78"));
    type(d, d->fake.number);
    enter(d);
    assert_true(said(d, "Found: 1."));
    enter(d);
    assert_true(shows(d, "IIN: 061 211 600 012"));
    assert_true(shows(d, "Phone: +7 7011234567"));
    type(d, "called back");
    assert_true(shows(d, "Note: called back"));
    press(d, TERM_KEY_DOWN, 0);
    enter(d); /* Set the status: In review */
    assert_int_equal(d->fake.set_status_calls, 1);
    assert_int_equal(d->fake.status, STATUS_IN_REVIEW);
    assert_string_equal(d->fake.note, "called back");
    assert_true(shows(d, "Saved."));
    press(d, TERM_KEY_ESCAPE, 0);
    /* Search by the day it was made (Kazakhstan time), and by status. */
    type(d, "20250219");
    enter(d);
    assert_true(said(d, "Found: 0."));
    type(d, "20250220");
    enter(d);
    assert_true(said(d, "Found: 1."));
    type(d, "20251340");
    enter(d);
    assert_true(shows(d, "That is not a date"));
    press(d, TERM_KEY_RIGHT, 0);
    assert_true(said(d, "Status shown: Received. Found: 0."));
    press(d, TERM_KEY_RIGHT, 0);
    assert_true(said(d, "Status shown: In review. Found: 1."));
    press(d, TERM_KEY_LEFT, 0);
    press(d, TERM_KEY_LEFT, 0);
    assert_true(said(d, "Status shown: every status. Found: 1."));
    press(d, TERM_KEY_UP, 0);
    press(d, TERM_KEY_DOWN, 0);
    press(d, TERM_KEY_DOWN, 0);
    enter(d);
    assert_true(shows(d, "Exported to /tmp/export.csv"));
    driver_free(d);
}

static void
test_unavailable_storage_is_explained(void **state)
{
    (void)state;
    struct driver *d = driver_new(LANG_EN, true);
    d->sv.ops = NULL;
    d->sv.problem = "the applications database is damaged";
    open_services(d);
    enter(d);
    enter(d);
    enter(d);
    assert_true(said(d, "Applications cannot be taken on this terminal"));
    press(d, TERM_KEY_F10, 0);
    type(d, "123456");
    enter(d);
    press(d, TERM_KEY_DOWN, 0);
    enter(d);
    assert_true(shows(d, "the applications database is damaged"));
    driver_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_browse_by_ear),
        cmocka_unit_test(test_apply_valid_iin_full_flow),
        cmocka_unit_test(test_invalid_iin_twice_continues_flagged),
        cmocka_unit_test(test_business_number_is_explained),
        cmocka_unit_test(test_back_keeps_input),
        cmocka_unit_test(test_no_consent_stores_nothing),
        cmocka_unit_test(test_storage_failures_are_told),
        cmocka_unit_test(test_no_printer),
        cmocka_unit_test(test_status_check),
        cmocka_unit_test(test_staff_console),
        cmocka_unit_test(test_unavailable_storage_is_explained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
