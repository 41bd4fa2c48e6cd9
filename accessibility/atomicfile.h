/*
 * Replacing a file so that a reader, a crash or a power cut finds either
 * the old content or the new one, never a mixture and never half a file.
 *
 * The data goes to a temporary file beside the target (same folder, so the
 * rename cannot cross file systems), created exclusively and given exactly
 * the requested mode; the file is flushed, fsync'd and closed (every step
 * checked), renamed over the target, and the folder is fsync'd so that the
 * rename itself survives a power cut. On any failure the temporary file is
 * removed and the target is left as it was; the one exception is a failed
 * fsync of the folder, which is reported although the new content is
 * already in place (it may not survive a power cut).
 *
 * Two forms: atomicfile_write() for data in memory, and a streaming form
 * for writers that produce their output piece by piece (cairo, CSV
 * export): atomicfile_open(), write to atomicfile_stream(), then
 * atomicfile_commit() or atomicfile_abort(). atomicfile_write() is the
 * streaming form in one call, so both share one tested path.
 */
#ifndef DAUYS_ACCESSIBILITY_ATOMICFILE_H
#define DAUYS_ACCESSIBILITY_ATOMICFILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* Refuse to replace an existing target: the commit fails with -EEXIST
 * (for files made once, such as keys). */
#define ATOMICFILE_NOREPLACE 0x1u

struct atomicfile;

/*
 * Starts replacing PATH: creates the temporary file beside it with mode
 * MODE (exactly, whatever the umask) and FLAGS (0 or
 * ATOMICFILE_NOREPLACE). Returns 0 and *OUT, which the caller ends with
 * atomicfile_commit() or atomicfile_abort(); or a negative errno value
 * with *WHY (the caller frees), and nothing was created.
 */
int atomicfile_open(const char *path, mode_t mode, unsigned flags,
                    struct atomicfile **out, char **why);

/* The stream to write the new content to. AF owns it: write, never close
 * it. A write error is kept by the stream and makes the commit fail. */
FILE *atomicfile_stream(struct atomicfile *af);

/* The target path given to atomicfile_open(), for messages. */
const char *atomicfile_path(const struct atomicfile *af);

/*
 * Puts what was written in place of the target and frees AF. Returns 0
 * once the new content and its name are on disk; otherwise a negative
 * errno value (-EEXIST when ATOMICFILE_NOREPLACE and the target exists)
 * with *WHY (the caller frees), the temporary file removed and the target
 * untouched, except that when only the folder's fsync failed the new
 * content is in place and *WHY says so.
 */
int atomicfile_commit(struct atomicfile *af, char **why);

/* Removes the temporary file, leaves the target untouched and frees AF.
 * NULL is a no-op. */
void atomicfile_abort(struct atomicfile *af);

/*
 * Replaces PATH by the LEN bytes at DATA with mode MODE and FLAGS, as
 * atomicfile_open(), a write and atomicfile_commit(). DATA goes straight
 * to the file, never through a stdio buffer, so a secret leaves no copy
 * behind. Returns 0, or a negative errno value with *WHY (the caller
 * frees).
 */
int atomicfile_write(const char *path, const void *data, size_t len,
                     mode_t mode, unsigned flags, char **why);

#endif
