/*
 * A sentence for each event of the trace, generated from the run: what was
 * sent or arrived and what it means, which rule of RFC 9293 (or of Linux,
 * in the linux profile) fired, what each side now waits for. The
 * scenario's note replaces it while the note's claims hold. See narrate.h.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui/canvas.h"
#include "ui/narrate.h"

#define narrate_add narrate_appendf

/* English and Chinese side by side. */
struct narrate_pair {
    const char *en, *zh;
};

static const char *
narrate_timer(int kind, int zh)
{
    return narrate_timer_name(kind, zh ? "zh" : "en");
}
/* "The client" / "客户端", capitalised for the start of a sentence. */
static const char *
narrate_subject(int side, int zh)
{
    static const char *const en[] = {"The client", "The server", "The network"};
    if (zh)
        return narrate_side(side, "zh");
    return en[side >= 0 && side <= 2 ? side : 2];
}

/* The label of the packet of event e, numbered as the diagram shows it. */
static void
narrate_seg(const struct draw_view *v, const struct trace_event *e, char *buf,
            size_t size)
{
    const struct tcb_view *s = NULL, *r = NULL;
    struct tcb_view vs, vr;
    int from = e->seg.from;
    if (from <= SIDE_SERVER) {
        vs = trace_view(v->trace, e, from);
        vr = trace_view(v->trace, e, 1 - from);
        s = &vs;
        r = &vr;
    }
    draw_seg_label(&e->seg, v->absolute, s && s->iss && s->exists,
                   s ? s->iss : 0, r && r->iss && r->exists, r ? r->iss : 0,
                   buf, size);
}

static const char *
narrate_call_purpose(int call, int zh)
{
    static const struct narrate_pair p[CALL__COUNT] = {
        [CALL_LISTEN] = {"a passive open: wait for clients",
                         "被动打开：等待客户端连接"},
        [CALL_BIND] = {"choose a local port", "绑定本地端口"},
        [CALL_CONNECT] = {"an active open: TCP sends a SYN",
                          "主动打开：TCP 发送 SYN"},
        [CALL_SEND] = {"queue data to send", "把数据交给 TCP 发送"},
        [CALL_RECV] = {"read received data", "读取已收到的数据"},
        [CALL_SHUTDOWN] = {"close one direction (a half-close)",
                           "关闭一个方向（半关闭）"},
        [CALL_CLOSE] = {"nothing more to send: TCP will send a FIN",
                        "不再发送数据：TCP 将发送 FIN"},
        [CALL_SETSOCKOPT] = {"set a socket option", "设置套接字选项"},
        [CALL_CRASH] = {"the host loses power and goes silent",
                        "主机断电，不再响应"},
        [CALL_SET] = {"a TCP setting (a sysctl) changes, for both hosts, "
                      "from now on",
                      "修改一项 TCP 设置（sysctl），对两台主机都从此刻起生效"},
    };
    if (call < 0 || call >= CALL__COUNT)
        return "";
    return zh ? p[call].zh : p[call].en;
}

/* What the application learns from an event. */
static const char *
narrate_app_event(int ev, int zh)
{
    static const struct narrate_pair p[EV__COUNT] = {
        [EV_NONE] = {"its next step is due", "该执行下一步了"},
        [EV_CONNECTED] = {"the connection is open (connect() or accept() "
                          "returns)",
                          "连接已打开（connect() 或 accept() 返回）"},
        [EV_DATA] = {"data has arrived to read", "有数据到达，可以读取"},
        [EV_EOF] = {"the peer has closed its side: read() returns 0 (end "
                    "of file)",
                    "对端已关闭它那一方向：read() 返回 0（文件结束）"},
        [EV_CLOSED] = {"the connection is gone", "连接已不存在"},
        [EV_RESET] = {"a RST ended the connection", "一个 RST 结束了连接"},
        [EV_ERROR] = {"an error ends the connection", "一个错误结束了这个连接"},
    };
    if (ev < 0 || ev >= EV__COUNT)
        return "?";
    return zh ? p[ev].zh : p[ev].en;
}

