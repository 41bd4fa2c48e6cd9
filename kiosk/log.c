/*
 * syslog wrappers. openlog() state is process-wide by nature; this file is
 * the only one that touches it.
 */
#include "kiosk/log.h"

#include <stdarg.h>
#include <syslog.h>

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
        vsyslog(prio, fmt, ap);                                                \
        va_end(ap);                                                            \
    }

LOG_FN(log_info, LOG_INFO)
LOG_FN(log_warn, LOG_WARNING)
LOG_FN(log_error, LOG_ERR)
