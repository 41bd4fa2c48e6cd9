/*
 * Election packages: every rule of specs/election-package.md is broken once
 * on a small valid document and the report must name the file and the JSON
 * path; syntax errors must carry line:column; several problems must come
 * out together; signatures must hold against tampering, other keys and
 * malformed signature files; key files must be what the docs promise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accessibility/xalloc.h"
#include "ballot/election.h"
#include "ballot/package.h"
#include "tests/unit/unit.h"

static const char base_json[] =
    "{\n"
    "  \"format\": \"dauys-election/1\",\n"
    "  \"id\": \"unit-2026\",\n"
    "  \"test\": true,\n"
    "  \"date\": \"2026-03-15\",\n"
    "  \"title\": {\"kk\": \"Сайлау\", \"ru\": \"Выборы\"},\n"
    "  \"ballots\": [{\n"
    "    \"id\": \"district-1\",\n"
    "    \"kind\": \"candidates\",\n"
    "    \"title\": {\"kk\": \"Бюллетень\", \"ru\": \"Бюллетень\","
    " \"en\": \"Ballot\"},\n"
    "    \"instructions\": {\"kk\": \"Белгі қойыңыз\","
    " \"ru\": \"Поставьте знак\"},\n"
    "    \"max_marks\": 1,\n"
    "    \"paper\": {\"width_mm\": 148, \"height_mm\": 210,"
    " \"corner_cut\": \"top-right\"},\n"
    "    \"options\": [\n"
    "      {\"id\": \"c01\", \"position\": 1,"
    " \"label\": {\"kk\": \"Ахметов Ерлан\", \"ru\": \"Ахметов Ерлан\"},"
    " \"details\": {\"kk\": \"1975 ж.т.\", \"ru\": \"1975 г.р.\"},"
    " \"say\": {\"kk\": \"Ахметов Ерлан\"},"
    " \"box\": {\"x_mm\": 120, \"y_mm\": 40, \"w_mm\": 14, \"h_mm\": 10}},\n"
    "      {\"id\": \"c02\", \"position\": 2,"
    " \"label\": {\"kk\": \"Бекова Әсел\", \"ru\": \"Бекова Асель\"},"
    " \"box\": {\"x_mm\": 120, \"y_mm\": 60, \"w_mm\": 14, \"h_mm\": 10}},\n"
    "      {\"id\": \"none\", \"position\": 3, \"against_all\": true,"
    " \"label\": {\"kk\": \"Бәріне қарсы\", \"ru\": \"Против всех\"},"
    " \"box\": {\"x_mm\": 120.5, \"y_mm\": 80, \"w_mm\": 14, "
    "\"h_mm\": 10}}\n"
    "    ]\n"
    "  }]\n"
    "}\n";

/* ---- helpers -------------------------------------------------------------- */

/*
 * Walks PATH ("ballots[0].options[1].box.w_mm") in ROOT and sets the last
 * step to VALUE (stolen), or deletes it when VALUE is NULL.
 */
static void
json_set_path(json_t *root, const char *path, json_t *value)
{
    char *copy = xstrdup(path);
    json_t *cur = root;
    char *p = copy;
    for (;;) {
        size_t n = strcspn(p, ".[");
        char key[128];
        assert_true(n < sizeof key);
        memcpy(key, p, n);
        key[n] = '\0';
        p += n;
        if (*p == '\0') {
            if (value == NULL)
                json_object_del(cur, key);
            else
                json_object_set_new(cur, key, value);
            break;
        }
        json_t *next = json_object_get(cur, key);
        while (*p == '[') {
            size_t i = strtoul(p + 1, &p, 10);
            assert_int_equal(*p, ']');
            p++;
            if (*p == '\0') {
                if (value == NULL)
                    json_array_remove(next, i);
                else
                    json_array_set_new(next, i, value);
                free(copy);
                return;
            }
            next = json_array_get(next, i);
        }
        assert_non_null(next);
        cur = next;
        if (*p == '.')
            p++;
    }
    free(copy);
}

static json_t *
base_doc(void)
{
    json_error_t err;
    json_t *root = json_loads(base_json, 0, &err);
    assert_non_null(root);
    return root;
}

/* Parses ROOT (consumed); asserts failure and returns the report. */
static char *
problems_of_doc(json_t *root)
{
    char *s = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    assert_non_null(s);
    struct election *e = NULL;
    char *why = NULL;
    int rc = package_parse(s, strlen(s), &e, &why);
    free(s);
    assert_int_equal(rc, -1);
    assert_null(e);
    assert_non_null(why);
    return why;
}

static char *
problems_of_text(const char *json, size_t len)
{
    struct election *e = NULL;
    char *why = unit_refused(package_parse(json, len, &e, unit_why()));
    assert_null(e);
    assert_non_null(why);
    return why;
}

