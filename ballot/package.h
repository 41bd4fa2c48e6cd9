/*
 * Election packages, format `dauys-election/1` (specs/election-package.md):
 * a directory holding `election.json` and its detached Ed25519 signature
 * `election.json.sig`. This module reads, validates, hashes, signs and
 * verifies packages and makes key pairs; it builds the model of election.h.
 *
 * Every function that can fail returns 0 or -1 and, on failure, sets *why
 * (when WHY is not NULL) to a newly allocated text the caller frees: one
 * line per problem, lines separated by '\n', no trailing newline. Each line
 * names the file and, for content problems, the JSON path
 * (`ballots[0].options[3].box.w_mm`) or, for syntax errors, line:column.
 *
 * Key files hold standard base64 (RFC 4648, with padding) on one line: a
 * public key is its 32 raw bytes; a secret key is the 32-byte RFC 8032 seed
 * (a 64-byte libsodium secret key, seed followed by public key, is accepted
 * when reading). See docs/election-package.md.
 */
#ifndef DAUYS_BALLOT_PACKAGE_H
#define DAUYS_BALLOT_PACKAGE_H

#include <stddef.h>

#include "ballot/election.h"

/* The most bytes election.json may hold (1 MiB). */
#define PACKAGE_MAX_BYTES ((size_t)1024 * 1024)

/* The bytes of an Ed25519 public key. */
#define PACKAGE_KEY_BYTES 32

/*
 * Parses and validates LEN bytes of JSON (the contents of election.json;
 * NUL bytes inside are errors, no terminator needed) against every rule of
 * the format. On success returns 0 and sets *OUT to a new election, with
 * hash set to the SHA-256 of the bytes; the caller frees it with
 * election_free(). On failure returns -1, leaves *OUT untouched and sets
 * *WHY to every problem found, one per line, naming `election.json`.
 */
int package_parse(const char *json, size_t len, struct election **out,
                  char **why);

/*
 * Reads DIR/election.json (at most PACKAGE_MAX_BYTES, a regular file) and
 * parses it as package_parse() does; problems name the file by its path.
 * The signature is not checked. On success the caller frees *OUT with
 * election_free(); on failure *OUT is untouched.
 */
int package_read(const char *dir, struct election **out, char **why);

/*
 * Writes into HEX the package hash of DIR: the SHA-256 of the bytes of
 * DIR/election.json as 64 lowercase hex characters and a terminating NUL.
 * The content is not validated.
 */
int package_hash_file(const char *dir, char hex[65], char **why);

/*
 * Makes a new Ed25519 key pair: writes the secret key (the 32-byte seed)
 * to SECRET_PATH with mode 0600, refusing to overwrite an existing file,
 * and the public key to PUBLIC_PATH (replaced atomically if it exists).
 * Nothing is left behind on failure.
 */
int package_keygen(const char *secret_path, const char *public_path,
                   char **why);

/*
 * Signs DIR/election.json with the secret key in SECRET_PATH and writes
 * DIR/election.json.sig atomically (a temporary file renamed over it).
 * Refuses a package that does not validate; *WHY then lists its problems.
 */
int package_sign(const char *dir, const char *secret_path, char **why);

/*
 * Checks that DIR/election.json.sig is a well-formed detached signature
 * of DIR/election.json made by one of the N_KEYS public keys in KEYS.
 * Returns 0 when it is; -1 otherwise (also when N_KEYS is 0).
 */
int package_verify_signature(const char *dir,
                             const unsigned char (*keys)[PACKAGE_KEY_BYTES],
                             size_t n_keys, char **why);

/*
 * Loads the package in DIR as a terminal must: reads election.json once,
 * validates it and checks its signature over those same bytes against the
 * N_KEYS trusted KEYS. Returns 0 and sets *OUT (the caller frees it with
 * election_free()) only when everything holds. On failure *OUT is left
 * untouched, so the previously loaded package stays in force, and *WHY
 * lists every problem: content problems and the signature problem together.
 */
int package_load(const char *dir,
                 const unsigned char (*keys)[PACKAGE_KEY_BYTES], size_t n_keys,
                 struct election **out, char **why);

/* The bytes of a package exactly as package_load_bytes() verified them. */
struct package_bytes {
    char *json; /* election.json, NUL-terminated (not counted) */
    size_t json_len;
    char *sig; /* election.json.sig as read, NUL-terminated */
    size_t sig_len;
};

/*
 * As package_load(), and on success also hands over in *BYTES (when not
 * NULL) the very bytes of election.json and election.json.sig that were
 * validated and verified, so that a caller keeping a copy writes those and
 * never reads the folder a second time (another validly signed package
 * could be put there meanwhile). The caller frees them with
 * package_bytes_free(); on failure *BYTES is untouched.
 */
int package_load_bytes(const char *dir,
                       const unsigned char (*keys)[PACKAGE_KEY_BYTES],
                       size_t n_keys, struct election **out,
                       struct package_bytes *bytes, char **why);

/* Frees the buffers of B (not B itself); NULL is a no-op. */
void package_bytes_free(struct package_bytes *b);

/*
 * Decodes one public key written as standard base64 (44 characters with
 * padding). Surrounding spaces, tabs and a trailing "\n" or "\r\n" are
 * ignored. Returns 0 and fills KEY, or -1.
 */
int package_parse_public_key(const char *base64_line,
                             unsigned char key[PACKAGE_KEY_BYTES], char **why);

/*
 * Reads a public-key file: one base64 key per line; blank lines and lines
 * starting with '#' are ignored. At least one key is required. Returns 0
 * and sets *KEYS to a new array of *N_KEYS keys (the caller frees it with
 * free()), or -1 with *WHY naming the file and line; *KEYS is then
 * untouched.
 */
int package_read_public_keys(const char *path,
                             unsigned char (**keys)[PACKAGE_KEY_BYTES],
                             size_t *n_keys, char **why);

/*
 * Signs the LEN bytes at DATA with the secret key in SECRET_PATH (a seed,
 * as package_sign()) and sets *SIG_LINE to the detached signature as one
 * line of standard base64 and a newline (the caller frees). For other
 * signed files than election.json (the terminal configuration).
 */
int package_sign_data(const char *secret_path, const char *data, size_t len,
                      char **sig_line, char **why);

/*
 * Checks that the SIG_LEN bytes of SIG_TEXT, the text of the signature file
 * SIG_PATH (named in messages), are a well-formed detached signature
 * (as election.json.sig) of the LEN bytes at DATA, the file DATA_NAME,
 * made by one of the N_KEYS KEYS. Returns 0, or -1 with *WHY.
 */
int package_verify_data(const char *sig_path, const char *sig_text,
                        size_t sig_len, const char *data, size_t len,
                        const char *data_name,
                        const unsigned char (*keys)[PACKAGE_KEY_BYTES],
                        size_t n_keys, char **why);

#endif
