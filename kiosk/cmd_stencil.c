/*
 * `dauys stencil DIR --ballot ID --out FILE [--margin-mm N]`: writes the
 * Braille stencil of one ballot of the package in DIR, as SVG, PDF or PNG
 * after FILE's extension (ballot/stencil.h, docs/stencil.md).
 *
 * The package's signature is not required: commissions make and test
 * stencils while the package is still being prepared, before it is signed.
 * The stencil carries the package hash in print and in its QR code, which
 * ties the sheet to the exact bytes of election.json; the content is fully
 * validated, as for any package.
 *
 * Usage problems (a missing or repeated option, an unknown extension, a
 * margin that is not a number of millimetres) exit 2 before the package is
 * read; an invalid package, an unknown ballot or a refused stencil exit 1
 * with every reason and what to do. The output file appears only complete.
 */
#include "kiosk/cmd.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/decimal.h"
#include "accessibility/xalloc.h"
#include "ballot/election.h"
#include "ballot/package.h"
#include "ballot/stencil.h"
#include "ballot/stencil_layout.h"

struct stencil_args {
    const char *dir;
    const char *ballot;
    const char *out;
    const char *margin;
    bool help;
};

static void
stencil_usage(FILE *f)
{
    fprintf(f,
            "usage: dauys stencil DIR --ballot ID --out FILE "
            "[--margin-mm N]\n"
            "\n"
            "Writes the 1:1 Braille stencil of ballot ID of the election "
            "package in DIR:\n"
            "the paper outline with its corner cut, a window over every box, "
            "each window's\n"
            "number in Braille and in large print, the ballot title, the "
            "package hash and\n"
            "a QR code. The format follows FILE's extension:\n"
            "  .svg   cut lines and Braille dots in named groups, in mm "
            "(laser cutter,\n"
            "         embosser)\n"
            "  .pdf   exact paper size (printing on swell paper)\n"
            "  .png   300 dpi (preview)\n"
            "\n"
            "  --ballot ID      the ballot's id in election.json\n"
            "  --out FILE       where to write the stencil (replaced only "
            "when complete)\n"
            "  --margin-mm N    extra opening around every box, 0 to %g mm "
            "(default %g)\n"
            "\n"
            "The package must be valid; its signature is not checked, so "
            "stencils can be\n"
            "made before signing. Exit status: 0 ok, 1 invalid package, "
            "unknown ballot or\n"
            "a stencil that cannot be made, 2 usage error.\n",
            STENCIL_MAX_MARGIN_MM, STENCIL_DEFAULT_MARGIN_MM);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Prints a usage error and the hint to --help; returns EXIT_USAGE. */
static int
usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("dauys stencil: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nRun `dauys stencil --help` for the options.\n", stderr);
    return EXIT_USAGE;
}

/* Takes the value of option NAME into *SLOT from "--name=value" in ARG or
 * from the next argument; returns EXIT_OK or a usage error. */
static int
take_value(const char *name, const char *arg, int argc, char **argv, int *i,
           const char **slot)
{
    size_t n = strlen(name);
    const char *value;
    if (arg[n] == '=') {
        value = arg + n + 1;
    } else if (*i + 1 < argc) {
        value = argv[++*i];
    } else {
        return usage_error("%s needs a value", name);
    }
    if (*slot != NULL)
        return usage_error("%s is given twice", name);
    if (value[0] == '\0')
        return usage_error("%s needs a value", name);
    *slot = value;
    return EXIT_OK;
}

static int
parse_args(int argc, char **argv, struct stencil_args *a)
{
    static const char *const valued[] = {"--ballot", "--out", "--margin-mm"};
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            if (a->dir != NULL)
                return usage_error("one package folder only, not also '%s'",
                                   arg);
            a->dir = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            a->help = true;
            return EXIT_OK;
        }
        const char **slots[] = {&a->ballot, &a->out, &a->margin};
        bool known = false;
        for (size_t k = 0; k < sizeof valued / sizeof valued[0]; k++) {
            size_t n = strlen(valued[k]);
            if (strncmp(arg, valued[k], n) != 0 ||
                (arg[n] != '\0' && arg[n] != '='))
                continue;
            int rc = take_value(valued[k], arg, argc, argv, &i, slots[k]);
            if (rc != EXIT_OK)
                return rc;
            known = true;
            break;
        }
        if (!known)
            return usage_error("unknown option '%s'", arg);
    }
    if (a->dir == NULL)
        return usage_error("which package? Give its folder (the one with "
                           "election.json)");
    if (a->ballot == NULL)
        return usage_error("which ballot? Give --ballot ID");
    if (a->out == NULL)
        return usage_error("where to? Give --out FILE ending in .svg, .pdf "
                           "or .png");
    return EXIT_OK;
}

/* Prints the ids of E's ballots on one line of stderr. */
static void
list_ballots(const struct election *e)
{
    fputs("The package has these ballots:", stderr);
    for (size_t i = 0; i < e->n_ballots; i++)
        fprintf(stderr, " %s", e->ballots[i].id);
    fputc('\n', stderr);
}

int
cmd_stencil(int argc, char **argv)
{
    struct stencil_args a = {0};
    struct election *e = NULL;
    char *why = NULL;
    int rc = parse_args(argc, argv, &a);
    if (rc != EXIT_OK)
        return rc;
    if (a.help) {
        stencil_usage(stdout);
        return EXIT_OK;
    }
    double margin = STENCIL_DEFAULT_MARGIN_MM;
    if (a.margin != NULL && (decimal_parse(a.margin, &margin) != 0 ||
                             margin > STENCIL_MAX_MARGIN_MM))
        return usage_error("--margin-mm must be millimetres from 0 to %g "
                           "(like 2 or 1.5), not '%s'",
                           STENCIL_MAX_MARGIN_MM, a.margin);
    enum stencil_format format;
    if (stencil_format_of(a.out, &format, &why) != 0) {
        rc = usage_error("%s", why);
        goto done;
    }
    if (package_read(a.dir, &e, &why) != 0) {
        fprintf(stderr,
                "dauys stencil: the package in %s cannot be used:\n%s\n"
                "Fix election.json and check it with `dauys election verify "
                "%s`.\n",
                a.dir, why, a.dir);
        rc = EXIT_INVALID;
        goto done;
    }
    const struct election_ballot *b = election_find_ballot(e, a.ballot);
    if (b == NULL) {
        fprintf(stderr, "dauys stencil: the package %s has no ballot '%s'.\n",
                e->id, a.ballot);
        list_ballots(e);
        rc = EXIT_INVALID;
        goto done;
    }
    if (stencil_write(e, b, margin, a.out, &why) != 0) {
        fprintf(stderr,
                "dauys stencil: no stencil for ballot %s was written:\n%s\n",
                b->id, why);
        rc = EXIT_INVALID;
        goto done;
    }
    printf("%s: stencil of ballot %s, %zu windows, margin %g mm, package "
           "hash %.8s\n",
           a.out, b->id, b->n_options, margin, e->hash);
    rc = EXIT_OK;
done:
    free(why);
    election_free(e);
    return rc;
}