/* One mutation of the base document; returns the report. */
static char *
problems_after(const char *path, json_t *value)
{
    json_t *root = base_doc();
    json_set_path(root, path, value);
    return problems_of_doc(root);
}

static size_t
count_lines(const char *s)
{
    size_t n = 1;
    for (; *s != '\0'; s++)
        n += *s == '\n';
    return n;
}

/* Asserts that some line of WHY contains NEEDLE. */
static void
assert_line(const char *why, const char *needle)
{
    if (strstr(why, needle) == NULL) {
        print_error("expected a line with \"%s\" in:\n%s\n", needle, why);
        fail();
    }
}

/* Asserts that the mutation yields exactly one problem, at PATH. */
static void
assert_single(const char *path, json_t *value, const char *needle)
{
    char *why = problems_after(path, value);
    assert_line(why, needle);
    if (count_lines(why) != 1) {
        print_error("expected one problem, got:\n%s\n", why);
        fail();
    }
    free(why);
}

static void
assert_valid_doc(json_t *root)
{
    char *s = json_dumps(root, 0);
    json_decref(root);
    struct election *e = NULL;
    char *why = NULL;
    int rc = package_parse(s, strlen(s), &e, &why);
    free(s);
    if (rc != 0) {
        print_error("unexpected problems:\n%s\n", why);
        fail();
    }
    election_free(e);
}

static void
assert_valid_after(const char *path, json_t *value)
{
    json_t *root = base_doc();
    json_set_path(root, path, value);
    assert_valid_doc(root);
}

static char *
repeat(const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = xmalloc(n * times + 1);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}

/* ---- parsing: the valid case --------------------------------------------- */

static void
test_valid_package_parses(void **state)
{
    (void)state;
    struct election *e = NULL;
    char *why = NULL;
    assert_int_equal(package_parse(base_json, strlen(base_json), &e, &why), 0);
    assert_null(why);
    assert_string_equal(e->id, "unit-2026");
    assert_true(e->test);
    assert_string_equal(e->date, "2026-03-15");
    assert_string_equal(e->title.s[ELECTION_KK], "Сайлау");
    assert_null(e->title.s[ELECTION_EN]);
    assert_int_equal(e->n_ballots, 1);
    const struct election_ballot *b = election_find_ballot(e, "district-1");
    assert_ptr_equal(b, &e->ballots[0]);
    assert_null(election_find_ballot(e, "district-2"));
    assert_int_equal(b->kind, BALLOT_CANDIDATES);
    assert_int_equal(b->max_marks, 1);
    assert_int_equal(b->corner_cut, CORNER_TOP_RIGHT);
    assert_true(b->paper_w_mm == 148 && b->paper_h_mm == 210);
    assert_string_equal(b->title.s[ELECTION_EN], "Ballot");
    assert_string_equal(b->instructions.s[ELECTION_RU], "Поставьте знак");
    assert_int_equal(b->n_options, 3);
    assert_string_equal(b->options[0].details.s[ELECTION_RU], "1975 г.р.");
    assert_string_equal(b->options[0].say.s[ELECTION_KK], "Ахметов Ерлан");
    assert_null(b->options[0].say.s[ELECTION_RU]);
    assert_null(b->options[1].details.s[ELECTION_KK]);
    assert_int_equal(b->options[2].position, 3);
    assert_true(b->options[2].against_all);
    assert_false(b->options[1].against_all);
    assert_true(b->options[2].box.x_mm == 120.5);

    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)base_json, strlen(base_json));
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    assert_string_equal(e->hash, hex);
    election_free(e);
    election_free(NULL);
}

static void
test_boundaries_accepted(void **state)
{
    (void)state;
    assert_valid_after("ballots[0].options[0].box.w_mm", json_integer(4));
    assert_valid_after("ballots[0].options[2].box.h_mm", json_real(40.0));
    assert_valid_after("ballots[0].paper.width_mm", json_integer(420));
    assert_valid_after("date", json_string("2024-02-29"));
    assert_valid_after("date", json_string("2000-02-29"));
    assert_valid_after("ballots[0].max_marks", json_integer(3));
    assert_valid_after("ballots[0].options[0].label.kk",
                       json_string("Екі\nжол"));
    char *id = repeat("a", 64);
    assert_valid_after("id", json_string(id));
    free(id);
    char *text = repeat("ә", 2000); /* 2000 characters, 4000 bytes */
    assert_valid_after("ballots[0].instructions.ru", json_string(text));
    free(text);
    /* Boxes that only touch do not overlap. */
    assert_valid_after("ballots[0].options[1].box.y_mm", json_integer(50));
    /* No against-all option at all, and `false` anywhere, are fine. */
    assert_valid_after("ballots[0].options[2].against_all", json_false());
}

/* ---- parsing: every rule --------------------------------------------------- */

