/*
 * The real USB stick helper (build/dauys-media, images/dauys-media.c) in
 * its test mode, for the kiosk's tests: a socket is made at a path, a
 * child accepts one connection and runs "dauys-media serve --no-mount
 * TARGET" on each, so that the kiosk's writes through the helper land in
 * TARGET without any mount. $DAUYS_MEDIA_HELPER names another binary.
 */
#ifndef DAUYS_TESTS_UNIT_KIOSK_MEDIA_HELPER_H
#define DAUYS_TESTS_UNIT_KIOSK_MEDIA_HELPER_H

#include <sys/types.h>

/* Starts the helper behind a listening socket at SOCK writing into
 * TARGET, once for each of CONNECTIONS connections in turn; returns the
 * child's pid (the test fails if it cannot). Its exit status is the
 * highest of the helpers'. */
pid_t media_helper_start(const char *sock, const char *target, int connections);

/* Waits for the child PID; returns its exit status (-1: killed). */
int media_helper_wait(pid_t pid);

#endif
