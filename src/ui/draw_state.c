/* The state boxes; see draw_state.h. */
#include "ui/draw_state.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui/narrate.h"

/* The state bar: the name in the state's colour, reversed, centred. */
static void
draw_state_bar(struct canvas *c, int x, int y, int w, int rows, int state)
{
    int role = draw_state_role(state);
    const char *name = tcp_state_name((enum tcp_state)state);
    char spaced[64];
    size_t len = strlen(name), n = 0;

    canvas_fill(c, x, y, w, rows, ' ', role, CANVAS_REVERSE);
    /* On a big bar with room, spread the letters out: it reads from afar. */
    if (rows >= 3 && (int)len * 2 - 1 <= w - 4 && len * 2 < sizeof spaced) {
        for (size_t i = 0; i < len; i++) {
            spaced[n++] = name[i];
            if (i + 1 < len)
                spaced[n++] = ' ';
        }
        spaced[n] = '\0';
        name = spaced;
    }
    int nw = canvas_str_width(name);
    canvas_text(c, x + (w - nw) / 2, y + rows / 2, w, name, role,
                CANVAS_BOLD | CANVAS_REVERSE);
}

/* Place "LABEL value" items greedily on up to rows lines; returns rows used. */
static int
draw_state_items(struct canvas *c, int x, int y, int w, int rows,
                 const char *const *items, size_t n, int role)
{
    int col = 0, row = 0;
    for (size_t i = 0; i < n && row < rows; i++) {
        int iw = canvas_str_width(items[i]);
        if (col > 0 && col + 2 + iw > w) {
            row++;
            col = 0;
            if (row >= rows)
                break;
        }
        if (col > 0)
            col += 2;
        canvas_text(c, x + col, y + row, w - col, items[i], role, 0);
        col += iw;
    }
    return row < rows ? row + 1 : rows; /* an item left out took no row */
}

static void
draw_state_timer(struct canvas *c, int x, int y, int w, int side, int kind,
                 const struct tcb_view *t, const struct draw_view *v)
{
    static const char *const names[2][TIMER__COUNT] = {
        {
            [TIMER_RTX] = "RTO",
            [TIMER_TIME_WAIT] = "2MSL",
            [TIMER_FIN_WAIT_2] = "FIN-WAIT-2",
            [TIMER_DELACK] = "delayed ACK",
            [TIMER_KEEPALIVE] = "keepalive",
            [TIMER_LOSS_PROBE] = "tail-loss probe",
        },
        {
            [TIMER_RTX] = "RTO",
            [TIMER_TIME_WAIT] = "2MSL",
            [TIMER_FIN_WAIT_2] = "FIN-WAIT-2",
            [TIMER_DELACK] = "延迟确认",
            [TIMER_KEEPALIVE] = "保活",
            [TIMER_LOSS_PROBE] = "尾部丢失探测",
        },
    };
    uint64_t exp = t->timer_us[kind];
    uint64_t left = exp > v->now_us ? exp - v->now_us : 0;
    uint64_t len = draw_timer_length(v, v->ev, side, kind, exp);
    char label[32], rest[24];
    int lw = 12, rw, bw, full;

    if (kind == TIMER_RTX && t->backoff)
        snprintf(label, sizeof label, "RTO #%u", t->backoff + 1);
    else
        snprintf(label, sizeof label, "%s",
                 names[narrate_is_zh(v->lang) ? 1 : 0][kind]);
    draw_duration(left, rest, sizeof rest);
    rw = canvas_str_width(rest);
    /* "tail-loss probe" is longer than the other names: where the box has
     * room, its bar starts later rather than its name being cut. */
    if (canvas_str_width(label) + 1 > lw)
        lw = canvas_str_width(label) + 1;
    if (lw > w - rw - 1)
        lw = w - rw - 1 > 12 ? w - rw - 1 : 12;
    if (len < left)
        len = left;
    bw = w - lw - rw - 1;
    canvas_text(c, x, y, lw, label, ROLE_TIMER, CANVAS_BOLD);
    if (bw >= 4) {
        full = len ? (int)((left * (uint64_t)bw + len - 1) / len) : 0;
        canvas_fill(c, x + lw, y, full, 1, 0x2588, ROLE_TIMER, 0);
        canvas_fill(c, x + lw + full, y, bw - full, 1, 0x2591, ROLE_DIM, 0);
    }
    canvas_text(c, x + w - rw, y, rw, rest, ROLE_TIMER, 0);
}

