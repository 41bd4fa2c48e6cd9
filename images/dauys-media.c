/*
 * dauys-media: the appliance's USB stick helper, run as root by systemd
 * with CAP_SYS_ADMIN only (the kiosk has no capabilities). It does three
 * things and nothing else:
 *
 *   mount DEVICE    (dauys-media@.service, started by udev when a USB
 *                   stick with a FAT file system appears) mounts DEVICE
 *                   read-only, nosuid, nodev, noexec, noatime at
 *                   /run/dauys/media, files owned by root and readable by
 *                   the group dauys (the kiosk's user) only. A device on
 *                   the disk that holds the root file system (the appliance
 *                   boots from a stick too) is left alone, and so is a
 *                   second stick while one is mounted.
 *   unmount NAME    (the same unit's stop, when the stick is pulled or the
 *                   machine stops) detaches the mount of /dev/NAME.
 *   serve           (dauys-media-write@.service, one per connection on the
 *                   root-owned SOCK_SEQPACKET socket /run/dauys/media.sock,
 *                   mode 0660 group dauys) copies files the kiosk hands over
 *                   onto the stick. The kiosk never names a file of its
 *                   own data directory: it opens each file and passes the
 *                   open descriptor (SCM_RIGHTS), so this helper needs no
 *                   access to /var/lib/dauys (its unit makes it
 *                   inaccessible).
 *
 * The write protocol (docs/appliance.md), one datagram per message:
 *   kiosk -> helper  "PUT <path>" with one descriptor: a regular file to
 *                    copy to <path> on the stick (relative; components of
 *                    A-Z a-z 0-9 . _ - not starting with '.', at most 4
 *                    levels, 200 bytes); up to 256 files, 256 MiB in all.
 *   kiosk -> helper  "DONE": copy them now.
 *   helper -> kiosk  "OK <files> <bytes>" once every file is on the stick,
 *                    fsynced, and the stick is read-only again (it can be
 *                    removed), or "ERR <CODE> <text>" with CODE one of
 *                    NOMEDIA (no stick), BADREQ, DENIED, NOSPACE, GONE (the
 *                    stick went away or failed during the copy), IO.
 * The copy runs in the write unit's own mount namespace: the stick's
 * superblock is remounted read-write there, each file is written as
 * <path>.part, fsynced and renamed, the directories fsynced, and the
 * superblock remounted read-only before the answer. The kiosk's view of
 * /run/dauys/media stays read-only throughout (the read-only flag of its
 * mount is its own). With "serve --no-mount DIR" (tests) the files go into
 * DIR and nothing is mounted.
 *
 * Exit status: 0 done (also: a device left alone on purpose), 2 usage
 * error, 3 failure.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#define MEDIA_DIR "/run/dauys/media"
#define MEDIA_USER "dauys"
#define MEDIA_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME)
#define MAX_FILES 256
#define MAX_PATH_BYTES 200
#define MAX_DEPTH 4
#define MAX_TOTAL ((long long)256 * 1024 * 1024)
#define MSG_MAX 512
#define SERVE_SECONDS 300

static void
say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dauys-media: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- mount and unmount ------------------------------------------------ */

/* Writes into DISK (PATH_MAX) the sysfs directory of the whole disk that
 * holds block device DEV. Returns 0, or -1. */
static int
disk_of(dev_t dev, char disk[PATH_MAX])
{
    char link[64], part[PATH_MAX + 16];
    snprintf(link, sizeof link, "/sys/dev/block/%u:%u", major(dev), minor(dev));
    if (realpath(link, disk) == NULL)
        return -1;
    snprintf(part, sizeof part, "%s/partition", disk);
    if (access(part, F_OK) == 0) {
        char *slash = strrchr(disk, '/');
        if (slash == NULL)
            return -1;
        *slash = '\0';
    }
    return 0;
}

/* Whether PATH is a mount point (its device differs from its parent's). */
static int
is_mount_point(const char *path)
{
    struct stat a, b;
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s/..", path);
    if (stat(path, &a) != 0 || stat(parent, &b) != 0)
        return -1;
    return a.st_dev != b.st_dev;
}

static int
media_gid(gid_t *gid)
{
    struct passwd *pw = getpwnam(MEDIA_USER);
    if (pw == NULL) {
        say("there is no user %s", MEDIA_USER);
        return -1;
    }
    *gid = pw->pw_gid;
    return 0;
}

