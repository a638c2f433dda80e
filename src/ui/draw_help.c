/* The help screen; see draw_help.h. */
#include "ui/draw_help.h"

#include <stdbool.h>
#include <stdio.h>

#include "ui/keys.h"
#include "ui/narrate.h"

/* Width of the key column. */
#define HELP_KEY_W 10
#define HELP_MAX   64

/* A group's title, or one key with its text wrapped beside it. */
struct help_block {
    int group;
    int key; /* index in the key table, -1 for the title */
    int rows;
};

struct help {
    struct canvas *c; /* NULL: measure only */
    int x, y0, y1, colw, ncols;
    const char *lang;
    const struct keys_entry *k;
    struct help_block b[HELP_MAX];
    int nb;
};

static const char *
help_text(const struct help *h, int key)
{
    return narrate_is_zh(h->lang) ? h->k[key].help_zh : h->k[key].help;
}

static void
help_blocks(struct help *h)
{
    size_t n;
    int tw = h->colw - HELP_KEY_W - 2;

    h->k = keys_table(&n);
    h->nb = 0;
    for (int g = 0; g < KEYS_GROUP__COUNT; g++) {
        /* The picker's keys are on its own key bar. */
        if (keys_group_scope((enum keys_group)g) != KEYS_VIEWER)
            continue;
        h->b[h->nb++] = (struct help_block){g, -1, 1};
        for (size_t i = 0; i < n && h->nb < HELP_MAX; i++)
            if (h->k[i].group == (enum keys_group)g)
                h->b[h->nb++] = (struct help_block){
                    g, (int)i,
                    canvas_wrap(NULL, 0, 0, tw, 0, help_text(h, (int)i), 0, 0)};
    }
}

/*
 * Lay out the blocks from `first` in the columns, drawing them if h->c is
 * set: a full column continues in the next one, a title goes with its
 * first key and has a blank row above it unless it opens a column. Returns
 * the first block that did not fit (h->nb if all did).
 */
static int
help_layout(const struct help *h, int first)
{
    int col = 0, row = h->y0, tw = h->colw - HELP_KEY_W - 2;

    for (int i = first; i < h->nb; i++) {
        const struct help_block *b = &h->b[i];
        bool title = b->key < 0;
        int need = b->rows + (title && row > h->y0);
        /* A title needs room for its first key too. */
        if (title && i + 1 < h->nb)
            need += h->b[i + 1].rows;
        if (row + need > h->y1 && row > h->y0) {
            if (++col >= h->ncols)
                return i;
            row = h->y0;
        }
        if (row + b->rows > h->y1)
            return i; /* taller than a column */
        if (title && row > h->y0)
            row++;
        if (h->c) {
            int cx = h->x + col * (h->colw + 2);
            if (title) {
                canvas_text(h->c, cx, row, h->colw,
                            keys_group_name((enum keys_group)b->group, h->lang),
                            ROLE_TITLE, CANVAS_BOLD);
            } else {
                canvas_text(h->c, cx + 2, row, HELP_KEY_W - 1,
                            h->k[b->key].names, ROLE_KEY, CANVAS_BOLD);
                canvas_wrap(h->c, cx + 2 + HELP_KEY_W, row, tw, b->rows,
                            help_text(h, b->key), ROLE_TEXT, 0);
            }
        }
        row += b->rows;
    }
    return h->nb;
}

void
draw_help(struct canvas *c, int x, int y, int w, int h, const char *lang,
          int page)
{
    bool zh = narrate_is_zh(lang);
    struct help hp = {NULL, x + 2, y + 1, y + h - 2,   w - 4,
                      1,    lang,  NULL,  {{0, 0, 0}}, 0};
    int starts[HELP_MAX], npages = 0, at = 0;
    char foot[160];

    canvas_box(c, x, y, w, h, ROLE_BORDER, zh ? "帮助：按键" : "Help: keys",
               ROLE_TITLE);
    if (hp.y1 <= hp.y0)
        return;
    /* As few columns as hold it all (up to three, each at least 30 wide);
     * else two (or one) and pages. */
    for (hp.ncols = 1; hp.ncols <= 3; hp.ncols++) {
        hp.colw = (w - 4 - 2 * (hp.ncols - 1)) / hp.ncols;
        if (hp.ncols > 1 && hp.colw < 30)
            break;
        help_blocks(&hp);
        if (help_layout(&hp, 0) == hp.nb)
            break;
    }
    if (hp.ncols > 3 || (hp.ncols > 1 && hp.colw < 30)) {
        hp.ncols = w >= 64 ? 2 : 1;
        hp.colw = (w - 4 - 2 * (hp.ncols - 1)) / hp.ncols;
        help_blocks(&hp);
    }
    /* The pages: each starts where the one before it stopped. */
    while (npages < HELP_MAX && at < hp.nb) {
        int next = help_layout(&hp, at);
        starts[npages++] = at;
        if (next == at)
            break; /* a block taller than the screen: give up */
        at = next;
    }
    if (npages == 0)
        starts[npages++] = 0;
    page %= npages;
    hp.c = c;
    help_layout(&hp, starts[page]);
    if (npages > 1)
        snprintf(foot, sizeof foot,
                 zh ? "第 %d/%d 页：n 下一页，p 上一页。按 ? 或 q 返回。"
                    : "Page %d of %d: n for more, p back. ? or q goes back.",
                 page + 1, npages);
    else
        snprintf(foot, sizeof foot, "%s",
                 zh ? "点击在途报文的 \u25cf 可选中它。按 ? 或 q 返回。"
                    : "Click a packet's \u25cf to select it. Press ? or q "
                      "to go back.");
    canvas_wrap(c, x + 2, y + h - 2, w - 4, 1, foot, ROLE_DIM, 0);
}
