/*
 * Self-test checks. Each check is one line so that staff can read the
 * report aloud or compare it with a colleague's; a failure says what to do.
 */
#include "kiosk/selftest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/audit.h"
#include "accessibility/keypad.h"
#include "accessibility/xalloc.h"
#include "kiosk/options.h"
#include "kiosk/staff.h"
#include "kiosk/station_state.h"

#define FONT_DIR "/usr/share/consolefonts"
#define FONT_LARGE "CyrAsia-TerminusBold32x16.psf.gz"

struct report {
    char **v;
    int n;
    int failed;
};

static void report_add(struct report *r, const struct selftest_env *env,
                       const char *tag, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
report_add(struct report *r, const struct selftest_env *env, const char *tag,
           const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *detail = xvasprintf(fmt, ap);
    va_end(ap);
    const char *label = env->i18n ? i18n_text(env->i18n, env->lang, what)
                                  : what;
    r->v = xrealloc(r->v, (size_t)(r->n + 1) * sizeof *r->v);
    r->v[r->n++] = xasprintf("%-4s %s: %s", tag, label, detail);
    free(detail);
    if (strcmp(tag, "FAIL") == 0)
        r->failed++;
}

/* The keypad: its profile, then the device (live state in the kiosk, a
 * probe through libinput from `dauys selftest`). */
static void
selftest_keypad(struct report *r, const struct selftest_env *env)
{
    const struct config *c = env->cfg;
    char path[PATH_MAX], *why = NULL, *name = NULL;
    struct keyprofile *p = NULL;
    if (c->keypad_device[0] == '\0') {
        report_add(r, env, "WARN", N_("keypad"), "no device configured");
        return;
    }
    options_keypad_profile(c, path);
    if (keyprofile_load(path, &p, &why) == 0)
        report_add(r, env, "OK", N_("keypad profile"), "%s (%zu keys)", path,
                   keyprofile_count(p));
    else
        report_add(r, env, "FAIL", N_("keypad profile"), "%s", why);
    keyprofile_free(p);
    free(why);
    why = NULL;
    if (env->keypad_live > 0)
        report_add(r, env, "OK", N_("keypad"), "%s, working", c->keypad_device);
    else if (env->keypad_live < 0)
        report_add(r, env, "FAIL", N_("keypad"), "%s",
                   env->keypad_detail ? env->keypad_detail : "lost");
    else if (keypad_probe(c->keypad_device, &name, &why) == 0)
        report_add(r, env, "OK", N_("keypad"), "%s (%s)", c->keypad_device,
                   name);
    else
        report_add(r, env, "FAIL", N_("keypad"), "%s", why);
    free(name);
    free(why);
}

int
selftest_run(const struct selftest_env *env, char ***lines, int *n_lines)
{
    struct report r = {0};
    const struct config *c = env->cfg;
    struct stat st;

    if (env->cols > 0)
        report_add(&r, env, env->cols >= 80 && env->rows >= 24 ? "OK" : "WARN",
                   N_("terminal"), "%s %dx%d",
                   getenv("TERM") ? getenv("TERM") : "?", env->cols, env->rows);
    else
        report_add(&r, env, isatty(STDOUT_FILENO) ? "OK" : "WARN",
                   N_("terminal"), "%s",
                   isatty(STDOUT_FILENO) ? "present" : "not a terminal");
    if (env->colors >= 0)
        report_add(&r, env, env->colors >= 8 ? "OK" : "FAIL", N_("colours"),
                   "%d", env->colors);
    char font[512];
    snprintf(font, sizeof font, "%s/%s", FONT_DIR, FONT_LARGE);
    report_add(&r, env, access(font, R_OK) == 0 ? "OK" : "FAIL",
               N_("large console font"), "%s", font);
    report_add(&r, env, env->audio_ok ? "OK" : "FAIL", N_("speech"),
               "%s, audio device %s%s%s", env->speech ? env->speech : "?",
               env->audio_ok ? "working" : "missing or failing",
               !env->audio_ok && env->audio_why ? ": " : "",
               !env->audio_ok && env->audio_why ? env->audio_why : "");
    selftest_keypad(&r, env);
    if (c->printer[0] == '\0')
        report_add(&r, env, "WARN", N_("printer"), "not configured");
    else if (strncmp(c->printer, "pdf:", 4) == 0)
        report_add(&r, env, access(c->printer + 4, W_OK) == 0 ? "OK" : "FAIL",
                   N_("printer"), "%s", c->printer);
    else
        report_add(&r, env, access(c->printer, W_OK) == 0 ? "OK" : "FAIL",
                   N_("printer"), "%s", c->printer);
    if (env->data_dir == NULL)
        report_add(&r, env, "FAIL", N_("data directory"), "not found");
    else if (stat(env->data_dir, &st) != 0 || !S_ISDIR(st.st_mode) ||
             access(env->data_dir, W_OK) != 0)
        report_add(&r, env, "FAIL", N_("data directory"), "%s not writable",
                   env->data_dir);
    else
        report_add(&r, env, (st.st_mode & 077) ? "WARN" : "OK",
                   N_("data directory"), "%s%s", env->data_dir,
                   (st.st_mode & 077) ? " (readable by others: chmod 700)"
                                      : "");
    report_add(&r, env, env->i18n ? "OK" : "FAIL", N_("translations"), "%s",
               env->i18n ? "kk ru en" : "not loaded");
    if (env->data_dir != NULL) {
        /* With a terminal configuration the PINs are in it (the kiosk
         * verified it at start); else the file of dauys staff passwd. */
        char *conf = xasprintf("%s/terminal.json", env->data_dir);
        char *path = staff_pin_path(env->data_dir, "admin");
        bool configured = access(conf, R_OK) == 0;
        bool set = configured || access(path, R_OK) == 0;
        report_add(&r, env, set ? "OK" : "WARN", N_("staff PIN"), "%s",
                   configured ? "from the terminal configuration"
                   : set      ? "set"
                              : "not set: dauys staff passwd, or a "
                                "terminal configuration");
        free(conf);
        free(path);
        /* What survives a restart, and the audit trail's head: what staff
         * need when the kiosk came back closed. */
        struct station_state sst;
        char *why = NULL;
        path = station_state_path(env->data_dir);
        int sr = station_state_read(path, &sst, &why);
        if (sr < 0)
            report_add(&r, env, "FAIL", N_("saved state"), "%s", why);
        else if (sr == 1)
            report_add(&r, env, "OK", N_("saved state"), "none yet");
        else
            report_add(&r, env, "OK", N_("saved state"),
                       "voting %s%s, %llu voter sessions, %llu stencils",
                       sst.voting_open ? "open for " : "closed",
                       sst.voting_open ? sst.open_day : "",
                       (unsigned long long)sst.sessions,
                       (unsigned long long)sst.stencils);
        free(why);
        free(path);
        why = NULL;
        path = audit_path(env->data_dir);
        struct audit_head head;
        if (audit_verify(path, &head, &why) == 0)
            report_add(&r, env, "OK", N_("audit log"),
                       "%llu entries, head %.7s", (unsigned long long)head.seq,
                       head.seq > 0 ? head.hash : "-");
        else
            report_add(&r, env, "FAIL", N_("audit log"), "%s", why);
        free(why);
        free(path);
    }
    *lines = r.v;
    *n_lines = r.n;
    return r.failed;
}