static void
test_unknown_keys(void **state)
{
    (void)state;
    assert_single("colour", json_string("red"),
                  "election.json: colour: unknown key");
    assert_single("ballots[0].options[1].box.z_mm", json_integer(1),
                  "election.json: ballots[0].options[1].box.z_mm: unknown "
                  "key");
    assert_single("ballots[0].options[0].lable", json_string("x"),
                  "ballots[0].options[0].lable: unknown key");
    assert_single("ballots[0].paper.margin", json_integer(1),
                  "ballots[0].paper.margin: unknown key");
    assert_single("title.de", json_string("Wahl"),
                  "election.json: title.de: unknown language");
    assert_single("ballots[0].options[0].say.fr", json_string("x"),
                  "ballots[0].options[0].say.fr: unknown language");
    /* A key that cannot be written as a path stays on one line. */
    char *why = problems_after("a\nb", json_true());
    assert_line(why, "election.json: [\"a?b\"]: unknown key");
    assert_int_equal(count_lines(why), 1);
    free(why);
}

static void
test_duplicate_ids(void **state)
{
    (void)state;
    assert_single("ballots[0].options[1].id", json_string("c01"),
                  "election.json: ballots[0].options[1].id: \"c01\" is also "
                  "the id of ballots[0].options[0]");

    json_t *root = base_doc();
    json_t *ballots = json_object_get(root, "ballots");
    json_array_append_new(ballots, json_deep_copy(json_array_get(ballots, 0)));
    char *why = problems_of_doc(root);
    assert_line(why, "election.json: ballots[1].id: \"district-1\" is also "
                     "the id of ballots[0]");
    assert_int_equal(count_lines(why), 1);
    free(why);

    /* Same option ids in different ballots are fine. */
    root = base_doc();
    ballots = json_object_get(root, "ballots");
    json_t *copy = json_deep_copy(json_array_get(ballots, 0));
    json_object_set_new(copy, "id", json_string("district-2"));
    json_array_append_new(ballots, copy);
    assert_valid_doc(root);
}

static void
test_ids(void **state)
{
    (void)state;
    assert_single("id", json_string("Unit-2026"),
                  "election.json: id: contains 'U'");
    assert_single("ballots[0].id", json_string(""), "ballots[0].id: is empty");
    assert_single("ballots[0].options[0].id", json_string("c 1"),
                  "ballots[0].options[0].id: contains byte 0x20");
    char *id = repeat("a", 65);
    assert_single("id", json_string(id), "id: is 65 characters long");
    free(id);
    assert_single("ballots[0].options[2].id", json_integer(3),
                  "ballots[0].options[2].id: must be a string");
    assert_single("id", NULL, "election.json: id: required key is missing");
}

static void
test_dates(void **state)
{
    (void)state;
    assert_single("date", json_string("2026-02-30"),
                  "election.json: date: \"2026-02-30\" is not a real "
                  "calendar date (2026-02 has 28 days)");
    assert_single("date", json_string("2100-02-29"),
                  "date: \"2100-02-29\" is not a real calendar date");
    assert_single("date", json_string("2026-13-01"),
                  "date: \"2026-13-01\" is not a real calendar date");
    assert_single("date", json_string("2026-04-31"),
                  "is not a real calendar date");
    assert_single("date", json_string("15.03.2026"),
                  "date: \"15.03.2026\" is not written YYYY-MM-DD");
    assert_single("date", json_string("2026-3-15"), "not written YYYY-MM-DD");
    assert_single("date", json_integer(20260315), "date: must be a date");
}

static void
test_positions(void **state)
{
    (void)state;
    assert_single("ballots[0].options[1].position", json_integer(3),
                  "election.json: ballots[0].options[1].position: is 3; "
                  "must be 2");
    assert_single("ballots[0].options[0].position", json_integer(0),
                  "ballots[0].options[0].position: is 0; must be 1");
    assert_single("ballots[0].options[0].position", json_real(1.0),
                  "ballots[0].options[0].position: must be an integer");
    assert_single("ballots[0].options[0].position", NULL,
                  "ballots[0].options[0].position: required key is missing");
}

static void
test_against_all(void **state)
{
    (void)state;
    json_t *root = base_doc();
    json_set_path(root, "ballots[0].options[2].against_all", NULL);
    json_set_path(root, "ballots[0].options[1].against_all", json_true());
    char *why = problems_of_doc(root);
    assert_line(why, "election.json: ballots[0].options[1].against_all: the "
                     "\"against all\" option must be the last one");
    assert_int_equal(count_lines(why), 1);
    free(why);

    why = problems_after("ballots[0].options[0].against_all", json_true());
    assert_line(why, "ballots[0].options[0].against_all: the \"against "
                     "all\" option must be the last one");
    assert_line(why, "ballots[0].options: 2 options are \"against all\"; "
                     "at most one");
    assert_int_equal(count_lines(why), 2);
    free(why);

    assert_single("ballots[0].options[2].against_all", json_string("yes"),
                  "ballots[0].options[2].against_all: must be true or false");
}

