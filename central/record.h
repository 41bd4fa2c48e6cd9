/*
 * One outbox record, as a kiosk's store hands it to dauys-sync and as a
 * stick export holds it, one a line (docs/central.md, "Record format"):
 * canonical JSON whose last member is the lowercase hex SHA-256 of the
 * text before it. Parsing checks the form strictly (members, order, types,
 * the hash of the very bytes received), so a record that was cut, edited
 * or produced by something else is refused with its reason and never
 * reaches PostgreSQL. The personal data stays sealed: only the centre's
 * secret key (central_record_open()) opens it, and whoever opens it wipes
 * it with central_person_wipe().
 */
#ifndef DAUYS_CENTRAL_RECORD_H
#define DAUYS_CENTRAL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CENTRAL_KEY_BYTES 32 /* X25519 public and secret keys */
#define CENTRAL_HASH_HEX 64

struct central_record {
    char centre[33];
    char terminal[65];
    char number[10];
    int64_t created_at;
    char service[33];
    char status[16];
    int64_t status_changed_at;
    bool iin_flagged;
    char contact[16];
    char contact_language[4];
    char ui_language[4];
    char *sealed; /* base64; owned */
    char content_hash[CENTRAL_HASH_HEX + 1];
    char *text; /* the canonical line; owned */
};

/* The personal data inside "sealed", opened. */
struct central_person {
    char iin[13];
    char phone[16];
    char name[128]; /* empty when the visitor gave none */
    char disability_group[16];
};

/*
 * Parses LINE (one record, without its newline). Returns 0 with R filled
 * (free with central_record_free()), or -1 with *why (caller frees)
 * saying what is wrong, without personal data.
 */
int central_record_parse(const char *line, struct central_record *r,
                         char **why);

/* Frees what R owns. */
void central_record_free(struct central_record *r);

/*
 * Builds the canonical text of R's fields (R->sealed set) into R->text
 * and R->content_hash, as a kiosk does. Returns 0 or -1 with *why.
 */
int central_record_format(struct central_record *r, char **why);

/*
 * Seals P to the centre public key PK into a new base64 string (caller
 * frees). The plaintext is wiped. Returns NULL only when P's fields do
 * not fit the format (*why).
 */
char *central_person_seal(const struct central_person *p,
                          const unsigned char pk[CENTRAL_KEY_BYTES],
                          char **why);

/*
 * Opens SEALED with the centre key pair into P. Returns 0, or -1 with
 * *why (the data was not sealed to this key, or is malformed).
 */
int central_person_open(const char *sealed,
                        const unsigned char pk[CENTRAL_KEY_BYTES],
                        const unsigned char sk[CENTRAL_KEY_BYTES],
                        struct central_person *p, char **why);

/* Overwrites P with zeros. */
void central_person_wipe(struct central_person *p);

/*
 * The keyed hash of an IIN that `dauys central find` and duplicate
 * detection use: BLAKE2b-256 keyed with a subkey of the centre secret key,
 * hex into OUT. Only a holder of the secret key can compute it.
 */
void central_iin_hash(const char *iin,
                      const unsigned char sk[CENTRAL_KEY_BYTES],
                      char out[CENTRAL_HASH_HEX + 1]);

/*
 * Reads a key file written by `dauys central keygen` (base64 of 32 bytes
 * and a newline). A secret key file (SECRET) readable by others is
 * refused. Returns 0 or -1 with *why.
 */
int central_key_read(const char *path, bool secret,
                     unsigned char key[CENTRAL_KEY_BYTES], char **why);

#endif
