/*
 * Fuzzes the outbox record parser (central/record.h), which reads what
 * comes from a kiosk or a stick: any bytes must be either refused with a
 * reason, or be exactly the canonical text of the record parsed, whose
 * content hash is its own.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "central/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';
    struct central_record r;
    char *why = NULL;
    if (central_record_parse(line, &r, &why) < 0) {
        if (why == NULL || r.text != NULL || r.sealed != NULL)
            abort();
        free(why);
        free(line);
        return 0;
    }
    if (why != NULL || strcmp(r.text, line) != 0 || strlen(r.number) != 9)
        abort();
    char hash[CENTRAL_HASH_HEX + 1];
    memcpy(hash, r.content_hash, sizeof hash);
    if (central_record_format(&r, &why) < 0 || strcmp(hash, r.content_hash))
        abort();
    central_record_free(&r);
    free(line);
    return 0;
}