static void
test_boxes(void **state)
{
    (void)state;
    assert_single("ballots[0].options[1].box.y_mm", json_integer(45),
                  "election.json: ballots[0].options[1].box: overlaps "
                  "ballots[0].options[0].box");
    assert_single("ballots[0].options[2].box.x_mm", json_integer(140),
                  "election.json: ballots[0].options[2].box: reaches 154 mm "
                  "from the left edge, beyond the paper's width of 148 mm");
    assert_single("ballots[0].options[2].box.y_mm", json_integer(205),
                  "ballots[0].options[2].box: reaches 215 mm from the top "
                  "edge");
    assert_single("ballots[0].options[0].box.w_mm", json_integer(3),
                  "election.json: ballots[0].options[0].box.w_mm: is 3 mm; "
                  "must be 4-40 mm");
    assert_single("ballots[0].options[0].box.h_mm", json_real(40.5),
                  "ballots[0].options[0].box.h_mm: is 40.5 mm; must be "
                  "4-40 mm");
    assert_single("ballots[0].options[0].box.x_mm", json_integer(-1),
                  "ballots[0].options[0].box.x_mm: is -1 mm; must be at "
                  "least 0 mm");
    assert_single("ballots[0].options[0].box.x_mm", json_string("120"),
                  "ballots[0].options[0].box.x_mm: must be a number");
    assert_single("ballots[0].options[0].box", NULL,
                  "ballots[0].options[0].box: required key is missing");
}

static void
test_paper_kind_marks(void **state)
{
    (void)state;
    assert_single("ballots[0].paper.width_mm", json_integer(49),
                  "ballots[0].paper.width_mm: is 49 mm; must be 50-420 mm");
    assert_single("ballots[0].paper.corner_cut", json_string("bottom-left"),
                  "ballots[0].paper.corner_cut: is \"bottom-left\"; must be");
    assert_single("ballots[0].kind", json_string("candidate"),
                  "ballots[0].kind: is \"candidate\"; must be "
                  "\"candidates\", \"parties\" or \"referendum\"");
    assert_single("ballots[0].max_marks", json_integer(0),
                  "ballots[0].max_marks: is 0; must be from 1 to the number "
                  "of options (3)");
    assert_single("ballots[0].max_marks", json_integer(4),
                  "ballots[0].max_marks: is 4");
    assert_single("format", json_string("dauys-election/2"),
                  "election.json: format: is \"dauys-election/2\"");
    assert_single("test", json_string("true"),
                  "election.json: test: must be true or false, not a string");
    assert_single("test", NULL, "test: required key is missing");
}

static void
test_counts(void **state)
{
    (void)state;
    assert_single("ballots", json_array(),
                  "election.json: ballots: has 0 ballots; a package has 1-8");
    json_t *root = base_doc();
    json_t *ballots = json_object_get(root, "ballots");
    for (int i = 2; i <= 9; i++) {
        json_t *copy = json_deep_copy(json_array_get(ballots, 0));
        char id[16];
        snprintf(id, sizeof id, "b%d", i);
        json_object_set_new(copy, "id", json_string(id));
        json_array_append_new(ballots, copy);
    }
    char *why = problems_of_doc(root);
    assert_line(why, "ballots: has 9 ballots; a package has 1-8");
    assert_int_equal(count_lines(why), 1);
    free(why);

    assert_single("ballots[0].options", json_array(),
                  "ballots[0].options: has 0 options; a ballot has 1-64");

    /* 65 options: the count is wrong, the 65th is still validated. */
    root = base_doc();
    json_t *opts = json_object_get(
        json_array_get(json_object_get(root, "ballots"), 0), "options");
    json_array_clear(opts);
    for (int i = 0; i < 65; i++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", i);
        json_array_append_new(
            opts, json_pack("{s:s, s:i, s:{s:s, s:s}, s:{s:i, s:i, s:i, "
                            "s:i}}",
                            "id", id, "position", i + 1, "label", "kk", "А",
                            "ru", "А", "box", "x_mm", 120, "y_mm", i * 5,
                            "w_mm", 4, "h_mm", 4));
    }
    json_set_path(root, "ballots[0].options[64].id", json_string("O"));
    json_set_path(root, "ballots[0].paper.height_mm", json_integer(400));
    why = problems_of_doc(root);
    assert_line(why, "ballots[0].options: has 65 options; a ballot has 1-64");
    assert_line(why, "ballots[0].options[64].id: contains 'O'");
    assert_int_equal(count_lines(why), 2);
    free(why);
}

