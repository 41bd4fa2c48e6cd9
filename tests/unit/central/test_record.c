/*
 * Outbox records (central/record.h): the canonical form and its content
 * hash are checked on the bytes received, so a changed, reordered or
 * re-spaced record is refused; the sealed personal data opens only with
 * the centre's key pair; the IIN hash is keyed.
 */
#include <sodium.h>
#include <string.h>

#include "central/record.h"
#include "services/damm.h"
#include "tests/unit/unit.h"

static unsigned char pk[32], sk[32];

static void
make(struct central_record *r)
{
    char *why = NULL;
    struct central_person p = {.iin = "990101300123",
                               .phone = "7011234567",
                               .name = "Сәуле",
                               .disability_group = "II"};
    memset(r, 0, sizeof *r);
    strcpy(r->centre, "ALM-01");
    strcpy(r->terminal, "k1");
    strcpy(r->number, "12345678");
    r->number[8] = (char)('0' + damm_digit(r->number));
    r->created_at = 1764000000;
    r->status_changed_at = 1764000000;
    strcpy(r->service, "personal-assistant");
    strcpy(r->status, "received");
    strcpy(r->contact, "sms");
    strcpy(r->contact_language, "kk");
    strcpy(r->ui_language, "ru");
    r->sealed = central_person_seal(&p, pk, &why);
    assert_non_null(r->sealed);
    assert_int_equal(central_record_format(r, &why), 0);
}

static void
test_round_trip(void **state)
{
    (void)state;
    struct central_record r, back;
    char *why = NULL;
    make(&r);
    assert_non_null(strstr(r.text,
                           "{\"v\":1,\"centre\":\"ALM-01\",\"terminal\":"
                           "\"k1\",\"number\":\"12345678"));
    assert_int_equal(central_record_parse(r.text, &back, &why), 0);
    assert_string_equal(back.content_hash, r.content_hash);
    assert_string_equal(back.sealed, r.sealed);
    assert_int_equal(back.created_at, 1764000000);
    /* The hash is SHA-256 of the text up to "sealed", closed with '}'. */
    char *body = strdup(r.text);
    strcpy(strstr(body, ",\"content_hash\""), "}");
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (unsigned char *)body, strlen(body));
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    assert_string_equal(hex, r.content_hash);
    free(body);
    central_record_free(&back);
    central_record_free(&r);
}

static void
refused(const char *text, const char *reason)
{
    struct central_record r;
    char *why = NULL;
    assert_int_equal(central_record_parse(text, &r, &why), -1);
    assert_non_null(why);
    if (strstr(why, reason) == NULL)
        fail_msg("'%s' does not say '%s'", why, reason);
    free(why);
}

static void
test_changed_refused(void **state)
{
    (void)state;
    struct central_record r;
    make(&r);
    char *t = strdup(r.text);
    memcpy(strstr(t, "received"), "rejected", 8);
    refused(t, "content_hash does not match");
    strcpy(t, r.text);
    t[strlen(t) - 3] = t[strlen(t) - 3] == 'a' ? 'b' : 'a';
    refused(t, "content_hash does not match");
    refused("{\"v\":1}", "not an outbox record");
    free(t);
    central_record_free(&r);
}

static void
test_noncanonical_refused(void **state)
{
    (void)state;
    /* A record with a correct hash of its own bytes, but spaced: refused
     * as not canonical, so two texts of one record cannot both pass. */
    struct central_record r;
    make(&r);
    char *body = strdup(r.text);
    strcpy(strstr(body, ",\"content_hash\""), "}");
    char *spaced = malloc(strlen(body) + 2);
    strcpy(spaced, "{ ");
    strcat(spaced, body + 1);
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (unsigned char *)spaced, strlen(spaced));
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    spaced[strlen(spaced) - 1] = '\0';
    char *text = malloc(strlen(spaced) + 100);
    sprintf(text, "%s,\"content_hash\":\"%s\"}", spaced, hex);
    refused(text, "not in canonical form");
    free(text);
    free(spaced);
    free(body);
    central_record_free(&r);
}

static void
test_sealed_opens_with_key_only(void **state)
{
    (void)state;
    struct central_record r;
    struct central_person p;
    char *why = NULL;
    make(&r);
    assert_null(strstr(r.text, "990101300123"));
    assert_null(strstr(r.text, "7011234567"));
    assert_int_equal(central_person_open(r.sealed, pk, sk, &p, &why), 0);
    assert_string_equal(p.iin, "990101300123");
    assert_string_equal(p.phone, "7011234567");
    assert_string_equal(p.name, "Сәуле");
    assert_string_equal(p.disability_group, "II");
    central_person_wipe(&p);
    unsigned char pk2[32], sk2[32];
    crypto_box_keypair(pk2, sk2);
    assert_int_equal(central_person_open(r.sealed, pk2, sk2, &p, &why), -1);
    assert_non_null(strstr(why, "does not open"));
    free(why);
    central_record_free(&r);
}

static void
test_iin_hash_keyed(void **state)
{
    (void)state;
    unsigned char pk2[32], sk2[32];
    char a[65], b[65], c[65];
    crypto_box_keypair(pk2, sk2);
    central_iin_hash("990101300123", sk, a);
    central_iin_hash("990101300123", sk, b);
    central_iin_hash("990101300123", sk2, c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

static int
setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    crypto_box_keypair(pk, sk);
    return 0;
}

UNIT_MAIN(setup, NULL, cmocka_unit_test(test_round_trip),
          cmocka_unit_test(test_changed_refused),
          cmocka_unit_test(test_noncanonical_refused),
          cmocka_unit_test(test_sealed_opens_with_key_only),
          cmocka_unit_test(test_iin_hash_keyed))
