/* The list of connections; see draw_conns.h. */
#include "ui/draw_conns.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/narrate.h"

/* Columns: number, client port, server port, the two states now, the end. */
enum { COL_NUM = 8, COL_PORT = 8, COL_STATE = 14 };

/* Which side's ending tells the story: the one that gave up, aborted,
 * crashed or was dropped before one that was merely reset or closed. */
static int
telling_side(const struct trace_conn *k)
{
    static const uint8_t rank[END__COUNT + 1] = {
        [END_TIMEOUT] = 7, [END_ABORTED] = 6, [END_CRASHED] = 5,
        [END_ORPHAN] = 4,  [END_RESET] = 3,   [END_REFUSED] = 2,
        [END_CLOSED] = 1,  [END_OPEN] = 0,    [END__COUNT] = 0};

    return rank[k->end[SIDE_SERVER]] > rank[k->end[SIDE_CLIENT]];
}

/* How k ended, in a few words. */
static void
conn_end_text(const struct trace_conn *k, bool zh, char *buf, size_t size)
{
    static const char *const en[END__COUNT] = {
        [END_CLOSED] = "closed",         [END_RESET] = "reset",
        [END_TIMEOUT] = "timed out",     [END_ABORTED] = "aborted (RST)",
        [END_ORPHAN] = "orphan dropped", [END_CRASHED] = "host crashed",
        [END_REFUSED] = "refused"};
    static const char *const cn[END__COUNT] = {
        [END_CLOSED] = "关闭",           [END_RESET] = "被重置",
        [END_TIMEOUT] = "超时放弃",      [END_ABORTED] = "中止（RST）",
        [END_ORPHAN] = "孤儿连接被丢弃", [END_CRASHED] = "主机崩溃",
        [END_REFUSED] = "被拒绝"};
    int side = telling_side(k), end = k->end[side];
    const char *who = side == SIDE_CLIENT ? (zh ? "客户端" : "client")
                                          : (zh ? "服务器" : "server");
    char t[24], err[40] = "";

    if (k->end[0] == END_OPEN || k->end[1] == END_OPEN) {
        snprintf(buf, size, zh ? "运行结束时仍在" : "still there at the end");
        return;
    }
    if (end == END__COUNT) {
        /* No TCB on either side: connect() failed before sending. */
        snprintf(buf, size, zh ? "connect() 失败：%s" : "connect() failed: %s",
                 trace_errno_name(k->err[SIDE_CLIENT]));
        return;
    }
    draw_time(k->end_us[side], t, sizeof t);
    if (k->err[side] && end != END_CLOSED)
        snprintf(err, sizeof err, " (%s)", trace_errno_name(k->err[side]));
    if (end == END_CLOSED && k->end[1 - side] == END_CLOSED)
        snprintf(buf, size, zh ? "%s 秒关闭" : "closed at %s s", t);
    else
        snprintf(buf, size, zh ? "%s %s 秒%s%s" : "%s %s at %s s%s", who,
                 zh ? t : en[end], zh ? cn[end] : t, err);
}

/* One side's state now: its name, or a dash before the connection began. */
static void
draw_conn_state(struct canvas *c, int x, int y, const struct trace_conn *k,
                int side, int attr)
{
    int st = k->now[side];

    if (!k->started)
        canvas_text(c, x, y, COL_STATE, "\u2013", ROLE_DIM, attr);
    else
        canvas_text(c, x, y, COL_STATE, tcp_state_name((enum tcp_state)st),
                    draw_state_role(st), attr);
}

static void
draw_conn_row(struct canvas *c, int x, int y, int w, const struct trace_conn *k,
              bool chosen, bool zh)
{
    int attr = chosen ? CANVAS_REVERSE : 0, col = x;
    char num[24], port[2][16], end[96];

    if (chosen)
        canvas_fill(c, x, y, w, 1, ' ', ROLE_CURSOR, CANVAS_REVERSE);
    snprintf(num, sizeof num, "%s#%u", chosen ? "\u25b6 " : "  ", k->conn);
    for (int s = 0; s < 2; s++) {
        if (k->port[s])
            snprintf(port[s], sizeof port[s], ":%u", k->port[s]);
        else
            snprintf(port[s], sizeof port[s], "\u2013");
    }
    canvas_text(c, col, y, COL_NUM, num, ROLE_CURSOR,
                attr | (chosen ? CANVAS_BOLD : 0));
    col += COL_NUM;
    canvas_text(c, col, y, COL_PORT, port[0], ROLE_CLIENT, attr);
    col += COL_PORT;
    canvas_text(c, col, y, COL_PORT, port[1], ROLE_SERVER, attr);
    col += COL_PORT;
    draw_conn_state(c, col, y, k, SIDE_CLIENT, attr);
    col += COL_STATE;
    draw_conn_state(c, col, y, k, SIDE_SERVER, attr);
    col += COL_STATE;
    conn_end_text(k, zh, end, sizeof end);
    canvas_text(c, col, y, x + w - col, end, ROLE_TEXT, attr);
}