static void
test_texts(void **state)
{
    (void)state;
    assert_single("ballots[0].options[1].label.kk", NULL,
                  "election.json: ballots[0].options[1].label.kk: required "
                  "text is missing");
    assert_single("title.ru", json_string(""), "title.ru: is empty");
    assert_single("title.ru", json_string("  \n "), "title.ru: is empty");
    /* Nothing to see or hear: zero-width space, joiner, word joiner, soft
     * hyphen, a direction mark, the byte order mark, a variation
     * selector, an ideographic space. */
    static const char *const unseen[] = {"\u200b",   "\u200b\u200c\u200d",
                                         " \u2060 ", "\u00ad\u200e",
                                         "\ufeff",   "\ufe0f\u3000",
                                         "\u3164",   "\xf3\xa0\x80\x81"};
    for (size_t i = 0; i < sizeof unseen / sizeof unseen[0]; i++)
        assert_single("ballots[0].options[2].label.kk", json_string(unseen[i]),
                      "ballots[0].options[2].label.kk: has no visible "
                      "character");
    /* One visible letter among them is enough. */
    assert_valid_after("ballots[0].options[2].label.kk",
                       json_string("\u200bA\u200b"));
    assert_single("ballots[0].instructions.ru", NULL,
                  "ballots[0].instructions.ru: required text is missing");
    assert_single("ballots[0].options[0].details.kk", NULL,
                  "ballots[0].options[0].details.kk: required text is "
                  "missing");
    assert_single("ballots[0].title", json_string("Бюллетень"),
                  "ballots[0].title: must be an object");
    assert_single("ballots[0].options[0].label", NULL,
                  "ballots[0].options[0].label: required key is missing");
    /* `say` needs no kk/ru; instructions and details are optional. */
    assert_valid_after("ballots[0].options[0].say.kk", NULL);
    assert_valid_after("ballots[0].instructions", NULL);

    assert_single("ballots[0].options[0].label.ru", json_string("Ахметов\a"),
                  "election.json: ballots[0].options[0].label.ru: contains "
                  "the control character U+0007 at character 8");
    assert_single("title.kk", json_string("a\tb"),
                  "title.kk: contains the control character U+0009");
    assert_single("title.kk", json_string("a\r\nb"),
                  "title.kk: contains the control character U+000D");
    assert_single("title.kk", json_string("a\xc2\x85z"),
                  "title.kk: contains the control character U+0085");

    char *text = repeat("ә", 2001);
    assert_single("ballots[0].instructions.ru", json_string(text),
                  "election.json: ballots[0].instructions.ru: is 2001 "
                  "characters long; at most 2000");
    free(text);
}

static void
test_invalid_utf8_reports_position(void **state)
{
    (void)state;
    char *doc = xstrdup(base_json);
    char *at = strstr(doc, "Выборы");
    assert_non_null(at);
    at[1] = (char)0xFF; /* inside line 6 */
    char *why = problems_of_text(doc, strlen(doc));
    assert_line(why, "election.json:6:");
    assert_line(why, "invalid UTF-8");
    assert_int_equal(count_lines(why), 1);
    free(why);
    free(doc);

    /* An escaped lone surrogate is refused as well. */
    why = problems_of_text("{\"id\": \"\\ud800\"}", 16);
    assert_line(why, "election.json:1:");
    free(why);
}

static void
test_syntax_error_line_column(void **state)
{
    (void)state;
    const char *doc = "{\n  \"format\": \"dauys-election/1\"\n  \"id\": "
                      "\"x\"\n}\n";
    char *why = problems_of_text(doc, strlen(doc));
    assert_line(why, "election.json:3:6: JSON syntax error:");
    assert_int_equal(count_lines(why), 1);
    free(why);

    doc = "{\"id\": \"a\",\n \"id\": \"b\"}";
    why = problems_of_text(doc, strlen(doc));
    assert_line(why, "election.json:2:");
    assert_line(why, "duplicate");
    free(why);

    why = problems_of_text("", 0);
    assert_line(why, "election.json:");
    free(why);

    why = problems_of_text("{} trailing", 11);
    assert_line(why, "election.json:1:");
    free(why);

    why = problems_of_text("{\"a\": 1}\0{}", 11);
    assert_line(why, "election.json:1:");
    free(why);

    why = problems_of_text("[1, 2]", 6);
    assert_line(why, "election.json: the document must be a JSON object");
    free(why);
}

static void
test_all_problems_reported_together(void **state)
{
    (void)state;
    json_t *root = base_doc();
    json_set_path(root, "date", json_string("2026-02-30"));
    json_set_path(root, "frobnicate", json_true());
    json_set_path(root, "ballots[0].options[1].box.w_mm", json_integer(3));
    json_set_path(root, "ballots[0].options[2].position", json_integer(4));
    json_set_path(root, "ballots[0].options[0].label.kk", NULL);
    char *why = problems_of_doc(root);
    assert_int_equal(count_lines(why), 5);
    assert_line(why, "election.json: date:");
    assert_line(why, "election.json: frobnicate: unknown key");
    assert_line(why, "election.json: ballots[0].options[1].box.w_mm: is 3");
    assert_line(why, "election.json: ballots[0].options[2].position: is 4");
    assert_line(why, "election.json: ballots[0].options[0].label.kk:");
    free(why);
}