/* The vfat options: files root's, readable by the kiosk's group only. */
static void
media_options(char *buf, size_t size, gid_t gid)
{
    snprintf(buf, size,
             "uid=0,gid=%u,fmask=0137,dmask=0027,utf8=1,shortname=mixed,"
             "errors=remount-ro",
             (unsigned)gid);
}

static int
do_mount(const char *dev)
{
    struct stat st, root;
    char disk[PATH_MAX], rootdisk[PATH_MAX], opts[160];
    gid_t gid;

    if (strncmp(dev, "/dev/", 5) != 0 || strstr(dev, "..") != NULL) {
        say("'%s' is not a device under /dev", dev);
        return 2;
    }
    if (stat(dev, &st) != 0 || !S_ISBLK(st.st_mode)) {
        say("%s is not a block device", dev);
        return 3;
    }
    if (stat("/", &root) != 0) {
        say("cannot stat /: %s", strerror(errno));
        return 3;
    }
    if (disk_of(st.st_rdev, disk) != 0) {
        say("cannot find the disk of %s", dev);
        return 3;
    }
    if (disk_of(root.st_dev, rootdisk) == 0 && strcmp(disk, rootdisk) == 0) {
        say("%s is on the system disk; left alone", dev);
        return 0;
    }
    if (media_gid(&gid) != 0)
        return 3;
    int mp = is_mount_point(MEDIA_DIR);
    if (mp < 0) {
        say("%s is missing (systemd-tmpfiles makes it)", MEDIA_DIR);
        return 3;
    }
    if (mp > 0) {
        say("another stick is mounted at %s; %s left alone", MEDIA_DIR, dev);
        return 0;
    }
    media_options(opts, sizeof opts, gid);
    if (mount(dev, MEDIA_DIR, "vfat", MS_RDONLY | MEDIA_FLAGS, opts) != 0) {
        say("cannot mount %s: %s", dev, strerror(errno));
        return 3;
    }
    say("mounted %s read-only at %s", dev, MEDIA_DIR);
    return 0;
}

/* Detaches the mount of /dev/NAME at MEDIA_DIR, if that is what is there
 * (/proc/self/mounts: the device node may already be gone). */
static int
do_unmount(const char *name)
{
    char want[PATH_MAX], line[1024];
    if (strchr(name, '/') != NULL || name[0] == '\0' || name[0] == '.') {
        say("'%s' is not a device name", name);
        return 2;
    }
    snprintf(want, sizeof want, "/dev/%s", name);
    FILE *f = fopen("/proc/self/mounts", "re");
    if (f == NULL) {
        say("cannot read /proc/self/mounts: %s", strerror(errno));
        return 3;
    }
    int found = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char src[PATH_MAX], dst[PATH_MAX];
        if (sscanf(line, "%4095s %4095s", src, dst) == 2 &&
            strcmp(src, want) == 0 && strcmp(dst, MEDIA_DIR) == 0)
            found = 1;
    }
    (void)fclose(f); /* only read */
    if (!found)
        return 0;
    if (umount2(MEDIA_DIR, MNT_DETACH) != 0) {
        say("cannot unmount %s: %s", MEDIA_DIR, strerror(errno));
        return 3;
    }
    say("unmounted %s from %s", want, MEDIA_DIR);
    return 0;
}

/* ---- serve: copy what the kiosk hands over --------------------------- */

struct put {
    char path[MAX_PATH_BYTES + 1];
    int fd;
    long long size;
};

