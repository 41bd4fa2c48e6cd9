/*
 * Keypad card layout (see keycard_layout.h). The page is filled top to
 * bottom in two columns: the card and, below it, the key labels on the
 * left; the legend on the right. The page keeps its A3 size unless a part
 * needs more, so that the usual numpad sheet prints on A3 swell paper.
 *
 * Braille is wrapped at blank cells only (a word is never split unless it
 * is longer than a line), so that a card's lines joined with one blank
 * cell each give back the cells of its whole text: that is how the tests
 * read the card back through liblouis.
 */
#include "ballot/keycard_layout.h"

#include <linux/input-event-codes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accessibility/xalloc.h"
#include "ballot/braille.h"
#include "ballot/braille_louis.h"

const char *const keycard_langs[KEYCARD_N_LANGS] = {"kk", "ru"};

/* Written for this card, short, without commas, colons or brackets:
 * liblouis's Russian table writes no blank after a comma, and Kazakh
 * Braille gives brackets the cells of ө and ә. */
static const char *const card_texts[KEYCARD_N_LANGS] = {
    "Бұл сайлауға және әлеуметтік қызметтерге арналған сөйлейтін "
    "терминал. Нұсқауды тыңдау үшін кез келген пернені басыңыз.",
    "Это говорящий терминал для выборов и социальных услуг. Нажмите "
    "любую клавишу и прослушайте инструкцию.",
};

struct word {
    enum action action;
    const char *w[KEYCARD_N_LANGS];
};

static const struct word words[] = {
    {ACTION_UP, {"жоғары", "вверх"}},
    {ACTION_DOWN, {"төмен", "вниз"}},
    {ACTION_LEFT, {"солға", "влево"}},
    {ACTION_RIGHT, {"оңға", "вправо"}},
    {ACTION_SELECT, {"таңдау", "выбор"}},
    {ACTION_BACK, {"артқа", "назад"}},
    {ACTION_DELETE, {"өшіру", "стереть"}},
    {ACTION_HELP, {"көмек", "помощь"}},
    {ACTION_REPEAT, {"қайталау", "повтор"}},
    {ACTION_VOLUME_UP, {"қаттырақ", "громче"}},
    {ACTION_VOLUME_DOWN, {"ақырын", "тише"}},
    {ACTION_FASTER, {"жылдам", "быстрее"}},
    {ACTION_SLOWER, {"баяу", "медленнее"}},
    {ACTION_LANGUAGE, {"тіл", "язык"}},
    {ACTION_PAUSE, {"үзіліс", "пауза"}},
    {ACTION_THEME, {"түс", "цвет"}},
    {ACTION_TEXT_SIZE, {"өлшем", "размер"}},
    {ACTION_CURTAIN, {"перде", "шторка"}},
};

/* A numeric keypad, in key units from its top-left corner. */
struct pad_key {
    unsigned code;
    double col, row, w, h;
    const char *print; /* what is printed on the key */
};

static const struct pad_key pad[] = {
    {KEY_NUMLOCK, 0, 0, 1, 1, "Num"},   {KEY_KPSLASH, 1, 0, 1, 1, "/"},
    {KEY_KPASTERISK, 2, 0, 1, 1, "*"},  {KEY_KPMINUS, 3, 0, 1, 1, "-"},
    {KEY_KP7, 0, 1, 1, 1, "7"},         {KEY_KP8, 1, 1, 1, 1, "8"},
    {KEY_KP9, 2, 1, 1, 1, "9"},         {KEY_KPPLUS, 3, 1, 1, 2, "+"},
    {KEY_KP4, 0, 2, 1, 1, "4"},         {KEY_KP5, 1, 2, 1, 1, "5"},
    {KEY_KP6, 2, 2, 1, 1, "6"},         {KEY_KP1, 0, 3, 1, 1, "1"},
    {KEY_KP2, 1, 3, 1, 1, "2"},         {KEY_KP3, 2, 3, 1, 1, "3"},
    {KEY_KPENTER, 3, 3, 1, 2, "Enter"}, {KEY_KP0, 0, 4, 2, 1, "0"},
    {KEY_KPDOT, 2, 4, 1, 1, "."},
};
#define N_PAD (sizeof pad / sizeof pad[0])
_Static_assert(N_PAD == KEYCARD_PAD_KEYS, "the numeric keypad's keys");
#define PAD_COLS 4

