/*
 * Building and sending segments: new data and FIN, retransmissions, ACKs
 * (delayed or not) and resets. Payload is a byte count; no bytes are kept.
 */
#include "base/siphash.h"
#include "engine.h"
#include "synfin/seq.h"

static void
emit(struct tcb *tcb, uint32_t seq, uint8_t flags, uint32_t len, uint8_t tags)
{
    struct seg_view seg = {
        .saddr = tcb->laddr,
        .daddr = tcb->raddr,
        .sport = tcb->lport,
        .dport = tcb->rport,
        .seq = seq,
        .ack = (flags & TCP_ACK) ? tcb->rcv_nxt : 0,
        .len = len,
        .wnd = (uint16_t)(tcb->rcv_wnd > 65535 ? 65535 : tcb->rcv_wnd),
        .flags = flags,
        .tags = tags,
        .ttl = tcb->ttl,
        .retx = (tags & SEG_RETX)
                    ? tcb->backoff + (tcb->live ? tcb->live->probe_rtx : 0)
                    : 0,
    };
    tcp_ts_option(tcb, &seg);
    if (flags & TCP_ACK) {
        /* Any segment carrying ACK acknowledges what is pending. */
        tcb->ack_pending = false;
        tcb->segs_unacked = 0;
        tcp_timer_stop(tcb, TIMER_DELACK);
        /* Linux tcp_select_window, for every segment but a SYN. */
        if (tcb->live)
            tcb->live->rcv_wup = tcb->rcv_nxt;
    }
    net_send(tcb->w, tcb, &seg, tcb->side, tcb->conn);
}

static void
arm_rtx(struct tcb *tcb)
{
    if (tcb->live->rto_us == 0)
        tcb->live->rto_us = tcb->w->tcp.rto_initial_us;
    tcp_timer_set(tcb, TIMER_RTX, tcb->live->rto_us);
}

/*
 * Send our SYN (with ACK once the peer's SYN is in) again at once, for a
 * retransmitted SYN that shows ours was lost (Linux inet_rtx_syn_ack). It
 * counts toward the retry limit but leaves the timer alone.
 */
void
tcp_resend_syn(struct tcb *tcb)
{
    uint8_t flags = TCP_SYN;

    if (tcb->state != TCP_SYN_SENT)
        flags |= TCP_ACK;
    tcb->backoff++;
    tcb->live->rtt_timing = false; /* Karn */
    tcb->live->syn_tx_us = sim_now(tcb->w->sim);
    emit(tcb, tcb->iss, flags, 0, SEG_RETX);
}

void
tcp_send_syn(struct tcb *tcb, bool retx)
{
    uint8_t flags = TCP_SYN;

    /* Once the peer's SYN is in, every copy of ours carries its ACK. */
    if (tcb->state != TCP_SYN_SENT)
        flags |= TCP_ACK;
    if (!retx && !tcb->live->rtt_timing) {
        tcb->live->rtt_timing = true;
        tcb->live->rtt_start_us = sim_now(tcb->w->sim);
        tcb->live->rtt_seq = tcb->iss;
    }
    tcb->live->syn_tx_us = sim_now(tcb->w->sim);
    emit(tcb, tcb->iss, flags, 0, retx ? SEG_RETX : 0);
    arm_rtx(tcb);
}

void
tcp_send_ack(struct tcb *tcb)
{
    emit(tcb, tcb->snd_nxt, TCP_ACK, 0, 0);
}

/* Abort: <SEQ=SND.NXT><CTL=RST>, with ACK as Linux sends it. */
/* §3.10.5 ABORT: "<SEQ=SND.NXT><CTL=RST>"; Linux's active reset
 * (tcp_send_active_reset) also sets ACK. */
void
tcp_send_rst(struct tcb *tcb)
{
    emit(tcb, tcb->snd_nxt, TCP_RST | (tcb->w->tcp.abort_ack ? TCP_ACK : 0), 0,
         0);
}

/*
 * ACK what has arrived, now or after the delayed-ACK time. RFC 1122
 * §4.2.3.2: delay at most 500 ms, and ACK at least every second full-sized
 * segment.
 */
void
tcp_schedule_ack(struct tcb *tcb, bool now)
{
    const struct tcp_params *p = &tcb->w->tcp;

    tcb->ack_pending = true;
    if (now || p->delack_us == 0 || tcb->segs_unacked >= 2) {
        tcp_send_ack(tcb);
        return;
    }
    if (!tcb_timer_armed(tcb, TIMER_DELACK))
        tcp_timer_set(tcb, TIMER_DELACK, p->delack_us);
}

/*
 * Send what the window allows: queued data, then the FIN once the data is
 * all out. A FIN rides on the last data segment when both are ready at
 * once (TCP_CORK, or data still queued at close()). A tail-loss probe
 * (probe) sends one segment, corked or not (tcp_send_loss_probe pushes
 * with TCP_NAGLE_OFF), and leaves the timers to its caller. Returns the
 * number of segments sent.
 */
