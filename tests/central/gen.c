/*
 * central-gen: writes outbox records as a kiosk of the contract would
 * (docs/central.md, "Record format"), for the central tests to import and
 * for checks that need records without a kiosk.
 *
 *   central-gen PUBFILE CENTRE TERMINAL COUNT FIRST [IINS]
 *
 * prints COUNT records, one a line, numbered from FIRST (the 8 digits;
 * the Damm digit is added), each with its own IIN (12 digits from FIRST
 * and the index), phone and name sealed to PUBFILE; with IINS, the IINs
 * and phones are also written there, one a line, so that a test can look
 * for them in clear anywhere.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "central/record.h"
#include "services/damm.h"

int
main(int argc, char **argv)
{
    if (argc < 6 || sodium_init() < 0) {
        fprintf(stderr, "usage: central-gen PUBFILE CENTRE TERMINAL COUNT "
                        "FIRST [IINS]\n");
        return 2;
    }
    unsigned char pk[CENTRAL_KEY_BYTES];
    char *why = NULL;
    if (central_key_read(argv[1], false, pk, &why) < 0) {
        fprintf(stderr, "central-gen: %s\n", why);
        return 1;
    }
    long count = atol(argv[4]), first = atol(argv[5]);
    FILE *iins = argc > 6 ? fopen(argv[6], "a") : NULL;
    static const char *const services[] = {"personal-assistant",
                                           "sign-language", "wheelchair"};
    time_t now = time(NULL);
    for (long i = 0; i < count; i++) {
        struct central_record r = {0};
        struct central_person p = {0};
        char buf[64];
        snprintf(buf, sizeof buf, "%06ld%06ld", (first / 7) % 1000000,
                 (first + i) % 1000000);
        memcpy(p.iin, buf, 12);
        snprintf(buf, sizeof buf, "70%08ld", (first + i) % 100000000);
        memcpy(p.phone, buf, 10);
        snprintf(p.name, sizeof p.name, "Айгүл Тестова%ld", i % 10);
        snprintf(p.disability_group, sizeof p.disability_group, "II");
        snprintf(r.centre, sizeof r.centre, "%s", argv[2]);
        snprintf(r.terminal, sizeof r.terminal, "%s", argv[3]);
        snprintf(buf, sizeof buf, "%08ld", (first + i) % 100000000);
        memcpy(r.number, buf, 8);
        r.number[8] = (char)('0' + damm_digit(r.number));
        r.number[9] = '\0';
        r.created_at = (int64_t)now - count + i;
        snprintf(r.service, sizeof r.service, "%s", services[i % 3]);
        snprintf(r.status, sizeof r.status, "received");
        r.status_changed_at = r.created_at;
        snprintf(r.contact, sizeof r.contact, "sms");
        snprintf(r.contact_language, sizeof r.contact_language, "kk");
        snprintf(r.ui_language, sizeof r.ui_language, "ru");
        r.sealed = central_person_seal(&p, pk, &why);
        if (r.sealed == NULL || central_record_format(&r, &why) < 0) {
            fprintf(stderr, "central-gen: %s\n", why);
            return 1;
        }
        puts(r.text);
        if (iins != NULL)
            fprintf(iins, "%s\n%s\n", p.iin, p.phone);
        central_record_free(&r);
    }
    if (iins != NULL && fclose(iins) != 0)
        return 1;
    return fflush(stdout) == 0 ? 0 : 1;
}