/* Why a packet is sent, from its flags and tags. */
static const char *
narrate_send_purpose(const struct seg_view *s, int zh)
{
    if (s->tags & SEG_INJECTED)
        return zh ? "这是场景伪造并注入的报文，看似来自这一方，"
                    "其实它的 TCP 从未发送过"
                  : "a crafted segment, injected by the scenario as if from "
                    "this side; its TCP never sent it";
    if (s->tags & SEG_ICMP)
        return zh ? "路由器告诉发送方：TTL 已耗尽"
                  : "a router tells the sender its TTL ran out";
    if (s->tags & SEG_DUP)
        return zh ? "网络复制了这个报文" : "the network made a copy of it";
    if ((s->tags & SEG_TLP) && (s->tags & SEG_RETX))
        return zh ? "尾部丢失探测：最后发出的报文段迟迟没有确认，"
                    "不等重传超时就再发一次，好引出一个 ACK"
                  : "tail-loss probe: the last segment sent is still not "
                    "ACKed, so it goes again before the RTO, to draw an ACK";
    if (s->tags & SEG_TLP)
        return zh ? "尾部丢失探测：之前的报文段迟迟没有确认，先发出新数据，"
                    "好引出一个 ACK"
                  : "tail-loss probe: what was sent is still not ACKed, so "
                    "new data goes early, to draw an ACK";
    if (s->tags & SEG_RETX)
        return zh ? "重传：上一份没有及时得到确认"
                  : "again: the last copy was not ACKed in time";
    if (s->tags & SEG_KEEPALIVE)
        return zh ? "保活探测：对端还在吗？"
                  : "a keepalive probe: still there?";
    if (s->flags & TCP_RST)
        return zh ? "重置连接" : "to reset the connection";
    if ((s->flags & TCP_SYN) && (s->flags & TCP_ACK))
        return zh ? "同意建立连接，并同步自己的序号"
                  : "agreeing to connect, and sending its own ISN";
    if (s->flags & TCP_SYN)
        return zh ? "请求建立连接，带上初始序号 (ISN)"
                  : "asking to open a connection, with its ISN";
    if (s->flags & TCP_FIN)
        return zh ? "它没有更多数据要发送了" : "it has nothing more to send";
    if (s->len)
        return zh ? "携带数据" : "carrying data";
    return zh ? "确认收到的一切" : "acknowledging what it has received";
}

/* The first note that follows ev and holds in this run, in lang; *untrue
 * is the first that does not hold, if any. */
static const char *
narrate_note(const struct draw_view *v, const struct trace_event **untrue)
{
    const struct trace *t = v->trace;
    *untrue = NULL;
    for (size_t i = (size_t)v->ev + 1; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (e->kind != TRACE_NOTE)
            return NULL;
        if (e->flags & TRACE_F_UNTRUE) {
            if (!*untrue)
                *untrue = e;
        } else if (e->note) {
            const char *s = i18n_get(e->note, v->lang);
            if (s && *s)
                return s;
        }
    }
    return NULL;
}

/* Why the scenario's note is not shown: what it claims that this run does
 * not do. */
static void
narrate_untrue(const struct draw_view *v, const struct trace_event *n,
               char *buf, size_t size, size_t *len)
{
    int zh = narrate_is_zh(v->lang);
    char claim[200] = "";

    if (v->scn && n->a >= 0 && (size_t)n->a < v->scn->nnotes)
        narrate_claim(&v->scn->notes[n->a].holds, n->b, v->lang, claim,
                      sizeof claim);
    if (zh)
        narrate_add(
            buf, size, len,
            "【剧本为这一步写的说明%s：它预期%s。以下是本次运行实际发生的。】",
            v->edits ? "在你修改之后不再适用" : "不适用于本次运行", claim);
    else
        narrate_add(buf, size, len,
                    "[The scenario's note for this step %s: it expects %s. "
                    "What this run did:] ",
                    v->edits ? "no longer applies after your edit"
                             : "does not apply to this run",
                    claim);
}

