/*
 * RFC 9293 §3.10.7 SEGMENT ARRIVES, in the order the RFC gives its checks.
 * Each check is a function that returns false when the segment is done
 * with (dropped, answered, or the TCB gone). Rejected segments are traced
 * as DISCARD with the reason: that is teaching content, not an error.
 */
#include <errno.h>

#include "engine.h"
#include "synfin/seq.h"

/* SEG.LEN: the sequence space the segment occupies, SYN and FIN included. */
static uint32_t
seg_len(const struct tcb *tcb, const struct seg_view *s)
{
    bool fin = (s->flags & TCP_FIN) && !whatif(tcb, VARIANT_FIN_NO_SEQ);
    return s->len + !!(s->flags & TCP_SYN) + fin;
}

static void
discard(struct tcb *tcb, const struct packet *p, const char *why)
{
    emit_discard(tcb, p, why);
}

/* An endpoint that hears from its peer is not idle (keepalive). */
static void
heard(struct tcb *tcb)
{
    tcb->live->last_rcv_us = sim_now(tcb->w->sim);
    tcb->live->probes = 0;
}

static void
start_keepalive(struct tcb *tcb)
{
    if (tcb->keepalive)
        tcp_timer_set(tcb, TIMER_KEEPALIVE, tcb->w->tcp.keepalive_time_us);
}

/* §3.10.7.2 LISTEN. */
/* A SYN to a listener: a new TCB in SYN-RECEIVED. Its ISN is tw_iss when
 * the SYN reopened a TIME-WAIT that gave one (see input_time_wait), else
 * the ISN clock's. */
static void
input_listen(struct tcb *lst, struct host *h, struct packet *p, uint32_t tw_iss)
{
    const struct seg_view *s = &p->seg;
    struct world *w = h->w;
    struct tcb *c;

    /* "First, check for a RST: An incoming RST segment could not be valid
     * since it could not have been sent in response to anything sent by
     * this incarnation of the connection. An incoming RST should be
     * ignored." */
    if (s->flags & TCP_RST) {
        discard(lst, p, "§3.10.7.2 LISTEN: RST ignored");
        return;
    }
    /* "Second, check for an ACK: ... form a reset segment for it
     * <SEQ=SEG.ACK><CTL=RST>" */
    if (s->flags & TCP_ACK) {
        tcp_reply_rst(h, p,
                      "§3.10.7.2 LISTEN: an ACK here acknowledges "
                      "nothing; answer with RST");
        return;
    }
    if (!(s->flags & TCP_SYN)) {
        discard(lst, p, "§3.10.7.2 LISTEN: no SYN, dropped");
        return;
    }
    /* "Third, check for a SYN": a new TCB in SYN-RECEIVED, with the
     * listener's options. */
    c = tcp_tcb_new(h, p->conn);
    c->laddr = s->daddr;
    c->lport = s->dport;
    c->raddr = s->saddr;
    c->rport = s->sport;
    c->live->listener = lst->sock;
    c->passive = true;
    tcp_state_spawn(c);
    c->reuseaddr = lst->reuseaddr;
    c->keepalive = lst->keepalive;
    c->ttl = lst->ttl;
    c->irs = s->seq;
    tcp_ts_syn(c, s);
    c->peer_gen = p->gen;
    c->live->peer = p->src;
    c->rcv_nxt = c->live->rcv_wup = s->seq + 1;
    c->iss = tw_iss ? tw_iss : tcp_choose_isn(c, &w->scn->server);
    c->snd_una = c->iss;
    c->snd_nxt = c->snd_max = c->iss + 1;
    c->snd_wnd = s->wnd;
    c->live->snd_wl1 = s->seq;
    heard(c);
    conn_table_insert(c);
    tcp_set_state(c, TCP_SYN_RECEIVED,
                  "§3.10.7.2 LISTEN: SYN received, send SYN,ACK");
    tcp_send_syn(c, false);
    if (whatif(c, VARIANT_TWO_WAY_HANDSHAKE)) {
        /* Nothing will acknowledge our SYN, so nothing waits for it. */
        tcp_timer_stop(c, TIMER_RTX);
        c->snd_una = c->iss + 1;
        c->live->rtt_timing = false;
        tcp_set_state(c, TCP_ESTABLISHED,
                      "WHAT-IF two-way handshake: the server counts the "
                      "connection as open as soon as it answers the SYN");
        sock_accept(c);
        start_keepalive(c);
        sock_notify(c, EV_CONNECTED, 0, 0);
    }
}

