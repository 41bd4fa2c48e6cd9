/*
 * Themes and their measured contrast. The luminance and ratio follow WCAG
 * 2.x exactly (sRGB linearisation with the 0.04045 threshold, then
 * (L1 + 0.05) / (L2 + 0.05)). The palette model answers "what does the
 * terminal show for this colour": init_color's 0..1000 levels round-trip
 * every 8-bit value, so true colour shows the wanted colour; fixed palettes
 * show the entry nearest by the redmean distance, a cheap approximation of
 * perceived difference that weighs green most and red/blue by redness.
 *
 * The default theme uses a dark navy background because it is calmer than
 * black for long reading, but its colours are chosen so that the nearest
 * 8- and 16-colour entries fall back to black and light grey/yellow, which
 * keep 10:1; xterm's blue (#0000ee) would not (white on it is 9.4:1).
 */
#include "accessibility/theme.h"

#include <math.h>
#include <string.h>

#define RGB(x)                                                                 \
    {                                                                          \
        (uint8_t)((x) >> 16), (uint8_t)(((x) >> 8) & 0xff),                    \
            (uint8_t)((x)&0xff)                                                \
    }
#define PAIR(f, b)                                                             \
    {                                                                          \
        RGB(f), RGB(b)                                                         \
    }

static const struct theme theme_table[] = {
    {
        .name = "default",
        .role =
            {
                [THEME_NORMAL] = PAIR(0xe8e8e8, 0x0a1a40),
                [THEME_HEADING] = PAIR(0xffe066, 0x0a1a40),
                [THEME_SELECTED] = PAIR(0x0a1a40, 0xe8e8e8),
                [THEME_NOTICE] = PAIR(0x000000, 0xffd000),
                [THEME_HINT] = PAIR(0xd8d8d8, 0x0a1a40),
                [THEME_TESTMODE] = PAIR(0x000000, 0xe8e8e8),
            },
        .min_ratio = 10.0,
        .min_ratio_limited = 10.0,
    },
    {
        .name = "white-on-black",
        .role =
            {
                [THEME_NORMAL] = PAIR(0xffffff, 0x000000),
                [THEME_HEADING] = PAIR(0xffffff, 0x000000),
                [THEME_SELECTED] = PAIR(0x000000, 0xffffff),
                [THEME_NOTICE] = PAIR(0x000000, 0xffffff),
                [THEME_HINT] = PAIR(0xffffff, 0x000000),
                [THEME_TESTMODE] = PAIR(0x000000, 0xffffff),
            },
        .min_ratio = 20.0,
        .min_ratio_limited = 15.0,
    },
    {
        .name = "black-on-white",
        .role =
            {
                [THEME_NORMAL] = PAIR(0x000000, 0xffffff),
                [THEME_HEADING] = PAIR(0x000000, 0xffffff),
                [THEME_SELECTED] = PAIR(0xffffff, 0x000000),
                [THEME_NOTICE] = PAIR(0xffffff, 0x000000),
                [THEME_HINT] = PAIR(0x000000, 0xffffff),
                [THEME_TESTMODE] = PAIR(0xffffff, 0x000000),
            },
        .min_ratio = 20.0,
        .min_ratio_limited = 15.0,
    },
    {
        .name = "yellow-on-black",
        .role =
            {
                [THEME_NORMAL] = PAIR(0xffff00, 0x000000),
                [THEME_HEADING] = PAIR(0xffffff, 0x000000),
                [THEME_SELECTED] = PAIR(0x000000, 0xffff00),
                [THEME_NOTICE] = PAIR(0x000000, 0xffffff),
                [THEME_HINT] = PAIR(0xffff00, 0x000000),
                [THEME_TESTMODE] = PAIR(0x000000, 0xffffff),
            },
        .min_ratio = 15.0,
        .min_ratio_limited = 10.0,
    },
};

#define THEME_COUNT (sizeof theme_table / sizeof theme_table[0])