enum narrate_reply
narrate_discard_reply(const struct trace *t, uint32_t i)
{
    const struct trace_event *d = trace_at(t, i);
    enum narrate_reply r = REPLY_NONE;

    /* What the same side did at the same instant, before anything else
     * arrived there: an ACK sent, the TIME-WAIT timer set again. */
    for (uint32_t k = i + 1; k < t->len && trace_at(t, k)->t_us == d->t_us;
         k++) {
        const struct trace_event *e = trace_at(t, k);
        if (e->side != d->side)
            continue;
        if (e->kind == TRACE_ARRIVE)
            break;
        if (e->kind == TRACE_SEND && (e->seg.flags & TCP_ACK) &&
            !(e->seg.flags & (TCP_SYN | TCP_RST)) && r == REPLY_NONE)
            r = REPLY_ACK;
        if (e->kind == TRACE_TIMER_SET && e->a == TIMER_TIME_WAIT)
            return REPLY_ACK_RESTART;
    }
    return r;
}

bool
narrate_time_wait_is_2msl(const struct draw_view *v, uint32_t i)
{
    const struct trace_event *f = trace_at(v->trace, i);

    return v->msl_us && draw_timer_length(v, i, f->side, TIMER_TIME_WAIT,
                                          f->t_us) == 2 * v->msl_us;
}

/* The events of e's side and connection at e's instant after it, up to
 * the next arrival there: what the side did about e. */
static const struct trace_event *
narrate_reaction(const struct trace *t, uint32_t i, int kind)
{
    const struct trace_event *e = trace_at(t, i);

    for (size_t k = (size_t)i + 1;
         k < t->len && trace_at(t, k)->t_us == e->t_us; k++) {
        const struct trace_event *r = trace_at(t, k);
        if (r->conn != e->conn || r->side != e->side)
            continue;
        if (r->kind == TRACE_ARRIVE)
            break;
        if (r->kind == kind ||
            (kind < 0 && r->why &&
             (r->kind == TRACE_STATE || r->kind == TRACE_DISCARD)))
            return r;
    }
    return NULL;
}

/* A rule that only the linux profile follows: say so. */
static void
narrate_linux_rule(const char *why, int zh, char *buf, size_t size, size_t *n)
{
    if (!why || (strncmp(why, "Linux", 5) != 0 && !strstr(why, "(Linux")))
        return;
    narrate_add(buf, size, n,
                zh ? "这里 linux 配置遵循 Linux 的做法，与 RFC 9293 "
                     "不同（见 docs/fidelity.md）。"
                   : " Here the linux profile follows Linux, not RFC 9293 "
                     "(docs/fidelity.md).");
}

/* What an arriving segment means to its receiver, and the rule that fired
 * on it, read from what the receiver did next. */
static void
narrate_arrival(const struct draw_view *v, const struct trace_event *e, int zh,
                char *buf, size_t size, size_t *n)
{
    struct tcb_view rv = e->side <= SIDE_SERVER
                             ? trace_view(v->trace, e, e->side)
                             : (struct tcb_view){.state = TCP_CLOSED};
    const struct tcb_view *r = e->side <= SIDE_SERVER ? &rv : NULL;
    const struct trace_event *x = narrate_reaction(v->trace, v->ev, -1);
    char rule[256];

    if (!r || !r->exists)
        return;
    if ((e->seg.flags & TCP_ACK) && !r->wr_open && e->seg.ack == r->snd_nxt &&
        r->snd_una != r->snd_nxt)
        narrate_add(buf, size, n,
                    zh ? "它的 ack 覆盖了本方的 FIN：本方的 FIN 已被确认。"
                       : " Its ack covers this side's FIN: the FIN is "
                         "acknowledged.");
    if (x && x->why && x->kind == TRACE_STATE) {
        /* "In LISTEN:" unless the rule names the state itself. */
        const char *st = tcp_state_name((enum tcp_state)r->state);
        if (strstr(x->why, st))
            narrate_add(buf, size, n, zh ? "%s。" : " %s.",
                        narrate_why(v, x->why, rule, sizeof rule));
        else
            narrate_add(buf, size, n, zh ? "在 %s 状态，%s。" : " In %s: %s.",
                        st, narrate_why(v, x->why, rule, sizeof rule));
        narrate_linux_rule(x->why, zh, buf, size, n);
    } else if (x && x->kind == TRACE_DISCARD) {
        narrate_add(buf, size, n, zh ? "它处于 %s。" : " It is in %s.",
                    tcp_state_name((enum tcp_state)r->state));
    } else if (e->seg.len &&
               narrate_reaction(v->trace, v->ev, TRACE_TIMER_SET)) {
        narrate_add(buf, size, n,
                    zh ? "数据交给应用；ACK 先等一等（延迟确认）。"
                       : " The data goes to the application; the ACK waits "
                         "a little (delayed ACK).");
    }
}

