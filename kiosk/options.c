/*
 * Resolution of paths. A missing data directory is never created outside
 * --demo: on an appliance it is created by the package with the right
 * owner and mode, and creating it elsewhere by accident would hide a
 * misconfiguration.
 */
#include "kiosk/options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/xalloc.h"

const char *
options_datadir(void)
{
    const char *d = getenv("DAUYS_DATADIR");
    return d != NULL && d[0] != '\0' ? d : DAUYS_DATADIR;
}

const char *
options_localedir(void)
{
    const char *d = getenv("DAUYS_LOCALEDIR");
    return d != NULL && d[0] != '\0' ? d : DAUYS_LOCALEDIR;
}

/* In --demo without a centre key configured: the demo centre's public
 * key (data/demo/centre-demo.pub, whose secret half is published there
 * too), so that demo applications can be sealed. Returns 0 or -1. */
static int
options_demo_centre_key(struct config *c, char **why)
{
    char *path = xasprintf("%s/demo/centre-demo.pub", options_datadir());
    char *text = xasprintf("[services]\ncentre_public_key = ");
    FILE *f = fopen(path, "re");
    char line[128];
    int rc = -1;
    if (f == NULL || fgets(line, sizeof line, f) == NULL) {
        *why = xasprintf("cannot read the demo centre key %s", path);
    } else {
        line[strcspn(line, "\r\n")] = '\0';
        char *t = xasprintf("%s%s\n", text, line);
        free(text);
        text = t;
        rc = config_parse(c, path, text, why);
    }
    if (f != NULL)
        (void)fclose(f); /* read only */
    free(text);
    free(path);
    return rc;
}

int
options_config(struct config *c, const char *path, bool demo, char **why)
{
    int rc = 0;
    config_defaults(c);
    if (path != NULL)
        rc = config_load(c, path, why);
    else if (!demo && access(CONFIG_DEFAULT_PATH, F_OK) == 0)
        rc = config_load(c, CONFIG_DEFAULT_PATH, why);
    if (rc == 0 && demo && !c->has_centre_key)
        rc = options_demo_centre_key(c, why);
    return rc;
}

/* Creates DIR and its parents with MODE; returns 0 or -1 (errno). */
static int
mkdir_p(const char *dir, mode_t mode)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

int
options_data_dir(const struct config *c, const char *given, bool demo,
                 char dir[PATH_MAX], char **why)
{
    int n;
    if (given != NULL) {
        n = snprintf(dir, PATH_MAX, "%s", given);
    } else if (demo) {
        const char *state = getenv("XDG_STATE_HOME");
        const char *home = getenv("HOME");
        if (state != NULL && state[0] == '/')
            n = snprintf(dir, PATH_MAX, "%s/dauys-demo", state);
        else if (home != NULL && home[0] == '/')
            n = snprintf(dir, PATH_MAX, "%s/.local/state/dauys-demo", home);
        else
            n = snprintf(dir, PATH_MAX, "/tmp/dauys-demo-%u",
                         (unsigned)getuid());
    } else {
        n = snprintf(dir, PATH_MAX, "%s", c->data_dir);
    }
    if (n < 0 || n >= PATH_MAX) {
        *why = xstrdup("the data directory's path is too long");
        return -1;
    }
    if (demo && given == NULL && mkdir_p(dir, 0700) != 0) {
        *why = xasprintf("cannot create the demo data directory %s: %s", dir,
                         strerror(errno));
        return -1;
    }
    struct stat st;
    if (stat(dir, &st) != 0) {
        *why = xasprintf("the data directory %s does not exist: %s; create "
                         "it (mode 0700, owned by the kiosk's user) or give "
                         "another with --data-dir",
                         dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        *why = xasprintf("the data directory %s is not a directory", dir);
        return -1;
    }
    return 0;
}

void
options_keypad_profile(const struct config *c, char path[PATH_MAX])
{
    if (c->keypad_profile[0] == '/')
        snprintf(path, PATH_MAX, "%s", c->keypad_profile);
    else
        snprintf(path, PATH_MAX, "%s/keypad/%.32s.profile", options_datadir(),
                 c->keypad_profile);
}