/* §3.10.7.3 SYN-SENT. */
static void
input_syn_sent(struct tcb *tcb, struct host *h, struct packet *p)
{
    const struct seg_view *s = &p->seg;
    bool ack_ok = false;

    /* "First, check the ACK bit: If SEG.ACK =< ISS or SEG.ACK > SND.NXT,
     * send a reset (unless the RST bit is set ...) and discard". */
    if (s->flags & TCP_ACK) {
        if (seq_leq(s->ack, tcb->iss) || seq_gt(s->ack, tcb->snd_nxt)) {
            tcp_reply_rst(h, p,
                          "§3.10.7.3 SYN-SENT: ACK does not "
                          "acknowledge our SYN; answer with RST");
            return;
        }
        ack_ok = true;
    }
    /* "Second, check the RST bit: If the ACK was acceptable, then signal
     * to the user 'error: connection reset', drop the segment, enter
     * CLOSED state". */
    if (s->flags & TCP_RST) {
        if (!ack_ok) {
            discard(tcb, p,
                    "§3.10.7.3 SYN-SENT: RST without an "
                    "acceptable ACK, dropped");
            return;
        }
        tcp_close_tcb(tcb, END_REFUSED, ECONNREFUSED,
                      "§3.10.7.3 SYN-SENT: RST acknowledges our SYN: "
                      "connection refused");
        return;
    }
    if (!(s->flags & TCP_SYN)) {
        discard(tcb, p, "§3.10.7.3 SYN-SENT: neither SYN nor RST, dropped");
        return;
    }
    /* "Fourth, check the SYN bit". */
    heard(tcb);
    tcb->irs = s->seq;
    tcp_ts_syn(tcb, s);
    tcb->peer_gen = p->gen;
    tcb->live->peer = p->src;
    tcb->rcv_nxt = tcb->live->rcv_wup = s->seq + 1;
    tcb->snd_wnd = s->wnd;
    tcb->live->snd_wl1 = s->seq;
    tcb->live->snd_wl2 = s->ack;
    if (ack_ok) {
        tcb->snd_una = s->ack;
        tcp_syn_acked(tcb);
        tcb->backoff = 0;
        tcb->live->rto_doublings = 0;
    }
    if (seq_gt(tcb->snd_una, tcb->iss)) {
        /* "If SND.UNA > ISS (our SYN has been ACKed), change the
         * connection state to ESTABLISHED, form an ACK segment" */
        tcp_timer_stop(tcb, TIMER_RTX);
        if (whatif(tcb, VARIANT_TWO_WAY_HANDSHAKE)) {
            tcp_set_state(tcb, TCP_ESTABLISHED,
                          "WHAT-IF two-way handshake: SYN,ACK received, "
                          "open without sending the third segment");
        } else {
            tcp_set_state(tcb, TCP_ESTABLISHED,
                          "§3.10.7.3 SYN-SENT: SYN,ACK acknowledges our SYN, "
                          "send ACK");
            tcp_send_ack(tcb);
        }
        tcb->quick = (uint8_t)tcb->w->tcp.quick_acks;
        start_keepalive(tcb);
        sock_notify(tcb, EV_CONNECTED, 0, 0);
        tcp_output(tcb);
        return;
    }
    /* "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment" —
     * simultaneous open. */
    tcp_set_state(tcb, TCP_SYN_RECEIVED,
                  "§3.10.7.3 SYN-SENT: SYN without ACK (simultaneous "
                  "open), send SYN,ACK");
    tcp_send_syn(tcb, false);
}

/*
 * TIME-WAIT, as Linux handles it (tcp_timewait_state_process). The RFC's
 * checks would answer a retransmitted FIN from the first step, but its
 * eighth step says what must happen: "TIME-WAIT STATE: Remain in the
 * TIME-WAIT state. Restart the 2 MSL time-wait timeout."
 */
