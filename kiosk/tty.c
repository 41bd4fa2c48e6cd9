/*
 * The ncurses terminal (see tty.h).
 *
 * Colours: each layout role gets a colour pair from the view's theme
 * (accessibility/theme.c), set with init_color on the Linux console when
 * it can change colours, else as the nearest of its 8/16/256 colours, the same
 * model the contrast test measures. Selection is also shown by reverse
 * video and the "▶" mark, so it never depends on colour. Text sizes 2-4
 * are drawn with accessibility/bigtext.c: the view is laid out in large
 * characters (layout_build_magnified) and each row is drawn as block
 * characters, so the content reflows instead of scrolling sideways. Resizing:
 * SIGWINCH is blocked and read from the loop's signalfd, so ncurses' own
 * handler never runs; tty_resize() asks the kernel for the size and calls
 * resizeterm(). Crash restoration: the termios found at start is kept in a
 * file-static copy that the signal handler restores with tcsetattr() and
 * write(), both async-signal-safe, after leaving the alternate screen.
 */
#include "kiosk/tty.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "accessibility/bigtext.h"
#include "accessibility/keymap.h"
#include "accessibility/theme.h"
#include "accessibility/xalloc.h"
#include "kiosk/layout.h"
#include "kiosk/log.h"

struct tty {
    bool open;
    int cols, rows;
    struct bigtext *bt; /* NULL: the large fonts are missing */
    int theme;          /* the theme whose colours are set; -1: none yet */
};

/* For tty_emergency_restore() only: a signal handler cannot reach the
 * tty object safely. */
static struct termios saved_termios;
static volatile sig_atomic_t saved_valid;

static const char restore_seq[] = "\033[0m\033[?25h\033[?1049l\r\n";

/* Colour pair of a theme role: role + 1 (pair 0 is the terminal's own). */
#define PAIR_OF(role) ((short)((role) + 1))

/* Whether init_color really changes what is shown. Terminal emulators and
 * tmux often announce the capability (xterm-256color has initc) but ignore
 * the palette change, which would leave every theme in whatever colours
 * slots 16-27 happen to have: so colours are redefined only on the Linux
 * console, which honours it; elsewhere the nearest palette colours are
 * used, whose contrast the theme test measures as well. */
static bool
tty_can_change(void)
{
    const char *term = getenv("TERM");
    return can_change_color() && term != NULL && strncmp(term, "linux", 5) == 0;
}

/* Sets the colours of theme INDEX, unless they are set already. */
static void
tty_theme(struct tty *t, int index)
{
    const struct theme *th = theme_at((size_t)index);
    if (!has_colors() || th == NULL || t->theme == index)
        return;
    t->theme = index;
    struct theme_palette pal;
    theme_palette_init(&pal, theme_palette_pick(COLORS, tty_can_change()));
    /* Colour slots for init_color: above the 16 ANSI colours when there
     * are enough, else the first ones (the kiosk owns its terminal). */
    short base = COLORS >= 16 + 2 * THEME_ROLES ? 16 : 0;
    for (int r = 0; r < THEME_ROLES; r++) {
        struct rgb fg = th->role[r].fg, bg = th->role[r].bg;
        if (r == THEME_SELECTED) { /* drawn with A_REVERSE */
            struct rgb x = fg;
            fg = bg;
            bg = x;
        }
        short f, b;
        if (pal.kind == THEME_PALETTE_TRUE) {
            f = (short)(base + 2 * r);
            b = (short)(f + 1);
            init_color(f, theme_curses_level(fg.r), theme_curses_level(fg.g),
                       theme_curses_level(fg.b));
            init_color(b, theme_curses_level(bg.r), theme_curses_level(bg.g),
                       theme_curses_level(bg.b));
        } else {
            f = (short)theme_nearest(&pal, fg);
            b = (short)theme_nearest(&pal, bg);
        }
        init_pair(PAIR_OF(r), f, b);
    }
    bkgdset((chtype)COLOR_PAIR(PAIR_OF(THEME_NORMAL)));
}

struct tty *
tty_open(char **why)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        *why = xstrdup("the kiosk needs a terminal on standard input and "
                       "output");
        return NULL;
    }
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0)
        saved_valid = 1;
    if (getenv("ESCDELAY") == NULL)
        set_escdelay(25);
    if (initscr() == NULL) {
        *why = xstrdup("cannot start the terminal interface; check TERM");
        return NULL;
    }
    struct tty *t = xcalloc(1, sizeof *t);
    t->open = true;
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    curs_set(0);
    t->theme = -1;
    if (has_colors())
        start_color();
    tty_theme(t, 0);
    getmaxyx(stdscr, t->rows, t->cols);
    char *bwhy = NULL;
    if (bigtext_new(NULL, BIGTEXT_HALF, &t->bt, &bwhy) < 0) {
        log_warn("large text is not available: %s", bwhy);
        free(bwhy);
        t->bt = NULL;
    }
    return t;
}