static void
test_problem_flood_is_capped(void **state)
{
    (void)state;
    json_t *root = base_doc();
    for (int i = 0; i < 300; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        json_set_path(root, key, json_true());
    }
    char *why = problems_of_doc(root);
    assert_int_equal(count_lines(why), 101);
    assert_line(why, "election.json: 200 more problems not shown");
    free(why);
}

/* ---- files, keys and signatures ---------------------------------------- */

static char tmp_root[256];

static int
setup_dir(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    return unit_tmpdir(tmp_root, sizeof tmp_root, "test_package");
}

static int
teardown_dir(void **state)
{
    (void)state;
    return unit_rmtree(tmp_root);
}

static char *
in_tmp(const char *name)
{
    return xasprintf("%s/%s", tmp_root, name);
}

static void
write_text(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *
read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = xcalloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Makes DIR (under the temporary root) a package holding JSON. */
static char *
make_package(const char *name, const char *json)
{
    char *dir = in_tmp(name);
    assert_int_equal(mkdir(dir, 0755), 0);
    char *path = xasprintf("%s/election.json", dir);
    write_text(path, json, strlen(json));
    free(path);
    return dir;
}

static void
keygen(const char *name, unsigned char pk[32])
{
    char *sec = xasprintf("%s/%s.key", tmp_root, name);
    char *pub = xasprintf("%s/%s.pub", tmp_root, name);
    char *why = NULL;
    assert_int_equal(package_keygen(sec, pub, &why), 0);
    unsigned char(*keys)[PACKAGE_KEY_BYTES] = NULL;
    size_t n = 0;
    assert_int_equal(package_read_public_keys(pub, &keys, &n, &why), 0);
    assert_int_equal(n, 1);
    memcpy(pk, keys[0], 32);
    free(keys);
    free(sec);
    free(pub);
}

static void
test_keygen_files(void **state)
{
    (void)state;
    unsigned char pk[32];
    keygen("k", pk);
    char *sec = in_tmp("k.key");
    char *pub = in_tmp("k.pub");
    struct stat st;
    assert_int_equal(stat(sec, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *s = read_text(sec);
    assert_int_equal(strlen(s), 45); /* 32 bytes: 44 base64 + newline */
    assert_int_equal(s[44], '\n');
    assert_int_equal(s[43], '=');
    free(s);
    s = read_text(pub);
    assert_int_equal(strlen(s), 45);
    unsigned char again[32];
    char *why = NULL;
    assert_int_equal(package_parse_public_key(s, again, &why), 0);
    assert_memory_equal(again, pk, 32);
    free(s);

    /* Refuses to overwrite a secret key, and leaves it as it was. */
    char *before = read_text(sec);
    char *other = in_tmp("other.pub");
    assert_int_equal(package_keygen(sec, other, &why), -1);
    assert_non_null(strstr(why, "already exists"));
    free(why);
    char *after = read_text(sec);
    assert_string_equal(before, after);
    assert_int_equal(access(other, F_OK), -1);
    free(before);
    free(after);

    char *fresh = in_tmp("fresh.key");
    assert_int_equal(package_keygen(fresh, fresh, &why), -1);
    free(why);
    assert_int_equal(access(fresh, F_OK), -1);

    free(fresh);
    free(other);
    free(sec);
    free(pub);
}

static void
test_sign_and_verify(void **state)
{
    (void)state;
    unsigned char pk[32], other[32];
    keygen("signer", pk);
    keygen("stranger", other);
    char *dir = make_package("pkg", base_json);
    char *sec = in_tmp("signer.key");
    char *why = NULL;
    assert_int_equal(package_sign(dir, sec, &why), 0);

    const unsigned char(*one)[32] = (const unsigned char(*)[32])pk;
    assert_int_equal(package_verify_signature(dir, one, 1, &why), 0);
    unsigned char both[2][32];
    memcpy(both[0], other, 32);
    memcpy(both[1], pk, 32);
    assert_int_equal(package_verify_signature(dir,
                                              (const unsigned char(*)[32])both,
                                              2, &why),
                     0);

    struct election *e = NULL;
    assert_int_equal(package_load(dir, one, 1, &e, &why), 0);
    char hex[65];
    assert_int_equal(package_hash_file(dir, hex, &why), 0);
    assert_string_equal(e->hash, hex);
    election_free(e);

    /* Wrong key. */
    assert_int_equal(package_verify_signature(dir,
                                              (const unsigned char(*)[32])other,
                                              1, &why),
                     -1);
    assert_non_null(strstr(why, "election.json.sig: the signature does not "
                                "match"));
    free(why);
    assert_int_equal(package_verify_signature(dir, one, 0, &why), -1);
    free(why);

    /* One changed byte, still a valid package. */
    char *path = xasprintf("%s/election.json", dir);
    char *doc = xstrdup(base_json);
    *strstr(doc, "2026-03-15") = '1';
    write_text(path, doc, strlen(doc));
    assert_int_equal(package_verify_signature(dir, one, 1, &why), -1);
    assert_non_null(strstr(why, "does not match"));
    free(why);
    /* A failed load leaves the caller's previous package in place. */
    struct election *kept = xcalloc(1, sizeof *kept);
    e = kept;
    assert_int_equal(package_load(dir, one, 1, &e, &why), -1);
    assert_ptr_equal(e, kept);
    election_free(kept);
    assert_int_equal(count_lines(why), 1);
    free(why);
    free(doc);
    free(path);
    free(sec);
    free(dir);
}

static void
test_malformed_signatures(void **state)
{
    (void)state;
    unsigned char pk[32];
    keygen("m", pk);
    const unsigned char(*one)[32] = (const unsigned char(*)[32])pk;
    char *dir = make_package("mal", base_json);
    char *sec = in_tmp("m.key");
    char *why = NULL;
    assert_int_equal(package_sign(dir, sec, &why), 0);
    char *sig_path = xasprintf("%s/election.json.sig", dir);
    char *good = read_text(sig_path);
    assert_int_equal(strlen(good), 89);

    /* Without the trailing newline: still fine. */
    write_text(sig_path, good, 88);
    assert_int_equal(package_verify_signature(dir, one, 1, &why), 0);

    const char *what[] = {
        "\r\n",
        "\n\n",
        " ",
        "\nx",
    };
    for (size_t i = 0; i < sizeof what / sizeof what[0]; i++) {
        char *bad = xasprintf("%.88s%s", good, what[i]);
        write_text(sig_path, bad, strlen(bad));
        assert_int_equal(package_verify_signature(dir, one, 1, &why), -1);
        assert_non_null(strstr(why, "election.json.sig: "));
        free(why);
        free(bad);
    }
    write_text(sig_path, good, 80);
    assert_int_equal(package_verify_signature(dir, one, 1, &why), -1);
    assert_non_null(strstr(why, "not a signature"));
    free(why);
    write_text(sig_path, "", 0);
    assert_int_equal(package_verify_signature(dir, one, 1, &why), -1);
    free(why);
    char *urlsafe = xstrdup(good);
    for (char *c = urlsafe; *c; c++)
        *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
    if (strcmp(urlsafe, good) != 0) {
        write_text(sig_path, urlsafe, strlen(urlsafe));
        assert_int_equal(package_verify_signature(dir, one, 1, &why), -1);
        free(why);
    }
    free(urlsafe);
    assert_int_equal(unlink(sig_path), 0);
    assert_int_equal(package_verify_signature(dir, one, 1, &why), -1);
    assert_non_null(strstr(why, "election.json.sig: no such file"));
    free(why);

    free(good);
    free(sig_path);
    free(sec);
    free(dir);
}

static void
test_sign_refuses_invalid_package(void **state)
{
    (void)state;
    unsigned char pk[32];
    keygen("inv", pk);
    char *doc = xstrdup(base_json);
    memcpy(strstr(doc, "2026-03-15"), "2026-02-30", 10);
    char *dir = make_package("inv", doc);
    char *sec = in_tmp("inv.key");
    char *why = unit_refused(package_sign(dir, sec, unit_why()));
    assert_non_null(strstr(why, "/inv/election.json: date:"));
    free(why);
    char *sig = xasprintf("%s/election.json.sig", dir);
    assert_int_equal(access(sig, F_OK), -1);

    /* package_load lists the content problem and the missing signature. */
    struct election *e = NULL;
    assert_int_equal(package_load(dir, (const unsigned char(*)[32])pk, 1, &e,
                                  &why),
                     -1);
    assert_null(e);
    assert_int_equal(count_lines(why), 2);
    assert_non_null(strstr(why, "election.json.sig: no such file"));
    free(why);
    free(sig);
    free(sec);
    free(dir);
    free(doc);
}

static void
test_secret_key_formats(void **state)
{
    (void)state;
    /* A 64-byte libsodium secret key (seed, then public key) signs too. */
    unsigned char pk[32], sk[64];
    crypto_sign_keypair(pk, sk);
    char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, sk, 64, sodium_base64_VARIANT_ORIGINAL);
    char *sec = in_tmp("long.key");
    write_text(sec, b64, strlen(b64));
    char *dir = make_package("long", base_json);
    char *why = NULL;
    assert_int_equal(package_sign(dir, sec, &why), 0);
    assert_int_equal(package_verify_signature(dir,
                                              (const unsigned char(*)[32])pk, 1,
                                              &why),
                     0);

    /* A damaged 64-byte key whose halves do not belong together. */
    sk[40] ^= 1;
    sodium_bin2base64(b64, sizeof b64, sk, 64, sodium_base64_VARIANT_ORIGINAL);
    write_text(sec, b64, strlen(b64));
    assert_int_equal(package_sign(dir, sec, &why), -1);
    assert_non_null(strstr(why, "damaged secret key"));
    free(why);

    write_text(sec, "not a key\n", 10);
    assert_int_equal(package_sign(dir, sec, &why), -1);
    assert_non_null(strstr(why, "not a secret key"));
    free(why);
    free(sec);
    free(dir);
}

static void
test_public_key_files(void **state)
{
    (void)state;
    unsigned char a[32], b[32];
    keygen("pa", a);
    keygen("pb", b);
    char *pa = in_tmp("pa.pub"), *pb = in_tmp("pb.pub");
    char *la = read_text(pa), *lb = read_text(pb);
    char *text = xasprintf("# commission keys\n\n  %s# spare\n%s", la, lb);
    char *path = in_tmp("keys.pub");
    write_text(path, text, strlen(text));
    unsigned char(*keys)[PACKAGE_KEY_BYTES] = NULL;
    size_t n = 0;
    char *why = NULL;
    assert_int_equal(package_read_public_keys(path, &keys, &n, &why), 0);
    assert_int_equal(n, 2);
    assert_memory_equal(keys[0], a, 32);
    assert_memory_equal(keys[1], b, 32);
    free(keys);
    free(text);

    text = xasprintf("%sAAAA\n", la);
    write_text(path, text, strlen(text));
    keys = NULL;
    assert_int_equal(package_read_public_keys(path, &keys, &n, &why), -1);
    assert_null(keys);
    assert_non_null(strstr(why, "keys.pub:2: not a public key"));
    free(why);
    free(text);

    write_text(path, "# nothing\n", 10);
    assert_int_equal(package_read_public_keys(path, &keys, &n, &why), -1);
    assert_non_null(strstr(why, "holds no public key"));
    free(why);

    unsigned char k[32];
    assert_int_equal(package_parse_public_key("", k, &why), -1);
    free(why);
    char *a86 = repeat("A", 86);
    char *sig_like = xasprintf("%s==\n", a86);
    assert_int_equal(package_parse_public_key(sig_like, k, &why), -1);
    assert_non_null(strstr(why, "64 bytes"));
    free(why);
    free(sig_like);
    free(a86);

    free(la);
    free(lb);
    free(path);
    free(pa);
    free(pb);
}

static void
test_read_errors(void **state)
{
    (void)state;
    struct election *e = NULL;
    char *why = NULL;
    char *empty = in_tmp("empty");
    assert_int_equal(mkdir(empty, 0755), 0);
    assert_int_equal(package_read(empty, &e, &why), -1);
    assert_non_null(strstr(why, "/empty/election.json: no such file"));
    free(why);

    char *big = xcalloc(1, PACKAGE_MAX_BYTES + 2);
    memset(big, ' ', PACKAGE_MAX_BYTES + 1);
    big[0] = '{';
    big[PACKAGE_MAX_BYTES] = '}';
    char *path = xasprintf("%s/election.json", empty);
    write_text(path, big, PACKAGE_MAX_BYTES + 1);
    assert_int_equal(package_read(empty, &e, &why), -1);
    assert_non_null(strstr(why, "at most 1048576"));
    free(why);
    char hex[65];
    assert_int_equal(package_hash_file(empty, hex, &why), -1);
    free(why);
    assert_null(e);

    /* Problems name the file by its path when read from a directory. */
    write_text(path, "{\"format\": 1}", 13);
    assert_int_equal(package_read(empty, &e, &why), -1);
    char *expect = xasprintf("%s: format: must be", path);
    assert_non_null(strstr(why, expect));
    free(expect);
    free(why);

    free(path);
    free(big);
    free(empty);
}

UNIT_MAIN(setup_dir, teardown_dir, cmocka_unit_test(test_valid_package_parses),
          cmocka_unit_test(test_boundaries_accepted),
          cmocka_unit_test(test_unknown_keys),
          cmocka_unit_test(test_duplicate_ids), cmocka_unit_test(test_ids),
          cmocka_unit_test(test_dates), cmocka_unit_test(test_positions),
          cmocka_unit_test(test_against_all), cmocka_unit_test(test_boxes),
          cmocka_unit_test(test_paper_kind_marks),
          cmocka_unit_test(test_counts), cmocka_unit_test(test_texts),
          cmocka_unit_test(test_invalid_utf8_reports_position),
          cmocka_unit_test(test_syntax_error_line_column),
          cmocka_unit_test(test_all_problems_reported_together),
          cmocka_unit_test(test_problem_flood_is_capped),
          cmocka_unit_test(test_keygen_files),
          cmocka_unit_test(test_sign_and_verify),
          cmocka_unit_test(test_malformed_signatures),
          cmocka_unit_test(test_sign_refuses_invalid_package),
          cmocka_unit_test(test_secret_key_formats),
          cmocka_unit_test(test_public_key_files),
          cmocka_unit_test(test_read_errors))