static int
send_new(struct tcb *tcb, bool probe)
{
    const struct tcp_params *p = &tcb->w->tcp;
    bool tlp = tcp_tlp_enabled(tcb);
    int sent = 0;

    switch (tcb->state) {
    case TCP_SYN_RECEIVED:
        /* "If no SENDs have been issued and there is no pending data to
         * send, then form a FIN segment and send it" (§3.10.4). */
        if (tcb->unsent > 0)
            return 0;
        break;
    case TCP_ESTABLISHED:
    case TCP_CLOSE_WAIT: break;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT: return 0;
    }
    for (;;) {
        uint32_t in_flight = tcb->snd_nxt - tcb->snd_una;
        uint32_t room = tcb->snd_wnd > in_flight ? tcb->snd_wnd - in_flight : 0;
        uint32_t len = tcb->unsent;
        bool fin;
        uint8_t flags = TCP_ACK;
        uint32_t seq;

        if (len > p->mss)
            len = p->mss;
        if (len > room)
            len = room;
        /* TCP_CORK holds a partial segment until uncorked or closed. */
        if (tcb->cork && !tcb->fin_queued && len < p->mss && !probe)
            len = 0;
        fin = tcb->fin_queued && !tcb->fin_sent && tcb->unsent == len;
        if (len == 0 && !fin)
            return sent;
        seq = tcb->snd_nxt;
        tcb->unsent -= len;
        tcb->snd_nxt += len;
        if (len > 0 && tcb->unsent == 0)
            flags |= TCP_PSH;
        if (fin) {
            flags |= TCP_FIN;
            tcb->fin_sent = true;
            tcb->fin_seq = tcb->snd_nxt;
            /* "FIN consumes one sequence number" — unless the what-if
             * variant pretends it need not. */
            if (!whatif(tcb, VARIANT_FIN_NO_SEQ))
                tcb->snd_nxt++;
            tcp_set_state(tcb,
                          tcb->state == TCP_CLOSE_WAIT ? TCP_LAST_ACK
                                                       : TCP_FIN_WAIT_1,
                          tcb->state == TCP_CLOSE_WAIT
                              ? "§3.10.4 CLOSE in CLOSE-WAIT: send FIN, "
                                "enter LAST-ACK"
                              : "§3.10.4 CLOSE: send FIN, enter FIN-WAIT-1");
        }
        if (seq_gt(tcb->snd_nxt, tcb->snd_max))
            tcb->snd_max = tcb->snd_nxt;
        if (!tcb->live->rtt_timing) {
            tcb->live->rtt_timing = true;
            tcb->live->rtt_start_us = sim_now(tcb->w->sim);
            tcb->live->rtt_seq = seq;
        }
        /* Linux (tcp_event_data_sent): data sent within the delayed-ACK
         * time of the last data received is a reply: interactive,
         * ping-pong mode, where ACKs wait to ride on the next reply. */
        if (len > 0 && tcb->live->last_data_us &&
            sim_now(tcb->w->sim) - tcb->live->last_data_us < p->delack_us)
            tcb->pingpong = true;
        tcb->live->last_seg_seq = seq;
        emit(tcb, seq, flags, len, probe ? SEG_TLP : 0);
        sent++;
        /* With tail-loss probes the timer is chosen once all is out. */
        if (!tlp && !tcb_timer_armed(tcb, TIMER_RTX))
            arm_rtx(tcb);
        if (fin || probe)
            return sent;
    }
}

void
tcp_output(struct tcb *tcb)
{
    bool was_idle = tcb->snd_una == tcb->snd_nxt;

    if (send_new(tcb, false) > 0 && tcp_tlp_enabled(tcb))
        tcp_tlp_after_send(tcb, was_idle);
}

/* A segment sent before, again from seq: at most one MSS of the data
 * (up to the FIN, or SND.NXT), with the FIN if it reaches it. Returns its
 * length; *end is where the data ends, and TCP_FIN is added to *flags. */
static uint32_t
sent_segment(const struct tcb *tcb, uint32_t seq, uint32_t *end, uint8_t *flags)
{
    uint32_t len;

    *end = tcb->fin_sent ? tcb->fin_seq : tcb->snd_nxt;
    len = seq_lt(seq, *end) ? *end - seq : 0;
    if (len > tcb->w->tcp.mss)
        len = tcb->w->tcp.mss;
    if (tcb->fin_sent && seq + len == tcb->fin_seq &&
        seq_lt(seq + len, tcb->snd_nxt))
        *flags |= TCP_FIN;
    return len;
}

/*
 * The tail-loss probe's segment (tcp_send_loss_probe): new data if the
 * window has room for it, else the last segment sent, whole, again. It
 * counts as no retransmission toward the retry limits, and Karn's rule
 * keeps it from timing the round trip.
 */
