/* The list of connections, and following one of them; see session.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/narrate.h"
#include "ui/session_priv.h"

/* Keep the cursor at the same moment of the run: the last step, in the
 * steps just made, at or before the event shown. */
static void
session_keep_moment(struct session *s, uint32_t ev)
{
    size_t k = 0;

    if (ev != DRAW_NONE)
        while (k < s->nsteps && s->steps[k] <= ev)
            k++;
    s->step = k;
    s->anim_us = 0;
    s->selected = 0;
}

static void
session_follow(struct session *s, uint32_t conn)
{
    uint32_t ev = session_event(s);

    s->follow = conn;
    s->mode = MODE_MAIN;
    s->playing = false;
    session_lay_out(s);
    session_keep_moment(s, ev);
    if (conn)
        session_message(s,
                        ZH(s) ? "只显示连接 #%u：n/p 逐步查看它的事件，"
                                "再按 f 显示全部连接。"
                              : "Following connection #%u alone: n and p "
                                "step through its events; f shows every "
                                "connection again.",
                        conn);
}

int
session_follow_act(struct session *s)
{
    struct trace_conn *list;
    size_t n;
    uint32_t ev;

    if (s->follow) {
        session_follow(s, 0);
        session_message(s, ZH(s) ? "显示全部连接。" : "Every connection.");
        return SESSION_REDRAW;
    }
    if (s->quiz_on) {
        session_message(s, ZH(s)
                               ? "测验模式下不能跟随单个连接（按 z 退出测验）。"
                               : "A connection cannot be followed alone in "
                                 "quiz mode (z leaves it).");
        return SESSION_REDRAW;
    }
    n = trace_conns(&s->trace, UINT32_MAX, &list);
    if (n == 0) {
        free(list);
        session_message(s, ZH(s) ? "这次运行没有连接。"
                                 : "This run has no connection.");
        return SESSION_REDRAW;
    }
    /* Start on the connection shown now, or on the first. */
    ev = session_event(s);
    s->conn_pick = list[0].conn;
    if (ev != DRAW_NONE && trace_at(&s->trace, ev)->conn)
        s->conn_pick = trace_at(&s->trace, ev)->conn;
    free(list);
    s->conn_input[0] = '\0';
    s->mode = MODE_CONNS;
    s->playing = false;
    return SESSION_REDRAW;
}

/* The place of conn in list, or of the nearest number below it. */
static size_t
session_conn_index(const struct trace_conn *list, size_t n, uint32_t conn)
{
    size_t k = 0;

    while (k + 1 < n && list[k + 1].conn <= conn)
        k++;
    return k;
}

int
session_conns_key(struct session *s, int key)
{
    struct trace_conn *list;
    size_t n = trace_conns(&s->trace, UINT32_MAX, &list), k, len;
    int r = SESSION_REDRAW;

    k = session_conn_index(list, n, s->conn_pick);
    len = strlen(s->conn_input);
    s->message[0] = '\0';
    if (key == KEYS_UP || key == 'k') {
        k = k > 0 ? k - 1 : 0;
    } else if (key == KEYS_DOWN || key == 'j') {
        k = k + 1 < n ? k + 1 : k;
    } else if (key == KEYS_PGUP) {
        k = k > 10 ? k - 10 : 0;
    } else if (key == KEYS_PGDN) {
        k = k + 10 < n ? k + 10 : (n ? n - 1 : 0);
    } else if (key == KEYS_HOME || key == 'g') {
        k = 0;
    } else if (key == KEYS_END || key == 'G') {
        k = n ? n - 1 : 0;
    } else if (key >= '0' && key <= '9') {
        /* Typing a number goes to that connection as it is typed. */
        if (len + 1 < sizeof s->conn_input) {
            s->conn_input[len] = (char)key;
            s->conn_input[len + 1] = '\0';
        }
        k = session_conn_index(list, n,
                               (uint32_t)strtoul(s->conn_input, NULL, 10));
    } else if (key == KEYS_BACKSPACE) {
        if (len)
            s->conn_input[len - 1] = '\0';
    } else if (key == KEYS_ENTER || key == 'f') {
        if (n)
            session_follow(s, list[k].conn);
        s->conn_input[0] = '\0';
        free(list);
        return SESSION_REDRAW;
    } else {
        r = -1; /* the viewer's */
    }
    if (!(key >= '0' && key <= '9') && key != KEYS_BACKSPACE)
        s->conn_input[0] = '\0';
    if (n)
        s->conn_pick = list[k].conn;
    free(list);
    return r;
}