void
tty_close(struct tty *t)
{
    if (t == NULL)
        return;
    if (t->open) {
        endwin();
        t->open = false;
    }
    if (saved_valid)
        tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
    bigtext_free(t->bt);
    free(t);
}

void
tty_emergency_restore(void)
{
    ssize_t r = write(STDOUT_FILENO, restore_seq, sizeof restore_seq - 1);
    (void)r;
    if (saved_valid)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
}

int
tty_fd(const struct tty *t)
{
    (void)t;
    return STDIN_FILENO;
}

/* The curses function keys the kiosk tells apart; any other is
 * TERM_KEY_OTHER. */
static const struct {
    int curses;
    enum term_key term;
} tty_keys[] = {
    {KEY_UP, TERM_KEY_UP},       {KEY_DOWN, TERM_KEY_DOWN},
    {KEY_LEFT, TERM_KEY_LEFT},   {KEY_RIGHT, TERM_KEY_RIGHT},
    {KEY_ENTER, TERM_KEY_ENTER}, {KEY_BACKSPACE, TERM_KEY_BACKSPACE},
    {KEY_F(1), TERM_KEY_F1},     {KEY_F(2), TERM_KEY_F2},
    {KEY_F(10), TERM_KEY_F10},
};

static struct key
tty_translate(int rc, wint_t ch, bool *ctrl_quit)
{
    *ctrl_quit = false;
    if (rc == KEY_CODE_YES) {
        for (size_t i = 0; i < sizeof tty_keys / sizeof tty_keys[0]; i++)
            if ((wint_t)tty_keys[i].curses == ch)
                return keymap_keyboard(tty_keys[i].term, 0);
        return keymap_keyboard(TERM_KEY_OTHER, 0);
    }
    /* Ctrl-C, Ctrl-\ and Ctrl-Z: raw mode delivers them as characters. */
    if (ch == 0x03 || ch == 0x1c || ch == 0x1a) {
        *ctrl_quit = ch != 0x1a;
        return keymap_keyboard(TERM_KEY_OTHER, 0);
    }
    return keymap_keyboard(TERM_KEY_CHAR, (unsigned int)ch);
}

int
tty_read_key(struct tty *t, struct key *k, bool *ctrl_quit)
{
    (void)t;
    wint_t ch;
    int rc = get_wch(&ch);
    if (rc == ERR)
        return 0;
    if (rc == KEY_CODE_YES && ch == KEY_RESIZE)
        return 0;
    *k = tty_translate(rc, ch, ctrl_quit);
    return 1;
}

void
tty_resize(struct tty *t)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 &&
        ws.ws_row > 0)
        resizeterm(ws.ws_row, ws.ws_col);
    getmaxyx(stdscr, t->rows, t->cols);
    clearok(curscr, TRUE);
}

void
tty_size(const struct tty *t, int *cols, int *rows)
{
    *cols = t->cols;
    *rows = t->rows;
}

static attr_t
role_attr(enum layout_role role, short *pair)
{
    switch (role) {
    case ROLE_TITLE:
        *pair = PAIR_OF(THEME_HEADING);
        return A_BOLD | A_UNDERLINE;
    case ROLE_SELECTED:
        /* Never bold: on the Linux console bold brightens the (dark)
         * foreground, which turned black text on the bar to grey (seen on
         * the appliance's screendump: about 3:1). */
        *pair = PAIR_OF(THEME_SELECTED);
        return A_REVERSE;
    case ROLE_BIG:
    case ROLE_ENTRY:
        *pair = PAIR_OF(THEME_HEADING);
        return A_BOLD;
    case ROLE_NOTICE:
        *pair = PAIR_OF(THEME_NOTICE);
        return A_NORMAL;
    case ROLE_HINT:
    case ROLE_MORE:
        *pair = PAIR_OF(THEME_HINT);
        return A_NORMAL;
    case ROLE_MARKER:
        *pair = PAIR_OF(THEME_TESTMODE);
        return A_NORMAL;
    default:
        *pair = PAIR_OF(THEME_NORMAL);
        return A_NORMAL;
    }
}

/* Draws the LEN bytes of TEXT (-1: up to its NUL) at row Y, column X in
 * the colours of ROLE; a selected row or a notice is filled to the edge
 * first, so it reads as a bar. */
