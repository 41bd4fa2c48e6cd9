/*
 * The ncurses terminal (see tty.h).
 *
 * Colours: each layout role gets a colour pair; selection is also shown by
 * reverse video and the "▶" mark, so it never depends on colour. Resizing:
 * SIGWINCH is blocked and read from the loop's signalfd, so ncurses' own
 * handler never runs; tty_resize() asks the kernel for the size and calls
 * resizeterm(). Crash restoration: the termios found at start is kept in a
 * file-static copy that the signal handler restores with tcsetattr() and
 * write(), both async-signal-safe, after leaving the alternate screen.
 */
#include "kiosk/tty.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "accessibility/keymap.h"
#include "accessibility/xalloc.h"
#include "kiosk/layout.h"

struct tty {
    bool open;
    int cols, rows;
};

/* For tty_emergency_restore() only: a signal handler cannot reach the
 * tty object safely. */
static struct termios saved_termios;
static volatile sig_atomic_t saved_valid;

static const char restore_seq[] = "\033[0m\033[?25h\033[?1049l\r\n";

enum pair {
    PAIR_TEXT = 1,
    PAIR_TITLE,
    PAIR_SELECTED,
    PAIR_NOTICE,
    PAIR_HINT,
    PAIR_MARKER,
};

static void
tty_colours(void)
{
    if (!has_colors())
        return;
    start_color();
    init_pair(PAIR_TEXT, COLOR_WHITE, COLOR_BLACK);
    init_pair(PAIR_TITLE, COLOR_YELLOW, COLOR_BLACK);
    init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_YELLOW);
    init_pair(PAIR_NOTICE, COLOR_BLACK, COLOR_WHITE);
    init_pair(PAIR_HINT, COLOR_CYAN, COLOR_BLACK);
    init_pair(PAIR_MARKER, COLOR_BLACK, COLOR_RED);
    bkgd((chtype)COLOR_PAIR(PAIR_TEXT));
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
    tty_colours();
    getmaxyx(stdscr, t->rows, t->cols);
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

static struct key
tty_translate(int rc, wint_t ch, bool *ctrl_quit)
{
    *ctrl_quit = false;
    if (rc == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP:
            return keymap_keyboard(TERM_KEY_UP, 0);
        case KEY_DOWN:
            return keymap_keyboard(TERM_KEY_DOWN, 0);
        case KEY_LEFT:
            return keymap_keyboard(TERM_KEY_LEFT, 0);
        case KEY_RIGHT:
            return keymap_keyboard(TERM_KEY_RIGHT, 0);
        case KEY_ENTER:
            return keymap_keyboard(TERM_KEY_ENTER, 0);
        case KEY_BACKSPACE:
            return keymap_keyboard(TERM_KEY_BACKSPACE, 0);
        case KEY_F(1):
            return keymap_keyboard(TERM_KEY_F1, 0);
        case KEY_F(2):
            return keymap_keyboard(TERM_KEY_F2, 0);
        case KEY_F(10):
            return keymap_keyboard(TERM_KEY_F10, 0);
        default:
            return keymap_keyboard(TERM_KEY_OTHER, 0);
        }
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
        *pair = PAIR_TITLE;
        return A_BOLD | A_UNDERLINE;
    case ROLE_SELECTED:
        *pair = PAIR_SELECTED;
        return A_BOLD | A_REVERSE;
    case ROLE_BIG:
    case ROLE_ENTRY:
        *pair = PAIR_TITLE;
        return A_BOLD;
    case ROLE_NOTICE:
        *pair = PAIR_NOTICE;
        return A_BOLD;
    case ROLE_HINT:
        *pair = PAIR_HINT;
        return A_NORMAL;
    case ROLE_MARKER:
        *pair = PAIR_MARKER;
        return A_BOLD | A_REVERSE;
    default:
        *pair = PAIR_TEXT;
        return A_NORMAL;
    }
}

void
tty_render(struct tty *t, const struct view *v, const char *marker,
           const char *too_small)
{
    struct layout l;
    layout_build(v, t->cols, t->rows, marker, too_small, &l);
    erase();
    for (int y = 0; y < l.height; y++) {
        const struct layout_row *row = &l.rows[y];
        if (row->text[0] == '\0')
            continue;
        short pair;
        attr_t a = role_attr(row->role, &pair);
        attr_set(a, has_colors() ? pair : 0, NULL);
        /* The selected row is filled to the edge so it reads as a bar. */
        if (row->role == ROLE_SELECTED || row->role == ROLE_NOTICE)
            mvhline(y, 0, ' ', t->cols);
        int x = row->role == ROLE_MARKER
                    ? t->cols - layout_width(row->text)
                    : 0;
        mvaddnstr(y, x > 0 ? x : 0, row->text, -1);
        attr_set(A_NORMAL, has_colors() ? PAIR_TEXT : 0, NULL);
    }
    layout_free(&l);
    refresh();
}

int
tty_colors(const struct tty *t, bool *can_change)
{
    (void)t;
    *can_change = can_change_color();
    return has_colors() ? COLORS : 0;
}