/* Did the sender of segment event i already send this ack number? Then
 * the peer's FIN is old news. */
static bool
narrate_acked_before(const struct trace *t, uint32_t i)
{
    const struct trace_event *e = trace_at(t, i);

    for (uint32_t k = i; k-- > 0;) {
        const struct trace_event *p = trace_at(t, k);
        if (p->kind == TRACE_SEND && p->conn == e->conn &&
            p->seg.from == e->seg.from && !(p->seg.tags & SEG_ICMP))
            return (p->seg.flags & TCP_ACK) && p->seg.ack == e->seg.ack;
    }
    return false;
}

/* The numbers a sent segment teaches: a FIN's own sequence number, an
 * ACK of the peer's FIN. */
static void
narrate_send_numbers(const struct draw_view *v, const struct trace_event *e,
                     int zh, char *buf, size_t size, size_t *n)
{
    const struct seg_view *g = &e->seg;
    struct tcb_view sv, rv;
    const struct tcb_view *s = &sv, *r = &rv;
    uint32_t base_s, base_r;

    if (g->from > SIDE_SERVER || (g->tags & (SEG_ICMP | SEG_DUP)))
        return;
    sv = trace_view(v->trace, e, g->from);
    rv = trace_view(v->trace, e, 1 - g->from);
    base_s = v->absolute || !s->exists ? 0 : s->iss;
    base_r = v->absolute || !r->exists ? 0 : r->iss;
    if ((g->flags & TCP_FIN) && !(g->tags & SEG_RETX))
        narrate_add(buf, size, n,
                    zh ? "FIN 占用序号 %" PRIu32
                         "，所以对它的确认是 ack=%" PRIu32 "。"
                       : " The FIN takes sequence number %" PRIu32
                         ", so its ACK will say ack=%" PRIu32 ".",
                    g->seq + g->len - base_s, g->seq + g->len + 1 - base_s);
    if (trace_seg_acks_fin(v->trace, e) && !(g->flags & TCP_SYN) &&
        !narrate_acked_before(v->trace, v->ev))
        narrate_add(buf, size, n,
                    zh ? "ack=%" PRIu32 " 确认了对端的 FIN（它的序号 %" PRIu32
                         " 加 1）。"
                       : " ack=%" PRIu32 " acknowledges the peer's FIN (its "
                         "sequence number %" PRIu32 " plus 1).",
                    g->ack - base_r, g->ack - 1 - base_r);
}

/* What becomes of a lost segment, from the rest of the run. */
static void
narrate_after_drop(const struct trace *t, uint32_t i, int zh, char *buf,
                   size_t size, size_t *n)
{
    const struct trace_event *d = trace_at(t, i);
    const struct seg_view *g = &d->seg;

    if (g->tags & SEG_ICMP)
        return;
    for (size_t k = (size_t)i + 1; k < t->len; k++) {
        const struct trace_event *e = trace_at(t, k);
        if (e->kind == TRACE_SEND && e->conn == d->conn &&
            e->seg.from == g->from && (e->seg.tags & SEG_RETX) &&
            e->seg.seq == g->seq && e->seg.flags == g->flags) {
            if (e->seg.tags & SEG_TLP)
                narrate_add(buf, size, n,
                            zh ? "发送方还不知道：只有它的尾部丢失探测定时器"
                                 "会告诉它。"
                               : " The sender cannot know yet: only its "
                                 "tail-loss probe timer will tell it.");
            else
                narrate_add(buf, size, n,
                            zh ? "发送方还不知道：只有它的重传定时器会告诉它。"
                               : " The sender cannot know yet: only its "
                                 "retransmission timer will tell it.");
            return;
        }
    }
    if (g->flags & TCP_RST)
        narrate_add(buf, size, n,
                    zh ? "RST 从不重传。" : " A RST is never sent again.");
    else if (!(g->flags & (TCP_SYN | TCP_FIN)) && g->len == 0)
        narrate_add(buf, size, n,
                    zh ? "纯 ACK 没有定时器保护，不会被重传。"
                       : " No timer guards a pure ACK: it is never sent "
                         "again.");
    else
        narrate_add(buf, size, n,
                    zh ? "在这次运行里，它没有再被发送。"
                       : " In this run it is never sent again.");
}

