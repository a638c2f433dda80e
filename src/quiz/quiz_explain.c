/*
 * Quiz explanations computed from the run, like the answers: each names the
 * run's own segments, numbers, states and times, so it stays right after a
 * --set, another seed or a what-if edit, where the scenario's written
 * explanation may not (it is shown only while its "holds" do). English and
 * Chinese side by side, as pairs of literals; see include/synfin/quiz.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "synfin/quiz.h"
#include "synfin/seq.h"

struct out {
    char *buf;
    size_t size, len;
    bool zh;
};

__attribute__((format(printf, 2, 3))) static void
add(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->len + 1 >= o->size)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len +=
            (size_t)n < o->size - o->len ? (size_t)n : o->size - o->len - 1;
}

/* "0.760 s": a moment of the run, to the millisecond. */
static const char *
when(uint64_t us, char *buf, size_t size)
{
    snprintf(buf, size, "%llu.%03llu s", (unsigned long long)(us / 1000000),
             (unsigned long long)(us / 1000 % 1000));
    return buf;
}

static const char *
side_name(int side, bool zh)
{
    if (side == SIDE_CLIENT)
        return zh ? "客户端" : "client";
    if (side == SIDE_SERVER)
        return zh ? "服务器" : "server";
    return zh ? "网络" : "network";
}

static bool
same_conn(uint32_t conn, const struct trace_event *e)
{
    return conn == 0 || e->conn == conn;
}

/* A segment a host sent: not ICMP, not a copy the network made. */
static bool
is_sent(const struct trace_event *e)
{
    return e->kind == TRACE_SEND && e->side <= SIDE_SERVER &&
           !(e->seg.tags & (SEG_ICMP | SEG_DUP));
}

/* The first FIN side sent in conn (no retransmission), or -1. */
static long
first_fin(const struct trace *t, uint32_t conn, int side)
{
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (is_sent(e) && e->side == side && same_conn(conn, e) &&
            (e->seg.flags & TCP_FIN) && !(e->seg.tags & SEG_RETX))
            return (long)i;
    }
    return -1;
}

/* The first arrival at side of a FIN from its peer, in conn, or -1. */
static long
fin_arrives(const struct trace *t, uint32_t conn, int side)
{
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (e->kind == TRACE_ARRIVE && e->side == side && same_conn(conn, e) &&
            (e->seg.flags & TCP_FIN) && !(e->seg.tags & SEG_ICMP))
            return (long)i;
    }
    return -1;
}

/* Does the segment of event i acknowledge the FIN its receiver sent? */
static bool
acks_own_fin(const struct trace *t, size_t i)
{
    const struct trace_event *e = trace_at(t, i);
    int to = 1 - e->seg.from;
    long f;

    if (!(e->seg.flags & TCP_ACK) || e->seg.from > SIDE_SERVER)
        return false;
    f = first_fin(t, e->conn, to);
    return f >= 0 && (size_t)f < i &&
           seq_geq(e->seg.ack,
                   trace_at(t, f)->seg.seq + trace_at(t, f)->seg.len + 1);
}

/* Is the segment of event i (sent, or arriving) the first of its kind to
 * acknowledge that FIN? Later ones only repeat the ACK. */
static bool
first_fin_ack(const struct trace *t, size_t i)
{
    const struct trace_event *e = trace_at(t, i);
    bool sent = e->kind == TRACE_SEND;

    if (sent ? !trace_seg_acks_fin(t, e) : !acks_own_fin(t, i))
        return false;
    for (size_t k = 0; k < i; k++) {
        const struct trace_event *o = trace_at(t, k);
        if (o->kind != e->kind || o->side != e->side || o->conn != e->conn ||
            (o->seg.tags & (SEG_ICMP | SEG_DUP)))
            continue;
        if (sent ? trace_seg_acks_fin(t, o) : acks_own_fin(t, k))
            return false;
    }
    return true;
}

