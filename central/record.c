/*
 * Outbox records (record.h). The content hash is checked on the bytes that
 * arrived (the line up to its last member, closed with '}'), and the line
 * must then be exactly what central_record_format() writes for its fields:
 * jansson's compact dump in the contract's member order. One formatter
 * serves the check, the tests and the benchmark's simulated kiosks.
 */
#include "central/record.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "accessibility/xalloc.h"
#include "services/application.h"
#include "services/damm.h"

#define HASH_MEMBER ",\"content_hash\":\""

static bool
token_ok(const char *s, size_t max, const char *set)
{
    size_t n = strlen(s);
    return n >= 1 && n <= max && strspn(s, set) == n;
}

static const char id_set[] = "abcdefghijklmnopqrstuvwxyz0123456789-";
static const char code_set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "abcdefghijklmnopqrstuvwxyz0123456789-_.";

static bool
one_of(const char *s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

/* Checks the values of R's fields; the reason names the field only. */
static const char *
record_problem(const struct central_record *r)
{
    static const char *const contacts[] = {"call", "sms", "visit", NULL};
    static const char *const langs[] = {"kk", "ru", "en", NULL};
    if (!token_ok(r->centre, 32, code_set))
        return "centre is not a centre code";
    if (!token_ok(r->terminal, 64, code_set))
        return "terminal is not a terminal id";
    if (!token_ok(r->number, 9, "0123456789") || strlen(r->number) != 9 ||
        !damm_valid(r->number))
        return "number is not an application number (9 digits, Damm)";
    if (!token_ok(r->service, 32, id_set))
        return "service is not a service id";
    if (application_status_from_id(r->status) < 0)
        return "status is not a status id";
    if (!one_of(r->contact, contacts))
        return "contact is not call, sms or visit";
    if (!one_of(r->contact_language, langs) || !one_of(r->ui_language, langs))
        return "a language is not kk, ru or en";
    if (r->created_at <= 0 || r->status_changed_at <= 0)
        return "a time is not a positive Unix time";
    size_t n = r->sealed != NULL ? strlen(r->sealed) : 0;
    if (n < (size_t)4 * ((crypto_box_SEALBYTES + 2) / 3) ||
        strspn(r->sealed, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                          "0123456789+/=") != n)
        return "sealed is not base64 of a sealed box";
    return NULL;
}

static void
hash_hex(const char *text, size_t len, char out[CENTRAL_HASH_HEX + 1])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    sodium_bin2hex(out, CENTRAL_HASH_HEX + 1, h, sizeof h);
}

int
central_record_format(struct central_record *r, char **why)
{
    const char *problem = record_problem(r);
    if (problem != NULL) {
        *why = xasprintf("record %s: %s", r->number, problem);
        return -1;
    }
    json_t *o = json_pack(
        "{s:i,s:s,s:s,s:s,s:I,s:s,s:s,s:I,s:b,s:s,s:s,s:s,s:s}", "v", 1,
        "centre", r->centre, "terminal", r->terminal, "number", r->number,
        "created_at", (json_int_t)r->created_at, "service", r->service,
        "status", r->status, "status_changed_at",
        (json_int_t)r->status_changed_at, "iin_flagged", (int)r->iin_flagged,
        "contact", r->contact, "contact_language", r->contact_language,
        "ui_language", r->ui_language, "sealed", r->sealed);
    char *body = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)
                           : NULL;
    json_decref(o);
    if (body == NULL)
        abort(); /* only an allocation can fail here */
    char hash[CENTRAL_HASH_HEX + 1];
    hash_hex(body, strlen(body), hash);
    body[strlen(body) - 1] = '\0'; /* the closing brace */
    free(r->text);
    r->text = xasprintf("%s" HASH_MEMBER "%s\"}", body, hash);
    memcpy(r->content_hash, hash, sizeof hash);
    free(body);
    return 0;
}

static int
copy_str(json_t *o, const char *key, char *dst, size_t size)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v) || strlen(json_string_value(v)) >= size)
        return -1;
    memcpy(dst, json_string_value(v), strlen(json_string_value(v)) + 1);
    return 0;
}

