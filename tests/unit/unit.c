/*
 * The scratch folders of the unit tests (tests/unit/unit.h): made under
 * $TMPDIR with mkdtemp(), removed depth first with nftw(), without a
 * shell, so that a path with a space or a quote is removed like any. And
 * the one "load it or fail with the reason" of every test.
 */
#include "tests/unit/unit.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

static char *why;

int
unit_tmpdir(char *dir, size_t size, const char *name)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(dir, size, "%s/%s-XXXXXX", tmp ? tmp : "/tmp", name);
    if (n < 0 || (size_t)n >= size)
        return -1;
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
remove_entry(const char *path, const struct stat *sb, int flag,
             struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int
unit_rmtree(const char *dir)
{
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

char **
unit_why(void)
{
    why = NULL;
    return &why;
}

void
unit_ok(int rc)
{
    if (rc < 0)
        fail_msg("%s", why ? why : "(no reason given)");
}

char *
unit_refused(int rc)
{
    if (rc != -1)
        fail_msg("expected -1 (refused), got %d", rc);
    char *r = why;
    why = NULL;
    return r;
}
