/*
 * The kiosk's Ten Qogam services: the services/ library's catalogue,
 * store and receipt printer, opened as the configuration says and put
 * behind the table of services.h.
 *
 * Nothing here stops the kiosk: a catalogue that fails validation leaves
 * the catalogue unavailable, and a store that cannot open (a damaged
 * file, a missing directory, a bad key file) leaves applications
 * unavailable; in both cases the reason is logged and kept in `problem`,
 * which the staff console shows, while visitors are told to ask staff.
 * The retention job runs at start-up and before every staff export.
 * The export writes the sealed outbox (never anything personal in clear)
 * with a manifest into a folder staff choose, the USB stick's.
 */
#include "kiosk/services_run.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "accessibility/atomicfile.h"
#include "accessibility/audit.h"
#include "accessibility/xalloc.h"
#include "kiosk/log.h"
#include "kiosk/media.h"
#include "kiosk/options.h"
#include "services/receipt.h"

struct services_run {
    struct services sv;
    struct catalogue *catalogue;
    struct store *store;
    const struct i18n *i18n;
    char centre[33];
    char printer[PATH_MAX];
    char data_dir[PATH_MAX];
    unsigned retention_days;
    char *problem;
    int store_rc; /* what store_open() returned */
    /* The USB stick (kiosk/media.h): an export into MEDIA_DIR goes
     * through the helper at MEDIA_SOCKET when there is one. */
    char *media_dir, *media_socket;
};

const char services_data_full[] = N_(
    "The data partition is full: applications cannot be taken on this "
    "terminal. Voting assistance works. Staff: call the technician to free "
    "space.");
const char services_data_readonly[] = N_(
    "The data partition cannot be written (it is damaged or missing): "
    "applications cannot be taken and nothing is saved on this terminal. "
    "Voting assistance works. Staff: call the technician.");

#define DATA_PROBE_BYTES 65536

const char *
services_data_check(const char *data_dir, char **detail)
{
    struct statvfs fs;
    if (statvfs(data_dir, &fs) != 0) {
        *detail = xasprintf("%s: %s", data_dir, strerror(errno));
        return services_data_readonly;
    }
    if (fs.f_flag & ST_RDONLY) {
        *detail = xasprintf("%s is on a read-only file system", data_dir);
        return services_data_readonly;
    }
    char *probe = xasprintf("%s/.space-probe", data_dir);
    unlink(probe);
    int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int e = 0;
    if (fd < 0)
        e = errno;
    else {
        static const char zero[DATA_PROBE_BYTES];
        ssize_t n = write(fd, zero, sizeof zero);
        if (n != (ssize_t)sizeof zero)
            e = n < 0 ? errno : ENOSPC;
        else if (fsync(fd) != 0)
            e = errno;
        if (close(fd) != 0 && e == 0)
            e = errno;
        unlink(probe);
    }
    free(probe);
    if (e == 0)
        return NULL;
    *detail = xasprintf("%s: a test write failed: %s", data_dir, strerror(e));
    return e == ENOSPC || e == EDQUOT ? services_data_full
                                      : services_data_readonly;
}

static int
run_submit(void *ctx, const struct application *a,
           char number[APPLICATION_NUMBER_LEN + 1], int64_t *created,
           char **why)
{
    struct services_run *r = ctx;
    *created = (int64_t)time(NULL);
    int rc = store_submit(r->store, a, r->centre, *created, number, why);
    if (rc == STORE_FULL && r->problem == NULL) {
        /* The next visitors are told at once, staff see why. */
        log_error("applications stopped: the data partition is full");
        r->problem = xstrdup(services_data_full);
        r->sv.problem = r->problem;
    }
    return rc;
}

static int
run_status(void *ctx, const char *number, enum app_status *status,
           int64_t *changed_at, char *service, char **why)
{
    struct services_run *r = ctx;
    return store_status(r->store, number, status, changed_at, service, why);
}

