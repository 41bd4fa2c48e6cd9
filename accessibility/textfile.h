/*
 * Reading a small file whole, for the parsers that take a buffer and its
 * length (keypad profiles, the service catalogue) and say themselves what
 * is too large.
 */
#ifndef DAUYS_ACCESSIBILITY_TEXTFILE_H
#define DAUYS_ACCESSIBILITY_TEXTFILE_H

#include <stddef.h>

/*
 * Opens PATH for reading without ever blocking: a named pipe, a device or
 * a folder in its place is refused at once. Returns the descriptor of a
 * regular file (the caller closes it), or -1 with *WHY (the caller frees)
 * saying why, without the path.
 */
int textfile_open(const char *path, char **why);

/*
 * Reads at most MAX + 1 bytes of the regular file PATH (textfile_open()) (one more than a valid file holds, so
 * that the parser can reject a larger one) into *TEXT, a new buffer that
 * the caller frees, and their number into *LEN; *TEXT is not
 * NUL-terminated. Returns 0, or -1 with *WHY (the caller frees), which
 * names the file as "the WHAT PATH" ("the keypad profile /etc/…").
 */
int textfile_read(const char *path, const char *what, size_t max, char **text,
                  size_t *len, char **why);

#endif