static int
answer(int sock, const char *fmt, ...)
{
    char buf[MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t)n >= sizeof buf)
        n = (int)sizeof buf - 1;
    say("answer: %s", buf);
    return send(sock, buf, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

/* Whether P is an acceptable relative path on the stick. */
static int
path_ok(const char *p)
{
    size_t len = strlen(p);
    int depth = 1;
    if (len == 0 || len > MAX_PATH_BYTES)
        return 0;
    for (const char *c = p; *c != '\0'; c++) {
        if (c == p || c[-1] == '/') {
            if (*c == '.' || *c == '/')
                return 0; /* hidden, "..", empty component, absolute */
        }
        if (*c == '/') {
            if (++depth > MAX_DEPTH || c[1] == '\0')
                return 0;
            continue;
        }
        if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
            return 0;
    }
    return 1;
}

/* The error code for errno value E during the copy. */
static const char *
copy_code(int e)
{
    switch (e) {
    case ENOSPC:
    case EDQUOT:
        return "NOSPACE";
    case EIO:
    case ENODEV:
    case ENXIO:
    case ENOENT:
    case EROFS:
    case ENOTCONN:
    case ESHUTDOWN:
        return "GONE";
    default:
        return "IO";
    }
}

/* Makes the directories of PATH under TOP (an open directory). */
static int
make_dirs(int top, const char *path)
{
    char buf[MAX_PATH_BYTES + 1];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = strchr(buf, '/'); s != NULL; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdirat(top, buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return 0;
}

/* fsyncs the directory of PATH under TOP (TOP itself for a plain name). */
static int
sync_dir_of(int top, const char *path)
{
    char buf[MAX_PATH_BYTES + 1];
    snprintf(buf, sizeof buf, "%s", path);
    char *slash = strrchr(buf, '/');
    if (slash == NULL)
        return fsync(top);
    *slash = '\0';
    int d = openat(top, buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (d < 0)
        return -1;
    int rc = fsync(d);
    int e = errno;
    close(d);
    errno = e;
    return rc;
}

/* Copies P's descriptor to P->path under TOP via "<path>.part". */
static int
copy_one(int top, const struct put *p)
{
    char part[MAX_PATH_BYTES + 8];
    char buf[65536];
    snprintf(part, sizeof part, "%s.part", p->path);
    if (make_dirs(top, p->path) != 0)
        return -1;
    int out = openat(top, part,
                     O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                     0644);
    if (out < 0)
        return -1;
    off_t off = 0;
    for (;;) {
        ssize_t n = pread(p->fd, buf, sizeof buf, off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        for (ssize_t w = 0; w < n;) {
            ssize_t m = write(out, buf + w, (size_t)(n - w));
            if (m < 0 && errno == EINTR)
                continue;
            if (m < 0)
                goto fail;
            w += m;
        }
        off += n;
    }
    if (fsync(out) != 0)
        goto fail;
    if (close(out) != 0) {
        out = -1;
        goto fail;
    }
    out = -1;
    if (renameat(top, part, top, p->path) != 0)
        goto fail;
    return sync_dir_of(top, p->path);
fail : {
    int e = errno;
    if (out >= 0)
        close(out);
    unlinkat(top, part, 0);
    errno = e;
    return -1;
}
}

/* Reads one message of at most MSG_MAX - 1 bytes and at most one
 * descriptor into TEXT and *FD (-1 when none). Returns its length, 0 at
 * the end, -1 on error. Extra descriptors are closed. */
static ssize_t
receive(int sock, char text[MSG_MAX], int *fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(int) * 4)];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {text, MSG_MAX - 1};
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl.buf;
    msg.msg_controllen = sizeof ctl.buf;
    *fd = -1;
    ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0)
        return -1;
    text[n] = '\0';
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL;
         c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < k; i++) {
            int got;
            memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof got);
            if (*fd < 0)
                *fd = got;
            else
                close(got);
        }
    }
    if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        errno = EMSGSIZE;
        return -1;
    }
    return n;
}

/* Copies every file of PUTS under TARGET. With MOUNTED, TARGET is the
 * stick's mount point: remounted read-write for the copy and read-only
 * after. Answers on SOCK. */
static int
copy_all(int sock, const char *target, int mounted, struct put *puts, int n,
         long long total)
{
    char opts[160];
    gid_t gid = 0;
    int rc = 3, rw = 0, lock = -1;
    if (mounted) {
        int mp = is_mount_point(target);
        if (mp <= 0) {
            answer(sock, "ERR NOMEDIA no stick is inserted");
            return 3;
        }
        if (media_gid(&gid) != 0) {
            answer(sock, "ERR IO the helper cannot find the kiosk's user");
            return 3;
        }
        media_options(opts, sizeof opts, gid);
    }
    lock = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (lock < 0) {
        answer(sock, "ERR %s cannot open the stick: %s", copy_code(errno),
               strerror(errno));
        return 3;
    }
    if (flock(lock, LOCK_EX) != 0) {
        answer(sock, "ERR IO cannot lock the stick: %s", strerror(errno));
        goto out;
    }
    if (mounted) {
        if (mount(NULL, target, NULL, MS_REMOUNT | MEDIA_FLAGS, opts) != 0) {
            answer(sock, "ERR %s cannot make the stick writable: %s",
                   errno == EROFS ? "DENIED" : copy_code(errno),
                   strerror(errno));
            goto out;
        }
        rw = 1;
        say("%s read-write for %d file(s)", target, n);
    }
    for (int i = 0; i < n; i++) {
        if (copy_one(lock, &puts[i]) != 0) {
            int e = errno;
            answer(sock, "ERR %s %s: %s", copy_code(e), puts[i].path,
                   strerror(e));
            goto out;
        }
    }
    if (syncfs(lock) != 0) {
        int e = errno;
        answer(sock, "ERR %s %s", copy_code(e), strerror(e));
        goto out;
    }
    if (rw) {
        rw = 0;
        if (mount(NULL, target, NULL, MS_REMOUNT | MS_RDONLY | MEDIA_FLAGS,
                  opts) != 0) {
            int e = errno;
            answer(sock, "ERR %s cannot make the stick read-only again: %s",
                   copy_code(e), strerror(e));
            goto out;
        }
    }
    answer(sock, "OK %d %lld", n, total);
    rc = 0;
out:
    if (rw && mount(NULL, target, NULL, MS_REMOUNT | MS_RDONLY | MEDIA_FLAGS,
                    opts) != 0)
        say("cannot make %s read-only again: %s", target, strerror(errno));
    close(lock);
    return rc;
}