static int
run_print(void *ctx, const struct receipt *rc, char **why)
{
    struct services_run *r = ctx;
    return receipt_print(r->printer, rc, r->i18n, NULL, why);
}

static int
run_list(void *ctx, const struct store_query *q, store_row_fn fn, void *fctx,
         char **why)
{
    struct services_run *r = ctx;
    return store_list(r->store, q, fn, fctx, why);
}

static int
run_set_status(void *ctx, const char *number, enum app_status status,
               const char *note, char **why)
{
    struct services_run *r = ctx;
    return store_set_status(r->store, number, status, note, "admin",
                            (int64_t)time(NULL), why);
}

static int
run_accept_iin(void *ctx, const char *number, char **why)
{
    struct services_run *r = ctx;
    return store_accept_iin(r->store, number, "admin", (int64_t)time(NULL),
                            why);
}

static int
run_retention(struct services_run *r, char **why)
{
    long deleted = 0;
    int rc = store_retention(r->store, r->retention_days, (int64_t)time(NULL),
                             &deleted, why);
    if (rc == 0 && deleted > 0)
        log_info("retention: deleted %ld applications older than %u days",
                 deleted, r->retention_days);
    return rc;
}

int
services_export(struct store *st, const char *dir, const char *centre,
                char **path, long *count, char **why)
{
    char stamp[32], hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char h[crypto_hash_sha256_BYTES];
    char *buf = NULL, *manifest = NULL, *mpath = NULL;
    size_t len = 0;
    time_t now = time(NULL), local = now + (time_t)5 * 3600;
    struct tm tm;
    int rc = STORE_ERROR;
    *path = NULL;
    *count = 0;
    if (gmtime_r(&local, &tm) == NULL ||
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm) == 0) {
        *why = xstrdup("cannot name the export file: the clock is out of "
                       "range");
        return STORE_ERROR;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        *why = xasprintf("%s is not a folder: give the folder of the "
                         "mounted USB stick",
                         dir);
        return STORE_INVALID;
    }
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL) {
        *why = xasprintf("cannot make the export: %s", strerror(errno));
        return STORE_ERROR;
    }
    rc = store_export_outbox(st, mem, count, why);
    if (fclose(mem) != 0 && rc == 0) {
        *why = xasprintf("cannot make the export: %s", strerror(errno));
        rc = STORE_ERROR;
    }
    if (rc < 0)
        goto out;
    crypto_hash_sha256(h, (const unsigned char *)buf, len);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    /* The centre code names the files: only letters, digits, '-', '_'
     * and '.' of it, so that it cannot leave DIR. */
    char safe[64];
    size_t k = 0;
    for (const char *c = centre; *c != '\0' && k + 1 < sizeof safe; c++) {
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                   "0123456789-_.",
                   *c) != NULL)
            safe[k++] = *c;
        else
            safe[k++] = '_';
    }
    safe[k] = '\0';
    *path = xasprintf("%s/outbox-%s-%s.jsonl", dir, safe, stamp);
    mpath = xasprintf("%s/outbox-%s-%s.manifest", dir, safe, stamp);
    json_t *m = json_pack("{s:i, s:s, s:s, s:I, s:s, s:I}", "v", 1, "file",
                          strrchr(*path, '/') + 1, "centre", centre, "count",
                          (json_int_t)*count, "sha256", hex, "exported_at",
                          (json_int_t)now);
    char *mtext = m != NULL ? json_dumps(m, JSON_PRESERVE_ORDER | JSON_COMPACT)
                            : NULL;
    json_decref(m);
    if (mtext == NULL) {
        *why = xstrdup("cannot make the export's manifest");
        rc = STORE_ERROR;
        goto out;
    }
    manifest = xasprintf("%s\n", mtext);
    free(mtext);
    /* The records first, then the manifest that vouches for them: a stick
     * pulled out in between holds no manifest, and import refuses it. */
    rc = STORE_ERROR;
    if (atomicfile_write(*path, buf, len, 0600, ATOMICFILE_NOREPLACE, why) <
            0 ||
        atomicfile_write(mpath, manifest, strlen(manifest), 0600,
                         ATOMICFILE_NOREPLACE, why) < 0) {
        unlink(*path);
        goto out;
    }
    rc = 0;