static const struct pad_key *
pad_key(unsigned code)
{
    for (size_t i = 0; i < N_PAD; i++)
        if (pad[i].code == code)
            return &pad[i];
    return NULL;
}

/* What is printed on key CODE: the keypad's legend, else the evdev name
 * without KEY_. Static. */
static const char *
key_print(unsigned code)
{
    const struct pad_key *k = pad_key(code);
    if (k != NULL)
        return k->print;
    const char *id = keyprofile_code_name(code);
    if (id == NULL)
        return "?";
    return strncmp(id, "KEY_", 4) == 0 ? id + 4 : id;
}

const char *
keycard_card_text(const char *lang)
{
    for (size_t k = 0; k < KEYCARD_N_LANGS; k++)
        if (lang != NULL && strcmp(lang, keycard_langs[k]) == 0)
            return card_texts[k];
    return NULL;
}

const char *
keycard_word(enum action action, const char *lang)
{
    for (size_t k = 0; k < KEYCARD_N_LANGS; k++) {
        if (lang == NULL || strcmp(lang, keycard_langs[k]) != 0)
            continue;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
            if (words[i].action == action)
                return words[i].w[k];
    }
    return NULL;
}

static struct keycard_braille *
braille_add(struct keycard_layout *l, const char *lang, const uint8_t *cells,
            size_t n, double x, double y)
{
    l->braille = xrealloc(l->braille, (l->n_braille + 1) * sizeof *l->braille);
    struct keycard_braille *b = &l->braille[l->n_braille++];
    memset(b, 0, sizeof *b);
    b->lang = lang;
    b->cells = xmalloc(n + 1);
    memcpy(b->cells, cells, n);
    b->n = n;
    b->x = x;
    b->y = y;
    return b;
}

/* Adds a print line; TEXT is taken over. */
static void
text_add(struct keycard_layout *l, char *text, enum sheet_font font,
         double size, double x, double y)
{
    l->texts = xrealloc(l->texts, (l->n_texts + 1) * sizeof *l->texts);
    l->texts[l->n_texts++] = (struct keycard_text){text, font, size, x, y};
}

/* The length of the next Braille line of at most CAP cells from CELLS[AT],
 * ending before a blank cell; *NEXT is where the line after it starts. */
static size_t
braille_wrap(const uint8_t *cells, size_t n, size_t at, size_t cap,
             size_t *next)
{
    if (n - at <= cap) {
        *next = n;
        return n - at;
    }
    for (size_t k = at + cap; k > at; k--) {
        if (cells[k] == 0) {
            size_t after = k;
            while (after < n && cells[after] == 0)
                after++;
            *next = after;
            return k - at;
        }
    }
    *next = at + cap;
    return cap;
}

/* Splits TEXT at spaces into lines no wider than MAX_W and adds them,
 * baselines LINE apart from Y (the first line's top); returns the y below
 * the last line. */
static double
print_wrapped(struct keycard_layout *l, struct sheet_measure *m,
              const char *text, enum sheet_font font, double size, double line,
              double x, double y, double max_w)
{
    const char *p = text;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        size_t best = 0;
        for (size_t k = 0;; k++) {
            if (p[k] == ' ' || p[k] == '\0') {
                char *try = xstrndup(p, k);
                double w = sheet_text_width(m, font, size, try);
                free(try);
                if (w > max_w && best > 0)
                    break;
                best = k;
                if (w > max_w || p[k] == '\0')
                    break;
            }
        }
        text_add(l, xstrndup(p, best), font, size, x, y + 0.78 * line);
        y += line;
        p += best;
    }
    return y;
}