static void
input_time_wait(struct tcb *tcb, struct host *h, struct packet *p)
{
    const struct seg_view *s = &p->seg;
    const struct tcp_params *prm = &tcb->w->tcp;
    uint32_t end = s->seq + seg_len(tcb, s);
    bool paws = tcp_ts_paws_reject(tcb, s);
    struct tcb *lst;

    if (!paws && s->seq == tcb->rcv_nxt &&
        (end == s->seq || (s->flags & TCP_RST))) {
        /* "In window segment, it may be only reset or bare ack." */
        tcp_ts_time_wait(tcb, s);
        if (!(s->flags & TCP_RST)) {
            discard(tcb, p,
                    "TIME-WAIT: in-window ACK: nothing to answer, "
                    "the TIME-WAIT timer restarts");
            tcp_timer_set(tcb, TIMER_TIME_WAIT, prm->time_wait_us);
        } else if (prm->rfc1337) {
            discard(tcb, p,
                    "RFC 1337: RST ignored in TIME-WAIT "
                    "(no assassination)");
        } else {
            tcp_close_tcb(tcb, END_RESET, 0,
                          "RST in TIME-WAIT ends it at once (Linux "
                          "tcp_rfc1337=0: TIME-WAIT assassination)");
        }
        return;
    }
    if ((s->flags & (TCP_SYN | TCP_RST | TCP_ACK)) == TCP_SYN && !paws &&
        (seq_gt(s->seq, tcb->rcv_nxt) || tcp_ts_newer(tcb, s)) &&
        (lst = conn_table_listener(h, tcb->lport))) {
        /* RFC 1122 §4.2.2.13, RFC 6191: a new SYN above the old
         * connection's sequence space (Linux: or with a newer timestamp)
         * may reopen it. Linux answers from above the old sequence space,
         * not from the ISN clock (tcp_timewait_state_process: tw_snd_nxt +
         * 65535 + 2, never 0). */
        uint32_t iss = prm->tw_isn ? tcb->snd_nxt + 65535 + 2 : 0;

        tcp_close_tcb(tcb, END_CLOSED, 0, tcp_tw_reopen_why(tcb, s));
        input_listen(lst, h, p, prm->tw_isn && !iss ? 1 : iss);
        return;
    }
    if (s->flags & TCP_RST) {
        discard(tcb, p, "TIME-WAIT: RST outside the window, ignored");
        return;
    }
    /* "Out of window segment. All the segments are ACKed immediately."
     * Linux: but one without data or FIN, or a SYN, at most once in
     * tcp_invalid_ratelimit, lest two hosts ACK each other in a loop
     * (tcp_timewait_check_oow_rate_limit, tcp_oow_rate_limited). */
    if (prm->invalid_ratelimit_us && (end == s->seq || (s->flags & TCP_SYN))) {
        uint64_t now = sim_now(tcb->w->sim);
        if (tcb->tw_oow_us &&
            now - tcb->tw_oow_us < prm->invalid_ratelimit_us) {
            discard(tcb, p,
                    "TIME-WAIT: out of window, but it answered one less "
                    "than tcp_invalid_ratelimit ago: no ACK this time "
                    "(Linux tcp_oow_rate_limited)");
            if (paws || (s->flags & TCP_ACK))
                tcp_timer_set(tcb, TIMER_TIME_WAIT, prm->time_wait_us);
            return;
        }
        tcb->tw_oow_us = now;
    }
    if (paws)
        discard(tcb, p,
                "TIME-WAIT: RFC 7323 PAWS: an older timestamp than the "
                "last one seen: answer with an ACK and restart the "
                "TIME-WAIT timer");
    else if ((s->flags & TCP_FIN) && end == tcb->rcv_nxt)
        discard(tcb, p,
                "TIME-WAIT: retransmitted FIN: ACK it again and "
                "restart the TIME-WAIT timer");
    else if (s->flags & TCP_ACK)
        discard(tcb, p,
                "TIME-WAIT: old or unexpected segment: answer with "
                "an ACK and restart the TIME-WAIT timer");
    else
        discard(tcb, p, "TIME-WAIT: old SYN, answered with an ACK");
    if (paws || (s->flags & TCP_ACK))
        tcp_timer_set(tcb, TIMER_TIME_WAIT, prm->time_wait_us);
    tcp_send_ack(tcb);
}