/* seq and ack of a segment sent at e, relative to the ISNs. */
static uint32_t
rel_seq(const struct trace *t, const struct trace_event *e)
{
    return e->seg.seq - trace_view(t, e, e->side).iss;
}

static uint32_t
rel_ack(const struct trace *t, const struct trace_event *e)
{
    return e->seg.ack - trace_view(t, e, e->side).irs;
}

/* "the server's FIN arrived, acknowledging the client's FIN too": what the
 * segment arriving at event i is, for its receiver. */
static void
say_arrival(struct out *o, const struct trace *t, size_t i)
{
    const struct trace_event *e = trace_at(t, i);
    bool zh = o->zh;
    const char *from = side_name(e->seg.from, zh), *to = side_name(e->side, zh);
    uint8_t f = e->seg.flags;
    char flags[24];

    if (f & TCP_RST)
        add(o, zh ? "%s的 RST 到达" : "a RST from the %s arrived", from);
    else if ((f & TCP_SYN) && (f & TCP_ACK))
        add(o, zh ? "%s的 SYN,ACK 到达" : "the %s's SYN,ACK arrived", from);
    else if (f & TCP_SYN)
        add(o, zh ? "%s的 SYN 到达" : "the %s's SYN arrived", from);
    else if ((f & TCP_FIN) && first_fin_ack(t, i))
        add(o,
            zh ? "%s的 FIN 到达，它同时确认了%s的 FIN"
               : "the %s's FIN arrived, acknowledging the %s's FIN too",
            from, to);
    else if (f & TCP_FIN)
        add(o, zh ? "%s%s的 FIN 到达" : "the %s's %sFIN arrived", from,
            !(e->seg.tags & SEG_RETX) ? ""
            : zh                      ? "重传"
                                      : "retransmitted ");
    else if (acks_own_fin(t, i))
        add(o,
            zh ? "%s对%s FIN 的 ACK 到达"
               : "the %s's ACK of the %s's FIN arrived",
            from, to);
    else if (trace_view(t, e, e->side).exists &&
             e->seg.ack == trace_view(t, e, e->side).iss + 1 && e->seg.len == 0)
        add(o,
            zh ? "%s对%s SYN 的 ACK 到达"
               : "the %s's ACK of the %s's SYN arrived",
            from, to);
    else
        add(o, zh ? "%s的 %s 报文段到达" : "the %s's %s arrived", from,
            tcp_flags_str(f, flags));
}

/* Words for a timer of side that fires at event i. */
static void
say_timer(struct out *o, const struct scenario *s, const struct trace *t,
          size_t i)
{
    const struct trace_event *e = trace_at(t, i);
    const char *who = side_name(e->side, o->zh);
    uint64_t len = trace_timer_length(t, i);
    char d[32];

    when(len, d, sizeof d);
    switch (e->a) {
    case TIMER_TIME_WAIT:
        add(o,
            o->zh ? "%s的 2MSL 定时器（TIME-WAIT 定时器）运行 %s 后到期"
                  : "the %s's TIME-WAIT timer ran out after %s",
            who, d);
        if (s && len == 2 * s->tcp.msl_us)
            add(o, o->zh ? "（2 × MSL）" : " (2 × MSL)");
        return;
    case TIMER_RTX:
        add(o,
            o->zh ? "%s的重传定时器到期"
                  : "the %s's retransmission timer fired",
            who);
        return;
    case TIMER_DELACK:
        add(o,
            o->zh ? "%s的延迟确认定时器到期"
                  : "the %s's delayed-ACK timer fired",
            who);
        return;
    case TIMER_FIN_WAIT_2:
        add(o,
            o->zh ? "%s的 FIN-WAIT-2 超时到期"
                  : "the %s's FIN-WAIT-2 timeout ran out",
            who);
        return;
    case TIMER_LOSS_PROBE:
        add(o,
            o->zh ? "%s的尾部丢失探测定时器在 %s 后到期"
                  : "the %s's tail-loss probe timer fired after %s",
            who, d);
        return;
    default:
        add(o, o->zh ? "%s的保活定时器到期" : "the %s's keepalive timer fired",
            who);
        return;
    }
}