int
central_record_parse(const char *line, struct central_record *r, char **why)
{
    memset(r, 0, sizeof *r);
    size_t n = strlen(line);
    const size_t tail = strlen(HASH_MEMBER) + CENTRAL_HASH_HEX + 2;
    if (n < tail + 2 || line[0] != '{' ||
        strncmp(line + n - tail, HASH_MEMBER, strlen(HASH_MEMBER)) != 0 ||
        strcmp(line + n - 2, "\"}") != 0) {
        *why = xstrdup("not an outbox record (it must be one JSON object "
                       "ending in its \"content_hash\")");
        return -1;
    }
    const char *given = line + n - CENTRAL_HASH_HEX - 2;
    if (strspn(given, "0123456789abcdef") != CENTRAL_HASH_HEX) {
        *why = xstrdup("content_hash is not 64 lowercase hex digits");
        return -1;
    }
    /* The hashed text: everything before the hash member, and '}'. */
    size_t body_len = n - tail;
    char *body = xmalloc(body_len + 2);
    memcpy(body, line, body_len);
    body[body_len] = '}';
    body[body_len + 1] = '\0';
    char hash[CENTRAL_HASH_HEX + 1];
    hash_hex(body, body_len + 1, hash);
    free(body);
    json_error_t err;
    json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &err);
    json_t *v = json_object_get(o, "v");
    json_t *flag = json_object_get(o, "iin_flagged");
    json_t *sealed = json_object_get(o, "sealed");
    json_t *created = json_object_get(o, "created_at");
    json_t *changed = json_object_get(o, "status_changed_at");
    const char *problem = NULL;
    if (!json_is_object(o))
        problem = "not valid JSON";
    else if (!json_is_integer(v) || json_integer_value(v) != 1)
        problem = "v is not 1 (a record from another version)";
    else if (copy_str(o, "centre", r->centre, sizeof r->centre) < 0 ||
             copy_str(o, "terminal", r->terminal, sizeof r->terminal) < 0 ||
             copy_str(o, "number", r->number, sizeof r->number) < 0 ||
             copy_str(o, "service", r->service, sizeof r->service) < 0 ||
             copy_str(o, "status", r->status, sizeof r->status) < 0 ||
             copy_str(o, "contact", r->contact, sizeof r->contact) < 0 ||
             copy_str(o, "contact_language", r->contact_language,
                      sizeof r->contact_language) < 0 ||
             copy_str(o, "ui_language", r->ui_language, sizeof r->ui_language) <
                 0 ||
             !json_is_integer(created) || !json_is_integer(changed) ||
             !json_is_boolean(flag) || !json_is_string(sealed))
        problem = "a member is missing or of the wrong type";
    if (problem == NULL) {
        r->created_at = (int64_t)json_integer_value(created);
        r->status_changed_at = (int64_t)json_integer_value(changed);
        r->iin_flagged = json_is_true(flag);
        r->sealed = xstrdup(json_string_value(sealed));
        if (central_record_format(r, why) < 0) {
            json_decref(o);
            central_record_free(r);
            return -1;
        }
        if (strncmp(hash, given, CENTRAL_HASH_HEX) != 0)
            problem = "its content_hash does not match its content (the "
                      "record was changed or cut)";
        else if (strcmp(r->text, line) != 0)
            problem = "not in canonical form (members, order or spacing)";
    }
    json_decref(o);
    if (problem != NULL) {
        *why = xasprintf("record%s%s: %s", r->number[0] ? " " : "", r->number,
                         problem);
        central_record_free(r);
        return -1;
    }
    return 0;
}

void
central_record_free(struct central_record *r)
{
    if (r == NULL)
        return;
    free(r->sealed);
    free(r->text);
    r->sealed = NULL;
    r->text = NULL;
}

char *
central_person_seal(const struct central_person *p,
                    const unsigned char pk[CENTRAL_KEY_BYTES], char **why)
{
    json_t *o = json_pack("{s:s,s:s,s:o,s:s}", "iin", p->iin, "phone", p->phone,
                          "name",
                          p->name[0] ? json_string(p->name) : json_null(),
                          "disability_group", p->disability_group);
    char *plain = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)
                            : NULL;
    json_decref(o);
    if (plain == NULL) {
        *why = xstrdup("the personal data is not valid UTF-8");
        return NULL;
    }
    size_t n = strlen(plain), clen = n + crypto_box_SEALBYTES;
    unsigned char *c = xmalloc(clen);
    if (crypto_box_seal(c, (const unsigned char *)plain, n, pk) != 0)
        abort();
    sodium_memzero(plain, n);
    free(plain);
    size_t blen = sodium_base64_ENCODED_LEN(clen,
                                            sodium_base64_VARIANT_ORIGINAL);
    char *b = xmalloc(blen);
    sodium_bin2base64(b, blen, c, clen, sodium_base64_VARIANT_ORIGINAL);
    free(c);
    return b;
}

