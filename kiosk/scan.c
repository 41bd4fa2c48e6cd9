/*
 * The scanning items (see scan.h): one table, read in ring order, so that
 * what is shown, what is said and what Select does come from one place.
 */
#include "kiosk/scan.h"

#include <stdio.h>
#include <string.h>

struct scan_item {
    const char *label; /* message id */
    int id;
    enum action action;
};

static const struct scan_item field_items[] = {
    {N_("Delete the last digit"), SCAN_ID_DELETE, ACTION_DELETE},
    {N_("Done: confirm the number"), SCAN_ID_DONE, ACTION_SELECT},
};

static const struct scan_item section_items[] = {
    {N_("Next section"), SCAN_ID_NEXT_SECTION, ACTION_RIGHT},
    {N_("Previous section"), SCAN_ID_PREV_SECTION, ACTION_LEFT},
};

static const struct scan_item global_items[] = {
    {N_("Repeat the screen"), SCAN_ID_REPEAT, ACTION_REPEAT},
    {N_("Help"), SCAN_ID_HELP, ACTION_HELP},
    {N_("Louder"), SCAN_ID_LOUDER, ACTION_VOLUME_UP},
    {N_("Quieter"), SCAN_ID_QUIETER, ACTION_VOLUME_DOWN},
    {N_("Change the language"), SCAN_ID_LANGUAGE, ACTION_LANGUAGE},
    {N_("Back"), SCAN_ID_BACK, ACTION_BACK},
};

#define N_OF(a) (sizeof(a) / sizeof(a)[0])

void
scan_view(const struct ctx *c, struct view *v, bool number, bool sections)
{
    if (number) {
        /* 1 to 9, then 0, as on a telephone. */
        for (int i = 1; i <= 10; i++)
            view_option(v, SCAN_ID_DIGIT(i % 10), "%d", i % 10);
        for (size_t i = 0; i < N_OF(field_items); i++)
            view_option(v, field_items[i].id, "%s", T(c, field_items[i].label));
    }
    for (size_t i = 0; sections && i < N_OF(section_items); i++)
        view_option(v, section_items[i].id, "%s", T(c, section_items[i].label));
    for (size_t i = 0; i < N_OF(global_items); i++)
        view_option(v, global_items[i].id, "%s", T(c, global_items[i].label));
}

bool
scan_is_item(int id)
{
    return id <= SCAN_ID_FIRST && id >= SCAN_ID_LAST;
}

static const struct scan_item *
scan_find(int id)
{
    for (size_t i = 0; i < N_OF(field_items); i++)
        if (field_items[i].id == id)
            return &field_items[i];
    for (size_t i = 0; i < N_OF(section_items); i++)
        if (section_items[i].id == id)
            return &section_items[i];
    for (size_t i = 0; i < N_OF(global_items); i++)
        if (global_items[i].id == id)
            return &global_items[i];
    return NULL;
}

bool
scan_item_key(int id, const char *name, struct key *k)
{
    if (!scan_is_item(id))
        return false;
    struct key out = {.action = ACTION_NONE, .name = name, .option = -1};
    if (id <= SCAN_ID_DIGIT(0) && id >= SCAN_ID_DIGIT(9)) {
        out.action = ACTION_DIGIT;
        out.codepoint = (unsigned)('0' + (SCAN_ID_DIGIT(0) - id));
    } else {
        const struct scan_item *it = scan_find(id);
        if (it == NULL)
            return false;
        out.action = it->action;
    }
    *k = out;
    return true;
}