/* Where a TIME-WAIT timer's length comes from. */
static void
narrate_time_wait_length(const struct draw_view *v, const struct trace_event *e,
                         int zh, char *buf, size_t size)
{
    size_t nn = 0, *n = &nn;

    buf[0] = '\0';
    char msl[24], twice[24];
    uint64_t len = e->n > (int64_t)e->t_us ? (uint64_t)e->n - e->t_us : 0;

    draw_duration(v->msl_us, msl, sizeof msl);
    draw_duration(2 * v->msl_us, twice, sizeof twice);
    if (v->msl_us && len == 2 * v->msl_us)
        narrate_add(buf, size, n,
                    zh ? "（2 × MSL，MSL = %s；RFC 9293 §3.10.7.4）"
                       : " (2 x MSL, with MSL = %s: RFC 9293 §3.10.7.4)",
                    msl);
    else if (v->scn && v->scn->tcp.profile == PROFILE_LINUX && len == 60000000)
        narrate_add(buf, size, n,
                    zh ? "（Linux 固定为 60 s，即 TCP_TIMEWAIT_LEN，与 MSL "
                         "无关；2 × MSL 将是 %s）"
                       : " (Linux: a fixed 60 s, TCP_TIMEWAIT_LEN, whatever "
                         "the MSL; 2 x MSL would be %s)",
                    twice);
    else if (v->msl_us)
        narrate_add(buf, size, n,
                    zh ? "（由场景的 time_wait_ms 设定；2 × MSL 将是 %s）"
                       : " (set by the scenario's time_wait_ms; 2 x MSL "
                         "would be %s)",
                    twice);
}

/* The tail-loss probe timer fired: how long it waited, from its setting,
 * and what the side did (tcp_send_loss_probe), read from the trace. */
static void
narrate_after_probe(const struct draw_view *v, int zh, char *buf, size_t size,
                    size_t *n)
{
    const struct trace_event *e = trace_at(v->trace, v->ev);
    const struct trace_event *sent =
        narrate_reaction(v->trace, v->ev, TRACE_SEND);
    const struct trace_event *set = NULL;
    char waited[24] = "";

    for (uint32_t k = v->ev; k-- > 0;) {
        const struct trace_event *p = trace_at(v->trace, k);
        if (p->kind == TRACE_TIMER_SET && p->a == TIMER_LOSS_PROBE &&
            p->side == e->side && p->conn == e->conn) {
            set = p;
            break;
        }
    }
    draw_duration(set ? e->t_us - set->t_us : 0, waited, sizeof waited);
    if (sent && (sent->seg.tags & SEG_TLP))
        narrate_add(buf, size, n,
                    zh ? "%s内没有任何确认：Linux 不等重传超时，先发一个"
                         "尾部丢失探测（RFC 8985），再从现在起重新启动完整"
                         "的、不加倍的重传定时器。"
                       : " No ACK in %s: rather than wait for the RTO, "
                         "Linux sends a tail-loss probe (RFC 8985), then "
                         "starts a whole RTO from now, not doubled.",
                    waited);
    else
        narrate_add(buf, size, n,
                    zh ? "上一个探测还没有得到回应：不再探测，重传定时器接管"
                         "剩下的时间。"
                       : " An earlier probe is still unanswered: no second "
                         "probe; the retransmission timer takes over for the "
                         "rest of its time.");
}