/* What made side do what it did at event i: the arrival, call or timer
 * just before it at the same instant; -1 if none is found. */
static long
find_cause(const struct trace *t, size_t i)
{
    const struct trace_event *e = trace_at(t, i);

    for (size_t k = i; k-- > 0 && trace_at(t, k)->t_us == e->t_us;) {
        const struct trace_event *c = trace_at(t, k);
        if (c->side != e->side || (c->conn && e->conn && c->conn != e->conn))
            continue;
        if ((c->kind == TRACE_ARRIVE && !(c->seg.tags & SEG_ICMP)) ||
            c->kind == TRACE_TIMER_FIRE || c->kind == TRACE_CALL)
            return (long)k;
    }
    return -1;
}

/* The cause of event i in words; false (and nothing said) if none. */
static bool
say_cause(struct out *o, const struct scenario *s, const struct trace *t,
          size_t i)
{
    long k = find_cause(t, i);
    const struct trace_event *c;

    if (k < 0)
        return false;
    c = trace_at(t, k);
    if (c->kind == TRACE_ARRIVE)
        say_arrival(o, t, (size_t)k);
    else if (c->kind == TRACE_TIMER_FIRE)
        say_timer(o, s, t, (size_t)k);
    else
        add(o,
            o->zh ? "%s的应用调用了 %s()" : "the %s's application called %s()",
            side_name(c->side, o->zh), sock_call_name((enum sock_call)c->a));
    return true;
}

/* "FIN-WAIT-2, since 0.710 s: the server's ACK of the client's FIN
 * arrived, and the client went from FIN-WAIT-1 to FIN-WAIT-2." i is the
 * state change; since: the state still holds at the question. */
static void
say_state_change(struct out *o, const struct scenario *s, const struct trace *t,
                 size_t i, bool since)
{
    const struct trace_event *e = trace_at(t, i);
    const char *to = tcp_state_name((enum tcp_state)e->b);
    const char *from = tcp_state_name((enum tcp_state)e->a);
    bool straight = e->a == TCP_FIN_WAIT_1 && e->b == TCP_TIME_WAIT;
    char tm[32];

    when(e->t_us, tm, sizeof tm);
    if (o->zh)
        add(o, since ? "%s，自 %s 起：" : "%s，在 %s：", to, tm);
    else
        add(o, since ? "%s, since %s: " : "%s, at %s: ", to, tm);
    if (say_cause(o, s, t, i))
        add(o, o->zh ? "，" : ", and ");
    if (o->zh)
        add(o, "%s从 %s %s进入 %s。", side_name(e->side, true), from,
            straight ? "直接" : "", to);
    else
        add(o, "the %s went from %s %sto %s.", side_name(e->side, false), from,
            straight ? "straight " : "", to);
}

static void
explain_state(struct out *o, const struct scenario *s, const struct trace *t,
              const struct quiz_item *it)
{
    const struct trace_event *q = trace_at(t, it->at);
    int side = it->q->side;
    size_t end = it->at;
    long st = -1;

    if (it->q->ask == QUIZ_NEXT_STATE) {
        for (size_t i = it->at + 1; i < t->len && st < 0; i++)
            if (trace_at(t, i)->kind == TRACE_STATE &&
                trace_at(t, i)->side == side)
                st = (long)i;
        if (st >= 0)
            say_state_change(o, s, t, (size_t)st, false);
        return;
    }
    while (end + 1 < t->len && trace_at(t, end + 1)->t_us == q->t_us)
        end++;
    for (size_t i = end + 1; i-- > 0 && st < 0;)
        if (trace_at(t, i)->kind == TRACE_STATE &&
            trace_at(t, i)->side == side && same_conn(q->conn, trace_at(t, i)))
            st = (long)i;
    if (st >= 0 && trace_at(t, st)->b == it->answer.v) {
        say_state_change(o, s, t, (size_t)st, true);
        return;
    }
    add(o,
        o->zh ? "%s：%s此时处于这个状态。" : "%s: the %s is in this state now.",
        tcp_state_name((enum tcp_state)it->answer.v), side_name(side, o->zh));
}

