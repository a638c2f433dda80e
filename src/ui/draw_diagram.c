/* The RFC 9293 state diagram view; see draw_diagram.h. */
#include "ui/draw_diagram.h"

#include <stdio.h>
#include <stdlib.h>

#include "ui/narrate.h"

/* Where Figure 5 puts each state: row 0..6, column 0..2. */
static const struct {
    int row, col;
} diagram_pos[TCP__STATE_COUNT] = {
    [TCP_CLOSED] = {0, 1},       [TCP_LISTEN] = {1, 1},
    [TCP_SYN_RECEIVED] = {2, 0}, [TCP_SYN_SENT] = {2, 2},
    [TCP_ESTABLISHED] = {3, 1},  [TCP_FIN_WAIT_1] = {4, 0},
    [TCP_CLOSE_WAIT] = {4, 2},   [TCP_FIN_WAIT_2] = {5, 0},
    [TCP_CLOSING] = {5, 1},      [TCP_LAST_ACK] = {5, 2},
    [TCP_TIME_WAIT] = {6, 1},
};

#define DIAGRAM_LABEL_W 16

struct diagram_geo {
    int gx, gy, gw, rowstep;
};

static void
diagram_at(const struct diagram_geo *g, int state, int *x, int *y)
{
    int col = diagram_pos[state].col;
    *x = g->gx + col * (g->gw - DIAGRAM_LABEL_W) / 2 + DIAGRAM_LABEL_W / 2;
    *y = g->gy + diagram_pos[state].row * g->rowstep;
}

/* The state and the transition of side after event ev. */
static void
diagram_side(const struct draw_view *v, int side, int *state, int *from,
             int *to)
{
    const struct trace_event *e = draw_event(v, v->ev);
    struct tcb_view now = e ? trace_view(v->trace, e, side)
                            : (struct tcb_view){.state = TCP_CLOSED};
    *state = now.exists ? now.state : TCP_CLOSED;
    *from = *to = -1;
    for (uint32_t i = v->ev == DRAW_NONE ? 0 : v->ev + 1; i-- > 0;) {
        const struct trace_event *s = trace_at(v->trace, i);
        if (s->kind == TRACE_STATE && s->side == side) {
            *from = s->a;
            *to = s->b;
            return;
        }
    }
}

/* A state's label: its name with a blank on each side, then the C/S
 * mark; columns [*l, *r]. */
static void
diagram_label_span(const struct diagram_geo *g, int s, int *l, int *r, int *y)
{
    int cx, nw = canvas_str_width(tcp_state_name((enum tcp_state)s));

    diagram_at(g, s, &cx, y);
    *l = cx - nw / 2 - 1;
    *r = cx - nw / 2 + nw + 2;
}

/* Is (x, y) in the label of a state other than a and b? */
static bool
diagram_label_at(const struct diagram_geo *g, int a, int b, int x, int y)
{
    for (int s = 0; s < TCP__STATE_COUNT; s++) {
        int l, r, ly;
        if (s == a || s == b)
            continue;
        diagram_label_span(g, s, &l, &r, &ly);
        if (y == ly && x >= l && x <= r)
            return true;
    }
    return false;
}

/*
 * A dotted line between two labels, with a head at its end; or, with c
 * NULL, only whether it keeps off every state's label but a's and b's.
 */
static bool
diagram_line(struct canvas *c, const struct diagram_geo *g, int a, int b,
             int x0, int y0, int x1, int y1, int role)
{
    int dx = abs(x1 - x0), dy = abs(y1 - y0), sx = x0 < x1 ? 1 : -1,
        sy = y0 < y1 ? 1 : -1, err = dx - dy, x = x0, y = y0;
    uint32_t head =
        dy >= dx ? (sy > 0 ? 0x25BC : 0x25B2) : (sx > 0 ? 0x25B6 : 0x25C0);
    for (;;) {
        int e2 = 2 * err;
        if (x == x1 && y == y1)
            return true;
        if (e2 > -dy) {
            err -= dy;
            x += sx;
        }
        if (e2 < dx) {
            err += dx;
            y += sy;
        }
        if (!c && diagram_label_at(g, a, b, x, y))
            return false;
        if (c)
            canvas_put(c, x, y, x == x1 && y == y1 ? head : 0x00B7, role,
                       CANVAS_BOLD);
    }
}

