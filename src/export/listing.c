/*
 * The exchange as one host sees it, in the notation of packetdrill scripts
 * and tcpdump -S-less output:
 *
 *   0.100 > F. 101:101(0) ack 201 win 65535
 *
 * time in seconds since the start, ">" for a packet this side sends (at
 * the moment it leaves), "<" for one it receives (when it arrives), the
 * flags (F S R P, then "." for ACK), seq:end(len) and ack relative to each
 * direction's ISN (absolute when no SYN of that direction is in the
 * trace), and the window. ICMP Time Exceeded reads as packetdrill writes
 * it: "< icmp time_exceeded [seq:end(len)]", the bracket being the packet
 * it is about. Everything else is a "//" comment: socket calls, state
 * changes, segments TCP discarded, and packets the network lost in either
 * direction. docs/trace-format.md describes the format.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

struct lst {
    FILE *out;
    const struct export_index *x;
    uint8_t side;
    bool us;    /* some time is not a whole millisecond: print 6 digits */
    bool multi; /* several connections: every line names its own */
};

/* The side a packet is going to. */
static uint8_t
dest(const struct lst *l, const struct seg_view *s)
{
    const struct export_pkt *p = export_pkt(l->x, s->id);
    if (p)
        return p->to;
    return s->from == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
}

/* Which events show up in this side's listing. */
static bool
shown(const struct lst *l, const struct trace_event *e)
{
    switch ((enum trace_kind)e->kind) {
    case TRACE_SEND:
        /* Duplicates and ICMP are made in the network, not by a host. */
        return e->side == l->side && !(e->seg.tags & (SEG_DUP | SEG_ICMP));
    case TRACE_ARRIVE:
    case TRACE_DISCARD:
    case TRACE_CALL: return e->side == l->side;
    case TRACE_STATE: return e->side == l->side && e->a != e->b;
    case TRACE_DROP:
        return (!(e->seg.tags & SEG_ICMP) && e->seg.from == l->side) ||
               dest(l, &e->seg) == l->side;
    case TRACE_APP:
    case TRACE_TIMER_SET:
    case TRACE_TIMER_FIRE:
    case TRACE_TIMER_CANCEL:
    case TRACE_NOTE:
    case TRACE__KIND_COUNT: break;
    }
    return false;
}

static void
flags_str(uint8_t f, char *buf)
{
    static const struct {
        uint8_t bit;
        char c;
    } order[] = {
        {TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'},
        {TCP_PSH, 'P'}, {TCP_ACK, '.'},
    };
    char *p = buf;

    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (f & order[i].bit)
            *p++ = order[i].c;
    if (p == buf) {
        strcpy(buf, "none");
        return;
    }
    *p = '\0';
}

/* "S. 0:0(0) ack 1 win 65535", or the ICMP form. */
static void
packet_str(const struct lst *l, const struct seg_view *s, char *buf,
           size_t size)
{
    const struct export_pkt *p;
    uint32_t seq, len;
    char fl[8];

    if (s->tags & SEG_ICMP) {
        const struct trace_event *oe = export_send_event(l->x, s->orig_id);
        const struct export_pkt *op = export_pkt(l->x, s->orig_id);
        len = oe ? oe->seg.len : 0;
        seq = s->seq - (op && op->seq_known ? op->seq_isn : 0);
        snprintf(buf, size,
                 "icmp time_exceeded [%" PRIu32 ":%" PRIu32 "(%" PRIu32 ")]",
                 seq, seq + len, len);
        return;
    }
    p = export_pkt(l->x, s->id);
    seq = s->seq - (p && p->seq_known ? p->seq_isn : 0);
    flags_str(s->flags, fl);
    if (s->flags & TCP_ACK)
        snprintf(buf, size,
                 "%s %" PRIu32 ":%" PRIu32 "(%" PRIu32 ") ack %" PRIu32
                 " win %u",
                 fl, seq, seq + s->len, s->len,
                 s->ack - (p && p->ack_known ? p->ack_isn : 0), s->wnd);
    else
        snprintf(buf, size, "%s %" PRIu32 ":%" PRIu32 "(%" PRIu32 ") win %u",
                 fl, seq, seq + s->len, s->len, s->wnd);
}

/* What the notation cannot say: ", "-separated, or "". */
static void
tags_str(const struct seg_view *s, char *buf, size_t size)
{
    size_t n = 0;

    buf[0] = '\0';
#define ADD(...)                                                               \
    do {                                                                       \
        if (n < size)                                                          \
            n += (size_t)snprintf(buf + n, size - n, "%s", n ? ", " : "");     \
        if (n < size)                                                          \
            n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__);             \
    } while (0)
    if (s->tags & SEG_ICMP) {
        ADD("from router %u.%u.%u.%u", s->saddr >> 24, (s->saddr >> 16) & 255,
            (s->saddr >> 8) & 255, s->saddr & 255);
        return;
    }
    if (s->tags & SEG_RETX)
        ADD("retransmission %u", s->retx);
    if (s->tags & SEG_TLP)
        ADD("tail-loss probe");
    if (s->tags & SEG_KEEPALIVE)
        ADD("keepalive");
    if (s->tags & SEG_DUP)
        ADD("network duplicate");
    if (s->tags & SEG_HELD)
        ADD("held by the network");
#undef ADD
}

