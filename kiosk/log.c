/*
 * syslog wrappers. openlog() state is process-wide by nature; this file is
 * the only one that touches it. A line may echo what the kiosk was given
 * (a path typed by staff): its control characters are written visibly
 * (utf8_escape()), so neither the journal's reader nor the console (the
 * copy on standard error) acts on them.
 */
#include "kiosk/log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "accessibility/utf8.h"
#include "accessibility/xalloc.h"

static void
log_line(int prio, const char *fmt, va_list ap)
{
    char *msg = xvasprintf(fmt, ap);
    size_t len = strlen(msg), used;
    char *out = xmalloc(UTF8_ESCAPED_MAX(len));
    (void)utf8_escape(msg, len, 1, out, &used);
    syslog(prio, "%s", out);
    free(out);
    free(msg);
}

void
log_open(int to_stderr)
{
    openlog("dauys", LOG_PID | (to_stderr ? LOG_PERROR : 0), LOG_USER);
}

void
log_close(void)
{
    closelog();
}

#define LOG_FN(fn, prio)                                                       \
    void fn(const char *fmt, ...)                                              \
    {                                                                          \
        va_list ap;                                                            \
        va_start(ap, fmt);                                                     \
        log_line(prio, fmt, ap);                                               \
        va_end(ap);                                                            \
    }

LOG_FN(log_info, LOG_INFO)
LOG_FN(log_warn, LOG_WARNING)
LOG_FN(log_error, LOG_ERR)