/* Lays out the card from its top-left corner (X, Y); sets l->card. */
static int
layout_card(struct keycard_layout *l, struct sheet_measure *m, double x,
            double y, char **why)
{
    double inner = KEYCARD_CARD_W_MM - 2 * KEYCARD_CARD_PAD_MM;
    size_t cap = (size_t)floor((inner - BRAILLE_CELL_WIDTH_MM) /
                               BRAILLE_CELL_PITCH_MM) +
                 1;
    double tx = x + KEYCARD_CARD_PAD_MM;
    double cy = y + KEYCARD_CARD_PAD_MM;
    for (size_t k = 0; k < KEYCARD_N_LANGS; k++) {
        const char *lang = keycard_langs[k];
        uint8_t *cells = NULL;
        size_t n = 0;
        l->card_text[k] = card_texts[k];
        if (braille_louis_translate(lang, card_texts[k], &cells, &n, why) != 0)
            return -1;
        l->card_first[k] = l->n_braille;
        for (size_t at = 0, line = 1; at < n; line++) {
            size_t next;
            size_t len = braille_wrap(cells, n, at, cap, &next);
            struct keycard_braille *b = braille_add(
                l, lang, cells + at, len, tx + BRAILLE_DOT_DIAMETER_MM / 2,
                cy + BRAILLE_DOT_DIAMETER_MM / 2);
            (void)snprintf(b->id, sizeof b->id, "braille-card-%s-%zu", lang,
                           line);
            cy += KEYCARD_BRAILLE_LINE_MM;
            at = next;
        }
        l->card_count[k] = l->n_braille - l->card_first[k];
        free(cells);
        cy = print_wrapped(l, m, card_texts[k], SHEET_FONT_SANS_BOLD,
                           KEYCARD_PRINT_SIZE_MM, KEYCARD_PRINT_LINE_MM, tx, cy,
                           inner);
        cy += KEYCARD_BRAILLE_LINE_MM / 2;
    }
    double h = cy - KEYCARD_BRAILLE_LINE_MM / 2 + KEYCARD_CARD_PAD_MM - y;
    l->card = (struct keycard_rect){x, y, KEYCARD_CARD_W_MM,
                                    fmax(h, KEYCARD_CARD_MIN_H_MM)};
    l->corner_cut = KEYCARD_CORNER_CUT_MM;
    return 0;
}

static int
has_symbol(enum action a)
{
    struct tactile_symbol s;
    return tactile_symbol(a, 0, 0, 1, &s) == 0;
}

/* Lays out the key labels with the keypad's top-left corner at (X, Y). */
static void
layout_labels(struct keycard_layout *l, const struct keyprofile *p, double x,
              double y)
{
    double pitch = l->pitch;
    size_t loose = 0;
    l->grid = (struct keycard_rect){x, y, PAD_COLS * pitch,
                                    KEYCARD_GRID_ROWS * pitch};
    size_t n = keyprofile_count(p);
    l->labels = xcalloc(n + 1, sizeof *l->labels);
    for (size_t i = 0; i < n; i++) {
        unsigned code;
        struct key k = keyprofile_binding(p, i, &code);
        if (!has_symbol(k.action))
            continue;
        struct keycard_label *lb = &l->labels[l->n_labels++];
        const struct pad_key *pk = pad_key(code);
        lb->code = code;
        lb->key_id = keyprofile_code_name(code);
        if (pk != NULL) {
            lb->on_keypad = 1;
            lb->cell = (struct keycard_rect){x + pk->col * pitch,
                                             y + pk->row * pitch, pk->w * pitch,
                                             pk->h * pitch};
        } else {
            /* After the keypad, one empty column between. */
            size_t column = loose / KEYCARD_GRID_ROWS; /* whole columns */
            double col = PAD_COLS + 1 + (double)column;
            double row = (double)(loose % KEYCARD_GRID_ROWS);
            lb->cell = (struct keycard_rect){x + col * pitch, y + row * pitch,
                                             pitch, pitch};
            loose++;
        }
        double in = KEYCARD_LABEL_INSET_MM;
        lb->cut = (struct keycard_rect){lb->cell.x + in, lb->cell.y + in,
                                        lb->cell.w - 2 * in,
                                        lb->cell.h - 2 * in};
        double side = fmin(KEYCARD_SYMBOL_MM,
                           fmin(lb->cut.w, lb->cut.h) - 2 * in / 2);
        (void)tactile_symbol(k.action, lb->cut.x + lb->cut.w / 2,
                             lb->cut.y + lb->cut.h / 2, side, &lb->symbol);
        if (lb->on_keypad && l->n_pad_keys == 0) {
            for (size_t j = 0; j < N_PAD; j++)
                l->pad_keys[j] = (struct keycard_rect){x + pad[j].col * pitch,
                                                       y + pad[j].row * pitch,
                                                       pad[j].w * pitch,
                                                       pad[j].h * pitch};
            l->n_pad_keys = N_PAD;
        }
    }
}