static void
tty_draw_n(struct tty *t, int y, int x, enum layout_role role, const char *text,
           int len)
{
    short pair;
    attr_t a = role_attr(role, &pair);
    attr_set(a, has_colors() ? pair : 0, NULL);
    if (role == ROLE_SELECTED || role == ROLE_NOTICE)
        mvhline(y, 0, ' ', t->cols);
    mvaddnstr(y, x > 0 ? x : 0, text, len);
    attr_set(A_NORMAL, has_colors() ? PAIR_OF(THEME_NORMAL) : 0, NULL);
}

static void
tty_draw(struct tty *t, int y, int x, enum layout_role role, const char *text)
{
    tty_draw_n(t, y, x, role, text, -1);
}

struct tty_line_ctx {
    struct tty *t;
    int y;
    enum layout_role role;
};

/* Draws one wrapped line: ROLE_MARKER at the right edge, others at the
 * left. */
static void
tty_line(void *ctx, const char *line, size_t len)
{
    struct tty_line_ctx *c = ctx;
    int x = 0;
    if (c->role == ROLE_MARKER) {
        char buf[LAYOUT_ROW_MAX];
        snprintf(buf, sizeof buf, "%.*s", (int)len, line);
        x = c->t->cols - layout_width(buf);
    }
    tty_draw_n(c->t, c->y++, x, c->role, line, (int)len);
}

/* The marker over large text or the curtain, from the top right, wrapped
 * so that no row is wider than the screen. */
static void
tty_draw_marker(struct tty *t, const char *marker)
{
    struct tty_line_ctx lc = {t, 0, ROLE_MARKER};
    layout_wrap(marker, t->cols, tty_line, &lc);
}

/* The text size to draw at: SIZE, or the largest below it that leaves
 * room for the minimum of large characters. */
static int
tty_fit_size(const struct tty *t, int size, int *lcols, int *lrows)
{
    for (; size > 1; size--) {
        size_t cw = bigtext_char_cols(t->bt, size);
        size_t ch = bigtext_char_rows(t->bt, size);
        if (t->bt == NULL || cw == 0 || ch == 0)
            continue;
        *lcols = t->cols / (int)cw;
        *lrows = t->rows / (int)ch;
        if (*lcols >= LAYOUT_MAG_MIN_COLS && *lrows >= LAYOUT_MAG_MIN_ROWS)
            return size;
    }
    return 1;
}

static void
tty_render_magnified(struct tty *t, const struct view *v, int size, int lcols,
                     int lrows)
{
    struct layout l;
    layout_build_magnified(v, lcols, lrows, &l);
    int ch = (int)bigtext_char_rows(t->bt, size);
    for (int y = 0; y < l.height; y++) {
        const struct layout_row *row = &l.rows[y];
        if (row->text[0] == '\0')
            continue;
        struct bigtext_lines lines;
        char *why = NULL;
        if (bigtext_layout(t->bt, size, row->text, (size_t)t->cols, &lines,
                           &why) < 0) {
            free(why);
            continue;
        }
        for (size_t i = 0; i < lines.count && i < (size_t)ch; i++)
            tty_draw(t, y * ch + (int)i, 0, row->role, lines.line[i]);
        bigtext_lines_free(&lines);
    }
    layout_free(&l);
}

void
tty_render(struct tty *t, const struct view *v, const struct tty_texts *tx)
{
    tty_theme(t, v->theme);
    erase();
    bool marker = v->test_mode || v->no_audio;
    if (v->curtain) {
        /* Nothing of the screen shows; speech goes on. */
        struct tty_line_ctx lc = {t, t->rows / 3, ROLE_TEXT};
        layout_wrap(tx->curtain, t->cols, tty_line, &lc);
        if (marker)
            tty_draw_marker(t, tx->marker);
        refresh();
        return;
    }
    int lcols = 0, lrows = 0;
    int size = tty_fit_size(t, v->text_size, &lcols, &lrows);
    if (size > 1) {
        tty_render_magnified(t, v, size, lcols, lrows);
        if (marker)
            tty_draw_marker(t, tx->marker);
        refresh();
        return;
    }
    struct layout l;
    layout_build(v, t->cols, t->rows, tx->marker, tx->too_small, &l);
    for (int y = 0; y < l.height; y++) {
        const struct layout_row *row = &l.rows[y];
        if (row->text[0] == '\0')
            continue;
        tty_draw(t, y,
                 row->role == ROLE_MARKER ? t->cols - layout_width(row->text)
                                          : 0,
                 row->role, row->text);
    }
    layout_free(&l);
    refresh();
}

int
tty_max_text_size(const struct tty *t)
{
    return t->bt != NULL ? BIGTEXT_MAX_SIZE : 1;
}

int
tty_colors(const struct tty *t, bool *can_change)
{
    (void)t;
    *can_change = tty_can_change();
    return has_colors() ? COLORS : 0;
}