/* Reads and drops what the kiosk still sends after a refusal, until it
 * hangs up (at most a few seconds): a socket closed with unread messages
 * would make the kiosk's read of the answer fail (ECONNRESET). */
static void
drain(int sock)
{
    char text[MSG_MAX];
    struct timeval tv = {5, 0};
    int fd;
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    shutdown(sock, SHUT_WR);
    while (receive(sock, text, &fd) > 0)
        if (fd >= 0)
            close(fd);
}

static int
do_serve(const char *target, int mounted)
{
    int sock = STDIN_FILENO;
    struct put *puts = calloc(MAX_FILES, sizeof *puts);
    int n = 0, rc = 3;
    long long total = 0;
    char text[MSG_MAX];
    if (puts == NULL)
        return 3;
    /* Only the kiosk's user (or, in tests, this helper's own user). */
    struct ucred cred;
    socklen_t clen = sizeof cred;
    if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0) {
        say("fd 0 is not a connected Unix socket: %s", strerror(errno));
        free(puts);
        return 2;
    }
    struct passwd *pw = getpwnam(MEDIA_USER);
    if (cred.uid != getuid() && (pw == NULL || cred.uid != pw->pw_uid)) {
        answer(sock, "ERR DENIED only the kiosk may write to the stick");
        free(puts);
        drain(sock);
        return 3;
    }
    alarm(SERVE_SECONDS);
    for (;;) {
        int fd;
        ssize_t len = receive(sock, text, &fd);
        if (len <= 0) {
            say("the kiosk went away before DONE");
            goto out;
        }
        if (strcmp(text, "DONE") == 0) {
            if (fd >= 0)
                close(fd);
            rc = copy_all(sock, target, mounted, puts, n, total);
            goto out;
        }
        if (strncmp(text, "PUT ", 4) != 0) {
            if (fd >= 0)
                close(fd);
            answer(sock, "ERR BADREQ unknown request");
            goto out;
        }
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            if (fd >= 0)
                close(fd);
            answer(sock, "ERR BADREQ %.200s: no regular file was passed",
                   text + 4);
            goto out;
        }
        if (!path_ok(text + 4)) {
            close(fd);
            answer(sock, "ERR BADREQ '%.200s' is not an allowed name",
                   text + 4);
            goto out;
        }
        if (n == MAX_FILES || total + st.st_size > MAX_TOTAL) {
            close(fd);
            answer(sock, "ERR BADREQ too many files or bytes at once");
            goto out;
        }
        snprintf(puts[n].path, sizeof puts[n].path, "%s", text + 4);
        puts[n].fd = fd;
        puts[n].size = st.st_size;
        total += st.st_size;
        n++;
    }
out:
    for (int i = 0; i < n; i++)
        close(puts[i].fd);
    free(puts);
    if (rc != 0)
        drain(sock);
    return rc;
}

int
main(int argc, char **argv)
{
    static const char usage[] =
        "usage: dauys-media mount DEVICE | unmount NAME | serve "
        "[--no-mount DIR]\n";
    if (argc == 3 && strcmp(argv[1], "mount") == 0)
        return do_mount(argv[2]);
    if (argc == 3 && strcmp(argv[1], "unmount") == 0)
        return do_unmount(argv[2]);
    if (argc == 2 && strcmp(argv[1], "serve") == 0)
        return do_serve(MEDIA_DIR, 1);
    if (argc == 4 && strcmp(argv[1], "serve") == 0 &&
        strcmp(argv[2], "--no-mount") == 0)
        return do_serve(argv[3], 0);
    fputs(usage, stderr);
    return 2;
}