int
central_person_open(const char *sealed,
                    const unsigned char pk[CENTRAL_KEY_BYTES],
                    const unsigned char sk[CENTRAL_KEY_BYTES],
                    struct central_person *p, char **why)
{
    memset(p, 0, sizeof *p);
    size_t n = strlen(sealed), clen = 0;
    unsigned char *c = xmalloc(n + 1);
    if (sodium_base642bin(c, n + 1, sealed, n, NULL, &clen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        clen < crypto_box_SEALBYTES) {
        free(c);
        *why = xstrdup("the sealed data is not base64 of a sealed box");
        return -1;
    }
    size_t mlen = clen - crypto_box_SEALBYTES;
    char *m = xmalloc(mlen + 1);
    if (crypto_box_seal_open((unsigned char *)m, c, clen, pk, sk) != 0) {
        free(c);
        free(m);
        *why = xstrdup("the sealed data does not open with this centre key "
                       "(sealed to another centre's key, or damaged)");
        return -1;
    }
    free(c);
    m[mlen] = '\0';
    json_error_t err;
    json_t *o = json_loadb(m, mlen, JSON_REJECT_DUPLICATES, &err);
    sodium_memzero(m, mlen);
    free(m);
    json_t *name = json_object_get(o, "name");
    int rc = 0;
    if (!json_is_object(o) || copy_str(o, "iin", p->iin, sizeof p->iin) < 0 ||
        copy_str(o, "phone", p->phone, sizeof p->phone) < 0 ||
        copy_str(o, "disability_group", p->disability_group,
                 sizeof p->disability_group) < 0 ||
        !(json_is_null(name) || json_is_string(name)) ||
        (json_is_string(name) &&
         copy_str(o, "name", p->name, sizeof p->name) < 0)) {
        central_person_wipe(p);
        *why = xstrdup("the sealed data opened but is not the personal data "
                       "of an application");
        rc = -1;
    }
    /* jansson's copies of the strings go with the object; wipe them. */
    const char *k;
    json_t *val;
    json_object_foreach(o, k, val) {
        if (json_is_string(val))
            sodium_memzero((char *)json_string_value(val),
                           json_string_length(val));
    }
    json_decref(o);
    return rc;
}

void
central_person_wipe(struct central_person *p)
{
    sodium_memzero(p, sizeof *p);
}

void
central_iin_hash(const char *iin, const unsigned char sk[CENTRAL_KEY_BYTES],
                 char out[CENTRAL_HASH_HEX + 1])
{
    unsigned char sub[crypto_generichash_KEYBYTES], h[32];
    crypto_generichash(sub, sizeof sub, (const unsigned char *)"dauys iin hash",
                       14, sk, CENTRAL_KEY_BYTES);
    crypto_generichash(h, sizeof h, (const unsigned char *)iin, strlen(iin),
                       sub, sizeof sub);
    sodium_memzero(sub, sizeof sub);
    sodium_bin2hex(out, CENTRAL_HASH_HEX + 1, h, sizeof h);
}

int
central_key_read(const char *path, bool secret,
                 unsigned char key[CENTRAL_KEY_BYTES], char **why)
{
    FILE *f = fopen(path, "re");
    if (f == NULL) {
        *why = xasprintf("cannot read the key file %s: %s", path,
                         strerror(errno));
        return -1;
    }
    struct stat st;
    if (secret && fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
        (void)fclose(f); /* only read */
        *why = xasprintf("the secret key file %s is readable by others; "
                         "chmod 600 it (and ask whether it was copied)",
                         path);
        return -1;
    }
    char line[128];
    char *got = fgets(line, sizeof line, f);
    (void)fclose(f); /* only read */
    size_t len = 0;
    if (got != NULL)
        line[strcspn(line, "\r\n")] = '\0';
    int rc = 0;
    if (got == NULL ||
        sodium_base642bin(key, CENTRAL_KEY_BYTES, line, strlen(line), NULL,
                          &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        len != CENTRAL_KEY_BYTES) {
        *why = xasprintf("%s is not a centre key file (32 bytes in base64 "
                         "on one line, as `dauys central keygen` writes)",
                         path);
        rc = -1;
    }
    sodium_memzero(line, sizeof line);
    return rc;
}
