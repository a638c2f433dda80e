/*
 * What a scenario's note claims about the run, in words: said when a claim
 * is false in the run on screen, so that the reader learns why the note
 * gave way to the generated narration ("it expects the client in
 * FIN-WAIT-2"). The claims themselves are checked in src/trace/trace_claim.c.
 */
#include <stdio.h>
#include <string.h>

#include "ui/narrate.h"

/* "the server's delayed-ACK timer is stopped", "a FIN is lost": pattern m
 * as a clause. */
static void
pattern_words(const struct note_match *m, int zh, char *buf, size_t size)
{
    char flags[24] = "", what[64] = "";
    const char *who = m->side >= 0 && m->side <= SIDE_SERVER
                          ? narrate_side(m->side, zh ? "zh" : "en")
                      : zh ? "某一方"
                           : "either side";

    if (m->flags_all)
        tcp_flags_str(m->flags_all, flags);
    if (m->tags_all & SEG_RETX)
        snprintf(what, sizeof what,
                 zh ? "重传的 %s 报文段" : "a retransmitted %s",
                 *flags ? flags : (zh ? "" : "segment"));
    else
        snprintf(what, sizeof what, zh ? "%s 报文段" : "a %s",
                 *flags ? flags : (zh ? "" : "segment"));
    switch (m->kind) {
    case TRACE_SEND:
        snprintf(buf, size, zh ? "%s发送%s" : "the %s sends %s", who, what);
        return;
    case TRACE_ARRIVE:
        snprintf(buf, size, zh ? "%s收到%s" : "the %s receives %s", who, what);
        return;
    case TRACE_DROP:
        snprintf(buf, size, zh ? "网络丢失%s" : "the network loses %s", what);
        return;
    case TRACE_DISCARD:
        snprintf(buf, size, zh ? "%s不接受%s" : "the %s does not accept %s",
                 who, what);
        return;
    case TRACE_STATE:
        if (m->state >= 0 && m->from_state >= 0)
            snprintf(buf, size,
                     zh ? "%s从 %s 进入 %s" : "the %s goes from %s to %s", who,
                     tcp_state_name((enum tcp_state)m->from_state),
                     tcp_state_name((enum tcp_state)m->state));
        else if (m->state >= 0)
            snprintf(buf, size, zh ? "%s进入 %s" : "the %s enters %s", who,
                     tcp_state_name((enum tcp_state)m->state));
        else
            snprintf(buf, size, zh ? "%s离开 %s" : "the %s leaves %s", who,
                     tcp_state_name((enum tcp_state)(
                         m->from_state >= 0 ? m->from_state : TCP_CLOSED)));
        return;
    case TRACE_TIMER_SET:
    case TRACE_TIMER_FIRE:
    case TRACE_TIMER_CANCEL: {
        static const char *const en[] = {"starts", "fires", "stops"};
        static const char *const cn[] = {"启动", "到期", "停止"};
        int k = m->kind - TRACE_TIMER_SET;
        const char *timer = m->timer >= 0
                                ? narrate_timer_name(m->timer, zh ? "zh" : "en")
                                : (zh ? "某个" : "a");
        if (zh)
            snprintf(buf, size, "%s的%s定时器%s", who, timer, cn[k]);
        else
            snprintf(buf, size, "the %s's %s timer %s", who, timer,
                     k == 1 ? "fires" : en[k]);
        return;
    }
    case TRACE_CALL:
        snprintf(buf, size,
                 zh ? "%s的应用调用 %s()" : "the %s's application calls %s()",
                 who,
                 m->call >= 0 ? sock_call_name((enum sock_call)m->call)
                              : "a socket call");
        return;
    case TRACE_APP:
        snprintf(
            buf, size,
            zh ? "%s的应用得知 %s" : "the %s's application is told %s", who,
            m->app >= 0 ? app_event_name((enum app_event)m->app) : "something");
        return;
    default:
        snprintf(buf, size, zh ? "%s的一个事件" : "an event of the %s", who);
        return;
    }
}

