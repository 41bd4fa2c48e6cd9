/*
 * Settings shared by the kiosk and the commands: where data, configuration
 * and translations are, resolved from the command line, the environment
 * and the configuration file, in that order.
 */
#ifndef DAUYS_KIOSK_OPTIONS_H
#define DAUYS_KIOSK_OPTIONS_H

#include <limits.h>
#include <stdbool.h>

#include "kiosk/config.h"

/* The folder of bundled data (demo package, catalogue, lexicons):
 * $DAUYS_DATADIR or the installed location. */
const char *options_datadir(void);

/* The folder of the compiled translations: $DAUYS_LOCALEDIR or the
 * installed location. */
const char *options_localedir(void);

/*
 * Loads the configuration for a command: PATH when given (an error if it
 * cannot be read), else the default file when it exists, else defaults.
 * With DEMO and no PATH, the defaults are used; with DEMO and no centre
 * key configured, the demo centre's public key (data/demo/centre-demo.pub)
 * is. Returns 0, or -1 with *why.
 */
int options_config(struct config *c, const char *path, bool demo, char **why);

/*
 * Resolves the data directory into DIR (PATH_MAX bytes): GIVEN, else for
 * DEMO $XDG_STATE_HOME/dauys-demo (created), else the configuration's.
 * Returns 0, or -1 with *why when it does not exist or is not a directory.
 */
int options_data_dir(const struct config *c, const char *given, bool demo,
                     char dir[PATH_MAX], char **why);

/* Writes into PATH (PATH_MAX bytes) the keypad profile file the
 * configuration names: the absolute path it gives, or
 * <datadir>/keypad/<name>.profile. */
void options_keypad_profile(const struct config *c, char path[PATH_MAX]);

#endif