static void
time_str(const struct lst *l, uint64_t us, char *buf, size_t size)
{
    if (l->us)
        snprintf(buf, size, "%" PRIu64 ".%06" PRIu64, us / 1000000,
                 us % 1000000);
    else
        snprintf(buf, size, "%" PRIu64 ".%03" PRIu64, us / 1000000,
                 us % 1000000 / 1000);
}

static void
line(const struct lst *l, const struct trace_event *e)
{
    char t[32], pkt[160], tags[160], body[600], conn[16] = "", cn[16] = "";
    char why[600];

    time_str(l, e->t_us, t, sizeof t);
    /* A drop's cause may be a rule's label from the scenario. */
    trace_escape(e->why ? e->why : "?", why, sizeof why);
    if (l->multi) {
        /* "c2 " before more words, "c2" alone. */
        snprintf(cn, sizeof cn, "c%" PRIu32, e->conn);
        snprintf(conn, sizeof conn, "%s ", cn);
    }
    switch ((enum trace_kind)e->kind) {
    case TRACE_SEND:
    case TRACE_ARRIVE:
        packet_str(l, &e->seg, pkt, sizeof pkt);
        tags_str(&e->seg, tags, sizeof tags);
        if (*tags || l->multi)
            fprintf(l->out, "%s %c %s // %s%s\n", t,
                    e->kind == TRACE_SEND ? '>' : '<', pkt, *tags ? conn : cn,
                    tags);
        else
            fprintf(l->out, "%s %c %s\n", t, e->kind == TRACE_SEND ? '>' : '<',
                    pkt);
        return;
    case TRACE_DROP:
        packet_str(l, &e->seg, pkt, sizeof pkt);
        tags_str(&e->seg, tags, sizeof tags);
        fprintf(l->out, "%s // %sdropped: %s (%c %s%s%s)\n", t, conn, why,
                dest(l, &e->seg) == l->side ? '<' : '>', pkt, *tags ? ", " : "",
                tags);
        return;
    case TRACE_DISCARD:
        /* Right after the "<" line of the segment it is about. */
        fprintf(l->out, "%s // %sdiscarded: %s\n", t, conn, why);
        return;
    case TRACE_STATE:
        fprintf(l->out, "%s // %s%s -> %s\n", t, conn,
                tcp_state_name((enum tcp_state)e->a),
                tcp_state_name((enum tcp_state)e->b));
        return;
    case TRACE_CALL:
        trace_format_call(e, why, sizeof why);
        fprintf(l->out, "%s // %s%s\n", t, conn,
                trace_escape(why, body, sizeof body));
        return;
    case TRACE_APP:
    case TRACE_TIMER_SET:
    case TRACE_TIMER_FIRE:
    case TRACE_TIMER_CANCEL:
    case TRACE_NOTE:
    case TRACE__KIND_COUNT: break;
    }
}

int
listing_write(const struct trace *t, enum trace_side side, FILE *out)
{
    struct export_index x;
    struct lst l = {.out = out, .x = &x, .side = (uint8_t)side};
    uint32_t first_conn = 0;

    export_index_build(&x, t);
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (!shown(&l, e))
            continue;
        if (e->t_us % 1000)
            l.us = true;
        if (e->kind == TRACE_SEND || e->kind == TRACE_ARRIVE ||
            e->kind == TRACE_DROP) {
            if (e->conn && !first_conn)
                first_conn = e->conn;
            else if (e->conn && e->conn != first_conn)
                l.multi = true;
        }
    }
    fprintf(out,
            "// synfin listing: the %s's view, > sent, < received; seq and "
            "ack relative to each side's ISN\n",
            side == SIDE_SERVER ? "server" : "client");
    for (size_t i = 0; i < t->len; i++)
        if (shown(&l, trace_at(t, i)))
            line(&l, trace_at(t, i));
    export_index_free(&x);
    return ferror(out) ? -1 : 0;
}
