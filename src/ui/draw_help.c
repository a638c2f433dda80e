/* The help screen; see draw_help.h. */
#include "ui/draw_help.h"

#include "ui/keys.h"
#include "ui/narrate.h"

void
draw_help(struct canvas *c, int x, int y, int w, int h, const char *lang)
{
    size_t n;
    const struct keys_entry *k = keys_table(&n);
    bool zh = narrate_is_zh(lang);
    int row = y + 1, col = x + 2, colw = w - 4;

    canvas_box(c, x, y, w, h, ROLE_BORDER, zh ? "帮助：按键" : "Help: keys",
               ROLE_TITLE);
    /* Two columns when the screen is wide enough. */
    if (w >= 110)
        colw = (w - 6) / 2;
    for (int g = 0; g < KEYS_GROUP__COUNT; g++) {
        int need = 2;
        for (size_t i = 0; i < n; i++)
            need += k[i].group == (enum keys_group)g;
        if (row + need > y + h - 1 && colw < w - 4 && col == x + 2) {
            col = x + 4 + colw;
            row = y + 1;
        }
        if (row >= y + h - 1)
            break;
        canvas_text(c, col, row++, colw,
                    keys_group_name((enum keys_group)g, lang), ROLE_TITLE,
                    CANVAS_BOLD);
        for (size_t i = 0; i < n && row < y + h - 1; i++) {
            if (k[i].group != (enum keys_group)g)
                continue;
            canvas_text(c, col + 2, row, 9, k[i].names, ROLE_KEY, CANVAS_BOLD);
            canvas_text(c, col + 12, row, colw - 12,
                        zh ? k[i].help_zh : k[i].help, ROLE_TEXT, 0);
            row++;
        }
        row++;
    }
    if (row < y + h - 1)
        canvas_wrap(c, x + 2, y + h - 2, w - 4, 1,
                    zh ? "点击在途报文的 \u25cf 可选中它。按 ? 或 q 返回。"
                       : "Click a packet's \u25cf to select it. Press ? or q "
                         "to go back.",
                    ROLE_DIM, 0);
}
