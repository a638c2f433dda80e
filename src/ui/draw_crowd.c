/* The crowd view; see draw_crowd.h. */
#include "ui/draw_crowd.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/narrate.h"

enum { LABEL_W = 13, NUM_W = 7 }; /* "SYN-RECEIVED ", " 12345" */

/* The chart's slices, and the counts at the current event. */
struct crowd {
    const struct trace_crowd *t; /* the cache's, or own */
    struct trace_crowd own;
    struct state_counts now;
};

/* The slices for ncols columns: the view's cached ones if they are for
 * this run and width (rebuilt there if not), else k's own (free them). */
static const struct trace_crowd *
crowd_slices(struct crowd *k, const struct draw_view *v, int ncols)
{
    struct draw_cache *c = v->cache;

    if (!c) {
        return trace_crowd_build(&k->own, v->trace, ncols) == 0 ? &k->own
                                                                : NULL;
    }
    if (c->run != v->run || c->crowd.ncols != ncols || !c->crowd.most) {
        trace_crowd_free(&c->crowd);
        c->crowd.ncols = 0;
        if (trace_crowd_build(&c->crowd, v->trace, ncols) != 0)
            return NULL;
        c->run = v->run;
    }
    return &c->crowd;
}

static bool
crowd_count(struct crowd *k, const struct draw_view *v, int ncols)
{
    memset(k, 0, sizeof *k);
    k->t = crowd_slices(k, v, ncols);
    if (!k->t)
        return false;
    if (v->ev != DRAW_NONE)
        trace_crowd_at(k->t, v->trace, v->ev, &k->now);
    return true;
}

/* One state's row: its name, the bars, the count now and the peak. */
static void
draw_row(struct canvas *c, int x, int y, const struct crowd *k, int side,
         int st, int cursor)
{
    char num[2][24];
    int role = draw_state_role(st);

    canvas_text(c, x, y, LABEL_W - 1, tcp_state_name((enum tcp_state)st), role,
                0);
    for (int col = 0; col < k->t->ncols; col++) {
        int64_t n = k->t->most[col][side][st], peak = k->t->peak[side][st];
        /* ▁ to █: at least one eighth for any connection at all. */
        int level = n <= 0 ? 0 : (int)((n * 8 + peak - 1) / peak);
        uint32_t ch = level ? 0x2580 + (uint32_t)level : ' ';
        canvas_put(c, x + LABEL_W + col, y, ch, role,
                   col == cursor ? CANVAS_REVERSE : 0);
    }
    snprintf(num[0], sizeof num[0], "%" PRId64, k->now.n[side][st]);
    snprintf(num[1], sizeof num[1], "%" PRId64, k->t->peak[side][st]);
    for (int i = 0; i < 2; i++)
        canvas_text(c,
                    x + LABEL_W + k->t->ncols + (i + 1) * NUM_W -
                        canvas_str_width(num[i]),
                    y, NUM_W, num[i], i == 0 ? ROLE_CURSOR : ROLE_DIM,
                    i == 0 ? CANVAS_BOLD : 0);
}

void
draw_crowd(struct canvas *c, int x, int y, int w, int h,
           const struct draw_view *v)
{
    static const char *const side_en[2] = {"client", "server"};
    static const char *const side_zh[2] = {"客户端", "服务器"};
    bool zh = narrate_is_zh(v->lang);
    /* Under the rows: the time axis, its ends, and what a column is. */
    int ncols = w - 4 - LABEL_W - 2 * NUM_W, row = y + 1, axis = y + h - 5;
    int cursor;
    struct crowd k;
    char t0[24], t1[24], now[24], slice[24], line[160];

    canvas_box(c, x, y, w, h, ROLE_BORDER,
               zh ? "各状态的连接数" : "Connections in each state", ROLE_TITLE);
    if (ncols < 8 || h < 9 || !crowd_count(&k, v, ncols))
        return;
    cursor = v->ev == DRAW_NONE ? -1 : trace_crowd_col(k.t, v->now_us);
    x += 2;
    for (int side = 0; side < 2 && row < axis; side++) {
        canvas_text(
            c, x, row, LABEL_W + ncols, zh ? side_zh[side] : side_en[side],
            side == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER, CANVAS_BOLD);
        canvas_text(c, x + LABEL_W + ncols + NUM_W - 3, row, NUM_W,
                    zh ? "现在" : "now", ROLE_DIM, 0);
        canvas_text(c, x + LABEL_W + ncols + 2 * NUM_W - 4, row, NUM_W,
                    zh ? "峰值" : "peak", ROLE_DIM, 0);
        row++;
        for (int st = 0; st < TCP__STATE_COUNT && row < axis; st++)
            if (st != TCP_CLOSED && k.t->peak[side][st] > 0)
                draw_row(c, x, row++, &k, side, st, cursor);
    }
    /* The time axis, the cursor's time under its slice. */
    canvas_hline(c, x + LABEL_W, axis, ncols, 0x2500, ROLE_DIM, 0);
    draw_time(0, t0, sizeof t0);
    draw_time(k.t->span_us, t1, sizeof t1);
    canvas_printf(c, x + LABEL_W, axis + 1, ncols, ROLE_DIM, 0, "%s s", t0);
    snprintf(line, sizeof line, "%s s", t1);
    canvas_text(c, x + LABEL_W + ncols - canvas_str_width(line), axis + 1,
                ncols, line, ROLE_DIM, 0);
    if (cursor >= 0) {
        draw_time(v->now_us, now, sizeof now);
        snprintf(line, sizeof line, "\u25b2 t=%s s", now);
        int lx = x + LABEL_W + cursor;
        if (lx + canvas_str_width(line) > x + LABEL_W + ncols)
            lx = x + LABEL_W + ncols - canvas_str_width(line);
        canvas_text(c, lx, axis, ncols, line, ROLE_CURSOR, CANVAS_BOLD);
    }
    draw_duration(k.t->span_us / (uint64_t)ncols + 1, slice, sizeof slice);
    snprintf(line, sizeof line,
             zh ? "每列 %s；柱高是该时段内处于该状态的连接数的最大值，"
                  "相对于峰值"
                : "Each column is %s of the run; its height is the most "
                  "connections in that state during it, against the peak.",
             slice);
    canvas_wrap(c, x, axis + 2, w - 4, 2, line, ROLE_DIM, 0);
    trace_crowd_free(&k.own);
}
