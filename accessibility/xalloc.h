/*
 * Allocation that cannot fail: on exhaustion the program aborts with a
 * message, in one place, so that no caller carries a half-handled NULL.
 * Also the helpers that wipe personal data before releasing it.
 */
#ifndef DAUYS_ACCESSIBILITY_XALLOC_H
#define DAUYS_ACCESSIBILITY_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Like malloc/calloc/realloc/strdup, but abort on failure. The caller frees
 * the result with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* Overwrites the string S (if not NULL) with zeros, then frees it. */
void xfree_wiped(char *s);

#endif