void
draw_conns(struct canvas *c, int x, int y, int w, int h,
           const struct draw_view *v, uint32_t chosen, const char *typed)
{
    bool zh = narrate_is_zh(v->lang);
    struct trace_conn *list;
    size_t n = trace_conns(v->trace, v->ev, &list), k = 0, open = 0, first;
    int rows = h - 5, row = y + 2, col = x + 2;
    char title[96], hint[256];

    for (size_t i = 0; i < n; i++) {
        if (list[i].conn <= chosen)
            k = i;
        open += list[i].started &&
                (list[i].now[0] != TCP_CLOSED || list[i].now[1] != TCP_CLOSED);
    }
    snprintf(title, sizeof title,
             zh ? "连接：共 %zu 个，现在 %zu 个有 TCB"
                : "Connections: %zu, %zu with a TCB now",
             n, open);
    canvas_box(c, x, y, w, h, ROLE_BORDER, title, ROLE_TITLE);
    if (rows < 1 || w < 40) {
        free(list);
        return;
    }
    canvas_text(c, col, y + 1, COL_NUM, "#", ROLE_DIM, 0);
    canvas_text(c, col + COL_NUM, y + 1, COL_PORT * 2,
                zh ? "客户端  服务器" : "client  server", ROLE_DIM, 0);
    canvas_text(c, col + COL_NUM + 2 * COL_PORT, y + 1, 2 * COL_STATE,
                zh ? "现在：客户端  服务器" : "now: client   server", ROLE_DIM,
                0);
    canvas_text(c, col + COL_NUM + 2 * COL_PORT + 2 * COL_STATE, y + 1,
                w - 4 - COL_NUM - 2 * COL_PORT - 2 * COL_STATE,
                zh ? "结局" : "how it ended", ROLE_DIM, 0);
    /* The chosen one in view, a third of the way down when it can be. */
    first = k > (size_t)rows / 3 ? k - (size_t)rows / 3 : 0;
    if (n > (size_t)rows && first > n - (size_t)rows)
        first = n - (size_t)rows;
    for (size_t i = first; i < n && row < y + 2 + rows; i++)
        draw_conn_row(c, col, row++, w - 4, &list[i], i == k && n, zh);
    snprintf(hint, sizeof hint,
             zh ? "\u2191 \u2193 选择 · 输入编号跳转%s%s · Enter 跟随 · Esc "
                  "返回"
                : "\u2191 \u2193 choose \u00b7 type a number%s%s \u00b7 Enter "
                  "follows it alone \u00b7 Esc back",
             typed && *typed ? ": " : "", typed ? typed : "");
    canvas_wrap(c, col, y + h - 2, w - 4, 1, hint, ROLE_DIM, 0);
    free(list);
}

char *
draw_conns_others(const struct draw_view *v, char *line, size_t size)
{
    static const int order[] = {
        TCP_SYN_SENT,   TCP_SYN_RECEIVED, TCP_ESTABLISHED,
        TCP_FIN_WAIT_1, TCP_FIN_WAIT_2,   TCP_CLOSING,
        TCP_TIME_WAIT,  TCP_CLOSE_WAIT,   TCP_LAST_ACK};
    bool zh = narrate_is_zh(v->lang);
    struct state_counts n = {0};
    size_t len;
    int shown = 0;

    /* The followed connection's events are left out: its state is in the
     * boxes above. */
    if (v->ev != DRAW_NONE)
        for (uint32_t i = 0; i <= v->ev && i < v->trace->len; i++)
            if (trace_at(v->trace, i)->conn != v->follow)
                state_counts_step(&n, trace_at(v->trace, i));
    len = (size_t)snprintf(line, size,
                           zh ? "其他连接此刻：" : "The others now: ");
    for (int side = 0; side < 2; side++) {
        int side_shown = 0;

        for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
            int64_t m = n.n[side][order[k]];

            if (m <= 0 || len >= size)
                continue;
            len += (size_t)snprintf(
                line + len, size - len, "%s%s%" PRId64 " %s",
                side_shown ? ", "
                : shown    ? " \u00b7 "
                           : "",
                side_shown ? ""
                : zh       ? (side == SIDE_CLIENT ? "客户端 " : "服务器 ")
                           : (side == SIDE_CLIENT ? "client " : "server "),
                m, tcp_state_name((enum tcp_state)order[k]));
            side_shown++;
            shown++;
        }
    }
    if (!shown && len < size)
        snprintf(line + len, size - len,
                 zh ? "都已关闭或尚未开始" : "all closed or not begun");
    return line;
}
