/*
 * The free() wrapper (see free_hook.h). The linker sends every free() of
 * the wrapped objects to __wrap_free and gives us the real one as
 * __real_free. malloc_usable_size() tells how many bytes the block has:
 * under AddressSanitizer exactly what was asked for, with glibc's malloc
 * possibly a few more, which are looked at too (a secret left there was
 * released unwiped by an earlier owner of the memory).
 */
#include "tests/unit/free_hook.h"

#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET_MAX 256

void __real_free(void *p);
void __wrap_free(void *p);

static struct {
    unsigned char bytes[SECRET_MAX];
    size_t len;
} secrets[FREE_HOOK_SECRETS];
static size_t n_secrets, frees, dirty, hits;
static bool looking;
static char first[128]; /* the start of the first block hit, printable */

void
free_hook_start(void)
{
    looking = true;
}

void
free_hook_watch(const void *secret, size_t len)
{
    if (n_secrets == FREE_HOOK_SECRETS || len == 0 || len > SECRET_MAX) {
        fprintf(stderr, "free_hook_watch: %zu bytes, %zu watched\n", len,
                n_secrets);
        abort();
    }
    memcpy(secrets[n_secrets].bytes, secret, len);
    secrets[n_secrets++].len = len;
    looking = true;
}

void
free_hook_watch_string(const char *s)
{
    free_hook_watch(s, strlen(s));
}

void
free_hook_reset(void)
{
    memset(secrets, 0, sizeof secrets);
    n_secrets = 0;
    frees = dirty = hits = 0;
    looking = false;
    first[0] = '\0';
}

size_t
free_hook_frees(void)
{
    return frees;
}

size_t
free_hook_dirty(void)
{
    return dirty;
}

size_t
free_hook_hits(void)
{
    return hits;
}

const char *
free_hook_first_hit(void)
{
    return first;
}

/* Looks at the SIZE bytes of block P before it is freed. */
static void
look(const unsigned char *p, size_t size)
{
    frees++;
    for (size_t i = 0; i < size; i++) {
        if (p[i] != 0) {
            dirty++;
            break;
        }
    }
    bool hit = false;
    for (size_t i = 0; i < n_secrets && !hit; i++)
        hit = memmem(p, size, secrets[i].bytes, secrets[i].len) != NULL;
    if (hit && hits++ == 0) {
        size_t n = size < sizeof first - 1 ? size : sizeof first - 1;
        for (size_t i = 0; i < n; i++)
            first[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
        first[n] = '\0';
    }
}

void
__wrap_free(void *p)
{
    if (p != NULL && looking)
        look(p, malloc_usable_size(p));
    __real_free(p);
}