/* §3.10.7.4 "First, check sequence number": the four acceptability cases. */
static bool
check_seq(struct tcb *tcb, const struct packet *p)
{
    const struct seg_view *s = &p->seg;
    uint32_t len = seg_len(tcb, s), wnd = tcb->rcv_wnd, nxt = tcb->rcv_nxt;
    bool ok;

    /* Linux (tcp_check_req) answers a retransmitted SYN in SYN-RECEIVED
     * by sending the SYN,ACK again: the client's SYN,ACK was lost. The
     * RFC's test below finds the SYN unacceptable (its sequence number is
     * below RCV.NXT) and answers with a plain ACK. */
    if (tcb->w->tcp.resend_synack && tcb->state == TCP_SYN_RECEIVED &&
        (s->flags & TCP_SYN) && !(s->flags & TCP_ACK) && s->seq == tcb->irs) {
        discard(tcb, p,
                "Linux tcp_check_req: retransmitted SYN in SYN-RECEIVED, "
                "send the SYN,ACK again");
        tcp_resend_syn(tcb);
        return false;
    }
    if (tcp_ts_paws_reject(tcb, s) && !(s->flags & TCP_RST)) {
        /* RFC 7323 §5.3 R1, before the window (Linux
         * tcp_validate_incoming): a RST is checked as usual. */
        discard(tcb, p,
                "RFC 7323 PAWS: its timestamp is older than the last one "
                "seen: an old duplicate, send ACK");
        tcp_send_ack(tcb);
        return false;
    }
    if (tcb->w->tcp.profile == PROFILE_LINUX &&
        !(tcb->state == TCP_SYN_RECEIVED && tcb->passive))
        /* Linux (tcp_sequence) calls a segment old only when it ends
         * before RCV.NXT as of our last ACK (rcv_wup): one that ends at
         * RCV.NXT, a FIN sent again, is taken and its ACK read. The right
         * edge stays the RFC's: the window is fixed and no sender passes
         * it, so Linux's form of it would change nothing. A passive
         * SYN-RECEIVED is a request socket, whose tcp_check_req tests
         * as the RFC does (tcp_in_window). */
        ok = seq_geq(s->seq + len, tcb->live->rcv_wup) &&
             seq_lt(s->seq, nxt + wnd);
    else if (len == 0)
        ok = wnd == 0 ? s->seq == nxt : seq_in(s->seq, nxt, nxt + wnd);
    else
        ok = wnd != 0 && (seq_in(s->seq, nxt, nxt + wnd) ||
                          seq_in(s->seq + len - 1, nxt, nxt + wnd));
    if (ok) {
        tcp_ts_update(tcb, s);
        return true;
    }
    /* "If an incoming segment is not acceptable, an acknowledgment should
     * be sent in reply (unless the RST bit is set ...)" */
    if (s->flags & TCP_RST) {
        discard(tcb, p, "§3.10.7.4 first: RST outside the window, dropped");
        return false;
    }
    discard(tcb, p,
            "§3.10.7.4 first: not acceptable (old duplicate or "
            "outside the window), send ACK");
    tcp_send_ack(tcb);
    return false;
}

/* "Second, check the RST bit" (with RFC 5961 §3: exact match or challenge). */
static bool
check_rst(struct tcb *tcb, const struct packet *p)
{
    const struct seg_view *s = &p->seg;

    if (!(s->flags & TCP_RST))
        return true;
    if (s->seq != tcb->rcv_nxt) {
        discard(tcb, p,
                "RFC 5961: RST in the window but not at RCV.NXT: "
                "send a challenge ACK");
        tcp_send_ack(tcb);
        return false;
    }
    switch (tcb->state) {
    case TCP_SYN_RECEIVED:
        if (tcb->passive) {
            /* "If this connection was initiated with a passive OPEN (i.e.,
             * came from the LISTEN state), then return this connection to
             * LISTEN state and return." */
            tcp_timer_stop_all(tcb);
            tcp_set_state(tcb, TCP_LISTEN,
                          "§3.10.7.4 second: RST in SYN-RECEIVED from a "
                          "passive open: back to LISTEN");
            tcb->end = END_REFUSED;
            tcp_tcb_delete(tcb);
            return false;
        }
        tcp_close_tcb(tcb, END_REFUSED, ECONNREFUSED,
                      "§3.10.7.4 second: RST in SYN-RECEIVED from an "
                      "active open: connection refused");
        return false;
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
        /* "any outstanding RECEIVEs and SEND should receive 'reset'
         * responses ... enter the CLOSED state, delete the TCB". Linux
         * (tcp_reset) reports EPIPE in CLOSE-WAIT, ECONNRESET elsewhere;
         * the RFC says "connection reset" in every one of these states. */
        tcp_close_tcb(tcb, END_RESET,
                      tcb->state == TCP_CLOSE_WAIT &&
                              tcb->w->scn->tcp.profile == PROFILE_LINUX
                          ? EPIPE
                          : ECONNRESET,
                      "§3.10.7.4 second: RST received: connection reset");
        return false;
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
        /* "If the RST bit is set, then enter the CLOSED state, delete the
         * TCB, and return." An application still holding the socket
         * hears of it (Linux: ECONNRESET). */
        tcp_close_tcb(tcb, END_RESET,
                      tcb->state == TCP_TIME_WAIT ? 0 : ECONNRESET,
                      "§3.10.7.4 second: RST received while closing");
        return false;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT: break;
    }
    return false;
}