/* Draw (or, with c NULL, test) the path through channel x = chx: out of
 * from's label sideways, along the channel, into to's label. Returns false
 * if it would touch another state's label. */
static bool
diagram_path(struct canvas *c, const struct diagram_geo *g, int from, int to,
             int chx, int role)
{
    int x0, y0, x1, y1, l, r, dir;

    /* Just outside the labels (and the C/S marks right of them). */
    diagram_label_span(g, from, &l, &r, &y0);
    x0 = chx > r ? r + 1 : l - 1;
    diagram_label_span(g, to, &l, &r, &y1);
    x1 = chx > r ? r + 1 : l - 1;
    for (int x = x0; x != chx; x += chx > x0 ? 1 : -1)
        if (c ? (canvas_put(c, x, y0, 0x00B7, role, CANVAS_BOLD), false)
              : diagram_label_at(g, from, to, x, y0))
            return false;
    dir = y1 > y0 ? 1 : -1;
    for (int y = y0; y != y1; y += dir)
        if (c ? (canvas_put(c, chx, y, 0x00B7, role, CANVAS_BOLD), false)
              : diagram_label_at(g, from, to, chx, y))
            return false;
    for (int x = chx; x != x1; x += x1 > chx ? 1 : -1)
        if (c ? (canvas_put(c, x, y1, 0x00B7, role, CANVAS_BOLD), false)
              : diagram_label_at(g, from, to, x, y1))
            return false;
    if (c)
        canvas_put(c, x1, y1, x1 > chx ? 0x25B6 : 0x25C0, role, CANVAS_BOLD);
    return true;
}

/*
 * An arc that a straight line would draw through other states' labels
 * (TIME-WAIT -> CLOSED crosses CLOSING, ESTABLISHED and LISTEN) goes
 * around them instead, along a channel: between two columns of the
 * figure, or outside them when the screen is too narrow for that. Students
 * never read an arc that Figure 5 does not have.
 */
static void
diagram_route(struct canvas *c, const struct diagram_geo *g, int from, int to,
              int side, int role)
{
    int fc = diagram_pos[from].col, tc = diagram_pos[to].col;
    int right = fc == 2 || tc == 2 || (fc == 1 && tc == 1);
    int off = side ? 1 : -1;
    int inner = g->gx + (right ? 3 : 1) * (g->gw - DIAGRAM_LABEL_W) / 4 +
                DIAGRAM_LABEL_W / 2 + off;
    int outer = right ? g->gx + g->gw + 1 + off : g->gx - 1 + off;

    int chx = inner;

    if (!diagram_path(NULL, g, from, to, inner, role) &&
        diagram_path(NULL, g, from, to, outer, role))
        chx = outer;
    diagram_path(c, g, from, to, chx, role);
}

static void
diagram_panel(struct canvas *c, int x, int y, int w, int h,
              const struct draw_view *v, int side, int state, int from, int to)
{
    size_t n;
    const struct tcp_arc *arcs = tcp_arcs(&n), *last = NULL;
    bool zh = narrate_is_zh(v->lang);
    int row = y, role = side == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER;
    char buf[320], ev[160], act[160];
    int col;

    if (h <= 0)
        return;
    col = canvas_text(c, x, row, w, narrate_side(side, v->lang), role,
                      CANVAS_BOLD);
    canvas_text(c, x + col + 1, row++, w - col - 1,
                tcp_state_name((enum tcp_state)state), draw_state_role(state),
                CANVAS_BOLD | CANVAS_REVERSE);
    if (from >= 0 && to >= 0) {
        last = tcp_arc_find((enum tcp_state)from, (enum tcp_state)to);
        snprintf(buf, sizeof buf, "%s%s \u2192 %s",
                 zh ? "上一步：" : "last move: ",
                 tcp_state_name((enum tcp_state)from),
                 tcp_state_name((enum tcp_state)to));
        row += canvas_wrap(c, x, row, w, y + h - row, buf, ROLE_TEXT, 0);
        if (last && row < y + h) {
            snprintf(buf, sizeof buf, "  %s%s%s",
                     narrate_rule(last->event, v->lang, ev, sizeof ev),
                     last->action && *last->action ? " / " : "",
                     last->action
                         ? narrate_rule(last->action, v->lang, act, sizeof act)
                         : "");
            row += canvas_wrap(c, x, row, w, y + h - row, buf, ROLE_DIM, 0);
        }
    }
    if (row < y + h)
        canvas_text(c, x, row++, w,
                    zh ? "可能的下一步：" : "moves from here:", ROLE_TEXT, 0);
    for (size_t i = 0; i < n && row < y + h; i++) {
        if ((int)arcs[i].from != state)
            continue;
        snprintf(buf, sizeof buf, "%s%s%s \u2192 %s",
                 narrate_rule(arcs[i].event, v->lang, ev, sizeof ev),
                 *arcs[i].action ? " / " : "",
                 narrate_rule(arcs[i].action, v->lang, act, sizeof act),
                 tcp_state_name(arcs[i].to));
        row += canvas_wrap(c, x + 2, row, w - 2, y + h - row, buf, ROLE_DIM, 0);
    }
}