out:
    if (rc < 0) {
        free(*path);
        *path = NULL;
    }
    free(buf);
    free(manifest);
    free(mpath);
    return rc;
}

static int
run_export(void *ctx, const char *dir, char **path, long *count, char **why)
{
    struct services_run *r = ctx;
    int rc = store_audit_export(r->store, "admin", (int64_t)time(NULL), why);
    if (rc < 0)
        return rc;
    rc = run_retention(r, why);
    if (rc < 0)
        return rc;
    /* The appliance's kiosk sees the stick read-only: an export onto it
     * is made in the spool and copied by the stick helper, and stays on
     * the terminal until the helper confirms the copy (as stencils and
     * reports do). The files hold sealed records only. */
    size_t mlen = r->media_dir != NULL ? strlen(r->media_dir) : 0;
    struct stat st;
    if (mlen == 0 || strncmp(dir, r->media_dir, mlen) != 0 ||
        (dir[mlen] != '\0' && dir[mlen] != '/') ||
        stat(r->media_socket, &st) != 0 || !S_ISSOCK(st.st_mode))
        return services_export(r->store, dir, r->centre, path, count, why);
    const char *rel = dir + mlen;
    while (*rel == '/')
        rel++;
    if (*rel != '\0') {
        *why = xasprintf("%s: the export goes to the top folder of the USB "
                         "stick; choose %s",
                         dir, r->media_dir);
        return STORE_INVALID;
    }
    char *spool = xasprintf("%s/spool", r->data_dir);
    char *job = media_job_begin(spool, "outbox", why);
    char *made = NULL;
    rc = STORE_ERROR;
    if (job != NULL &&
        (rc = services_export(r->store, job, r->centre, &made, count, why)) ==
            0 &&
        media_job_commit(job, why) < 0)
        rc = STORE_ERROR;
    if (job != NULL && rc < 0)
        media_job_abandon(job);
    if (rc == 0) {
        struct media_report mr;
        if (media_flush(spool, r->media_socket, r->media_dir, &mr, why) !=
            MEDIA_OK) {
            char *w = xasprintf("%s (the export is kept on this terminal "
                                "and copied with the next write to a stick)",
                                *why != NULL ? *why
                                             : "the stick helper "
                                               "failed");
            free(*why);
            *why = w;
            rc = STORE_ERROR;
        } else {
            *path = xasprintf("%s/%s", r->media_dir, strrchr(made, '/') + 1);
        }
    }
    free(made);
    free(job);
    free(spool);
    return rc;
}

void
services_set_media(struct services_run *r, const char *dir, const char *socket)
{
    if (r == NULL)
        return;
    free(r->media_dir);
    free(r->media_socket);
    r->media_dir = xstrdup(dir);
    r->media_socket = xstrdup(socket);
}

static int
run_count(void *ctx, int64_t from, int64_t to, store_count_fn fn, void *fctx,
          char **why)
{
    struct services_run *r = ctx;
    return store_count_by_service(r->store, from, to, fn, fctx, why);
}

static const struct services_ops run_ops = {
    .submit = run_submit,
    .status = run_status,
    .print = run_print,
    .list = run_list,
    .set_status = run_set_status,
    .accept_iin = run_accept_iin,
    .export_outbox = run_export,
    .count = run_count,
};

