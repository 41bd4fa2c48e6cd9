/*
 * The keypad card, as the centre's staff and a blind visitor would find
 * it: the SVG has its cut, emboss and print layers; every function key of
 * the numpad profile has its label and symbol where its key is, at the
 * profile's pitch, with the ADA shapes for the keys ADA names; the card's
 * Braille, read from the SVG's own cells, back-translates through liblouis
 * to the card's text in Kazakh and in Russian, and every legend word to
 * its word; the number of dots drawn is the number the cells raise; the
 * PDF page and the PNG are 1:1. And liblouis's part on its own: every
 * Kazakh letter round-trips, and an unknown character is named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <cairo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>
#include <wctype.h>

#include "accessibility/keyprofile.h"
#include "accessibility/xalloc.h"
#include "ballot/braille.h"
#include "ballot/braille_louis.h"
#include "ballot/keycard.h"
#include "ballot/keycard_layout.h"
#include "tests/unit/unit.h"

/* Fontconfig keeps its configuration for the life of the process. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\nleak:liblouis.so\n";
}

struct fixture {
    char dir[64];
    struct keyprofile *numpad;
};

static int
setup(void **state)
{
    struct fixture *fx = xcalloc(1, sizeof *fx);
    if (unit_tmpdir(fx->dir, sizeof fx->dir, "keycard") != 0)
        return -1;
    char *why = NULL;
    if (keyprofile_load("data/keypad/numpad.profile", &fx->numpad, &why) != 0) {
        fprintf(stderr, "%s\n", why);
        free(why);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    unit_rmtree(fx->dir);
    keyprofile_free(fx->numpad);
    free(fx);
    return 0;
}

static char *
path_in(const struct fixture *fx, const char *name)
{
    return xasprintf("%s/%s", fx->dir, name);
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    char *s = xmalloc((size_t)n + 1);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    if (len != NULL)
        *len = (size_t)n;
    return s;
}

/* Writes the numpad's card as SVG and returns the file's text. */
static char *
numpad_svg(const struct fixture *fx, const struct keyprofile *p)
{
    char *out = path_in(fx, "card.svg");
    char *why = NULL;
    if (keycard_write(p, "numpad", out, &why) != 0) {
        fprintf(stderr, "%s\n", why);
        fail();
    }
    char *svg = slurp(out, NULL);
    free(out);
    return svg;
}

/* The element whose id is ID: a pointer to its start tag. */
static const char *
element(const char *svg, const char *id)
{
    char *needle = xasprintf("id=\"%s\"", id);
    const char *at = strstr(svg, needle);
    if (at == NULL)
        fprintf(stderr, "no element %s in the SVG\n", id);
    free(needle);
    assert_non_null(at);
    return at;
}

/* The value of attribute NAME in the tag starting at TAG (caller frees). */
static char *
attr(const char *tag, const char *name)
{
    const char *end = strchr(tag, '>');
    char *needle = xasprintf(" %s=\"", name);
    const char *at = strstr(tag, needle);
    size_t skip = strlen(needle);
    free(needle);
    assert_non_null(at);
    assert_true(at < end);
    at += skip;
    const char *close = strchr(at, '"');
    return xstrndup(at, (size_t)(close - at));
}

static double
attr_num(const char *tag, const char *name)
{
    char *v = attr(tag, name);
    double d = strtod(v, NULL);
    free(v);
    return d;
}

static void
test_svg_has_named_layers(void **state)
{
    struct fixture *fx = *state;
    char *svg = numpad_svg(fx, fx->numpad);
    static const char *const layers[] = {"cut", "emboss", "print"};
    for (size_t i = 0; i < 3; i++) {
        const char *g = element(svg, layers[i]);
        char *label = attr(g, "inkscape:label");
        assert_string_equal(label, layers[i]);
        free(label);
        char *mode = attr(g, "inkscape:groupmode");
        assert_string_equal(mode, "layer");
        free(mode);
    }
    /* Braille and symbols are raised: inside emboss, before print. */
    const char *emboss = element(svg, "emboss");
    const char *print = element(svg, "print");
    const char *braille = element(svg, "braille");
    const char *symbols = element(svg, "symbols");
    assert_true(braille > emboss && braille < print);
    assert_true(symbols > emboss && symbols < print);
    /* The card's outline and the labels are cut. */
    const char *cut = element(svg, "cut");
    const char *outline = element(svg, "card-outline");
    const char *label = element(svg, "label-KEY_KP5");
    assert_true(outline > cut && outline < emboss);
    assert_true(label > cut && label < emboss);
    /* Millimetres, 1:1. */
    assert_non_null(strstr(svg, "width=\"420mm\" height=\"297mm\" "
                                "viewBox=\"0 0 420 297\""));
    free(svg);
}