/* "Fourth, check the SYN bit": RFC 5961 §4 challenge ACK. */
static bool
check_syn(struct tcb *tcb, const struct packet *p)
{
    if (!(p->seg.flags & TCP_SYN))
        return true;
    if (tcb->state == TCP_SYN_RECEIVED && tcb->passive) {
        /* "If the connection was initiated with a passive OPEN, then
         * return this connection to the LISTEN state and return." */
        tcp_timer_stop_all(tcb);
        tcp_set_state(tcb, TCP_LISTEN,
                      "§3.10.7.4 fourth: SYN in SYN-RECEIVED from a "
                      "passive open: back to LISTEN");
        tcb->end = END_REFUSED;
        tcp_tcb_delete(tcb);
        return false;
    }
    discard(tcb, p,
            "§3.10.7.4 fourth: SYN in a synchronized state: send a "
            "challenge ACK (RFC 5961)");
    tcp_send_ack(tcb);
    return false;
}

/* Will the eighth step take this segment's FIN (nothing missing before)? */
static bool
fin_in_order(const struct tcb *tcb, const struct seg_view *s)
{
    return (s->flags & TCP_FIN) && seq_leq(s->seq, tcb->rcv_nxt) &&
           seq_geq(s->seq + s->len, tcb->rcv_nxt);
}

/* Did this ACK cover our FIN? */
static bool
fin_acked(const struct tcb *tcb)
{
    /* Without its own sequence number, an ACK of the data before the FIN
     * looks exactly like an ACK of the FIN: the what-if's flaw. */
    if (whatif(tcb, VARIANT_FIN_NO_SEQ))
        return tcb->fin_sent && seq_geq(tcb->snd_una, tcb->fin_seq);
    return tcb->fin_sent && seq_gt(tcb->snd_una, tcb->fin_seq);
}

