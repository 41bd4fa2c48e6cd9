/*
 * `dauys keypad-card PROFILE --out FILE`: writes the tactile key labels
 * and the Braille instruction card for a keypad profile, as SVG, PDF or
 * PNG after FILE's extension (ballot/keycard.h, docs/keypad.md).
 *
 * PROFILE is a bundled profile's name (numpad, keyboard: the files
 * <datadir>/keypad/NAME.profile) or the path of a .profile file, as
 * `[keypad] profile` takes it. Usage problems (no profile, no --out, an
 * unknown extension) exit 2 before anything is read; an unknown or invalid
 * profile, or a sheet that cannot be written, exits 1 with the reason; a
 * missing Braille table (liblouis-data) exits 3. The output file appears
 * only complete.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/keyprofile.h"
#include "accessibility/xalloc.h"
#include "ballot/braille_louis.h"
#include "ballot/keycard.h"
#include "ballot/keycard_layout.h"
#include "ballot/sheet.h"
#include "kiosk/cmd.h"
#include "kiosk/options.h"

static const char card_usage[] =
    "usage: dauys keypad-card PROFILE --out FILE\n"
    "\n"
    "Writes, 1:1, the tactile key labels and the Braille instruction card "
    "for the\n"
    "keypad profile PROFILE (a bundled profile's name, such as numpad, or "
    "the path\n"
    "of a .profile file): a label with a raised symbol for every function "
    "key, at\n"
    "the profile's key pitch (pitch_mm, default 19.05 mm); a legend with "
    "each\n"
    "symbol's Braille word in Kazakh and Russian; and a card in Braille and "
    "large\n"
    "print, kk and ru, saying what the kiosk is and that any key starts the "
    "spoken\n"
    "instructions. The format follows FILE's extension:\n"
    "  .svg   layers cut, emboss (braille, symbols) and print, in mm "
    "(laser cutter,\n"
    "         embosser)\n"
    "  .pdf   exact page size (printing on swell paper)\n"
    "  .png   300 dpi (preview)\n"
    "\n"
    "  --out FILE   where to write the sheet (replaced only when complete)\n"
    "\n"
    "Exit status: 0 ok, 1 unknown or invalid profile or a sheet that cannot "
    "be\n"
    "written, 2 usage error, 3 the Braille tables (liblouis-data) are "
    "missing.\n";

/* Whether NAME is a plain profile name (letters, digits, '-', '_'). */
static int
plain_name(const char *name)
{
    if (name[0] == '\0' || strlen(name) > 32)
        return 0;
    for (const char *c = name; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
            return 0;
    }
    return 1;
}

/* Whether E names a profile file. */
static int
is_profile(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 8 && strcmp(e->d_name + n - 8, ".profile") == 0;
}

/* Lists the bundled profiles in DIR, sorted, on one line of stderr. */
static void
list_profiles(const char *dir)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_profile, alphasort);
    if (n <= 0) {
        fprintf(stderr, "No profiles are installed in %s.\n", dir);
        free(names);
        return;
    }
    fputs("The bundled profiles are:", stderr);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]->d_name);
        fprintf(stderr, " %.*s", (int)(len - 8), names[i]->d_name);
        free(names[i]);
    }
    free(names);
    fputs(" (or give the path of a .profile file).\n", stderr);
}

/* Loads the profile at PATH (PROFILE as given; IS_NAME: a bundled name,
 * DIR the bundled folder) and writes its card to OUT; an exit status. */
static int
write_card(const char *profile, int is_name, const char *dir, const char *path,
           const char *out)
{
    char *why = NULL;
    FILE *probe = fopen(path, "re");
    if (probe == NULL) {
        if (is_name) {
            fprintf(stderr,
                    "dauys keypad-card: unknown keypad profile '%s' "
                    "(no %s).\n",
                    profile, path);
            list_profiles(dir);
        } else {
            fprintf(stderr,
                    "dauys keypad-card: cannot read the keypad profile %s: "
                    "%s.\n",
                    path, strerror(errno));
        }
        return EXIT_INVALID;
    }
    (void)fclose(probe); /* only opened to tell "unknown" from "broken" */

    struct keyprofile *p = NULL;
    if (keyprofile_load(path, &p, &why) != 0) {
        fprintf(stderr,
                "dauys keypad-card: the keypad profile cannot be used:\n%s\n"
                "Fix it as docs/keypad.md describes.\n",
                why);
        free(why);
        return EXIT_INVALID;
    }
    for (size_t k = 0; k < KEYCARD_N_LANGS; k++) {
        if (braille_louis_ready(keycard_langs[k], &why) != 0) {
            fprintf(stderr, "dauys keypad-card: %s\n", why);
            free(why);
            keyprofile_free(p);
            return EXIT_ENVIRONMENT;
        }
    }
    int rc = EXIT_OK;
    if (keycard_write(p, is_name ? profile : path, out, &why) != 0) {
        fprintf(stderr, "dauys keypad-card: no keypad card was written:\n%s\n",
                why);
        free(why);
        rc = EXIT_INVALID;
    } else {
        printf("%s: keypad card of profile %s, key pitch %g mm\n", out,
               is_name ? profile : path, keyprofile_pitch_mm(p));
    }
    keyprofile_free(p);
    return rc;
}

int
cmd_keypad_card(int argc, char **argv)
{
    const char *out = NULL;
    const struct cmd_option opts[] = {
        {"out", &out, NULL},
        {NULL, NULL, NULL},
    };
    static const struct cmd_syntax syn = {"dauys keypad-card", card_usage,
                                          false, true};
    int prc = cmd_options(argc, argv, 1, opts, &syn);
    if (prc != 0) {
        if (prc > 0)
            return EXIT_OK;
        fputs("Run `dauys keypad-card --help` for the options.\n", stderr);
        return EXIT_USAGE;
    }
    if (optind >= argc) {
        fputs("dauys keypad-card: which profile? Give its name (numpad, "
              "keyboard) or the path of a .profile file\n"
              "Run `dauys keypad-card --help` for the options.\n",
              stderr);
        return EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        fprintf(stderr,
                "dauys keypad-card: one profile only, not also '%s'\n"
                "Run `dauys keypad-card --help` for the options.\n",
                argv[optind + 1]);
        return EXIT_USAGE;
    }
    const char *profile = argv[optind];
    if (out == NULL || out[0] == '\0') {
        fputs("dauys keypad-card: where to? Give --out FILE ending in .svg, "
              ".pdf or .png\n"
              "Run `dauys keypad-card --help` for the options.\n",
              stderr);
        return EXIT_USAGE;
    }
    char *why = NULL;
    enum sheet_format format;
    if (sheet_format_of(out, "keypad card", &format, &why) != 0) {
        fprintf(stderr,
                "dauys keypad-card: %s\n"
                "Run `dauys keypad-card --help` for the options.\n",
                why);
        free(why);
        return EXIT_USAGE;
    }

    int is_name = strchr(profile, '/') == NULL && plain_name(profile);
    char *dir = xasprintf("%s/keypad", options_datadir());
    char *path = is_name ? xasprintf("%s/%s.profile", dir, profile)
                         : xstrdup(profile);
    int rc = write_card(profile, is_name, dir, path, out);
    free(dir);
    free(path);
    return rc;
}