/* After a retransmission timeout: doubled, kept (Linux's linear SYN
 * timeouts) or given up, read from what the side did next. */
static void
narrate_after_rto(const struct draw_view *v, int zh, char *buf, size_t size,
                  size_t *n)
{
    const struct trace_event *set =
        narrate_reaction(v->trace, v->ev, TRACE_TIMER_SET);
    const struct trace_event *st =
        narrate_reaction(v->trace, v->ev, TRACE_STATE);

    if (set && set->a == TIMER_RTX && (set->flags & TRACE_F_BACKOFF))
        narrate_add(buf, size, n,
                    zh ? "没有等到确认：重传，并把超时时间加倍（指数退避，"
                         "RFC 6298 §5.5）。"
                       : " No ACK came in time: it sends again and doubles "
                         "its timeout (exponential backoff, RFC 6298 "
                         "§5.5).");
    else if (set && set->a == TIMER_RTX)
        narrate_add(buf, size, n,
                    zh ? "没有等到确认：重传，超时时间不变（Linux 最初几次 "
                         "SYN 超时是线性的，tcp_syn_linear_timeouts）。"
                       : " No ACK came in time: it sends again with the same "
                         "timeout (Linux keeps its first SYN timeouts "
                         "linear, tcp_syn_linear_timeouts).");
    else if (st && st->b == TCP_CLOSED)
        narrate_add(buf, size, n,
                    zh ? "重传次数已用完：放弃这个连接。"
                       : " It has retried as often as allowed: it gives "
                         "up.");
}

