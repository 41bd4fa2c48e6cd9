/*
 * central-submit: a kiosk taking applications without its screens, for
 * the central scenarios. It opens the kiosk's store as the kiosk does and
 * submits COUNT applications, RATE a second (0: as fast as it can), and
 * prints each number on standard output only after store_submit() has
 * returned 0: the numbers a visitor would have been told. The IIN and
 * phone of each are appended to IINS, for the scenarios to look for in
 * clear.
 *
 *   central-submit DB PUBFILE CENTRE TERMINAL COUNT SEED IINS [RATE]
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "central/record.h"
#include "services/store.h"

int
main(int argc, char **argv)
{
    if (argc < 8 || sodium_init() < 0) {
        fprintf(stderr, "usage: central-submit DB PUBFILE CENTRE TERMINAL "
                        "COUNT SEED IINS [RATE]\n");
        return 2;
    }
    unsigned char pk[CENTRAL_KEY_BYTES];
    char *why = NULL;
    if (central_key_read(argv[2], false, pk, &why) < 0) {
        fprintf(stderr, "central-submit: %s\n", why);
        return 1;
    }
    struct store_options so = {.path = argv[1],
                               .centre_key = pk,
                               .terminal = argv[4],
                               .busy_ms = 10000};
    struct store *st = NULL;
    if (store_open(&so, &st, &why) < 0) {
        fprintf(stderr, "central-submit: %s\n", why);
        return 1;
    }
    long count = atol(argv[5]), seed = atol(argv[6]);
    double rate = argc > 8 ? atof(argv[8]) : 0;
    FILE *iins = fopen(argv[7], "a");
    if (iins == NULL)
        return 1;
    static const char *const services[] = {"personal-assistant",
                                           "sign-language", "wheelchair"};
    int rc = 0;
    for (long i = 0; i < count; i++) {
        struct application a = {0};
        char buf[64];
        snprintf(a.service, sizeof a.service, "%s", services[i % 3]);
        snprintf(buf, sizeof buf, "%06ld%06ld", seed % 1000000, i % 1000000);
        memcpy(a.iin, buf, 12);
        a.iin_flagged = true;
        snprintf(buf, sizeof buf, "70%02ld%06ld", seed % 100, i % 1000000);
        memcpy(a.phone, buf, 10);
        snprintf(a.name, sizeof a.name, "Сәуле Тестова");
        a.group = GROUP_II;
        a.contact = CONTACT_SMS;
        a.contact_lang = LANG_KK;
        a.ui_lang = LANG_RU;
        char number[APPLICATION_NUMBER_LEN + 1];
        fprintf(iins, "%s\n%s\n", a.iin, a.phone);
        fflush(iins);
        int r = store_submit(st, &a, argv[3], (int64_t)time(NULL), number,
                             &why);
        sodium_memzero(&a, sizeof a);
        if (r < 0) {
            fprintf(stderr, "central-submit: %s\n", why);
            free(why);
            why = NULL;
            rc = 1;
            continue;
        }
        printf("%s\n", number);
        fflush(stdout);
        if (rate > 0)
            usleep((useconds_t)(1e6 / rate));
    }
    store_close(st);
    return fclose(iins) == 0 ? rc : 1;
}
