/*
 * What a terminal is for: voting assistance, Ten Qogam services, or both.
 *
 * The configuration chooses it ([kiosk] mode) and the screens read it from
 * their context to decide what the home screen offers. It has a header of
 * its own so that the configuration does not depend on the screens.
 */
#ifndef DAUYS_KIOSK_MODE_H
#define DAUYS_KIOSK_MODE_H

enum kiosk_mode { MODE_VOTING = 1, MODE_SERVICES = 2, MODE_BOTH = 3 };

#endif