char *
narrate_event(const struct draw_view *v, char *buf, size_t size)
{
    const struct trace_event *e = draw_event(v, v->ev);
    int zh = narrate_is_zh(v->lang);
    size_t n = 0;
    char seg[96], dur[200];
    char rule[256];
    const char *note, *who;
    const struct trace_event *untrue = NULL;

    buf[0] = '\0';
    if (!e) {
        const char *d = v->scn ? i18n_get(&v->scn->description, v->lang) : NULL;
        /* The description tells the run as written: an edit may change
         * what it describes. */
        if (d && *d && (v->edits || (v->scn && v->scn->changed)))
            narrate_add(
                buf, size, &n, "%s",
                zh ? "【以下说明的是剧本原本的运行；你的修改可能改变了它。】"
                   : "[This describes the run as written; your "
                     "edits may have changed it.] ");
        narrate_add(buf, size, &n, "%s%s%s", d && *d ? d : "",
                    d && *d ? (zh ? "" : "  ") : "",
                    zh ? "按 n 或 → 逐步观看。"
                       : "Press n or \u2192 to step through it.");
        return buf;
    }
    note = narrate_note(v, &untrue);
    if (note && *note) {
        narrate_add(buf, size, &n, "%s", note);
        return buf;
    }
    if (untrue)
        narrate_untrue(v, untrue, buf, size, &n);
    who = narrate_subject(e->side, zh);
    switch ((enum trace_kind)e->kind) {
    case TRACE_SEND:
        narrate_seg(v, e, seg, sizeof seg);
        who = narrate_subject(e->seg.from, zh);
        if (e->seg.tags & (SEG_ICMP | SEG_DUP))
            who = narrate_subject(SIDE_NET, zh);
        narrate_add(buf, size, &n, zh ? "%s发送 %s：%s。" : "%s sends %s: %s.",
                    who, seg, narrate_send_purpose(&e->seg, zh));
        narrate_send_numbers(v, e, zh, buf, size, &n);
        break;
    case TRACE_ARRIVE:
        narrate_seg(v, e, seg, sizeof seg);
        narrate_add(buf, size, &n, zh ? "%s收到 %s。" : "%s receives %s.", who,
                    seg);
        narrate_arrival(v, e, zh, buf, size, &n);
        break;
    case TRACE_DROP:
        narrate_seg(v, e, seg, sizeof seg);
        narrate_add(buf, size, &n,
                    zh ? "网络丢失了%s的 %s（%s）。"
                       : "The network loses the %s's %s (%s).",
                    narrate_side(e->seg.from, v->lang), seg,
                    e->why ? narrate_why(v, e->why, rule, sizeof rule)
                    : zh   ? "丢失"
                           : "lost");
        narrate_after_drop(v->trace, v->ev, zh, buf, size, &n);
        break;
    case TRACE_DISCARD: {
        /* The RFC calls the segment unacceptable, but what a student sees
         * is the reply: say what happened, from the run. */
        enum narrate_reply r = narrate_discard_reply(v->trace, v->ev);
        narrate_seg(v, e, seg, sizeof seg);
        if (r == REPLY_NONE)
            narrate_add(buf, size, &n,
                        zh ? "%s丢弃了 %s：%s。" : "%s discards %s: %s.", who,
                        seg,
                        e->why ? narrate_why(v, e->why, rule, sizeof rule)
                        : zh   ? "不可接受"
                               : "not acceptable");
        else
            narrate_add(
                buf, size, &n,
                zh ? "%s不把 %s 当作新的报文段（%s），而是再次发送 ACK "
                     "确认它%s。"
                   : "%s does not take %s as new (%s): it answers with an "
                     "ACK%s.",
                who, seg,
                e->why ? narrate_why(v, e->why, rule, sizeof rule)
                : zh   ? "不可接受"
                       : "not acceptable",
                r == REPLY_ACK_RESTART
                    ? (zh ? "，并重新启动 TIME-WAIT 定时器"
                          : " and starts its TIME-WAIT timer again")
                    : "");
        narrate_linux_rule(e->why, zh, buf, size, &n);
        break;
    }
    case TRACE_STATE:
        narrate_add(buf, size, &n,
                    zh ? "%s从 %s 进入 %s（%s）。"
                       : "%s goes from %s to %s: %s.",
                    who, tcp_state_name((enum tcp_state)e->a),
                    tcp_state_name((enum tcp_state)e->b),
                    narrate_state_meaning(e->b, v->lang));
        if (e->why)
            narrate_add(buf, size, &n, zh ? "规则：%s。" : " Rule: %s.",
                        narrate_why(v, e->why, rule, sizeof rule));
        narrate_linux_rule(e->why, zh, buf, size, &n);
        break;
    case TRACE_TIMER_SET:
        draw_duration(e->n > (int64_t)e->t_us ? (uint64_t)e->n - e->t_us : 0,
                      dur, sizeof dur);
        if (e->a == TIMER_TIME_WAIT) {
            /* "4 s (2 x MSL, ...)": where the length comes from. */
            size_t k = strlen(dur);
            narrate_time_wait_length(v, e, zh, dur + k, sizeof dur - k);
        } else if (e->a == TIMER_RTX && (e->flags & TRACE_F_BACKOFF)) {
            size_t k = strlen(dur);
            snprintf(dur + k, sizeof dur - k, "%s",
                     zh ? "（加倍）" : " (doubled)");
        }
        {
            /* Was it running just before? Then this restarts it. */
            const struct trace_event *p = draw_event(v, v->ev - 1);
            bool again = v->ev > 0 && p && e->side <= SIDE_SERVER &&
                         e->a >= 0 && e->a < TIMER__COUNT &&
                         trace_view(v->trace, p, e->side).timer_us[e->a] != 0;
            narrate_add(buf, size, &n,
                        zh ? (again ? "%s重新启动%s定时器：%s 后到期。"
                                    : "%s启动%s定时器：%s 后到期。")
                        : again ? "%s restarts its %s timer: it fires in %s."
                                : "%s starts its %s timer: it fires in %s.",
                        who, narrate_timer(e->a, zh), dur);
        }
        if (e->a == TIMER_RTX)
            narrate_add(buf, size, &n,
                        zh ? "如果在此之前没有收到确认，就重传。"
                           : " Unless an ACK comes first, it will send "
                             "again.");
        else if (e->a == TIMER_LOSS_PROBE && e->why)
            narrate_add(buf, size, &n,
                        zh ? "为什么是这么长：%s。如果在此之前没有收到确认，"
                             "就先发一个探测，而不等重传超时。"
                           : " Why that long: %s. Unless an ACK comes first, "
                             "it will probe before the RTO would.",
                        narrate_why(v, e->why, rule, sizeof rule));
        else if (e->a == TIMER_TIME_WAIT) {
            narrate_add(buf, size, &n,
                        zh ? "在此期间，它可以再次确认对端重传的 "
                             "FIN，网络中的旧报文段也会消失。"
                           : " Meanwhile it can ACK a retransmitted FIN "
                             "again, and old duplicates die out.");
        }
        break;
    case TRACE_TIMER_CANCEL:
        narrate_add(buf, size, &n,
                    zh ? "%s停止%s定时器：不再需要。"
                       : "%s stops its %s timer: it is no longer needed.",
                    who, narrate_timer(e->a, zh));
        break;
    case TRACE_TIMER_FIRE:
        narrate_add(buf, size, &n,
                    zh ? "%s的%s定时器到期。" : "%s's %s timer fires.", who,
                    narrate_timer(e->a, zh));
        if (e->a == TIMER_RTX)
            narrate_after_rto(v, zh, buf, size, &n);
        else if (e->a == TIMER_LOSS_PROBE)
            narrate_after_probe(v, zh, buf, size, &n);
        else if (e->a == TIMER_TIME_WAIT)
            narrate_add(buf, size, &n,
                        zh ? "等待结束，连接被彻底忘记。"
                           : " The wait is over: the connection is "
                             "forgotten.");
        break;
    case TRACE_CALL: {
        /* With its detail, if any: "close() (listening socket)". */
        char detail[300] = "";
        if (e->why)
            snprintf(detail, sizeof detail, zh ? "（%s）" : " (%s)",
                     narrate_why(v, e->why, rule, sizeof rule));
        canvas_utf8_trim(detail);
        narrate_add(buf, size, &n,
                    zh ? "%s的应用调用 %s()%s：%s。"
                       : "%s application calls %s()%s: %s.",
                    zh                       ? who
                    : e->side == SIDE_CLIENT ? "The client's"
                                             : "The server's",
                    sock_call_name((enum sock_call)e->a), detail,
                    narrate_call_purpose(e->a, zh));
        if (e->b)
            narrate_add(buf, size, &n,
                        zh ? "调用失败，%s：%s。" : " It fails with %s: %s.",
                        trace_errno_name(e->b),
                        narrate_errno_meaning(e->b, v->lang));
        break;
    }
    case TRACE_APP:
        narrate_add(buf, size, &n,
                    zh ? "%s的应用得知：%s" : "%s application is told: %s",
                    zh                       ? who
                    : e->side == SIDE_CLIENT ? "The client's"
                                             : "The server's",
                    narrate_app_event(e->a, zh));
        /* The errno this run gave, which its next call may report. */
        if (e->b)
            narrate_add(buf, size, &n, zh ? "（%s：%s）" : " (%s: %s)",
                        trace_errno_name(e->b),
                        narrate_errno_meaning(e->b, v->lang));
        narrate_add(buf, size, &n, zh ? "。" : ".");
        break;
    default: break;
    }
    return buf;
}

char *
narrate_waiting(const struct draw_view *v, char *buf, size_t size)
{
    const struct trace_event *e = draw_event(v, v->ev);
    int zh = narrate_is_zh(v->lang);
    size_t n = 0;

    buf[0] = '\0';
    if (!e)
        return buf;
    for (int side = 0; side < 2; side++) {
        struct tcb_view t = trace_view(v->trace, e, side);
        int st = t.exists ? t.state : TCP_CLOSED;
        narrate_add(buf, size, &n, zh ? "%s%s等待：%s" : "%s%s waits for %s",
                    side ? (zh ? "；" : "; ") : "", narrate_side(side, v->lang),
                    narrate_state_waits(st, v->lang));
    }
    narrate_add(buf, size, &n, zh ? "。" : ".");
    return buf;
}
