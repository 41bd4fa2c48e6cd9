/*
 * FX_CONFIGURE (configure.h): find, verify, install, and say what
 * happened in the language on screen.
 */
#include "kiosk/configure.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"
#include "kiosk/terminal.h"

#define LINES_MAX 32
/* How long the outcome stays before the kiosk starts again by itself. */
#define CONFIGURE_RESTART_MS 8000

/* Appends the lines of TEXT (one per '\n') to LINES. */
static void
add_lines(char **lines, int *n, const char *text)
{
    for (const char *p = text; *p != '\0' && *n < LINES_MAX - 2;) {
        size_t len = strcspn(p, "\n");
        lines[(*n)++] = xstrndup(p, len);
        p += len;
        if (*p == '\n')
            p++;
    }
}

static void
show(struct app *app, const char *title, char **lines, int n, bool restart,
     uint64_t now_ms, struct fx_list *out)
{
    app_open(app,
             screen_configured_new(title, (const char *const *)lines, n,
                                   restart ? now_ms + CONFIGURE_RESTART_MS : 0),
             now_ms, out);
    for (int i = 0; i < n; i++)
        free(lines[i]);
}

void
configure_effect(void *ctx, const struct fx *f, struct app *app,
                 uint64_t now_ms, struct fx_list *out)
{
    const struct configure *cf = ctx;
    (void)f;
    char dir[PATH_MAX], *why = NULL, *lines[LINES_MAX];
    int n = 0;
    const char *title = app_text(app, "Terminal configuration");
    struct terminal t;
    enum terminal_outcome outcome;
    if (terminal_find(cf->media_dir, dir, &why) < 0) {
        fx_audit(out, "terminal configuration: no stick (%s)", why);
        lines[n++] = xstrdup(app_text(app, "No configuration was found. "
                                           "Insert the configuration stick "
                                           "and try again."));
        add_lines(lines, &n, why);
        free(why);
        show(app, title, lines, n, false, now_ms, out);
        return;
    }
    if (terminal_accept(cf->data_dir, dir, cf->keys, cf->n_keys, &t, &outcome,
                        &why) < 0) {
        fx_audit(out, "terminal configuration refused dir=%s", dir);
        lines[n++] = xstrdup(app_text(app, "The configuration was refused:"));
        add_lines(lines, &n, why);
        lines[n++] = xstrdup(app_text(app, "Nothing was changed."));
        free(why);
        show(app, title, lines, n, false, now_ms, out);
        return;
    }
    fx_audit(out, "terminal configuration %s id=%s serial=%lld hash=%s",
             outcome == TERMINAL_SAME ? "already in force" : "accepted", t.id,
             t.serial, t.hash);
    lines[n++] = xstrdup(
        outcome == TERMINAL_SAME
            ? app_text(app, "This configuration is already in force.")
            : app_text(app, "The terminal is configured."));
    char buf[1024];
    const char *args[] = {t.id, NULL};
    i18n_format(buf, sizeof buf, app_text(app, "Terminal: {1}"), 1, args);
    lines[n++] = xstrdup(buf);
    args[0] = app_lang(app) == LANG_KK ? t.location_kk : t.location_ru;
    i18n_format(buf, sizeof buf, app_text(app, "Location: {1}"), 1, args);
    lines[n++] = xstrdup(buf);
    char serial[32], hash[8];
    snprintf(serial, sizeof serial, "%lld", t.serial);
    snprintf(hash, sizeof hash, "%.7s", t.hash);
    args[0] = serial;
    args[1] = hash;
    i18n_format(buf, sizeof buf, app_text(app, "Serial {1}, hash {2}"), 2,
                args);
    lines[n++] = xstrdup(buf);
    if (outcome == TERMINAL_INSTALLED)
        lines[n++] = xstrdup(app_text(app, "The kiosk starts again with "
                                           "this configuration."));
    show(app, title, lines, n, outcome == TERMINAL_INSTALLED, now_ms, out);
}