/* "Fifth, check the ACK field". *our_fin is set when our FIN is now ACKed. */
static bool
check_ack(struct tcb *tcb, const struct packet *p, bool *fin_now_acked)
{
    const struct seg_view *s = &p->seg;
    bool had = fin_acked(tcb);

    if (!(s->flags & TCP_ACK)) {
        discard(tcb, p, "§3.10.7.4 fifth: ACK bit off, dropped");
        return false;
    }
    if (tcb->state == TCP_SYN_RECEIVED) {
        /* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state
         * and continue processing" */
        if (!(seq_lt(tcb->snd_una, s->ack) && seq_leq(s->ack, tcb->snd_nxt))) {
            tcp_reply_rst(tcb->host, p,
                          "§3.10.7.4 fifth: SYN-RECEIVED: unacceptable "
                          "ACK, answer with RST");
            return false;
        }
        tcb->snd_wnd = s->wnd;
        tcb->live->snd_wl1 = s->seq;
        tcb->live->snd_wl2 = s->ack;
        tcp_syn_acked(tcb);
        tcp_set_state(tcb, TCP_ESTABLISHED,
                      "§3.10.7.4 fifth: ACK of our SYN: connection "
                      "established");
        if (tcb->passive)
            sock_accept(tcb);
        tcb->quick = (uint8_t)tcb->w->tcp.quick_acks;
        start_keepalive(tcb);
        sock_notify(tcb, EV_CONNECTED, 0, 0);
    }
    if (seq_gt(s->ack, tcb->snd_max)) {
        /* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT),
         * then send an ACK, drop the segment, and return." */
        discard(tcb, p,
                "§3.10.7.4 fifth: ACK for data never sent, send "
                "ACK");
        tcp_send_ack(tcb);
        return false;
    }
    if (seq_lt(tcb->snd_una, s->ack)) {
        /* "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK." */
        tcb->snd_una = s->ack;
        if (seq_gt(tcb->snd_una, tcb->snd_nxt))
            tcb->snd_nxt = tcb->snd_una; /* after a go-back retransmit */
        if (tcb->live->rtt_timing && seq_gt(s->ack, tcb->live->rtt_seq)) {
            if (tcb->backoff == 0)
                tcp_rtt_sample(tcb,
                               sim_now(tcb->w->sim) - tcb->live->rtt_start_us);
            tcb->live->rtt_timing = false;
        }
        tcb->backoff = 0;
        if (tcb->live)
            tcb->live->rto_doublings = 0;
        tcp_tlp_on_ack(tcb, s->ack, true, false);
        /* RFC 6298 §5.2/5.3: stop the timer when all is acknowledged,
         * else restart it; Linux may put a tail-loss probe in its place
         * (tcp_set_xmit_timer). */
        if (tcb->snd_una == tcb->snd_nxt) {
            tcp_timer_stop(tcb, TIMER_RTX);
            tcp_timer_stop(tcb, TIMER_LOSS_PROBE);
        } else if (!tcp_tlp_schedule(tcb, true)) {
            tcp_timer_stop(tcb, TIMER_LOSS_PROBE);
            tcp_timer_set(tcb, TIMER_RTX, tcb->live->rto_us);
        }
    } else if (tcb->live && s->ack == tcb->snd_una) {
        /* A duplicate ACK: the probe may have been needless. */
        tcp_tlp_on_ack(tcb, s->ack, false,
                       s->len == 0 && !(s->flags & TCP_FIN));
    }
    /* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be
     * updated" when the segment is newer than the last update. */
    if (seq_lt(tcb->live->snd_wl1, s->seq) ||
        (tcb->live->snd_wl1 == s->seq && seq_leq(tcb->live->snd_wl2, s->ack))) {
        tcb->snd_wnd = s->wnd;
        tcb->live->snd_wl1 = s->seq;
        tcb->live->snd_wl2 = s->ack;
    }
    *fin_now_acked = !had && fin_acked(tcb);

    switch (tcb->state) {
    case TCP_FIN_WAIT_1:
        /* "if the FIN segment is now acknowledged, then enter FIN-WAIT-2
         * and continue processing". When this very segment also carries
         * the peer's FIN, the eighth step goes straight to TIME-WAIT. */
        /* Linux handles the ACK before the FIN, so it passes through
         * FIN-WAIT-2 for an instant even when both come together. */
        if (*fin_now_acked &&
            (tcb->w->tcp.profile == PROFILE_LINUX || !fin_in_order(tcb, s))) {
            tcp_set_state(tcb, TCP_FIN_WAIT_2,
                          whatif(tcb, VARIANT_FIN_NO_SEQ)
                              ? "WHAT-IF FIN without a sequence number: "
                                "this ACK may cover only the data, but it "
                                "looks like the ACK of our FIN"
                              : "§3.10.7.4 fifth: our FIN is ACKed, enter "
                                "FIN-WAIT-2");
            if (!tcb->sock && tcb->w->tcp.fin_timeout_us)
                tcp_timer_set(tcb, TIMER_FIN_WAIT_2,
                              tcb->w->tcp.fin_timeout_us);
        }
        break;
    case TCP_CLOSING:
        /* "if the ACK acknowledges our FIN, then enter the TIME-WAIT
         * state; otherwise, ignore the segment." Linux
         * (tcp_rcv_state_process) goes on with a segment that does not:
         * a FIN sent again is then ACKed as a duplicate. */
        if (fin_acked(tcb)) {
            tcp_enter_time_wait(tcb, "§3.10.7.4 fifth: CLOSING: our FIN "
                                     "is ACKed, enter TIME-WAIT");
            return false;
        }
        return tcb->w->tcp.profile == PROFILE_LINUX;
    case TCP_LAST_ACK:
        /* "The only thing that can arrive in this state is an
         * acknowledgment of our FIN. If our FIN is now acknowledged,
         * delete the TCB, enter the CLOSED state, and return." Linux goes
         * on as in CLOSING. */
        if (fin_acked(tcb)) {
            tcp_close_tcb(tcb, END_CLOSED, 0,
                          "§3.10.7.4 fifth: LAST-ACK: our FIN is ACKed, "
                          "connection closed");
            return false;
        }
        return tcb->w->tcp.profile == PROFILE_LINUX;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_TIME_WAIT: break;
    }
    return true;
}

/* Send what is queued, then an ACK at once if none of it carried one:
 * Linux's tcp_data_snd_check, then tcp_ack_snd_check. */
static void
output_then_ack(struct tcb *tcb)
{
    tcb->ack_pending = true;
    tcp_output(tcb);
    if (tcb->ack_pending)
        tcp_send_ack(tcb);
}

