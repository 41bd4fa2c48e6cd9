/*
 * Reading a small file whole (see textfile.h): opened without blocking
 * (O_NONBLOCK, so that a named pipe or a device put where a file belongs
 * never hangs the kiosk), refused unless it is a regular file, then read
 * once, one byte more than allowed; every error is said with the file's
 * name.
 */
#include "accessibility/textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/xalloc.h"

int
textfile_open(const char *path, char **why)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        *why = xstrdup(strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        *why = xstrdup(strerror(errno));
        (void)close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = xstrdup(S_ISDIR(st.st_mode)    ? "a folder, not a file"
                       : S_ISFIFO(st.st_mode) ? "a named pipe, not a file"
                                              : "not a regular file");
        (void)close(fd);
        return -1;
    }
    /* A regular file never blocks; clear the flag for clarity. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

int
textfile_read(const char *path, const char *what, size_t max, char **text,
              size_t *len, char **why)
{
    char *reason = NULL;
    int fd = textfile_open(path, &reason);
    if (fd < 0) {
        *why = xasprintf("cannot read the %s %s: %s", what, path, reason);
        free(reason);
        return -1;
    }
    char *b = xmalloc(max + 1);
    size_t n = 0;
    while (n < max + 1) {
        ssize_t r = read(fd, b + n, max + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *why = xasprintf("cannot read the %s %s: %s", what, path,
                             strerror(errno));
            free(b);
            (void)close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    /* Only read: closing cannot lose data. */
    (void)close(fd);
    *text = b;
    *len = n;
    return 0;
}
