/*
 * The scenario picker as a mode of the session (MODE_PICKER): the session
 * has no scenario open, only the list and the choice; see session.h.
 */
#include <stdbool.h>
#include <string.h>

#include "synfin/trace.h"
#include "ui/narrate.h"
#include "ui/session_priv.h"

/* What outlives a scenario: the language, the terminal, the picker. */
struct session_keep {
    const char *lang;
    bool ascii;
    const struct catalog *cat;
    size_t pick;
};

static struct session_keep
session_keep(const struct session *s)
{
    struct session_keep k = {s->lang, s->ascii, s->cat, s->pick};
    return k;
}

static void
session_restore(struct session *s, const struct session_keep *k)
{
    s->ascii = k->ascii;
    s->cat = k->cat;
    s->pick = k->pick;
}

void
session_open_picker(struct session *s, const struct catalog *cat,
                    const char *lang)
{
    memset(s, 0, sizeof *s);
    s->mode = MODE_PICKER;
    s->lang = lang && *lang ? lang : "en";
    s->speed = 2;
    s->quiz_show = -1;
    s->cat = cat;
    trace_init(&s->trace);
}

void
session_open_chosen(struct session *s, struct scenario *scn, const char *err)
{
    struct session_keep k = session_keep(s);
    bool demo = s->open_path[0] != '\0';

    s->open_path[0] = '\0';
    if (!scn) {
        session_message(s, "%s", err ? err : "");
        return;
    }
    session_close(s);
    session_open(s, scn, k.lang);
    session_restore(s, &k);
    if (demo)
        session_message(s,
                        ZH(s) ? "这是演示场景 %s：按 n 单步观看，按 o "
                                "打开其他场景。"
                              : "The demo, %s: n steps through it, o opens "
                                "another scenario.",
                        scn->name ? scn->name : "");
}

int
session_to_picker(struct session *s)
{
    struct session_keep k = session_keep(s);

    if (!s->cat || s->cat->n == 0)
        return SESSION_REDRAW;
    session_close(s);
    session_open_picker(s, k.cat, k.lang);
    session_restore(s, &k);
    return SESSION_REDRAW;
}

int
session_picker_act(struct session *s, enum keys_action a)
{
    size_t n = s->cat ? s->cat->n : 0;

    switch (a) {
    case ACT_OPEN: return s->pick < n ? SESSION_OPEN | SESSION_REDRAW : 0;
    case ACT_LANG: return session_lang(s);
    case ACT_QUIT: return SESSION_QUIT;
    default: return 0;
    }
}

int
session_picker_key(struct session *s, int key)
{
    enum keys_action a = keys_lookup(KEYS_PICKER, key);
    size_t n = s->cat ? s->cat->n : 0;

    /* Any key clears the last message (a file that did not load). */
    s->message[0] = '\0';
    if (a != ACT_CHOOSE)
        return session_act(s, a) | SESSION_REDRAW;
    if (key == KEYS_UP || key == 'k') {
        if (s->pick > 0)
            s->pick--;
    } else if (s->pick + 1 < n) {
        s->pick++;
    }
    return SESSION_REDRAW;
}