/*
 * Linux's acceptability test (check_seq) takes a segment that ends at or
 * after rcv_wup but brings nothing past RCV.NXT: after its ACK is read,
 * tcp_data_queue finds it a retransmission and ACKs at once, as the RFC's
 * test does for the same segment.
 */
static bool
check_duplicate(struct tcb *tcb, const struct packet *p)
{
    const struct seg_view *s = &p->seg;
    uint32_t len = seg_len(tcb, s);

    if (tcb->w->tcp.profile != PROFILE_LINUX || len == 0 ||
        seq_gt(s->seq + len, tcb->rcv_nxt))
        return true;
    discard(tcb, p,
            "Linux tcp_data_queue: nothing new, a retransmission: ACK at "
            "once");
    output_then_ack(tcb);
    return false;
}

/*
 * "Seventh, process the segment text". Out-of-order text is not queued:
 * it is dropped with an immediate duplicate ACK, and the sender's
 * retransmission fills the hole (a simplification; see docs).
 */
static bool
process_text(struct tcb *tcb, const struct packet *p)
{
    const struct seg_view *s = &p->seg;
    uint32_t skip, take;

    if (s->len == 0)
        return true;
    switch (tcb->state) {
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2: break;
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT:
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT:
    case TCP_SYN_RECEIVED:
        /* "This should not occur since a FIN has been received from the
         * remote side. Ignore the segment text." */
        return true;
    }
    /* RFC 1122 §4.2.2.13: "If such a host issues a CLOSE call while
     * received data is still pending in TCP, or if new data is received
     * after CLOSE is called, its TCP SHOULD send a RST" (Linux and BSD
     * do, in FIN-WAIT-1 and FIN-WAIT-2). */
    if (!tcb->sock && seq_gt(s->seq + s->len, tcb->rcv_nxt) &&
        (tcb->state == TCP_FIN_WAIT_1 || tcb->state == TCP_FIN_WAIT_2)) {
        static const char why[] = "data arrived after close(): nobody will "
                                  "read it, answer with RST (RFC 1122 "
                                  "§4.2.2.13)";
        if (tcb->w->tcp.profile == PROFILE_LINUX) {
            /* Linux resets the socket (tcp_rcv_state_process: tcp_reset;
             * tcp_timewait_state_process: TCP_TW_RST) and answers the
             * segment itself, tcp_v4_send_reset: <SEQ=SEG.ACK><CTL=RST>. */
            tcp_reply_rst(tcb->host, p, why);
            tcp_close_tcb(tcb, END_ABORTED, 0, why);
        } else {
            /* The RFC's only form for a RST of our own: §3.10.5 ABORT. */
            tcp_abort(tcb, why);
        }
        return false;
    }
    if (seq_gt(s->seq, tcb->rcv_nxt)) {
        discard(tcb, p,
                "out of order: a hole before this segment, send a "
                "duplicate ACK");
        tcp_schedule_ack(tcb, true);
        return false;
    }
    skip = tcb->rcv_nxt - s->seq;
    take = s->len > skip ? s->len - skip : 0;
    if (take == 0)
        return true;
    tcb->rcv_nxt += take;
    if (tcb->rd_shut) {
        /* Linux discards data for a socket shut for reading. */
    } else {
        tcb->unread += take;
    }
    tcb->segs_unacked++;
    tcb->live->last_data_us = sim_now(tcb->w->sim);
    if (p->gen && tcb->peer_gen && p->gen != tcb->peer_gen)
        sock_notify_stale(tcb, take);
    else
        sock_notify(tcb, EV_DATA, 0, take);
    if (!(s->flags & TCP_FIN)) {
        /* Linux quick-ACKs the first segments of a connection, unless it
         * is in ping-pong mode (tcp_in_quickack_mode). */
        bool quick = tcb->quick > 0 && !tcb->pingpong;
        if (quick)
            tcb->quick--;
        tcp_schedule_ack(tcb, quick);
    }
    return true;
}

