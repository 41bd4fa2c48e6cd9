/*
 * dauys-vtlock: locks or unlocks virtual-terminal switching for the whole
 * console (VT_LOCKSWITCH / VT_UNLOCKSWITCH). While locked, Alt+F1..F12,
 * Alt+Left/Right and chvt do nothing, so a visitor cannot leave the kiosk's
 * terminal. The ioctl needs CAP_SYS_TTY_CONFIG, which the sandboxed,
 * unprivileged kiosk must not have. dauys-vtlock.service runs it (as root,
 * with that one capability) with "lock" when it starts, before the kiosk,
 * and with "unlock" only when that unit stops; dauys.service requires the
 * unit and never unlocks, so systemd's restarts of a crashed kiosk leave
 * the lock in place. The lock is kernel state, not tied to this process,
 * so the helper exits at once.
 *
 * usage: dauys-vtlock lock|unlock [TTY]   (TTY default /dev/tty1)
 * Exit status: 0 done, 2 usage error, 3 the terminal refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vt.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    const char *tty = "/dev/tty1";
    unsigned long req;
    int rc = 3;

    if (argc < 2 || argc > 3) {
        fputs("usage: dauys-vtlock lock|unlock [TTY]\n", stderr);
        return 2;
    }
    if (strcmp(argv[1], "lock") == 0)
        req = VT_LOCKSWITCH;
    else if (strcmp(argv[1], "unlock") == 0)
        req = VT_UNLOCKSWITCH;
    else {
        fprintf(stderr, "dauys-vtlock: '%s' is neither lock nor unlock\n",
                argv[1]);
        return 2;
    }
    if (argc == 3)
        tty = argv[2];
    int fd = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "dauys-vtlock: cannot open %s: %s\n", tty,
                strerror(errno));
        goto out;
    }
    if (ioctl(fd, req, 0) != 0) {
        fprintf(stderr, "dauys-vtlock: %s on %s failed: %s\n", argv[1], tty,
                strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        fprintf(stderr, "dauys-vtlock: closing %s: %s\n", tty, strerror(errno));
        rc = 3;
    }
    return rc;
}
