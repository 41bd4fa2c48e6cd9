/*
 * The real USB stick helper in its test mode (see media_helper.h).
 */
#include "tests/unit/kiosk/media_helper.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t
media_helper_start(const char *sock, const char *target, int connections)
{
    const char *helper = getenv("DAUYS_MEDIA_HELPER");
    if (helper == NULL)
        helper = "build/dauys-media";
    assert_int_equal(access(helper, X_OK), 0);
    int l = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    assert_true(l >= 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
    unlink(sock);
    assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(l, 1), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* One helper per connection, as systemd's Accept=yes does; a
         * test whose kiosk never connects ends after 30 s, not never. */
        alarm(30);
        int worst = 0;
        for (int i = 0; i < connections; i++) {
            int c = accept(l, NULL, NULL);
            if (c < 0)
                _exit(9);
            pid_t h = fork();
            if (h < 0)
                _exit(9);
            if (h == 0) {
                if (dup2(c, 0) != 0)
                    _exit(9);
                int null = open("/dev/null", O_WRONLY);
                dup2(null, 2);
                execl(helper, "dauys-media", "serve", "--no-mount", target,
                      (char *)NULL);
                _exit(8);
            }
            close(c);
            int st;
            if (waitpid(h, &st, 0) != h || !WIFEXITED(st))
                worst = 9;
            else if (WEXITSTATUS(st) > worst)
                worst = WEXITSTATUS(st);
        }
        _exit(worst);
    }
    close(l);
    return pid;
}

int
media_helper_wait(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