char *
narrate_claim(const struct note_claims *c, int which, const char *lang,
              char *buf, size_t size)
{
    int zh = narrate_is_zh(lang);
    char a[32], b[32], clause[160];

    buf[0] = '\0';
    switch (which) {
    case CLAIM_AT:
        draw_time(c->at_lo, a, sizeof a);
        draw_time(c->at_hi, b, sizeof b);
        if (c->at_lo == c->at_hi)
            snprintf(buf, size, zh ? "这一步发生在 %s s" : "this step at %s s",
                     a);
        else
            snprintf(buf, size,
                     zh ? "这一步发生在 %s s 到 %s s 之间"
                        : "this step between %s s and %s s",
                     a, b);
        break;
    case CLAIM_TIMER: {
        /* The timer of the note's event, or the one the claim names. */
        const char *name =
            c->timer ? narrate_timer_name(c->timer - 1, lang) : NULL;
        char len[80];
        draw_duration(c->timer_lo, a, sizeof a);
        draw_duration(c->timer_hi, b, sizeof b);
        if (c->timer_lo == c->timer_hi)
            snprintf(len, sizeof len, "%s", a);
        else
            snprintf(len, sizeof len, zh ? "%s 到 %s" : "%s to %s", a, b);
        if (zh)
            snprintf(buf, size, "%s定时器时长为 %s", name ? name : "", len);
        else if (name)
            snprintf(buf, size, "the %s timer to run %s", name, len);
        else
            snprintf(buf, size, "its timer to run %s", len);
        break;
    }
    case CLAIM_TIMER_MSL:
        snprintf(
            buf, size,
            zh ? "%s定时器时长为 %u × MSL" : "the %s timer to run %u x MSL",
            narrate_timer_name(c->timer ? c->timer - 1 : TIMER_TIME_WAIT, lang),
            c->timer_msl);
        break;
    case CLAIM_RETX:
        if (c->retx == 0)
            snprintf(buf, size,
                     zh ? "这是第一次发送，不是重传"
                        : "the first copy, not a retransmission");
        else
            snprintf(buf, size,
                     zh ? "这是第 %d 次重传" : "retransmission number %d",
                     c->retx);
        break;
    case CLAIM_ACKS_FIN:
        snprintf(buf, size, "%s",
                 c->acks_fin
                     ? (zh ? "这个报文段确认了对端的 FIN"
                           : "this segment to acknowledge the peer's FIN")
                     : (zh ? "这个报文段不确认对端的 FIN"
                           : "this segment not to acknowledge the peer's FIN"));
        break;
    case CLAIM_SEQ: snprintf(buf, size, "seq = %u", c->seq); break;
    case CLAIM_ACK: snprintf(buf, size, "ack = %u", c->ack); break;
    case CLAIM_ERRNO:
        snprintf(buf, size, zh ? "结果为 %s" : "the result %s",
                 trace_errno_name(c->err));
        break;
    case CLAIM_STATE_CLIENT:
    case CLAIM_STATE_SERVER: {
        int side = which - CLAIM_STATE_CLIENT;
        snprintf(buf, size,
                 zh ? "%s此时处于 %s" : "the %s in %s at this moment",
                 narrate_side(side, lang),
                 tcp_state_name((enum tcp_state)c->state[side]));
        break;
    }
    case CLAIM_CLOSE_SEGMENTS:
        snprintf(buf, size,
                 zh ? "关闭过程共 %u 个报文段" : "a close of %u segments",
                 c->close_segments);
        break;
    default: {
        const struct claim_pattern *p;
        if (which < CLAIM_PATTERN || which - CLAIM_PATTERN >= c->npat)
            break;
        p = &c->pat[which - CLAIM_PATTERN];
        pattern_words(&p->m, zh, clause, sizeof clause);
        switch ((enum claim_how)p->how) {
        case CLAIM_SAME_TIME:
            snprintf(buf, size, zh ? "同一时刻%s" : "that at this moment %s",
                     clause);
            break;
        case CLAIM_EARLIER:
            snprintf(buf, size, zh ? "此前%s" : "that earlier %s", clause);
            break;
        case CLAIM_LATER:
            snprintf(buf, size, zh ? "之后%s" : "that later %s", clause);
            break;
        case CLAIM_NEVER:
            snprintf(buf, size,
                     zh ? "整个过程中从不出现：%s"
                        : "that it never happens that %s",
                     clause);
            break;
        case CLAIM_COUNT:
            snprintf(buf, size, zh ? "恰好 %u 次：%s" : "exactly %u times: %s",
                     p->count, clause);
            break;
        case CLAIM__HOW_COUNT: break;
        }
    }
    }
    return buf;
}
