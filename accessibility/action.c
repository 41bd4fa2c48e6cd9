/*
 * Action identifiers and descriptions. Descriptions are message ids: the
 * app translates them when key-describe mode names a key.
 */
#include "accessibility/action.h"

#include <string.h>

#include "accessibility/i18n.h"

struct action_info {
    const char *id;
    const char *describe;
};

static const struct action_info actions[ACTION_COUNT] = {
    [ACTION_NONE] = {"none", N_("does nothing here")},
    [ACTION_UP] = {"up", N_("previous item")},
    [ACTION_DOWN] = {"down", N_("next item")},
    [ACTION_LEFT] = {"left", N_("previous section")},
    [ACTION_RIGHT] = {"right", N_("next section")},
    [ACTION_SELECT] = {"select", N_("choose or confirm")},
    [ACTION_BACK] = {"back", N_("go back or cancel")},
    [ACTION_DELETE] = {"delete", N_("delete the last digit, or go back")},
    [ACTION_HELP] = {"help", N_("help for this screen")},
    [ACTION_REPEAT] = {"repeat", N_("repeat")},
    [ACTION_VOLUME_UP] = {"volume-up", N_("louder")},
    [ACTION_VOLUME_DOWN] = {"volume-down", N_("quieter")},
    [ACTION_FASTER] = {"faster", N_("speak faster")},
    [ACTION_SLOWER] = {"slower", N_("speak slower")},
    [ACTION_LANGUAGE] = {"language", N_("next language")},
    [ACTION_PAUSE] = {"pause", N_("pause or resume speech")},
    [ACTION_THEME] = {"theme", N_("next colour theme")},
    [ACTION_TEXT_SIZE] = {"text-size", N_("next text size")},
    [ACTION_CURTAIN] = {"curtain",
                        N_("hide or show the screen; speech goes on")},
    [ACTION_DIGIT] = {"digit", N_("types a digit where a number is asked")},
    [ACTION_CHAR] = {"char", N_("types a letter where a name is asked")},
    [ACTION_STAFF] = {"staff", N_("staff login")},
    [ACTION_NEXT] = {"next", N_("move to the next item")},
};

const char *
action_describe(enum action action)
{
    if ((unsigned)action >= ACTION_COUNT)
        return actions[ACTION_NONE].describe;
    return actions[action].describe;
}

const char *
action_id(enum action action)
{
    if ((unsigned)action >= ACTION_COUNT)
        return NULL;
    return actions[action].id;
}

enum action
action_from_id(const char *id)
{
    for (int i = 0; i < ACTION_COUNT; i++) {
        if (strcmp(actions[i].id, id) == 0)
            return (enum action)i;
    }
    return ACTION_NONE;
}