int
services_paths(const struct config *cfg, const char *data_dir, char *db,
               char *key, char *catalogue)
{
    int n1 = cfg->database[0] != '\0'
                 ? snprintf(db, PATH_MAX, "%s", cfg->database)
                 : snprintf(db, PATH_MAX, "%s/dauys.db", data_dir);
    int n2 = cfg->key_file[0] != '\0'
                 ? snprintf(key, PATH_MAX, "%s", cfg->key_file)
                 : snprintf(key, PATH_MAX, "%s/services.key", data_dir);
    int n3 = cfg->catalogue[0] != '\0'
                 ? snprintf(catalogue, PATH_MAX, "%s", cfg->catalogue)
                 : snprintf(catalogue, PATH_MAX, "%s/services/catalogue.txt",
                            options_datadir());
    return n1 >= PATH_MAX || n2 >= PATH_MAX || n3 >= PATH_MAX ? -1 : 0;
}

struct services_run *
services_start(const struct config *cfg, const char *data_dir, bool demo,
               bool keyboard, const struct i18n *i18n)
{
    struct services_run *r = xcalloc(1, sizeof *r);
    char db[PATH_MAX], key[PATH_MAX], cat[PATH_MAX];
    char *why = NULL;
    r->i18n = i18n;
    snprintf(r->centre, sizeof r->centre, "%s", cfg->centre);
    snprintf(r->data_dir, sizeof r->data_dir, "%s", data_dir);
    r->retention_days = cfg->retention_days;
    if (cfg->printer[0] != '\0')
        snprintf(r->printer, sizeof r->printer, "%s", cfg->printer);
    else if (demo && snprintf(r->printer, sizeof r->printer, "pdf:%s/receipts",
                              data_dir) < (int)sizeof r->printer)
        mkdir(r->printer + 4, 0700);
    r->sv.centre = r->centre;
    r->sv.keyboard = keyboard;
    r->sv.retention_days = cfg->retention_days;
    if (services_paths(cfg, data_dir, db, key, cat) < 0) {
        r->problem = xstrdup("a services path is too long");
        goto out;
    }
    if (sodium_init() < 0) {
        r->problem = xstrdup("libsodium cannot start");
        goto out;
    }
    if (catalogue_load(cat, &r->catalogue, &why) < 0) {
        log_error("service catalogue refused: %s", why);
        r->problem = xasprintf("The service catalogue was refused: %s", why);
        free(why);
        why = NULL;
    }
    char *detail = NULL;
    const char *data = services_data_check(data_dir, &detail);
    if (data != NULL) {
        log_error("applications unavailable: %s", detail);
        free(detail);
        free(r->problem);
        r->problem = xstrdup(data);
        goto out;
    }
    char *audit = audit_path(data_dir);
    struct store_options so = {
        .path = db,
        .centre_key = cfg->has_centre_key ? cfg->centre_public_key : NULL,
        .terminal = cfg->terminal,
        .key_path = key,
        .audit_log = audit,
    };
    int src = store_open(&so, &r->store, &why);
    r->store_rc = src < 0 ? src : 0;
    free(audit);
    if (src < 0) {
        log_error("applications database: %s", why);
        char *p = xasprintf("%s%s%s", r->problem ? r->problem : "",
                            r->problem ? "\n" : "", why);
        free(r->problem);
        r->problem = p;
        free(why);
        goto out;
    }
    if (run_retention(r, &why) < 0) {
        log_warn("retention job failed: %s", why);
        free(why);
    }
    r->sv.ops = &run_ops;
    r->sv.ops_ctx = r;
out:
    r->sv.catalogue = r->catalogue;
    r->sv.problem = r->store == NULL ? r->problem : NULL;
    return r;
}

const struct services *
services_get(const struct services_run *r)
{
    return &r->sv;
}

const char *
services_problem(const struct services_run *r)
{
    return r->problem;
}

int
services_store_error(const struct services_run *r)
{
    return r->store_rc;
}

void
services_stop(struct services_run *r)
{
    if (r == NULL)
        return;
    store_close(r->store);
    catalogue_free(r->catalogue);
    free(r->problem);
    free(r->media_dir);
    free(r->media_socket);
    free(r);
}