/* "Eighth, check the FIN bit". */
static void
check_fin(struct tcb *tcb, const struct packet *p, bool fin_now_acked)
{
    const struct seg_view *s = &p->seg;

    if (!(s->flags & TCP_FIN))
        return;
    /* The FIN counts only once everything before it is in; until then,
     * tell the peer what is missing (RFC 5681 §4.2: a duplicate ACK at
     * once for an out-of-order segment). */
    if (s->seq + s->len != tcb->rcv_nxt && !tcb->fin_rcvd) {
        discard(tcb, p,
                "out of order: a hole before this FIN, send a "
                "duplicate ACK");
        tcp_schedule_ack(tcb, true);
        return;
    }
    if (!tcb->fin_rcvd) {
        tcb->fin_rcvd = true;
        if (!whatif(tcb, VARIANT_FIN_NO_SEQ))
            tcb->rcv_nxt++;
        sock_notify(tcb, EV_EOF, 0, 0);
        if (tcb->dead)
            return;
    }
    switch (tcb->state) {
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
        tcp_set_state(tcb, TCP_CLOSE_WAIT,
                      "§3.10.7.4 eighth: FIN received: enter CLOSE-WAIT, "
                      "the peer will send no more");
        tcb->pingpong = true; /* Linux tcp_fin: inet_csk_enter_pingpong_mode */
        /* The ACK of this FIN may wait for the delayed-ACK time: if the
         * application closes first, ACK and FIN leave together. */
        tcp_schedule_ack(tcb, false);
        break;
    case TCP_FIN_WAIT_1:
        if (fin_now_acked || fin_acked(tcb))
            tcp_enter_time_wait(tcb, "§3.10.7.4 eighth: FIN that also ACKs "
                                     "our FIN: enter TIME-WAIT");
        else
            tcp_set_state(tcb, TCP_CLOSING,
                          "§3.10.7.4 eighth: FIN before our FIN was ACKed "
                          "(simultaneous close): enter CLOSING");
        tcp_send_ack(tcb);
        break;
    case TCP_FIN_WAIT_2:
        tcp_enter_time_wait(tcb, "§3.10.7.4 eighth: FIN received in "
                                 "FIN-WAIT-2: enter TIME-WAIT");
        tcp_send_ack(tcb);
        break;
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
        /* "Remain in the ... state": a retransmitted FIN; ACK it. */
        tcp_send_ack(tcb);
        break;
    case TCP_TIME_WAIT:
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_SYN_SENT: break;
    }
}

void
tcp_input(struct host *h, struct packet *p)
{
    const struct seg_view *s = &p->seg;
    struct tcb *tcb = conn_table_demux(h, p);
    bool fin_now_acked = false;

    if (!tcb) {
        struct tcb *lst = conn_table_listener(h, s->dport);
        if (lst)
            input_listen(lst, h, p, 0);
        else
            tcp_reply_rst(h, p,
                          "§3.10.7.1 CLOSED: no connection and no "
                          "listener on this port");
        return;
    }
    switch (tcb->state) {
    case TCP_SYN_SENT: input_syn_sent(tcb, h, p); return;
    case TCP_TIME_WAIT: input_time_wait(tcb, h, p); return;
    case TCP_CLOSED:
    case TCP_LISTEN:
        /* Only listeners are in LISTEN, and they are not hashed. */
        tcp_reply_rst(h, p, "§3.10.7.1 CLOSED");
        return;
    case TCP_SYN_RECEIVED:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK: break;
    }
    if (tcb->w->tcp.profile == PROFILE_LINUX &&
        tcb->state == TCP_SYN_RECEIVED && !tcb->passive && tcb->sock &&
        (s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) == (TCP_SYN | TCP_ACK) &&
        s->seq == tcb->irs && s->ack == tcb->snd_nxt) {
        /* Simultaneous open: the peer's SYN,ACK repeats a SYN we hold, but
         * its ACK is news. Linux (tcp_validate_incoming) takes it as the
         * ACK of our SYN; then tcp_data_queue finds the SYN a duplicate
         * and ACKs at once. The rfc profile goes on to check_seq, whose
         * acceptability test answers the old SYN with an ACK too, and
         * waits for the peer's ACK to be ESTABLISHED. */
        heard(tcb);
        if (check_ack(tcb, p, &fin_now_acked) && !tcb->dead)
            output_then_ack(tcb);
        return;
    }
    if (!check_seq(tcb, p))
        return;
    heard(tcb);
    if (!check_rst(tcb, p))
        return;
    /* Third (security) and sixth (URG) are not modelled. */
    if (!check_syn(tcb, p))
        return;
    if (!check_ack(tcb, p, &fin_now_acked) || !check_duplicate(tcb, p))
        return;
    if (!process_text(tcb, p) || tcb->dead)
        return;
    check_fin(tcb, p, fin_now_acked);
    if (!tcb->dead)
        tcp_output(tcb);
}
