/*
 * The trace as JSON Lines: one object per event, keys always in the same
 * order, integers only (times in microseconds). Documented in
 * docs/trace-format.md.
 */
#include <inttypes.h>
#include <stdio.h>

#include "base/json_string.h"
#include "synfin/trace.h"

static void
put_seg(FILE *out, const struct seg_view *s)
{
    char flags[24];

    fprintf(out,
            ",\"seg\":{\"id\":%u,\"orig_id\":%u,\"saddr\":%u,\"daddr\":%u,"
            "\"sport\":%u,\"dport\":%u,\"seq\":%u,\"ack\":%u,\"len\":%u,"
            "\"wnd\":%u,\"flags\":",
            s->id, s->orig_id, s->saddr, s->daddr, s->sport, s->dport, s->seq,
            s->ack, s->len, s->wnd);
    json_put_string(out, tcp_flags_str(s->flags, flags));
    fprintf(out,
            ",\"retx\":%u,\"tlp\":%s,\"keepalive\":%s,\"dup\":%s,"
            "\"icmp\":%s,\"held\":%s,\"ttl\":%u,\"hops\":%u,\"from\":",
            s->retx, s->tags & SEG_TLP ? "true" : "false",
            s->tags & SEG_KEEPALIVE ? "true" : "false",
            s->tags & SEG_DUP ? "true" : "false",
            s->tags & SEG_ICMP ? "true" : "false",
            s->tags & SEG_HELD ? "true" : "false", s->ttl, s->hops);
    json_put_string(out, trace_side_name((enum trace_side)s->from));
    /* Only when set: runs without injections keep their records. */
    if (s->tags & SEG_INJECTED)
        fputs(",\"injected\":true", out);
    fprintf(out,
            ",\"sent_us\":%" PRIu64 ",\"due_us\":%" PRIu64
            ",\"ts\":%s,\"tsval\":%u,\"tsecr\":%u}",
            s->sent_us, s->due_us, s->ts ? "true" : "false", s->tsval,
            s->tsecr);
}

static void
put_view(FILE *out, const char *name, const struct tcb_view *v)
{
    fprintf(out, ",\"%s\":{\"state\":", name);
    json_put_string(out, tcp_state_name((enum tcp_state)v->state));
    fprintf(out,
            ",\"exists\":%s,\"rd_open\":%s,\"wr_open\":%s,\"orphan\":%s,"
            "\"lport\":%u,\"rport\":%u,\"iss\":%u,\"irs\":%u,"
            "\"snd_una\":%u,\"snd_nxt\":%u,\"snd_wnd\":%u,\"rcv_nxt\":%u,"
            "\"rcv_wnd\":%u,\"unsent\":%u,\"unread\":%u,\"backoff\":%u,"
            "\"timers\":{",
            v->exists ? "true" : "false", v->rd_open ? "true" : "false",
            v->wr_open ? "true" : "false", v->orphan ? "true" : "false",
            v->lport, v->rport, v->iss, v->irs, v->snd_una, v->snd_nxt,
            v->snd_wnd, v->rcv_nxt, v->rcv_wnd, v->unsent, v->unread,
            v->backoff);
    for (int k = 0, first = 1; k < TIMER__COUNT; k++) {
        if (!v->timer_us[k])
            continue;
        fprintf(out, "%s", first ? "" : ",");
        json_put_string(out, tcp_timer_name((enum tcp_timer_kind)k));
        fprintf(out, ":%" PRIu64, v->timer_us[k]);
        first = 0;
    }
    fputs("}}", out);
}

int
trace_write_json(const struct trace *t, FILE *out)
{
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);

        fprintf(out, "{\"t_us\":%" PRIu64 ",\"idx\":%u,\"kind\":", e->t_us,
                e->idx);
        json_put_string(out, trace_kind_name((enum trace_kind)e->kind));
        fputs(",\"side\":", out);
        json_put_string(out, trace_side_name((enum trace_side)e->side));
        fprintf(out, ",\"conn\":%u,\"whatif\":%s,\"stale\":%s", e->conn,
                e->flags & TRACE_F_WHATIF ? "true" : "false",
                e->flags & TRACE_F_STALE ? "true" : "false");
        switch ((enum trace_kind)e->kind) {
        case TRACE_CALL:
            fputs(",\"call\":", out);
            json_put_string(out, sock_call_name((enum sock_call)e->a));
            fputs(",\"result\":", out);
            json_put_string(out, trace_errno_name(e->b));
            fprintf(out, ",\"n\":%" PRId64, e->n);
            break;
        case TRACE_APP:
            fputs(",\"event\":", out);
            json_put_string(out, app_event_name((enum app_event)e->a));
            fputs(",\"error\":", out);
            json_put_string(out, trace_errno_name(e->b));
            fprintf(out, ",\"bytes\":%" PRId64, e->n);
            break;
        case TRACE_SEND:
        case TRACE_ARRIVE:
        case TRACE_DROP:
        case TRACE_DISCARD: put_seg(out, &e->seg); break;
        case TRACE_STATE:
            fputs(",\"from\":", out);
            json_put_string(out, tcp_state_name((enum tcp_state)e->a));
            fputs(",\"to\":", out);
            json_put_string(out, tcp_state_name((enum tcp_state)e->b));
            break;
        case TRACE_TIMER_SET:
        case TRACE_TIMER_FIRE:
        case TRACE_TIMER_CANCEL:
            fputs(",\"timer\":", out);
            json_put_string(out, tcp_timer_name((enum tcp_timer_kind)e->a));
            fprintf(out, ",\"backoff\":%d", e->b);
            if (e->kind == TRACE_TIMER_SET)
                fprintf(out, ",\"expires_us\":%" PRId64 ",\"backed_off\":%s",
                        e->n, e->flags & TRACE_F_BACKOFF ? "true" : "false");
            break;
        case TRACE_NOTE:
            fputs(",\"note\":{\"en\":", out);
            json_put_string(out, e->note ? e->note->en : "");
            fputs(",\"zh\":", out);
            json_put_string(out, e->note && e->note->zh ? e->note->zh
                                 : e->note              ? e->note->en
                                                        : "");
            fputs("}", out);
            if (e->flags & TRACE_F_UNTRUE) {
                fputs(",\"holds\":false,\"fails\":", out);
                json_put_string(out, trace_claim_name(e->b));
            }
            break;
        case TRACE__KIND_COUNT: break;
        }
        if (e->why) {
            fputs(",\"why\":", out);
            json_put_string(out, e->why);
        }
        struct tcb_view c = trace_view(t, e, SIDE_CLIENT),
                        sv = trace_view(t, e, SIDE_SERVER);
        put_view(out, "client", &c);
        put_view(out, "server", &sv);
        fputs("}\n", out);
    }
    return ferror(out) ? -1 : 0;
}
