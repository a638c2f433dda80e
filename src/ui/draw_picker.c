/* The scenario picker; see draw_picker.h. */
#include "ui/draw_picker.h"

#include "ui/narrate.h"

/* Where a scenario comes from, as its row says it; built-in: nothing. */
static const char *
draw_picker_origin(enum scenario_origin o, bool zh)
{
    switch (o) {
    case ORIGIN_SYNFIN_PATH: return "SYNFIN_PATH";
    case ORIGIN_USER: return zh ? "你的文件夹" : "your folder";
    default: return "";
    }
}

/* Under the list: the chosen scenario's description, or why its file does
 * not load; and the file, when it is not a built-in one. */
static void
draw_picker_about(struct canvas *c, const struct catalog_entry *e,
                  const char *lang)
{
    bool zh = narrate_is_zh(lang);
    int w = c->w, h = c->h, lines = e->origin == ORIGIN_BUILTIN ? 4 : 3;

    if (e->error) {
        canvas_text(c, 2, h - 6, w - 4,
                    zh ? "这个文件无法加载：" : "This file does not load:",
                    ROLE_DROP, CANVAS_BOLD);
        canvas_wrap(c, 2, h - 5, w - 4, lines - 1, e->error, ROLE_DROP, 0);
    } else {
        const char *d = i18n_get(&e->description, lang);
        canvas_wrap(c, 2, h - 6, w - 4, lines, d ? d : "", ROLE_TEXT, 0);
    }
    if (e->origin != ORIGIN_BUILTIN)
        canvas_printf(c, 2, h - 3, w - 4, ROLE_DIM, 0, "%s%s",
                      zh ? "文件：" : "File: ", e->path);
}

void
draw_picker(struct canvas *c, const struct catalog *cat, size_t sel,
            const char *lang, const char *message)
{
    bool zh = narrate_is_zh(lang);
    int w = c->w, h = c->h, top = 0, rows, y;

    canvas_fill(c, 0, 0, w, 1, ' ', ROLE_TITLE, CANVAS_REVERSE);
    canvas_text(c, 1, 0, w - 2,
                zh ? "synfin \u2502 选择一个场景：TCP 如何建立和关闭连接"
                   : "synfin \u2502 Pick a scenario: how TCP opens and closes "
                     "connections",
                ROLE_TITLE, CANVAS_BOLD | CANVAS_REVERSE);

    /* The list on top, the chosen one's description under it. */
    rows = h - 9;
    if (sel >= (size_t)rows)
        top = (int)sel - rows + 1;
    y = 2;
    for (size_t i = (size_t)top; i < cat->n && y < 2 + rows; i++, y++) {
        const struct catalog_entry *e = &cat->e[i];
        bool cur = i == sel;
        int col;
        if (cur)
            canvas_fill(c, 1, y, w - 2, 1, ' ', ROLE_CURSOR, CANVAS_REVERSE);
        col = canvas_text(c, 2, y, 3, cur ? "\u25b8 " : "  ", ROLE_CURSOR,
                          cur ? CANVAS_BOLD | CANVAS_REVERSE : 0);
        col +=
            canvas_text(c, 2 + col, y, w - 4 - col, i18n_get(&e->title, lang),
                        cur        ? ROLE_CURSOR
                        : e->error ? ROLE_DROP
                                   : ROLE_TEXT,
                        cur ? CANVAS_BOLD | CANVAS_REVERSE : CANVAS_BOLD);
        canvas_printf(c, 2 + col, y, w - 4 - col, cur ? ROLE_CURSOR : ROLE_DIM,
                      cur ? CANVAS_REVERSE : 0, "  (%s%s%s)", e->name,
                      e->origin == ORIGIN_BUILTIN ? "" : " \u00b7 ",
                      draw_picker_origin(e->origin, zh));
    }
    if (cat->n == 0)
        canvas_text(c, 2, 2, w - 4,
                    zh ? "没有找到内置场景。" : "No built-in scenarios found.",
                    ROLE_DROP, CANVAS_BOLD);
    canvas_hline(c, 0, h - 7, w, 0x2500, ROLE_BORDER, 0);
    if (sel < cat->n)
        draw_picker_about(c, &cat->e[sel], lang);
    if (message)
        canvas_wrap(c, 2, h - 2, w - 4, 1, message, ROLE_DROP, CANVAS_BOLD);
}