bool
tcp_send_tail_probe(struct tcb *tcb)
{
    uint32_t in_flight = tcb->snd_nxt - tcb->snd_una, seq, end, len;
    uint8_t flags = TCP_ACK;

    if (tcb->unsent > 0 && tcb->snd_wnd > in_flight &&
        send_new(tcb, true) > 0) {
        tcb->live->tlp_retrans = false;
        return true;
    }
    seq = seq_lt(tcb->snd_una, tcb->live->last_seg_seq)
              ? tcb->live->last_seg_seq
              : tcb->snd_una;
    len = sent_segment(tcb, seq, &end, &flags);
    if (len == 0 && !(flags & TCP_FIN))
        return false;
    if (len > 0)
        flags |= TCP_PSH;
    tcb->live->tlp_retrans = true;
    tcb->live->probe_rtx++;
    tcb->live->rtt_timing = false;
    emit(tcb, seq, flags, len, SEG_RETX | SEG_TLP);
    return true;
}

/* RFC 6298 §5.4: retransmit the earliest unacknowledged segment. */
void
tcp_retransmit(struct tcb *tcb)
{
    uint32_t seq = tcb->snd_una, end, len;
    uint8_t flags = TCP_ACK;

    /* Our SYN is still unacknowledged (also after a CLOSE in
     * SYN-RECEIVED): it goes again first. */
    if (tcb->snd_una == tcb->iss) {
        tcp_send_syn(tcb, true);
        return;
    }
    len = sent_segment(tcb, seq, &end, &flags);
    if (len == 0 && !(flags & TCP_FIN))
        return;
    if (len > 0 && seq + len == end)
        flags |= TCP_PSH;
    emit(tcb, seq, flags, len, SEG_RETX);
    arm_rtx(tcb);
}

/*
 * §3.10.7.1 CLOSED: "An incoming segment not containing a RST causes a RST
 * to be sent in response." No TCB exists, so the reply is built from the
 * arriving segment alone.
 */
void
tcp_reply_rst(struct host *h, const struct packet *p, const char *why)
{
    const struct seg_view *in = &p->seg;
    struct world *w = h->w;
    const struct endpoint_cfg *cfg =
        h->side == SIDE_CLIENT ? &w->scn->client : &w->scn->server;
    struct seg_view seg = {
        .saddr = in->daddr,
        .daddr = in->saddr,
        .sport = in->dport,
        .dport = in->sport,
        .ttl = tcp_ttl(w, cfg),
    };

    if (emit_recording(w)) {
        struct trace_event *e = emit_begin(w, TRACE_DISCARD, h->side, p->conn);
        e->seg = *in;
        e->why = why;
        emit_commit(w, e);
    }
    if (in->flags & TCP_RST)
        return; /* "An incoming segment containing a RST is discarded." */
    if (in->flags & TCP_ACK) {
        /* <SEQ=SEG.ACK><CTL=RST> */
        seg.seq = in->ack;
        seg.flags = TCP_RST;
    } else {
        /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
        seg.ack = in->seq + in->len + !!(in->flags & TCP_SYN) +
                  !!(in->flags & TCP_FIN);
        seg.flags = TCP_RST | TCP_ACK;
    }
    net_send(w, NULL, &seg, h->side, p->conn);
}

/*
 * The initial sequence number of a new connection: the scenario's, or
 * RFC 6528's M + F(4-tuple, secret) (RFC 9293 §3.4.1). F is the keyed hash
 * Linux's secure_tcp_seq() uses, over (local address, remote address,
 * local port << 16 | remote port); M a clock that runs from a start the
 * seed picks and ticks every isn_tick_ns: 64 ns in the linux profile
 * (seq_scale(): ktime_get_real_ns() >> 6, a 274 s period), 4 us in the rfc
 * profile (§3.4.1). So a 4-tuple used again starts above where it started
 * before, by the time between: what lets a SYN take over its TIME-WAIT
 * (RFC 6191).
 */
uint32_t
tcp_choose_isn(const struct tcb *tcb, const struct endpoint_cfg *cfg)
{
    const struct world *w = tcb->w;
    uint64_t now_us = sim_now(w->sim), m;
    uint32_t f;

    if (cfg->has_isn)
        return cfg->isn;
    f = (uint32_t)siphash_3u32(tcb->laddr, tcb->raddr,
                               (uint32_t)tcb->lport << 16 | tcb->rport,
                               w->isn_key);
    m = (w->isn_clock0 + now_us * 1000) / w->tcp.isn_tick_ns;
    return f + (uint32_t)m;
}

/* The IP TTL of an endpoint's segments. */
uint8_t
tcp_ttl(const struct world *w, const struct endpoint_cfg *cfg)
{
    return cfg->ttl ? cfg->ttl : w->tcp.ttl;
}