/* One segment of the close: "server FIN (seq=201, with the ACK of the
 * client's FIN: ack=102)", "client ACK (ack=202, lost)". */
static void
say_close_segment(struct out *o, const struct trace *t, size_t i)
{
    const struct trace_event *e = trace_at(t, i);
    const char *who = side_name(e->side, o->zh);
    bool lost = false;

    for (size_t k = i + 1; k < t->len; k++)
        if (trace_at(t, k)->kind == TRACE_DROP &&
            trace_at(t, k)->seg.id == e->seg.id) {
            lost = true;
            break;
        }
    if (e->seg.flags & TCP_FIN) {
        add(o, o->zh ? "%s的 FIN（seq=%u" : "%s FIN (seq=%u", who,
            rel_seq(t, e));
        if (first_fin_ack(t, i))
            add(o,
                o->zh ? "，同时确认%s的 FIN：ack=%u"
                      : ", with the ACK of the %s's FIN: ack=%u",
                side_name(1 - e->side, o->zh), rel_ack(t, e));
    } else {
        add(o, o->zh ? "%s的 ACK（ack=%u" : "%s ACK (ack=%u", who,
            rel_ack(t, e));
    }
    add(o, "%s%s", lost ? (o->zh ? "，丢失" : ", lost") : "",
        o->zh ? "）" : ")");
}

/* Why the close took the segments it took: did the peer's ACK of the first
 * FIN leave alone, or ride on its FIN? */
static void
explain_close_why(struct out *o, const struct trace *t, uint32_t conn, int a,
                  long fin_a)
{
    int b = 1 - a;
    long fin_b = first_fin(t, conn, b), arrive = fin_arrives(t, conn, b);
    long ack_b = -1, delack = -1;
    const char *sa = side_name(a, o->zh), *sb = side_name(b, o->zh);
    char t1[32], t2[32], t3[32];

    if (fin_b < 0) {
        add(o,
            o->zh ? "本次运行中%s没有发出 FIN。"
                  : "The %s sent no FIN in this run.",
            sb);
        return;
    }
    if (arrive < 0 || fin_b < arrive) {
        add(o, o->zh
                   ? "双方都在对端的 FIN 到达之前发出了自己的 "
                     "FIN（同时关闭），所以"
                     "哪个 FIN 都无法捎带对另一个 FIN 的确认。"
                   : "Both sides sent their FIN before the other's arrived (a "
                     "simultaneous close), so neither FIN could carry the ACK "
                     "of the other.");
        return;
    }
    for (size_t i = (size_t)arrive + 1; i < t->len && ack_b < 0; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (!same_conn(conn, e) || e->side != b)
            continue;
        if (e->kind == TRACE_TIMER_SET && e->a == TIMER_DELACK && delack < 0)
            delack = (long)i;
        if (is_sent(e) && trace_seg_acks_fin(t, e))
            ack_b = (long)i;
    }
    (void)fin_a;
    when(trace_at(t, arrive)->t_us, t1, sizeof t1);
    when(trace_at(t, fin_b)->t_us, t2, sizeof t2);
    if (ack_b == fin_b) {
        add(o,
            o->zh ? "原因：%s的 FIN 在 %s 到达，%s在 %s 发出自己的 FIN "
                    "时，对它的确认"
                    "还没有发出"
                  : "Why: the %s's FIN arrived at %s, and when the %s sent "
                    "its own FIN at %s, no ACK of it had left yet",
            sa, t1, sb, t2);
        if (delack >= 0) {
            when((uint64_t)trace_at(t, delack)->n, t3, sizeof t3);
            add(o,
                o->zh ? "（延迟确认要到 %s 才到期）"
                      : " (its delayed ACK was due at %s)",
                t3);
        }
        add(o, o->zh ? "，于是这个确认搭在 FIN 上一起发出。"
                     : ", so the ACK rode on the FIN.");
    } else if (ack_b >= 0 && ack_b < fin_b) {
        bool timer = false;
        const struct trace_event *k = trace_at(t, ack_b);
        for (size_t i = (size_t)ack_b;
             i-- > 0 && trace_at(t, i)->t_us == k->t_us;)
            if (trace_at(t, i)->kind == TRACE_TIMER_FIRE &&
                trace_at(t, i)->side == b && trace_at(t, i)->a == TIMER_DELACK)
                timer = true;
        when(k->t_us, t3, sizeof t3);
        if (o->zh)
            add(o,
                "原因：%s对%s FIN 的确认在 %s %s发出，早于它在 %s 发出自己的 "
                "FIN，所以 ACK 和 FIN 是两个报文段。",
                sb, sa, t3, timer ? "延迟确认定时器到期时" : "", t2);
        else
            add(o,
                "Why: the %s's ACK of the %s's FIN left at %s%s, before it "
                "sent its own FIN at %s, so the ACK and the FIN are two "
                "segments.",
                sb, sa, t3, timer ? ", when its delayed-ACK timer fired" : "",
                t2);
    }
}

