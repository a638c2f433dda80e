/* The crowd view; see draw_crowd.h. */
#include "ui/draw_crowd.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/narrate.h"

enum { LABEL_W = 13, NUM_W = 7 }; /* "SYN-RECEIVED ", " 12345" */

/* What one pass over the trace gives: per slice of time the most
 * connections in each state, the counts at the current event, the peaks. */
struct crowd {
    int ncols;
    uint64_t span_us;                     /* the run's length */
    int64_t (*most)[2][TCP__STATE_COUNT]; /* [col][side][state] */
    struct state_counts now;
    int64_t peak[2][TCP__STATE_COUNT];
};

static int
col_of(const struct crowd *k, uint64_t t_us)
{
    uint64_t col =
        k->span_us ? t_us * (uint64_t)k->ncols / (k->span_us + 1) : 0;
    return (int)(col < (uint64_t)k->ncols ? col : (uint64_t)k->ncols - 1);
}

static bool
crowd_count(struct crowd *k, const struct draw_view *v, int ncols)
{
    const struct trace *t = v->trace;
    struct state_counts c;
    int last = 0;

    memset(k, 0, sizeof *k);
    memset(&c, 0, sizeof c);
    k->ncols = ncols;
    k->span_us = t->len ? t->ev[t->len - 1].t_us : 0;
    k->most = calloc((size_t)ncols, sizeof *k->most);
    if (!k->most)
        return false;
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = &t->ev[i];
        int col = col_of(k, e->t_us);

        /* A slice the run passed without a change holds the counts it
         * came in with. */
        for (; last < col; last++)
            memcpy(k->most[last + 1], c.n, sizeof c.n);
        state_counts_step(&c, e);
        for (int s = 0; s < 2; s++)
            for (int st = 0; st < TCP__STATE_COUNT; st++) {
                if (c.n[s][st] > k->most[col][s][st])
                    k->most[col][s][st] = c.n[s][st];
                if (c.n[s][st] > k->peak[s][st])
                    k->peak[s][st] = c.n[s][st];
            }
        if (v->ev != DRAW_NONE && i == v->ev)
            k->now = c;
    }
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
    for (int col = 0; col < k->ncols; col++) {
        int64_t n = k->most[col][side][st], peak = k->peak[side][st];
        /* ▁ to █: at least one eighth for any connection at all. */
        int level = n <= 0 ? 0 : (int)((n * 8 + peak - 1) / peak);
        uint32_t ch = level ? 0x2580 + (uint32_t)level : ' ';
        canvas_put(c, x + LABEL_W + col, y, ch, role,
                   col == cursor ? CANVAS_REVERSE : 0);
    }
    snprintf(num[0], sizeof num[0], "%" PRId64, k->now.n[side][st]);
    snprintf(num[1], sizeof num[1], "%" PRId64, k->peak[side][st]);
    for (int i = 0; i < 2; i++)
        canvas_text(c,
                    x + LABEL_W + k->ncols + (i + 1) * NUM_W -
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
    cursor = v->ev == DRAW_NONE ? -1 : col_of(&k, v->now_us);
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
            if (st != TCP_CLOSED && k.peak[side][st] > 0)
                draw_row(c, x, row++, &k, side, st, cursor);
    }
    /* The time axis, the cursor's time under its slice. */
    canvas_hline(c, x + LABEL_W, axis, ncols, 0x2500, ROLE_DIM, 0);
    draw_time(0, t0, sizeof t0);
    draw_time(k.span_us, t1, sizeof t1);
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
    draw_duration(k.span_us / (uint64_t)ncols + 1, slice, sizeof slice);
    snprintf(line, sizeof line,
             zh ? "每列 %s；柱高是该时段内处于该状态的连接数的最大值，"
                  "相对于峰值"
                : "Each column is %s of the run; its height is the most "
                  "connections in that state during it, against the peak.",
             slice);
    canvas_wrap(c, x, axis + 2, w - 4, 2, line, ROLE_DIM, 0);
    free(k.most);
}