void
draw_diagram(struct canvas *c, int x, int y, int w, int h,
             const struct draw_view *v)
{
    struct diagram_geo g;
    int st[2], from[2], to[2], pw;

    canvas_box(c, x, y, w, h, ROLE_BORDER,
               narrate_is_zh(v->lang) ? "RFC 9293 状态图"
                                      : "RFC 9293 state diagram (Figure 5)",
               ROLE_TITLE);
    g.gw = w * 3 / 5;
    if (g.gw < 3 * DIAGRAM_LABEL_W)
        g.gw = 3 * DIAGRAM_LABEL_W;
    g.gx = x + 2;
    g.gy = y + 2;
    g.rowstep = (h - 4) / 6;
    if (g.rowstep < 2)
        g.rowstep = 2;
    pw = w - g.gw - 6;

    for (int side = 0; side < 2; side++)
        diagram_side(v, side, &st[side], &from[side], &to[side]);

    /* The arcs just taken, under the labels. */
    for (int side = 0; side < 2; side++) {
        int x0, y0, x1, y1;
        if (from[side] < 0 || to[side] < 0 || from[side] == to[side] ||
            from[side] >= TCP__STATE_COUNT || to[side] >= TCP__STATE_COUNT)
            continue;
        diagram_at(&g, from[side], &x0, &y0);
        diagram_at(&g, to[side], &x1, &y1);
        /* Stop beside the target's label, so the head shows. */
        if (y1 != y0)
            y1 += y1 > y0 ? -1 : 1;
        else
            x1 += x1 > x0 ? -DIAGRAM_LABEL_W / 2 : DIAGRAM_LABEL_W / 2;
        x0 += side ? 2 : -2;
        x1 += side ? 2 : -2;
        if (diagram_line(NULL, &g, from[side], to[side], x0, y0, x1, y1, 0))
            diagram_line(c, &g, from[side], to[side], x0, y0, x1, y1,
                         side == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER);
        else
            diagram_route(c, &g, from[side], to[side], side,
                          side == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER);
    }

    for (int s = 0; s < TCP__STATE_COUNT; s++) {
        int cx, cy, role = draw_state_role(s), attr = 0;
        const char *name = tcp_state_name((enum tcp_state)s);
        int nw = canvas_str_width(name);
        bool here = s == st[0] || s == st[1];
        diagram_at(&g, s, &cx, &cy);
        if (here)
            attr = CANVAS_BOLD | CANVAS_REVERSE;
        canvas_fill(c, cx - nw / 2 - 1, cy, nw + 2, 1, ' ', role, attr);
        canvas_text(c, cx - nw / 2, cy, DIAGRAM_LABEL_W - 2, name, role,
                    attr | (here ? 0 : CANVAS_BOLD));
        if (here) {
            char who[8];
            snprintf(who, sizeof who, "%s%s", s == st[0] ? "C" : "",
                     s == st[1] ? "S" : "");
            canvas_text(c, cx - nw / 2 + nw + 1, cy, 2, who,
                        s == st[0] ? ROLE_CLIENT : ROLE_SERVER, CANVAS_BOLD);
        }
    }

    if (pw >= 20) {
        int px = x + g.gw + 4, half = (h - 2) / 2;
        diagram_panel(c, px, y + 1, pw, half, v, SIDE_CLIENT, st[0], from[0],
                      to[0]);
        diagram_panel(c, px, y + 1 + half, pw, h - 2 - half, v, SIDE_SERVER,
                      st[1], from[1], to[1]);
    }
}
