/*
 * Fuzzes the service catalogue parser from memory: any bytes must be
 * either refused with a message naming a line, or parsed into a catalogue
 * whose every service belongs to an existing category and has every
 * required text in every language, each valid as a C string.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "services/catalogue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct catalogue *c = NULL;
    char *why = NULL;
    if (catalogue_parse("fuzz", (const char *)data, size, &c, &why) < 0) {
        if (why == NULL || c != NULL || strncmp(why, "fuzz:", 5) != 0)
            abort();
        free(why);
        return 0;
    }
    if (why != NULL || catalogue_n_services(c) == 0)
        abort();
    size_t total = 0;
    for (size_t i = 0; i < catalogue_n_services(c); i++) {
        const struct catalogue_service *s = catalogue_service(c, i);
        const struct catalogue_category *cat = catalogue_category(c,
                                                                  s->category);
        if (cat == NULL || catalogue_find(c, s->id) != s)
            abort();
        for (int l = 0; l < LANG_COUNT; l++)
            for (int f = 0; f < CATALOGUE_FIELDS; f++) {
                size_t n = strlen(catalogue_text(s, f, (enum lang)l));
                if (n > CATALOGUE_TEXT_MAX || (n == 0 && f != CATALOGUE_TIME))
                    abort();
            }
    }
    for (size_t i = 0; i < catalogue_n_categories(c); i++)
        total += catalogue_category(c, i)->n_services;
    if (total != catalogue_n_services(c))
        abort();
    catalogue_free(c);
    return 0;
}
