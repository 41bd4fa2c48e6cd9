/*
 * The one option parser of the dauys subcommands: each command lists its
 * long options as a table (struct cmd_option) and this file runs getopt_long
 * over them, stores the values, answers --help and words the errors the
 * same way for every command; cmd_verb() reads the verb of a command that
 * has one (audit verify, staff passwd) before its options, and
 * cmd_config() finds the configuration and the data directory for the
 * commands that work on a kiosk's files.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/cmd.h"
#include "kiosk/options.h"

#define CMD_OPTIONS_MAX 16

int
cmd_options(int argc, char **argv, int first, const struct cmd_option *opts,
            const struct cmd_syntax *syn)
{
    /* Option values start at 256, so that optopt below 256 is a short
     * option typed by mistake, not one of ours that lacks its value. */
    struct option longopts[CMD_OPTIONS_MAX + 2] = {{0}};
    size_t n = 0;
    for (; opts[n].name != NULL && n < CMD_OPTIONS_MAX; n++)
        longopts[n] = (struct option){opts[n].name,
                                      opts[n].value != NULL ? required_argument
                                                            : no_argument,
                                      NULL, 256 + (int)n};
    longopts[n] = (struct option){"help", no_argument, NULL, 'h'};
    int c;
    opterr = 0;
    optind = first;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(syn->usage, stdout);
            return 1;
        }
        if (c >= 256 && (size_t)(c - 256) < n) {
            const struct cmd_option *o = &opts[c - 256];
            if (o->value != NULL)
                *o->value = optarg;
            else
                *o->flag = true;
            continue;
        }
        if (optopt != 0 && optopt < 256)
            fprintf(stderr, "%s: option -%c is unknown or lacks its value\n",
                    syn->who, optopt);
        else
            fprintf(stderr, "%s: '%s' is unknown or lacks its value\n",
                    syn->who, argv[optind - 1]);
        if (syn->usage_on_error)
            fputs(syn->usage, stderr);
        return -1;
    }
    if (!syn->operands && optind < argc) {
        fprintf(stderr, "%s: unexpected argument '%s'\n%s", syn->who,
                argv[optind], syn->usage);
        return -1;
    }
    return 0;
}

int
cmd_verb(int argc, char **argv, const char *verb, const struct cmd_option *opts,
         const struct cmd_syntax *syn)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(syn->usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[1], verb) != 0) {
        fprintf(stderr, "dauys %s: unknown command '%s'\n%s", argv[0], argv[1],
                syn->usage);
        return EXIT_USAGE;
    }
    int prc = cmd_options(argc, argv, 2, opts, syn);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    return CMD_GO_ON;
}

int
cmd_config(struct config *cfg, const char *path, const char *given, char *dir)
{
    char *why = NULL;
    if (options_config(cfg, path, false, &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        free(why);
        return EXIT_INVALID;
    }
    if (options_data_dir(cfg, given, false, dir, &why) < 0) {
        fprintf(stderr, "dauys: %s\n", why);
        free(why);
        return EXIT_ENVIRONMENT;
    }
    return EXIT_OK;
}
