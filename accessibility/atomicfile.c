/*
 * Atomic replacement of a file (see atomicfile.h). The temporary file is
 * "<folder>/.<name>.tmp-XXXXXX": hidden, so that a program watching the
 * folder for "*.pdf" or "*.csv" never picks up half a file, and unique
 * (mkostemp opens it with O_CREAT | O_EXCL), so that two writers of the
 * same target never share one. Each step keeps the first errno it met;
 * one cleanup path removes the temporary file whenever the rename did not
 * happen.
 */
#include "accessibility/atomicfile.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/xalloc.h"

struct atomicfile {
    char *path;     /* the target */
    char *tmp;      /* the temporary file; NULL once it has been renamed */
    FILE *f;        /* open on tmp until the commit closes it */
    unsigned flags; /* ATOMICFILE_* */
};

/* errno after a failed call, never 0, so that a failure is never
 * returned as success. */
static int
atomicfile_errno(void)
{
    int e = errno;
    return e > 0 ? e : EIO;
}

/* Frees AF, removing its temporary file when it still exists. */
static void
atomicfile_free(struct atomicfile *af)
{
    if (af->f != NULL)
        (void)fclose(af->f);
    if (af->tmp != NULL)
        (void)unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    free(af);
}

/* Makes the last rename in PATH's folder durable. Returns 0 or an errno
 * value. */
static int
atomicfile_sync_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == NULL   ? xstrdup(".")
                : slash == path ? xstrdup("/")
                                : xstrndup(path, (size_t)(slash - path));
    int err = 0;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return atomicfile_errno();
    if (fsync(fd) != 0)
        err = atomicfile_errno();
    if (close(fd) != 0 && err == 0)
        err = atomicfile_errno();
    return err;
}

int
atomicfile_open(const char *path, mode_t mode, unsigned flags,
                struct atomicfile **out, char **why)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash != NULL ? slash + 1 : path;
    int dirlen = slash != NULL ? (int)(slash - path) : 0;
    *out = NULL;
    if (*name == '\0') {
        *why = xasprintf("cannot write %s: it names a folder", path);
        return -EISDIR;
    }
    struct atomicfile *af = xcalloc(1, sizeof *af);
    af->path = xstrdup(path);
    af->flags = flags;
    af->tmp = slash != NULL
                  ? xasprintf("%.*s/.%s.tmp-XXXXXX", dirlen, path, name)
                  : xasprintf(".%s.tmp-XXXXXX", name);
    int fd = mkostemp(af->tmp, O_CLOEXEC);
    if (fd < 0) {
        int err = atomicfile_errno();
        *why = xasprintf("cannot create a file beside %s: %s", path,
                         strerror(err));
        free(af->tmp);
        af->tmp = NULL;
        atomicfile_free(af);
        return -err;
    }
    /* mkostemp() makes the file 0600; the caller says what it must be. */
    if (fchmod(fd, mode) != 0 || (af->f = fdopen(fd, "wb")) == NULL) {
        int err = atomicfile_errno();
        *why = xasprintf("cannot write %s: %s", path, strerror(err));
        (void)close(fd);
        atomicfile_free(af);
        return -err;
    }
    *out = af;
    return 0;
}

FILE *
atomicfile_stream(struct atomicfile *af)
{
    return af->f;
}

const char *
atomicfile_path(const struct atomicfile *af)
{
    return af->path;
}

int
atomicfile_commit(struct atomicfile *af, char **why)
{
    int err = 0;
    /* A failed fwrite() leaves its errno long gone: call it EIO. */
    if (ferror(af->f))
        err = EIO;
    else if (fflush(af->f) != 0 || fsync(fileno(af->f)) != 0)
        err = atomicfile_errno();
    int closed = fclose(af->f);
    af->f = NULL;
    if (closed != 0 && err == 0)
        err = atomicfile_errno();
    if (err != 0) {
        *why = xasprintf("cannot write %s: %s", af->path, strerror(err));
        goto out;
    }
    int renamed = (af->flags & ATOMICFILE_NOREPLACE)
                      ? renameat2(AT_FDCWD, af->tmp, AT_FDCWD, af->path,
                                  RENAME_NOREPLACE)
                      : rename(af->tmp, af->path);
    if (renamed != 0) {
        err = atomicfile_errno();
        *why = err == EEXIST ? xasprintf("%s already exists", af->path)
                             : xasprintf("cannot put %s in place: %s", af->path,
                                         strerror(err));
        goto out;
    }
    free(af->tmp);
    af->tmp = NULL;
    err = atomicfile_sync_folder(af->path);
    if (err != 0)
        *why = xasprintf("%s was written, but its folder could not be "
                         "synced, so it may not survive a power cut: %s",
                         af->path, strerror(err));
out:
    atomicfile_free(af);
    return -err;
}

void
atomicfile_abort(struct atomicfile *af)
{
    if (af != NULL)
        atomicfile_free(af);
}

int
atomicfile_write(const char *path, const void *data, size_t len, mode_t mode,
                 unsigned flags, char **why)
{
    struct atomicfile *af = NULL;
    int rc = atomicfile_open(path, mode, flags, &af, why);
    if (rc < 0)
        return rc;
    assert(af != NULL);
    /* Straight to the file, not through the stream's buffer: DATA may be
     * a secret key, and a copy in a stdio buffer would not be wiped. */
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fileno(af->f), p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int err = w < 0 ? atomicfile_errno() : EIO;
            *why = xasprintf("cannot write %s: %s", path, strerror(err));
            atomicfile_abort(af);
            return -err;
        }
        p += w;
        len -= (size_t)w;
    }
    return atomicfile_commit(af, why);
}