static void
explain_close(struct out *o, const struct trace *t, const struct quiz_item *it)
{
    uint32_t conn = trace_at(t, it->at)->conn;
    int shown = 0, retx = 0, first = -1;
    long fin_a = -1;
    bool counting = false;

    add(o,
        o->zh ? "本次运行中关闭共 %lld 个报文段："
              : "%lld segments in this run: ",
        (long long)it->answer.v);
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        const struct seg_view *g = &e->seg;
        if (!is_sent(e) || !same_conn(conn, e) ||
            (g->flags & (TCP_RST | TCP_SYN)))
            continue;
        if (g->tags & (SEG_RETX | SEG_KEEPALIVE)) {
            retx += counting && (g->flags & TCP_FIN);
            continue;
        }
        if (g->flags & TCP_FIN && !counting) {
            counting = true;
            first = e->side;
            fin_a = (long)i;
        }
        if (!counting || !((g->flags & TCP_FIN) || g->len == 0))
            continue;
        if (shown == 8) {
            add(o, o->zh ? "……" : ", ...");
            shown++;
        }
        if (shown >= 8)
            continue;
        if (shown++)
            add(o, o->zh ? "、" : ", ");
        say_close_segment(o, t, i);
    }
    add(o, o->zh ? "。" : ".");
    if (retx)
        add(o,
            o->zh ? "重传的 FIN（%d 次）不计在内。"
                  : " The %d retransmitted FIN%s not counted.",
            retx,
            o->zh       ? ""
            : retx == 1 ? " is"
                        : "s are");
    if (first >= 0) {
        add(o, o->zh ? "" : " ");
        explain_close_why(o, t, conn, first, fin_a);
    }
}

/* Does side of event i set timer kind again at that instant, after an
 * earlier setting of it? */
static bool
timer_restarted(const struct trace *t, size_t i, int kind)
{
    const struct trace_event *e = trace_at(t, i);
    bool now = false, before = false;

    for (size_t k = 0; k < t->len && trace_at(t, k)->t_us <= e->t_us; k++) {
        const struct trace_event *o = trace_at(t, k);
        if (o->kind != TRACE_TIMER_SET || o->side != e->side ||
            o->conn != e->conn || o->a != kind)
            continue;
        if (o->t_us == e->t_us)
            now = true;
        else
            before = true;
    }
    return now && before;
}

/* "its SYN took 0, its 100 data bytes 1 to 100, and its FIN 101": how a
 * relative number r of side's sequence space is made up. fin: a FIN of
 * that side before r. */
