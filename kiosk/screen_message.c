/*
 * A message: a title and a few paragraphs, already translated by whoever
 * opens it. Enter or Escape closes it. Used for "not available" answers and
 * for the report of the health check.
 */
#include "kiosk/screen.h"

#include <stdlib.h>

#include "accessibility/xalloc.h"

#define MESSAGE_LINES_MAX 32

struct message {
    char *title;
    char *lines[MESSAGE_LINES_MAX];
    int n;
};

static void
message_view(const struct screen *s, const struct ctx *c, struct view *v)
{
    const struct message *m = s->state;
    view_title(v, "%s", m->title);
    for (int i = 0; i < m->n; i++)
        view_add(v, VIEW_TEXT, "%s", m->lines[i]);
    view_hint(v, "%s", T(c, "{select} or {back}: back   {repeat}: repeat"));
}

static void
message_release(void *state)
{
    struct message *m = state;
    free(m->title);
    for (int i = 0; i < m->n; i++)
        free(m->lines[i]);
}

static const struct screen_ops message_ops = {
    .name = "message",
    .help = N_("Press {select} or {back} to go back."),
    .view = message_view,
    .choose = screen_choose_close,
    .release = message_release,
};

struct screen *
screen_message_new(const char *title, const char *const *lines, int n_lines)
{
    struct message *m = xcalloc(1, sizeof *m);
    m->title = xstrdup(title);
    for (int i = 0; i < n_lines && i < MESSAGE_LINES_MAX; i++)
        m->lines[m->n++] = xstrdup(lines[i]);
    return screen_new(&message_ops, m);
}