/* The keys bound to ACTION, as printed on them ("5, Enter"). */
static char *
keys_of(const struct keyprofile *p, enum action a)
{
    char *s = NULL;
    for (size_t i = 0; i < keyprofile_count(p); i++) {
        unsigned code;
        if (keyprofile_binding(p, i, &code).action != a)
            continue;
        char *t = s == NULL ? xstrdup(key_print(code))
                            : xasprintf("%s, %s", s, key_print(code));
        free(s);
        s = t;
    }
    return s;
}

/* Lays out the legend from (X, Y); returns its right edge and sets
 * *BOTTOM. */
static int
layout_legend(struct keycard_layout *l, const struct keyprofile *p,
              struct sheet_measure *m, double x, double y, double *right,
              double *bottom, char **why)
{
    size_t n = keyprofile_count(p);
    l->rows = xcalloc(n + 1, sizeof *l->rows);
    for (size_t i = 0; i < n; i++) {
        unsigned code;
        enum action a = keyprofile_binding(p, i, &code).action;
        if (!has_symbol(a))
            continue;
        int seen = 0;
        for (size_t r = 0; r < l->n_rows && !seen; r++)
            seen = l->rows[r].action == a;
        if (!seen)
            l->rows[l->n_rows++].action = a;
    }
    /* The widest word of each language sets its column. */
    size_t widest[KEYCARD_N_LANGS] = {0};
    for (size_t r = 0; r < l->n_rows; r++) {
        struct keycard_row *row = &l->rows[r];
        double top = y + KEYCARD_SMALL_SIZE_MM * 2 +
                     (double)r * KEYCARD_LEGEND_ROW_MM;
        (void)tactile_symbol(row->action, x + KEYCARD_LEGEND_SYMBOL_MM / 2,
                             top + KEYCARD_LEGEND_SYMBOL_MM / 2,
                             KEYCARD_LEGEND_SYMBOL_MM, &row->symbol);
        for (size_t k = 0; k < KEYCARD_N_LANGS; k++) {
            uint8_t *cells = NULL;
            size_t nc = 0;
            const char *w = keycard_word(row->action, keycard_langs[k]);
            if (w == NULL) {
                *why = xasprintf("no %s word for the action %s",
                                 keycard_langs[k], action_id(row->action));
                return -1;
            }
            if (braille_louis_translate(keycard_langs[k], w, &cells, &nc,
                                        why) != 0)
                return -1;
            row->braille[k] = l->n_braille;
            struct keycard_braille *b = braille_add(
                l, keycard_langs[k], cells, nc, 0,
                top + (KEYCARD_LEGEND_SYMBOL_MM - BRAILLE_CELL_HEIGHT_MM) / 2 +
                    BRAILLE_DOT_DIAMETER_MM / 2);
            (void)snprintf(b->id, sizeof b->id, "braille-word-%s-%s",
                           action_id(row->action), keycard_langs[k]);
            if (nc > widest[k])
                widest[k] = nc;
            free(cells);
        }
    }
    double col = x + KEYCARD_LEGEND_SYMBOL_MM + 4;
    for (size_t k = 0; k < KEYCARD_N_LANGS; k++) {
        for (size_t r = 0; r < l->n_rows; r++)
            l->braille[l->rows[r].braille[k]].x = col +
                                                  BRAILLE_DOT_DIAMETER_MM / 2;
        col += (double)widest[k] * BRAILLE_CELL_PITCH_MM + 4;
    }
    double far = col;
    text_add(l, xstrdup("Legend: symbol, Braille word kk, ru; keys"),
             SHEET_FONT_SANS, KEYCARD_SMALL_SIZE_MM, x,
             y + KEYCARD_SMALL_SIZE_MM);
    for (size_t r = 0; r < l->n_rows; r++) {
        const struct keycard_row *row = &l->rows[r];
        char *keys = keys_of(p, row->action);
        char *t = xasprintf("%s / %s: %s",
                            keycard_word(row->action, keycard_langs[0]),
                            keycard_word(row->action, keycard_langs[1]), keys);
        free(keys);
        double top = y + KEYCARD_SMALL_SIZE_MM * 2 +
                     (double)r * KEYCARD_LEGEND_ROW_MM;
        far = fmax(far, col + sheet_text_width(m, SHEET_FONT_SANS,
                                               KEYCARD_SMALL_SIZE_MM, t));
        text_add(l, t, SHEET_FONT_SANS, KEYCARD_SMALL_SIZE_MM, col,
                 top + KEYCARD_LEGEND_SYMBOL_MM / 2 +
                     KEYCARD_SMALL_SIZE_MM * 0.36);
    }
    *right = far;
    *bottom = y + KEYCARD_SMALL_SIZE_MM * 2 +
              (double)l->n_rows * KEYCARD_LEGEND_ROW_MM;
    return 0;
}