/* Where each numpad key's centre is, in pitches from the 5's. */
struct offset {
    const char *key;
    double dx, dy;
};

static const struct offset numpad_offsets[] = {
    {"KEY_KPSLASH", 0, -2},  {"KEY_KPASTERISK", 1, -2}, {"KEY_KPMINUS", 2, -2},
    {"KEY_KP7", -1, -1},     {"KEY_KP8", 0, -1},        {"KEY_KP9", 1, -1},
    {"KEY_KPPLUS", 2, -0.5}, {"KEY_KP4", -1, 0},        {"KEY_KP5", 0, 0},
    {"KEY_KP6", 1, 0},       {"KEY_KP1", -1, 1},        {"KEY_KP2", 0, 1},
    {"KEY_KP3", 1, 1},       {"KEY_KPENTER", 2, 1.5},   {"KEY_KP0", -0.5, 2},
    {"KEY_KPDOT", 1, 2},
};

/* Checks that every function key of P has its symbol, of its action, at
 * its numpad place PITCH apart, and its label cut to the key top. */
static void
check_labels(const char *svg, const struct keyprofile *p, double pitch)
{
    const char *five = element(svg, "symbol-KEY_KP5");
    double x5 = attr_num(five, "data-cx"), y5 = attr_num(five, "data-cy");
    size_t checked = 0;
    for (size_t i = 0; i < keyprofile_count(p); i++) {
        unsigned code;
        struct key k = keyprofile_binding(p, i, &code);
        const char *name = keyprofile_code_name(code);
        char *id = xasprintf("symbol-%s", name);
        const char *sym = element(svg, id);
        free(id);
        char *action = attr(sym, "data-action");
        assert_string_equal(action, action_id(k.action));
        free(action);
        for (size_t j = 0; j < sizeof numpad_offsets / sizeof numpad_offsets[0];
             j++) {
            if (strcmp(numpad_offsets[j].key, name) != 0)
                continue;
            double dx = attr_num(sym, "data-cx") - x5;
            double dy = attr_num(sym, "data-cy") - y5;
            if (fabs(dx - numpad_offsets[j].dx * pitch) > 0.002 ||
                fabs(dy - numpad_offsets[j].dy * pitch) > 0.002) {
                fprintf(stderr, "%s is at %g, %g from the 5, not %g, %g\n",
                        name, dx, dy, numpad_offsets[j].dx * pitch,
                        numpad_offsets[j].dy * pitch);
                fail();
            }
            checked++;
        }
    }
    assert_int_equal(checked, sizeof numpad_offsets / sizeof numpad_offsets[0]);
    const char *label = element(svg, "label-KEY_KP5");
    assert_true(fabs(attr_num(label, "width") -
                     (pitch - 2 * KEYCARD_LABEL_INSET_MM)) < 0.002);
    assert_true(fabs(attr_num(label, "height") -
                     (pitch - 2 * KEYCARD_LABEL_INSET_MM)) < 0.002);
}

static void
test_every_function_key_at_its_pitch(void **state)
{
    struct fixture *fx = *state;
    char *svg = numpad_svg(fx, fx->numpad);
    check_labels(svg, fx->numpad, 19.05);
    /* The shapes ADA 707.6.3.2 names. */
    static const char *const shapes[][2] = {
        {"symbol-KEY_KP5", "circle"},      {"symbol-KEY_KPENTER", "circle"},
        {"symbol-KEY_KP7", "x"},           {"symbol-KEY_KP8", "arrow-up"},
        {"symbol-KEY_KP2", "arrow-down"},  {"symbol-KEY_KP4", "arrow-left"},
        {"symbol-KEY_KP6", "arrow-right"}, {"symbol-KEY_KPPLUS", "plus"},
        {"symbol-KEY_KPMINUS", "minus"},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char *shape = attr(element(svg, shapes[i][0]), "data-shape");
        assert_string_equal(shape, shapes[i][1]);
        free(shape);
    }
    free(svg);

    /* Another pitch moves every label. */
    char *text = slurp("data/keypad/numpad.profile", NULL);
    char *moved = xasprintf("%s\npitch_mm 18\n", text);
    char *where = strstr(moved, "pitch_mm        19.05");
    assert_non_null(where);
    memcpy(where, "#", 1); /* comment the numpad's own line out */
    struct keyprofile *p = NULL;
    char *why = NULL;
    assert_int_equal(keyprofile_parse("compact.profile", moved, strlen(moved),
                                      &p, &why),
                     0);
    assert_true(keyprofile_pitch_mm(p) == 18);
    svg = numpad_svg(fx, p);
    check_labels(svg, p, 18);
    free(svg);
    keyprofile_free(p);
    free(moved);
    free(text);
}

