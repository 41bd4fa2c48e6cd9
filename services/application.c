/*
 * Application fields: ids, names and checks (see application.h).
 */
#include "services/application.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"
#include "services/damm.h"

/* A value of one of the enums: its id in files and its name (N_()). */
struct label {
    const char *id;
    const char *name;
};

static const struct label group_labels[GROUP_COUNT] = {
    {"I", N_("Group I")},
    {"II", N_("Group II")},
    {"III", N_("Group III")},
    {"child", N_("Child with a disability")},
    {"none", N_("No disability group")},
    {"unknown", N_("I do not know")},
};
static const struct label contact_labels[CONTACT_COUNT] = {
    {"call", N_("A phone call")},
    {"sms", N_("A text message (SMS)")},
    {"visit", N_("I will come to the centre")},
};
static const struct label status_labels[STATUS_COUNT] = {
    {"received", N_("Received")},   {"in-review", N_("In review")},
    {"forwarded", N_("Forwarded")}, {"done", N_("Done")},
    {"rejected", N_("Rejected")},
};

/* Entry I of the N LABELS, or "?" for both when I is out of range. */
static const struct label *
label_of(const struct label *labels, unsigned n, unsigned i)
{
    static const struct label unknown = {"?", "?"};
    return i < n ? &labels[i] : &unknown;
}

const char *
application_group_id(enum disability_group g)
{
    return label_of(group_labels, GROUP_COUNT, (unsigned)g)->id;
}

const char *
application_group_name(enum disability_group g)
{
    return label_of(group_labels, GROUP_COUNT, (unsigned)g)->name;
}

const char *
application_contact_id(enum contact_method m)
{
    return label_of(contact_labels, CONTACT_COUNT, (unsigned)m)->id;
}

const char *
application_contact_name(enum contact_method m)
{
    return label_of(contact_labels, CONTACT_COUNT, (unsigned)m)->name;
}

const char *
application_status_id(enum app_status s)
{
    return label_of(status_labels, STATUS_COUNT, (unsigned)s)->id;
}

const char *
application_status_name(enum app_status s)
{
    return label_of(status_labels, STATUS_COUNT, (unsigned)s)->name;
}

int
application_status_from_id(const char *id)
{
    for (int i = 0; i < STATUS_COUNT; i++)
        if (strcmp(status_labels[i].id, id) == 0)
            return i;
    return -1;
}

/* Letters of the scripts a name in Kazakhstan is written in: Latin,
 * Latin-1 and Extended-A letters, Cyrillic with its supplement (Kazakh
 * Ә Ғ Қ Ң Ө Ұ Ү Һ І are there). */
static bool
name_letter(uint32_t cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xc0 && cp <= 0x24f && cp != 0xd7 && cp != 0xf7) ||
           (cp >= 0x400 && cp <= 0x52f);
}

const char *
application_name_problem(const char *name)
{
    size_t len = strlen(name);
    if (len > APPLICATION_NAME_MAX)
        return N_("The name is too long.");
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(name + i, len - i, &cp);
        if (n < 0)
            return N_("The name contains a character that cannot be "
                      "read.");
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            return N_("The name contains a control character.");
        if (!name_letter(cp) && cp != ' ' && cp != '-' && cp != '\'' &&
            cp != '.')
            return N_("A name may contain only letters, spaces, hyphens "
                      "and apostrophes.");
        i += (size_t)n;
    }
    return NULL;
}

const char *
application_phone_problem(const char *phone)
{
    size_t len = strlen(phone);
    for (size_t i = 0; i < len; i++)
        if (phone[i] < '0' || phone[i] > '9')
            return N_("A phone number has digits only.");
    if (len != APPLICATION_PHONE_LEN)
        return N_("After +7 a phone number has 10 digits.");
    return NULL;
}

int
application_check(const struct application *a, char **why)
{
    const char *p = NULL;
    size_t slen = strnlen(a->service, sizeof a->service);
    if (slen == 0 || slen > CATALOGUE_ID_MAX) {
        *why = xstrdup("the service id is missing or too long");
        return -1;
    }
    enum iin_result r = iin_check(a->iin);
    if (r == IIN_LENGTH || r == IIN_NOT_DIGITS ||
        (r != IIN_OK && !a->iin_flagged)) {
        *why = xstrdup("the IIN is not 12 digits with a valid check digit, "
                       "and it is not flagged for staff");
        return -1;
    }
    if (strnlen(a->phone, sizeof a->phone) == sizeof a->phone ||
        application_phone_problem(a->phone) != NULL) {
        *why = xstrdup("the phone number is not 10 digits after +7");
        return -1;
    }
    if (strnlen(a->name, sizeof a->name) == sizeof a->name ||
        (p = application_name_problem(a->name)) != NULL) {
        *why = xasprintf("the name is refused: %s", p ? p : "too long");
        return -1;
    }
    if ((unsigned)a->group >= GROUP_COUNT ||
        (unsigned)a->contact >= CONTACT_COUNT ||
        (unsigned)a->contact_lang >= LANG_COUNT ||
        (unsigned)a->ui_lang >= LANG_COUNT) {
        *why = xstrdup("a choice is out of range");
        return -1;
    }
    return 0;
}

void
application_wipe(struct application *a)
{
    sodium_memzero(a, sizeof *a);
}

char *
application_time(int64_t t, bool iso, char *out, size_t size)
{
    time_t local = (time_t)(t + (int64_t)5 * 3600);
    struct tm tm;
    size_t n = 0;
    if (gmtime_r(&local, &tm) != NULL)
        n = iso ? strftime(out, size, "%Y-%m-%dT%H:%M:%S+05:00", &tm)
                : strftime(out, size, "%Y-%m-%d %H:%M", &tm);
    /* strftime() returns 0 when OUT is too small, and leaves OUT undefined
     * then: say "?", as for a time that gmtime_r() cannot convert. */
    if (n == 0)
        snprintf(out, size, "?");
    return out;
}

bool
application_number_ok(const char *s)
{
    return strlen(s) == APPLICATION_NUMBER_LEN && damm_valid(s);
}

int
application_qr_text(const char *centre, const char *number, char *out,
                    size_t size)
{
    int n = snprintf(out, size, "%s%s:%s", APPLICATION_QR_PREFIX, centre,
                     number);
    if (n < 0 || (size_t)n >= size) {
        if (size > 0)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

int
application_qr_parse(const char *text, char *centre, size_t centre_size,
                     char number[APPLICATION_NUMBER_LEN + 1])
{
    static const char prefix[] = APPLICATION_QR_PREFIX;
    if (strncmp(text, prefix, sizeof prefix - 1) != 0)
        return -1;
    const char *c = text + sizeof prefix - 1, *colon = strrchr(c, ':');
    if (colon == NULL || (size_t)(colon - c) >= centre_size)
        return -1;
    memcpy(centre, c, (size_t)(colon - c));
    centre[colon - c] = '\0';
    const char *n = colon + 1;
    if (strlen(n) != APPLICATION_NUMBER_LEN ||
        strspn(n, "0123456789") != APPLICATION_NUMBER_LEN)
        return -2;
    memcpy(number, n, APPLICATION_NUMBER_LEN + 1);
    return 0;
}