static void
say_numbers(struct out *o, uint32_t r, bool fin)
{
    uint32_t data = r - 1 - (fin ? 1 : 0);

    if (r == 0) {
        add(o, o->zh ? "初始序号（ISN）本身，由 SYN 占用"
                     : "the ISN itself, which the SYN takes");
        return;
    }
    add(o, o->zh ? "SYN 占用 0" : "the SYN took 0");
    if (data > 0)
        add(o,
            o->zh ? "，%u 字节数据占用 1 到 %u"
                  : ", %u data bytes took 1 to %u",
            data, data);
    if (fin)
        add(o, o->zh ? "，FIN 占用 %u" : ", and the FIN took %u", r - 1);
}

static void
explain_next_segment(struct out *o, const struct trace *t,
                     const struct quiz_item *it, const struct scenario *s)
{
    int side = it->q->side;
    const struct trace_event *e = NULL;
    const char *who = side_name(side, o->zh),
               *peer = side_name(1 - side, o->zh);
    char flags[24], tm[32];
    size_t i;
    long fin;

    for (i = it->at + 1; i < t->len; i++)
        if (is_sent(trace_at(t, i)) && trace_at(t, i)->side == side) {
            e = trace_at(t, i);
            break;
        }
    if (!e)
        return;
    tcp_flags_str(e->seg.flags & (TCP_SYN | TCP_FIN | TCP_RST | TCP_ACK),
                  flags);
    when(e->t_us, tm, sizeof tm);
    if (it->q->ask == QUIZ_NEXT_SEQ)
        add(o, "%u", rel_seq(t, e));
    else if (it->q->ask == QUIZ_NEXT_ACK)
        add(o, "%u", rel_ack(t, e));
    else
        add(o, "%s", flags);
    /* "at 1.210 s, when the server's FIN arrived, the client sends ACK
     * seq=102 ack=202" */
    add(o, o->zh ? "：%s 时，" : ": at %s, ", tm);
    if (find_cause(t, i) >= 0) {
        add(o, o->zh ? "" : "when ");
        say_cause(o, s, t, i);
        add(o, o->zh ? "，" : ", ");
    }
    add(o, o->zh ? "%s发出 %s" : "the %s sends %s", who, flags);
    if (trace_view(t, e, side).exists)
        add(o, o->zh ? "，seq=%u" : " seq=%u", rel_seq(t, e));
    if (trace_view(t, e, side).exists && (e->seg.flags & TCP_ACK))
        add(o, o->zh ? "，ack=%u" : " ack=%u", rel_ack(t, e));
    if (e->seg.len)
        add(o, o->zh ? "，携带 %u 字节" : " with %u bytes", e->seg.len);
    add(o, o->zh ? "。" : ". ");

    fin = first_fin(t, e->conn, side);
    if (e->seg.flags & TCP_RST)
        add(o, !trace_view(t, e, side).exists
                   ? (o->zh ? "它没有这个报文段所属的连接，所以回应 RST。"
                            : "It has no connection the segment belongs to, so "
                              "it answers with a RST.")
                   : (o->zh ? "它用 RST 重置这个连接。"
                            : "It resets the connection."));
    else if ((e->seg.flags & TCP_SYN) && (e->seg.flags & TCP_ACK))
        add(o,
            o->zh ? "它用自己的 SYN 回应，并确认%s的 SYN。"
                  : "It answers with its own SYN and the ACK of the %s's SYN.",
            peer);
    else if (e->seg.flags & TCP_SYN)
        add(o, o->zh ? "它请求建立连接。" : "It asks to open a connection.");
    else if ((e->seg.flags & TCP_FIN) && (e->seg.tags & SEG_RETX))
        add(o,
            o->zh ? "同一个 FIN 再次发出（第 %u 次重传）：它还没有被确认。"
                  : "The same FIN again (retransmission %u): it was not "
                    "acknowledged.",
            e->seg.retx);
    else if (e->seg.flags & TCP_FIN)
        add(o,
            o->zh ? "FIN 关闭%s的发送方向%s。"
                  : "The FIN closes the %s's sending direction%s.",
            who,
            first_fin_ack(t, i)
                ? (o->zh ? "，它携带的 ACK 同时确认对端的 FIN"
                         : ", and its ACK acknowledges the peer's FIN too")
                : "");
    else if (trace_seg_acks_fin(t, e) && fin >= 0 &&
             trace_at(t, fin)->t_us <= e->t_us) {
        char tf[32];
        when(trace_at(t, fin)->t_us, tf, sizeof tf);
        add(o,
            o->zh ? "它确认%s的 FIN，不带 FIN：自己的 FIN 已在 %s 发出。"
                  : "It acknowledges the %s's FIN and carries no FIN: its "
                    "own FIN left at %s.",
            peer, tf);
    } else if (trace_seg_acks_fin(t, e))
        add(o,
            o->zh ? "它确认%s的 FIN，不带 FIN：%s的应用还没有关闭。"
                  : "It acknowledges the %s's FIN and carries no FIN: the "
                    "%s's application has not closed yet.",
            peer, who);
    else if (rel_ack(t, e) == 1 && e->seg.len == 0)
        add(o,
            o->zh ? "它确认%s的 SYN：这是握手的第三个报文段。"
                  : "It acknowledges the %s's SYN: the third segment of the "
                    "handshake.",
            peer);
    else if (e->seg.len == 0)
        add(o, o->zh ? "它确认收到的数据。"
                     : "It acknowledges the data received.");
    if (timer_restarted(t, i, TIMER_TIME_WAIT))
        add(o, o->zh ? "它的 2MSL 定时器重新开始计时。"
                     : " Its TIME-WAIT timer starts again.");

    if (it->q->ask == QUIZ_NEXT_SEQ) {
        bool before =
            fin >= 0 && (size_t)fin < i &&
            seq_lt(trace_at(t, fin)->seg.seq + trace_at(t, fin)->seg.len,
                   e->seg.seq);
        add(o,
            o->zh ? "seq=%u 从%s的初始序号（ISN）数起："
                  : " seq=%u counts from the %s's ISN: ",
            rel_seq(t, e), who);
        say_numbers(o, rel_seq(t, e), before);
        add(o, o->zh ? "。" : ".");
    } else if (it->q->ask == QUIZ_NEXT_ACK && (e->seg.flags & TCP_ACK)) {
        add(o,
            o->zh ? "ack=%u 是%s期望从%s收到的下一个序号："
                  : " ack=%u is the next number the %s expects from the %s: ",
            rel_ack(t, e), who, peer);
        say_numbers(o, rel_ack(t, e), trace_seg_acks_fin(t, e));
        add(o, o->zh ? "。" : ".");
    }
}