/* S in lower case (C.UTF-8), as Braille without capital signs reads. */
static char *
lower(const char *s)
{
    size_t n = strlen(s);
    wchar_t *w = xcalloc(n + 1, sizeof *w);
    assert_true(mbstowcs(w, s, n + 1) != (size_t)-1);
    for (wchar_t *c = w; *c != 0; c++)
        *c = (wchar_t)towlower((wint_t)*c);
    char *out = xcalloc(4 * n + 1, 1);
    assert_true(wcstombs(out, w, 4 * n + 1) != (size_t)-1);
    free(w);
    return out;
}

/* The cells written as Unicode Braille in the attribute value U. */
static uint8_t *
cells_of(const char *u, size_t *n)
{
    size_t len = strlen(u);
    assert_int_equal(len % 3, 0);
    uint8_t *c = xmalloc(len / 3 + 1);
    for (size_t i = 0; i < len; i += 3) {
        const unsigned char *b = (const unsigned char *)u + i;
        unsigned cp = ((b[0] & 0x0Fu) << 12) | ((b[1] & 0x3Fu) << 6) |
                      (b[2] & 0x3Fu);
        assert_true(cp >= 0x2800 && cp <= 0x283F);
        c[i / 3] = (uint8_t)(cp - 0x2800);
    }
    *n = len / 3;
    return c;
}

/* Reads the Braille of element ID back through liblouis in LANG and
 * checks that it is EXPECTED (in lower case). */
static void
check_back(const char *svg, const char *id, const char *lang,
           const char *expected)
{
    char *u = attr(element(svg, id), "data-braille");
    size_t n;
    uint8_t *cells = cells_of(u, &n);
    char *text = NULL, *why = NULL;
    assert_int_equal(braille_louis_back(lang, cells, n, &text, &why), 0);
    char *want = lower(expected);
    if (strcmp(text, want) != 0) {
        fprintf(stderr, "%s reads back as\n  %s\nnot\n  %s\n", id, text, want);
        fail();
    }
    free(want);
    free(text);
    free(cells);
    free(u);
}

static void
test_braille_reads_back(void **state)
{
    struct fixture *fx = *state;
    char *svg = numpad_svg(fx, fx->numpad);
    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    for (size_t k = 0; k < KEYCARD_N_LANGS; k++) {
        const char *lang = keycard_langs[k];
        char *id = xasprintf("braille-card-%s", lang);
        const char *g = element(svg, id);
        char *text = attr(g, "data-text");
        assert_string_equal(text, keycard_card_text(lang));
        check_back(svg, id, lang, keycard_card_text(lang));
        /* The dots drawn in the group are the dots its cells raise. */
        char *u = attr(g, "data-braille");
        size_t n, dots = 0, circles = 0;
        uint8_t *cells = cells_of(u, &n);
        for (size_t i = 0; i < n; i++)
            for (int d = 1; d <= 6; d++)
                dots += braille_has_dot(cells[i], d);
        const char *end = strstr(g, "\n     </g>");
        assert_non_null(end);
        for (const char *c = strstr(g, "<circle"); c != NULL && c < end;
             c = strstr(c + 1, "<circle"))
            circles++;
        assert_true(dots > 100);
        assert_int_equal(circles, dots);
        free(cells);
        free(u);
        free(text);
        free(id);
        /* Every legend word. */
        for (size_t i = 0; i < keyprofile_count(fx->numpad); i++) {
            unsigned code;
            enum action a = keyprofile_binding(fx->numpad, i, &code).action;
            char *wid = xasprintf("braille-word-%s-%s", action_id(a), lang);
            check_back(svg, wid, lang, keycard_word(a, lang));
            free(wid);
        }
    }
    free(svg);
}

static void
test_kazakh_letters_round_trip(void **state)
{
    (void)state;
    static const char all[] = "ӘҒҚҢӨҰҮҺІ әғқңөұүһі";
    static const char lower_all[] = "әғқңөұүһі әғқңөұүһі";
    uint8_t *cells = NULL;
    size_t n = 0;
    char *why = NULL, *text = NULL;
    assert_int_equal(braille_louis_translate("kk", all, &cells, &n, &why), 0);
    assert_int_equal(n, 19);
    /* қ is dots 1-4-5-6, as kk.utb writes it, without its virtual dot. */
    assert_int_equal(cells[2], 0x39);
    assert_int_equal(braille_louis_back("kk", cells, n, &text, &why), 0);
    assert_string_equal(text, lower_all);
    free(text);
    free(cells);
    /* A character the table does not know is named, not escaped. */
    assert_int_equal(braille_louis_translate("ru", "да \xe4\xb8\xad", &cells,
                                             &n, &why),
                     -1);
    assert_non_null(strstr(why, "U+4E2D"));
    free(why);
    why = NULL;
    assert_int_equal(braille_louis_translate("en", "yes", &cells, &n, &why),
                     -1);
    assert_non_null(strstr(why, "no Braille table"));
    free(why);
}