void
draw_state_box(struct canvas *c, int x, int y, int w, int h, int side,
               const struct draw_view *v)
{
    const struct trace_event *e = draw_event(v, v->ev);
    struct tcb_view now = e ? trace_view(v->trace, e, side)
                            : (struct tcb_view){.state = TCP_CLOSED};
    const struct tcb_view *t = &now;
    int state = t->exists ? t->state : TCP_CLOSED;
    int role = side == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER;
    int ix = x + 2, iw = w - 4, iy = y + 1, ih = h - 2, bar;
    char title[48], a[40], b[40], d[40];
    const char *items[3];
    bool synced;
    int ntimers = 0;

    if (w < 16 || h < 4)
        return;
    if (t->exists && t->lport)
        snprintf(title, sizeof title, "%s :%u", narrate_side(side, v->lang),
                 t->lport);
    else
        snprintf(title, sizeof title, "%s", narrate_side(side, v->lang));
    canvas_box(c, x, y, w, h, role, title, role);

    bar = ih >= 9 ? 3 : 1;
    draw_state_bar(c, x + 1, iy, w - 2, bar, state);
    iy += bar;
    ih -= bar;
    for (int k = 0; k < TIMER__COUNT; k++)
        if (t->exists && t->timer_us[k])
            ntimers++;

    /*
     * What the state means, whole (wrapped, never cut where there is any
     * room), and the running timers come first: on a small screen (a
     * projector at a large font) the sequence variables and the open
     * directions give way to them.
     */
    if (ntimers > ih - 1)
        ntimers = ih - 1 > 0 ? ih - 1 : 0;
    if (ih > 0) {
        const char *meaning = narrate_state_meaning(state, v->lang);
        int need = canvas_wrap(c, ix, iy, iw, 0, meaning, ROLE_TEXT, 0);
        int mrows = ih - ntimers;
        /* Beyond what it needs, and keep a row for the variables when the
         * meaning fits in one. */
        if (mrows > need)
            mrows = need;
        if (mrows < 1)
            mrows = 1;
        iy += canvas_wrap(c, ix, iy, iw, mrows, meaning, ROLE_TEXT, 0);
        ih = h - 1 - (iy - y) - ntimers;
    }

    /* The sequence variables. */
    synced = t->exists && state != TCP_LISTEN && state != TCP_CLOSED;
    if (ih > 0 && synced) {
        bool rel = !v->absolute;
        bool have_irs = state != TCP_SYN_SENT;
        snprintf(a, sizeof a, "SND.UNA %" PRIu32,
                 rel ? t->snd_una - t->iss : t->snd_una);
        snprintf(b, sizeof b, "SND.NXT %" PRIu32,
                 rel ? t->snd_nxt - t->iss : t->snd_nxt);
        if (have_irs)
            snprintf(d, sizeof d, "RCV.NXT %" PRIu32,
                     rel ? t->rcv_nxt - t->irs : t->rcv_nxt);
        else
            snprintf(d, sizeof d, "RCV.NXT -");
        items[0] = a;
        items[1] = b;
        items[2] = d;
        iy += draw_state_items(c, ix, iy, iw, ih - 1 > 1 ? 2 : 1, items, 3,
                               ROLE_TEXT);
        ih = h - 1 - (iy - y) - ntimers;
    } else if (ih > 0 && state == TCP_CLOSED) {
        canvas_text(c, ix, iy++, iw,
                    narrate_is_zh(v->lang) ? "没有 TCB" : "no TCB", ROLE_DIM,
                    0);
        ih--;
    }

    /* Which directions are open (a half-close shows here). */
    if (ih > 0 && synced) {
        bool zh = narrate_is_zh(v->lang);
        int col =
            canvas_text(c, ix, iy, iw, zh ? "发送 " : "send ", ROLE_DIM, 0);
        col += canvas_text(
            c, ix + col, iy, iw - col,
            t->wr_open ? (zh ? "开" : "open") : (zh ? "关" : "shut"),
            t->wr_open ? ROLE_ST_EST : ROLE_ST_PASSIVE, CANVAS_BOLD);
        col += canvas_text(c, ix + col, iy, iw - col,
                           zh ? "   接收 " : "   recv ", ROLE_DIM, 0);
        canvas_text(c, ix + col, iy, iw - col,
                    t->rd_open ? (zh ? "开" : "open") : (zh ? "关" : "shut"),
                    t->rd_open ? ROLE_ST_EST : ROLE_ST_PASSIVE, CANVAS_BOLD);
        iy++;
        ih--;
    }

    /* Every running timer with its countdown (the rows kept for them). */
    for (int k = 0; k < TIMER__COUNT && ntimers > 0; k++) {
        if (!t->exists || !t->timer_us[k])
            continue;
        draw_state_timer(c, ix, iy++, iw, side, k, t, v);
        ntimers--;
    }
}
