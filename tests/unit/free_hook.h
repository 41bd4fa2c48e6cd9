/*
 * A look at every block the code frees, for the tests that prove a secret
 * (a voter's choice, a spoken text) is wiped before its memory goes back
 * to the allocator. The test binaries named in UNIT_FREE_HOOK (Makefile)
 * are linked with this file and -Wl,--wrap=free, so that every call of
 * free() in the test, the driver and the project's libraries comes here
 * first. Frees made inside system libraries (jansson, libc's own realloc)
 * are not seen: the check covers the project's code.
 *
 * Between free_hook_start() and free_hook_reset() each freed block is
 * counted, and so is each one with a byte that is not zero (for code that
 * must hand back only zeros) and each one that still contains a watched
 * secret. The whole usable size of the block is looked at. The state is
 * global, as free() has no context; tests run one at a time.
 */
#ifndef DAUYS_TESTS_UNIT_FREE_HOOK_H
#define DAUYS_TESTS_UNIT_FREE_HOOK_H

#include <stddef.h>

#define FREE_HOOK_SECRETS 8

/* Starts looking at freed blocks (watching a secret also starts). */
void free_hook_start(void);

/* Watches the LEN bytes at SECRET (copied; at most 256 bytes and at most
 * FREE_HOOK_SECRETS at once, else it aborts). */
void free_hook_watch(const void *secret, size_t len);

/* Watches the string S (without its terminating NUL). */
void free_hook_watch_string(const char *s);

/* Stops looking, forgets the secrets and sets the counts to zero. */
void free_hook_reset(void);

/* Blocks freed since the start; of them, those with a byte that is not
 * zero, and those that still contained a watched secret. */
size_t free_hook_frees(void);
size_t free_hook_dirty(void);
size_t free_hook_hits(void);

/* The first bytes of the first block that contained a secret, each byte
 * that is not printable ASCII shown as '.'; "" when none did. */
const char *free_hook_first_hit(void);

#endif
