/*
 * A Ten Qogam application as data: what the visitor entered, the choices
 * as enums with their stable storage ids ("II", "sms", "in-review"), and
 * the checks every layer applies before anything is stored, so that a
 * malformed value is refused with a reason whichever way it arrives.
 * Personal fields (IIN, phone, name) are wiped with application_wipe().
 */
#ifndef DAUYS_SERVICES_APPLICATION_H
#define DAUYS_SERVICES_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accessibility/i18n.h"
#include "services/catalogue.h"
#include "services/iin.h"

#define APPLICATION_PHONE_LEN 10 /* digits after +7 */
#define APPLICATION_NAME_MAX 120 /* bytes of UTF-8 */
#define APPLICATION_NUMBER_LEN 9 /* 8 digits and a Damm check digit */

enum disability_group {
    GROUP_I,
    GROUP_II,
    GROUP_III,
    GROUP_CHILD,
    GROUP_NONE,
    GROUP_UNKNOWN,
    GROUP_COUNT
};

enum contact_method { CONTACT_CALL, CONTACT_SMS, CONTACT_VISIT, CONTACT_COUNT };

enum app_status {
    STATUS_RECEIVED,
    STATUS_IN_REVIEW,
    STATUS_FORWARDED,
    STATUS_DONE,
    STATUS_REJECTED,
    STATUS_COUNT
};

struct application {
    char service[CATALOGUE_ID_MAX + 1];
    char iin[IIN_LEN + 1];
    bool iin_flagged; /* the check digit failed twice: staff confirm */
    char phone[APPLICATION_PHONE_LEN + 1];
    char name[APPLICATION_NAME_MAX + 1]; /* may be empty */
    enum disability_group group;
    enum contact_method contact;
    enum lang contact_lang;
    enum lang ui_lang;
};

/* Stable ids used in the database and the export. */
const char *application_group_id(enum disability_group g);
const char *application_contact_id(enum contact_method m);
const char *application_status_id(enum app_status s);
/* Returns the status whose id is ID, or -1. */
int application_status_from_id(const char *id);

/* Message ids of the names a visitor hears ("Group II", "Received"). */
const char *application_group_name(enum disability_group g);
const char *application_contact_name(enum contact_method m);
const char *application_status_name(enum app_status s);

/*
 * Checks a name typed on a keyboard: valid UTF-8, at most
 * APPLICATION_NAME_MAX bytes, letters (any script), spaces, hyphens,
 * apostrophes and full stops only. Returns NULL or the message id of the
 * reason.
 */
const char *application_name_problem(const char *name);

/* Checks the phone digits (10 after +7). Returns NULL or a message id. */
const char *application_phone_problem(const char *phone);

/*
 * Checks every field of A (a malformed value from any source is refused).
 * Returns 0, or -1 with *why (caller frees, English, no personal data).
 */
int application_check(const struct application *a, char **why);

/* Overwrites A with zeros (sodium_memzero). */
void application_wipe(struct application *a);

/*
 * Formats the Unix time T in Kazakhstan's time (UTC+5, no daylight
 * saving) into OUT: ISO 8601 with offset ("2025-03-01T14:05:00+05:00")
 * when ISO, else "2025-03-01 14:05". Returns OUT.
 */
char *application_time(int64_t t, bool iso, char *out, size_t size);

/* True when S is a well-formed application number (9 digits, Damm). */
bool application_number_ok(const char *s);

/* What an application's QR code holds: APPLICATION_QR_PREFIX, the centre,
 * a colon and the number. The receipt and the saved screen print it; the
 * status check reads it back from a scanner. */
#define APPLICATION_QR_PREFIX "dauys-application:"

/*
 * Writes the QR text of application NUMBER at CENTRE,
 * "dauys-application:CENTRE:NUMBER", into OUT (SIZE bytes). Returns 0, or
 * -1 with OUT empty when it does not fit.
 */
int application_qr_text(const char *centre, const char *number, char *out,
                        size_t size);

/*
 * Reads TEXT as written by application_qr_text(). Returns 0 with the
 * centre copied into CENTRE (CENTRE_SIZE bytes) and the number into
 * NUMBER; -1 when TEXT is not an application's code (no prefix, no colon
 * after the centre, or a centre longer than CENTRE_SIZE - 1 bytes); -2
 * when it is one (CENTRE is filled) but its number is not 9 digits. The
 * centre is everything up to the last colon. The check digit is not
 * verified here: application_number_ok() does that.
 */
int application_qr_parse(const char *text, char *centre, size_t centre_size,
                         char number[APPLICATION_NUMBER_LEN + 1]);

#endif