static void
test_pdf_and_png_are_1_to_1(void **state)
{
    struct fixture *fx = *state;
    struct keycard_layout *l = NULL;
    char *why = NULL;
    assert_int_equal(keycard_layout_new(fx->numpad, "numpad", &l, &why), 0);
    char *out = path_in(fx, "card.pdf");
    assert_int_equal(keycard_write(fx->numpad, "numpad", out, &why), 0);
    size_t len;
    char *pdf = slurp(out, &len);
    assert_memory_equal(pdf, "%PDF-", 5);
    const char *mb = memmem(pdf, len, "/MediaBox [", 11);
    assert_non_null(mb);
    double x0, y0, x1, y1;
    assert_int_equal(sscanf(mb, "/MediaBox [ %lf %lf %lf %lf", &x0, &y0, &x1,
                            &y1),
                     4);
    assert_true(fabs(x1 - x0 - l->page_w / 25.4 * 72) < 0.01);
    assert_true(fabs(y1 - y0 - l->page_h / 25.4 * 72) < 0.01);
    free(pdf);
    free(out);

    out = path_in(fx, "card.PNG");
    assert_int_equal(keycard_write(fx->numpad, "numpad", out, &why), 0);
    cairo_surface_t *s = cairo_image_surface_create_from_png(out);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s),
                     (int)lround(l->page_w / 25.4 * 300));
    assert_int_equal(cairo_image_surface_get_height(s),
                     (int)lround(l->page_h / 25.4 * 300));
    cairo_surface_flush(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    double k = 300 / 25.4;
    /* The 5's circle is black at its centre, the key's corner white. */
    const struct keycard_label *five = NULL;
    for (size_t i = 0; i < l->n_labels; i++)
        if (strcmp(l->labels[i].key_id, "KEY_KP5") == 0)
            five = &l->labels[i];
    assert_non_null(five);
    uint32_t p;
    int x = (int)lround(five->symbol.cx * k),
        y = (int)lround(five->symbol.cy * k);
    memcpy(&p, px + y * stride + 4 * x, 4);
    assert_int_equal(p & 0xFFFFFF, 0x000000);
    x = (int)lround((five->cut.x + 1) * k);
    y = (int)lround((five->cut.y + 1) * k);
    memcpy(&p, px + y * stride + 4 * x, 4);
    assert_int_equal(p & 0xFFFFFF, 0xFFFFFF);
    /* The first dot of the card's first Braille line, where the layout
     * put it. */
    const struct keycard_braille *b = &l->braille[l->card_first[0]];
    for (int d = 1; d <= 6; d++) {
        double dx, dy;
        assert_int_equal(braille_dot_offset_mm(d, &dx, &dy), 0);
        x = (int)lround((b->x + dx) * k);
        y = (int)lround((b->y + dy) * k);
        memcpy(&p, px + y * stride + 4 * x, 4);
        assert_int_equal(p & 0xFFFFFF,
                         braille_has_dot(b->cells[0], d) ? 0 : 0xFFFFFF);
    }
    cairo_surface_destroy(s);
    free(out);
    keycard_layout_free(l);
}

static void
test_unknown_extension_writes_nothing(void **state)
{
    struct fixture *fx = *state;
    char *out = path_in(fx, "card.jpg");
    char *why = NULL;
    assert_int_equal(keycard_write(fx->numpad, "numpad", out, &why), -1);
    assert_non_null(strstr(why, "unknown keypad card format"));
    assert_non_null(strstr(why, ".svg"));
    struct stat st;
    assert_int_equal(stat(out, &st), -1);
    free(why);
    free(out);
}

UNIT_MAIN(NULL, NULL, UNIT_FRESH(test_svg_has_named_layers),
          UNIT_FRESH(test_every_function_key_at_its_pitch),
          UNIT_FRESH(test_braille_reads_back),
          cmocka_unit_test(test_kazakh_letters_round_trip),
          UNIT_FRESH(test_pdf_and_png_are_1_to_1),
          UNIT_FRESH(test_unknown_extension_writes_nothing))
