/*
 * Removable media as the kiosk sees them: a directory where the stick is
 * mounted (the appliance: /run/dauys/media, read-only, mounted by the root
 * helper dauys-media; a dev machine: any folder given with --media-dir).
 *
 * Reading: media_scan() lists what is on the stick that staff can use:
 * election packages (a directory, the stick's top or one level down,
 * holding election.json; with id, date and hash) and terminal
 * configurations (a *.json file whose "format" is "dauys-terminal/1"). It
 * reads, never writes, never follows symbolic links and never opens
 * anything but a regular file of bounded size.
 *
 * Writing goes through a spool: the kiosk makes the files in a job
 * directory under <data-dir>/spool (media_job_begin(), write, then
 * media_job_commit()), then media_flush() hands every committed job over,
 * oldest first, and deletes a job only once its copy is confirmed. On the
 * appliance the hand-over is the helper's socket (/run/dauys/media.sock,
 * protocol in images/dauys-media.c and docs/appliance.md): each file is
 * passed as an open descriptor, the helper copies, fsyncs and leaves the
 * stick read-only, then answers. Without a socket (a dev machine) the
 * files are copied straight into the media directory, each written as
 * <name>.part, fsynced and renamed. A stick pulled mid-copy loses nothing:
 * the job stays in the spool and is sent again by the next flush.
 */
#ifndef DAUYS_KIOSK_MEDIA_H
#define DAUYS_KIOSK_MEDIA_H

#include <stdbool.h>
#include <stddef.h>

/* The appliance's mount point and helper socket. */
#define MEDIA_DEFAULT_DIR "/run/dauys/media"
#define MEDIA_DEFAULT_SOCKET "/run/dauys/media.sock"

enum media_kind {
    MEDIA_PACKAGE,  /* an election package directory */
    MEDIA_TERMINAL, /* a terminal configuration file */
};

struct media_item {
    enum media_kind kind;
    char *path;    /* absolute: the package directory or the file */
    char *name;    /* relative to the media directory ("." for its top) */
    char *id;      /* package id (NULL for a configuration or a problem) */
    char *date;    /* package election date, YYYY-MM-DD (or NULL) */
    char hash[65]; /* SHA-256 of election.json / the file, hex */
    char *problem; /* why the package cannot be read, else NULL */
};

struct media_list {
    struct media_item *v;
    size_t n;
};

/* Whether a stick is there: DIR is a mount point or a non-empty
 * directory. */
bool media_present(const char *dir);

/*
 * Lists the packages and configurations in DIR into *OUT (sorted by name;
 * the caller frees it with media_list_free()). Returns 0, 1 when there is
 * no stick (DIR missing or not present: *OUT is then empty), or -1 with
 * *WHY when DIR cannot be read.
 */
int media_scan(const char *dir, struct media_list *out, char **why);
void media_list_free(struct media_list *l);

/* The first 7 hex digits of a hash, as shown on screen and reports. */
#define MEDIA_SHORT_HASH 7

enum media_error {
    MEDIA_OK = 0,
    MEDIA_NOMEDIA, /* no stick */
    MEDIA_GONE,    /* the stick went away or failed during the copy */
    MEDIA_NOSPACE, /* the stick is full */
    MEDIA_FAILED,  /* anything else (the helper refused, a local error) */
};

/*
 * Whether PATH (relative) may be written on the stick by the helper: at
 * most 4 components and 200 bytes, each of A-Z a-z 0-9 . _ - and not
 * starting with '.' (images/dauys-media.c refuses anything else).
 */
bool media_path_ok(const char *path);

/*
 * Makes a new, empty job under SPOOL (created 0700 if missing) for files
 * to copy to the stick, named after NAME (letters, digits, '.', '_', '-')
 * and the time. Returns the directory to fill (the caller frees it; its
 * relative paths become the paths on the stick), or NULL with *WHY.
 * Nothing is sent until media_job_commit().
 */
char *media_job_begin(const char *spool, const char *name, char **why);

/* Commits the job filled in DIR (from media_job_begin()): it is sent by
 * the next media_flush(). Returns 0, or -1 with *WHY. */
int media_job_commit(const char *dir, char **why);

/* Deletes the uncommitted job DIR and everything in it. */
void media_job_abandon(const char *dir);

struct media_report {
    int jobs_sent;   /* jobs confirmed and deleted */
    int jobs_left;   /* jobs still in the spool */
    long long files; /* files confirmed */
    long long bytes; /* bytes confirmed */
};

/*
 * Sends every committed job in SPOOL, oldest first, through the helper
 * at SOCKET when it exists, else by copying into MEDIA_DIR. A job is
 * deleted once confirmed; the first failure stops the flush. Fills *R.
 * Returns MEDIA_OK, or an error with *WHY (what failed; the caller
 * frees).
 */
enum media_error media_flush(const char *spool, const char *socket,
                             const char *media_dir, struct media_report *r,
                             char **why);

#endif