static void
explain_time_wait(struct out *o, const struct trace *t,
                  const struct quiz_item *it)
{
    static const char *const sides_en[4] = {"Neither", "The client",
                                            "The server", "Both"};
    static const char *const sides_zh[4] = {"都不会", "客户端", "服务器",
                                            "双方都会"};
    uint32_t conn = trace_at(t, it->at)->conn;
    bool rule = true;

    add(o, "%s%s",
        o->zh ? sides_zh[it->answer.v & 3] : sides_en[it->answer.v & 3],
        o->zh ? "。" : ".");
    for (int side = 0; side < 2; side++) {
        long fin = first_fin(t, conn, side), got = fin_arrives(t, conn, side);
        long tw = -1, last = -1;
        bool active = fin >= 0 && (got < 0 || fin < got);
        const char *who = side_name(side, o->zh);
        char t1[32], t2[32];

        for (size_t i = 0; i < t->len; i++) {
            const struct trace_event *e = trace_at(t, i);
            if (e->kind != TRACE_STATE || e->side != side ||
                !same_conn(conn, e))
                continue;
            last = (long)i;
            if (i > it->at && e->b == TCP_TIME_WAIT && tw < 0)
                tw = (long)i;
        }
        rule = rule && active == (tw >= 0);
        add(o, o->zh ? "" : " ");
        if (fin < 0) {
            add(o, o->zh ? "%s没有发出 FIN" : "The %s sent no FIN", who);
        } else {
            when(trace_at(t, fin)->t_us, t1, sizeof t1);
            if (active)
                add(o,
                    o->zh ? "%s先关闭（FIN 在 %s 发出，早于对端的 FIN 到达）"
                          : "The %s closed first (its FIN left at %s, before "
                            "the peer's FIN arrived)",
                    who, t1);
            else {
                when(trace_at(t, got)->t_us, t2, sizeof t2);
                add(o,
                    o->zh ? "%s后关闭（对端的 FIN 在 %s 到达，它的 FIN 在 %s "
                            "发出）"
                          : "The %s closed second (the peer's FIN arrived at "
                            "%s, its own FIN left at %s)",
                    who, t2, t1);
            }
        }
        if (tw >= 0) {
            when(trace_at(t, tw)->t_us, t1, sizeof t1);
            add(o,
                o->zh ? "，在 %s 从 %s 进入 TIME-WAIT。"
                      : " and enters TIME-WAIT at %s, from %s.",
                t1, tcp_state_name((enum tcp_state)trace_at(t, tw)->a));
        } else if (last >= 0) {
            when(trace_at(t, last)->t_us, t1, sizeof t1);
            add(o,
                o->zh ? "，不经过 TIME-WAIT：最后在 %s 从 %s 进入 %s。"
                      : " and never enters TIME-WAIT: its last change is %s "
                        "-> %s at %s.",
                o->zh ? t1
                      : tcp_state_name((enum tcp_state)trace_at(t, last)->a),
                o->zh ? tcp_state_name((enum tcp_state)trace_at(t, last)->a)
                      : tcp_state_name((enum tcp_state)trace_at(t, last)->b),
                o->zh ? tcp_state_name((enum tcp_state)trace_at(t, last)->b)
                      : t1);
        } else {
            add(o, o->zh ? "。" : ".");
        }
    }
    if (rule)
        add(o, o->zh ? "只有先关闭的一方（主动关闭方）会进入 TIME-WAIT。"
                     : " Only a side that closes first (an active closer) "
                       "waits in TIME-WAIT.");
}