int
keycard_layout_new(const struct keyprofile *p, const char *name,
                   struct keycard_layout **out, char **why)
{
    struct keycard_layout *l = xcalloc(1, sizeof *l);
    struct sheet_measure m;
    if (sheet_measure_open(&m, why) != 0) {
        free(l);
        return -1;
    }
    double M = KEYCARD_MARGIN_MM;
    l->pitch = keyprofile_pitch_mm(p);
    if (layout_card(l, &m, M, M, why) != 0)
        goto fail;
    double hy = l->card.y + l->card.h + M;
    char pitch[32];
    text_add(l,
             xasprintf("Key labels, profile %s, key pitch %s mm: cut "
                       "each label and stick it on its key",
                       name, sheet_num(pitch, l->pitch)),
             SHEET_FONT_SANS, KEYCARD_SMALL_SIZE_MM, M,
             hy + KEYCARD_SMALL_SIZE_MM);
    layout_labels(l, p, M, hy + 2 * KEYCARD_SMALL_SIZE_MM);
    if (l->n_labels == 0) {
        *why = xasprintf("the profile %s binds no function key, so there is "
                         "no label to make",
                         name);
        goto fail;
    }
    double right = l->card.x + l->card.w, bottom = l->card.y + l->card.h;
    for (size_t i = 0; i < l->n_labels; i++) {
        right = fmax(right, l->labels[i].cell.x + l->labels[i].cell.w);
        bottom = fmax(bottom, l->labels[i].cell.y + l->labels[i].cell.h);
    }
    bottom = fmax(bottom, l->grid.y + l->grid.h);
    double lright, lbottom;
    if (layout_legend(l, p, &m, right + M, M, &lright, &lbottom, why) != 0)
        goto fail;
    l->scale_x = right + M;
    l->scale_y = lbottom + M;
    text_add(l,
             xstrdup("50 mm: check the scale (print at 100 %, no fitting "
                     "to the page)"),
             SHEET_FONT_SANS, KEYCARD_SMALL_SIZE_MM, l->scale_x,
             l->scale_y + 2 + KEYCARD_SMALL_SIZE_MM);
    l->page_w = fmax(KEYCARD_PAGE_MIN_W_MM, ceil(fmax(lright, right) + M));
    l->page_h = fmax(KEYCARD_PAGE_MIN_H_MM,
                     ceil(fmax(bottom, l->scale_y + 3 * KEYCARD_SMALL_SIZE_MM) +
                          M));
    sheet_measure_close(&m);
    *out = l;
    return 0;
fail:
    sheet_measure_close(&m);
    keycard_layout_free(l);
    return -1;
}

void
keycard_layout_free(struct keycard_layout *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n_braille; i++)
        free(l->braille[i].cells);
    free(l->braille);
    for (size_t i = 0; i < l->n_texts; i++)
        free(l->texts[i].text);
    free(l->texts);
    free(l->labels);
    free(l->rows);
    free(l);
}
