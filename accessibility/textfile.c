/*
 * Reading a small file whole (see textfile.h): one fopen, one fread of
 * one byte more than allowed, every error said with the file's name.
 */
#include "accessibility/textfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"

int
textfile_read(const char *path, const char *what, size_t max, char **text,
              size_t *len, char **why)
{
    FILE *f = fopen(path, "re");
    if (f == NULL) {
        *why = xasprintf("cannot read the %s %s: %s", what, path,
                         strerror(errno));
        return -1;
    }
    char *b = xmalloc(max + 1);
    size_t n = fread(b, 1, max + 1, f);
    int err = ferror(f);
    /* Only read: closing cannot lose data; ERR says whether reading failed. */
    (void)fclose(f);
    if (err) {
        *why = xasprintf("cannot read the %s %s: read error", what, path);
        free(b);
        return -1;
    }
    *text = b;
    *len = n;
    return 0;
}