char *
quiz_explain(const struct scenario *s, const struct trace *t,
             const struct quiz_item *it, const char *lang, char *buf,
             size_t size)
{
    struct out o = {buf, size, 0, lang && strncmp(lang, "zh", 2) == 0};

    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (!it->known || it->at >= t->len)
        return buf;
    switch (it->q->ask) {
    case QUIZ_STATE:
    case QUIZ_NEXT_STATE: explain_state(&o, s, t, it); break;
    case QUIZ_NEXT_FLAGS:
    case QUIZ_NEXT_SEQ:
    case QUIZ_NEXT_ACK: explain_next_segment(&o, t, it, s); break;
    case QUIZ_TIME_WAIT: explain_time_wait(&o, t, it); break;
    case QUIZ_CLOSE_SEGMENTS: explain_close(&o, t, it); break;
    case QUIZ_CHOICE:
    case QUIZ__COUNT: break;
    }
    /* Never end inside a UTF-8 sequence, whatever was cut. */
    while (o.len > 0 && ((unsigned char)buf[o.len - 1] & 0xC0) == 0x80) {
        size_t k = o.len - 1;
        while (k > 0 && ((unsigned char)buf[k] & 0xC0) == 0x80)
            k--;
        {
            unsigned char lead = (unsigned char)buf[k];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (o.len - k >= need)
                break;
            o.len = k;
            buf[k] = '\0';
        }
    }
    return buf;
}