static const uint32_t theme_ansi16[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd,
    0x00cdcd, 0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00,
    0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

static struct rgb
theme_rgb(uint32_t x)
{
    struct rgb c = RGB(x);
    return c;
}

void
theme_palette_init(struct theme_palette *p, enum theme_palette_kind kind)
{
    static const uint8_t cube[6] = {0, 95, 135, 175, 215, 255};
    memset(p, 0, sizeof *p);
    p->kind = kind;
    switch (kind) {
    case THEME_PALETTE_TRUE:
        p->count = 0;
        break;
    case THEME_PALETTE_8:
    case THEME_PALETTE_16:
        p->count = kind == THEME_PALETTE_8 ? 8 : 16;
        for (int i = 0; i < p->count; i++)
            p->colour[i] = theme_rgb(theme_ansi16[i]);
        break;
    case THEME_PALETTE_256:
        p->count = 256;
        for (int i = 0; i < 16; i++)
            p->colour[i] = theme_rgb(theme_ansi16[i]);
        for (int i = 0; i < 216; i++) {
            p->colour[16 + i].r = cube[i / 36];
            p->colour[16 + i].g = cube[(i / 6) % 6];
            p->colour[16 + i].b = cube[i % 6];
        }
        for (int i = 0; i < 24; i++) {
            uint8_t v = (uint8_t)(8 + 10 * i);
            p->colour[232 + i] = (struct rgb){v, v, v};
        }
        break;
    }
}

enum theme_palette_kind
theme_palette_pick(int colors, bool can_change)
{
    if (can_change && colors >= 16)
        return THEME_PALETTE_TRUE;
    if (colors >= 256)
        return THEME_PALETTE_256;
    if (colors >= 16)
        return THEME_PALETTE_16;
    return THEME_PALETTE_8;
}

static double
theme_linear(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double
theme_luminance(struct rgb c)
{
    return 0.2126 * theme_linear(c.r) + 0.7152 * theme_linear(c.g) +
           0.0722 * theme_linear(c.b);
}

double
theme_contrast(struct rgb a, struct rgb b)
{
    double la = theme_luminance(a), lb = theme_luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

static long
theme_redmean(struct rgb a, struct rgb b)
{
    long rmean = ((long)a.r + b.r) / 2;
    long dr = (long)a.r - b.r, dg = (long)a.g - b.g, db = (long)a.b - b.b;
    return ((512 + rmean) * dr * dr >> 8) + 4 * dg * dg +
           ((767 - rmean) * db * db >> 8);
}

int
theme_nearest(const struct theme_palette *p, struct rgb wanted)
{
    if (p->kind == THEME_PALETTE_TRUE || p->count <= 0)
        return -1;
    int best = 0;
    long best_d = theme_redmean(p->colour[0], wanted);
    for (int i = 1; i < p->count; i++) {
        long d = theme_redmean(p->colour[i], wanted);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    return best;
}

short
theme_curses_level(uint8_t v)
{
    return (short)((v * 1000 + 127) / 255);
}

static uint8_t
theme_from_level(short level)
{
    return (uint8_t)((level * 255 + 500) / 1000);
}

struct rgb
theme_shown(const struct theme_palette *p, struct rgb wanted)
{
    int i = theme_nearest(p, wanted);
    if (i >= 0)
        return p->colour[i];
    struct rgb c = {
        theme_from_level(theme_curses_level(wanted.r)),
        theme_from_level(theme_curses_level(wanted.g)),
        theme_from_level(theme_curses_level(wanted.b)),
    };
    return c;
}

double
theme_min_contrast(const struct theme *t, const struct theme_palette *p)
{
    double worst = 21.0;
    for (int r = 0; r < THEME_ROLES; r++) {
        double c = theme_contrast(theme_shown(p, t->role[r].fg),
                                  theme_shown(p, t->role[r].bg));
        if (c < worst)
            worst = c;
    }
    return worst;
}

double
theme_required(const struct theme *t, const struct theme_palette *p)
{
    struct rgb black = theme_shown(p, theme_rgb(0x000000));
    struct rgb white = theme_shown(p, theme_rgb(0xffffff));
    bool true_bw = black.r == 0 && black.g == 0 && black.b == 0 &&
                   white.r == 255 && white.g == 255 && white.b == 255;
    return true_bw ? t->min_ratio : t->min_ratio_limited;
}

size_t
theme_count(void)
{
    return THEME_COUNT;
}

const struct theme *
theme_at(size_t i)
{
    return i < THEME_COUNT ? &theme_table[i] : NULL;
}

const struct theme *
theme_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < THEME_COUNT; i++)
        if (strcmp(theme_table[i].name, name) == 0)
            return &theme_table[i];
    return NULL;
}

const struct theme *
theme_next(const struct theme *t)
{
    for (size_t i = 0; i < THEME_COUNT; i++)
        if (t == &theme_table[i])
            return &theme_table[(i + 1) % THEME_COUNT];
    return &theme_table[0];
}
