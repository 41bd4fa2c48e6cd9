/*
 * Logging to syslog (journald on the appliance). Callers never pass
 * personal data, PINs or a voter's choice: log lines say what happened
 * ("staff login", "package loaded"), never to whom or what was chosen.
 */
#ifndef DAUYS_KIOSK_LOG_H
#define DAUYS_KIOSK_LOG_H

/* Opens the log with identity "dauys". Also echoes to stderr when
 * TO_STDERR (commands, not the kiosk, which owns the screen). */
void log_open(int to_stderr);
void log_close(void);

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
