/*
 * RFC 9293 §3.10.8 timeouts and the RFC 6298 retransmission timer. Every
 * timer lives in the TCB and is started and stopped only here, so each
 * change is traced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

static sim_fn on_rtx, on_time_wait, on_fin_wait_2, on_delack, on_keepalive,
    on_loss_probe;

static sim_fn *const handlers[TIMER__COUNT] = {
    [TIMER_RTX] = on_rtx,
    [TIMER_TIME_WAIT] = on_time_wait,
    [TIMER_FIN_WAIT_2] = on_fin_wait_2,
    [TIMER_DELACK] = on_delack,
    [TIMER_KEEPALIVE] = on_keepalive,
    [TIMER_LOSS_PROBE] = on_loss_probe,
};

static const char *const labels[TIMER__COUNT] = {
    [TIMER_RTX] = "tcp.rtx",
    [TIMER_TIME_WAIT] = "tcp.time_wait",
    [TIMER_FIN_WAIT_2] = "tcp.fin_wait_2",
    [TIMER_DELACK] = "tcp.delack",
    [TIMER_KEEPALIVE] = "tcp.keepalive",
    [TIMER_LOSS_PROBE] = "tcp.loss_probe",
};

void
tcp_timer_set(struct tcb *tcb, enum tcp_timer_kind k, uint64_t delay_us)
{
    tcp_timer_set_why(tcb, k, delay_us, NULL);
}

void
tcp_timer_set_why(struct tcb *tcb, enum tcp_timer_kind k, uint64_t delay_us,
                  const char *why)
{
    struct sim_lane *lane = &tcb->w->lanes[k];
    struct sim_timer *t = tcb_timer(tcb, k);

    if (!t) {
        fprintf(stderr,
                "synfin: internal error: %s timer set in %s after the "
                "TCB shed its live part\n",
                tcp_timer_name(k), tcp_state_name(tcb->state));
        abort();
    }
    if (lane->delay_us && delay_us == lane->delay_us)
        sim_arm_lane(tcb->w->sim, lane, t, handlers[k], tcb, labels[k]);
    else
        sim_arm(tcb->w->sim, t, delay_us, handlers[k], tcb, labels[k]);
    tcb->timers_set |= (uint8_t)(1u << k);
    if (k == TIMER_RTX)
        tcb->live->rto_due_us = sim_now(tcb->w->sim) + delay_us;
    if (emit_recording(tcb->w))
        emit_timer_why(tcb, TRACE_TIMER_SET, k, why);
}

/*
 * timers_set has the bit of every timer set since it was last stopped (a
 * fired timer keeps its bit), so stopping a timer that was never set, as
 * tcp_timer_stop_all does for most of them when a connection ends, reads
 * no timer: a TCB that waited out TIME-WAIT is cold. A shed live part
 * took only unarmed timers with it.
 */
void
tcp_timer_stop(struct tcb *tcb, enum tcp_timer_kind k)
{
    uint8_t bit = (uint8_t)(1u << k);
    struct sim_timer *t;

    if (!(tcb->timers_set & bit))
        return;
    tcb->timers_set &= (uint8_t)~bit;
    t = tcb_timer(tcb, k);
    if (!t || !sim_armed(t))
        return;
    sim_cancel(tcb->w->sim, t);
    if (emit_recording(tcb->w))
        emit_timer(tcb, TRACE_TIMER_CANCEL, k);
}

void
tcp_timer_stop_all(struct tcb *tcb)
{
    for (int k = 0; k < TIMER__COUNT; k++)
        tcp_timer_stop(tcb, (enum tcp_timer_kind)k);
}

/*
 * RFC 6298 §2. The rfc profile computes RTO = max(RTO.min, SRTT + 4 RTTVAR);
 * Linux instead floors the variance term, RTO = SRTT + max(rto_min,
 * 4 RTTVAR), which is why a lost FIN on a fast path comes back after about
 * 200 ms plus the round trip.
 */
void
tcp_rtt_sample(struct tcb *tcb, uint64_t r)
{
    const struct tcp_params *p = &tcb->w->tcp;
    uint64_t var4;

    if (tcb->live->srtt_us == 0) {
        tcb->live->srtt_us = r;
        tcb->live->rttvar_us = r / 2;
    } else {
        uint64_t diff = tcb->live->srtt_us > r ? tcb->live->srtt_us - r
                                               : r - tcb->live->srtt_us;
        tcb->live->rttvar_us = (3 * tcb->live->rttvar_us + diff) / 4;
        tcb->live->srtt_us = (7 * tcb->live->srtt_us + r) / 8;
    }
    var4 = 4 * tcb->live->rttvar_us;
    if (p->profile == PROFILE_LINUX) {
        tcb->live->rto_us =
            tcb->live->srtt_us + (var4 > p->rto_min_us ? var4 : p->rto_min_us);
    } else {
        tcb->live->rto_us = tcb->live->srtt_us + (var4 > 1 ? var4 : 1);
        if (tcb->live->rto_us < p->rto_min_us)
            tcb->live->rto_us = p->rto_min_us;
    }
    if (tcb->live->rto_us > p->rto_max_us)
        tcb->live->rto_us = p->rto_max_us;
}

/*
 * Our SYN is acknowledged. RFC 6298 §2.2: the SYN exchange is timed like
 * data, so the first data's RTO is already SRTT-based. Karn's rule (§3)
 * forbids a sample from a retransmitted SYN; then, if the timer expired on
 * it, §5.7 re-initialises the RTO to 3 s for the data. Linux, with TCP
 * timestamps on (its default), times a retransmitted SYN by the echo of the
 * copy the peer answered (tcp_ack_update_rtt, tcp_rtt_tsopt_us; the
 * server's tcp_synack_rtt_meas): here the latest copy, at least one
 * millisecond timestamp tick (TCP_TS_HZ). Its 3 s (TCP_TIMEOUT_FALLBACK,
 * tcp_init_metrics) is only for a handshake left without a sample, which
 * timestamps prevent.
 */
void
tcp_syn_acked(struct tcb *tcb)
{
    const struct tcp_params *p = &tcb->w->tcp;
    uint64_t now = sim_now(tcb->w->sim), fallback = 3000000;

    if (tcb->live->rtt_timing && tcb->backoff == 0) {
        tcp_rtt_sample(tcb, now - tcb->live->rtt_start_us);
    } else if (p->profile == PROFILE_LINUX) {
        uint64_t r = now - tcb->live->syn_tx_us;
        tcp_rtt_sample(tcb, r > 1000 ? r : 1000);
    } else if (tcb->live->syn_timed_out && p->rto_initial_us < fallback) {
        tcb->live->rto_us = fallback < p->rto_max_us ? fallback : p->rto_max_us;
    }
    tcb->live->rtt_timing = false;
}

/* Retransmissions allowed before giving up, by what is outstanding. */
uint32_t
tcp_rtx_limit(const struct tcb *tcb)
{
    const struct tcp_params *p = &tcb->w->tcp;

    switch (tcb->state) {
    case TCP_SYN_SENT: return p->syn_retries;
    case TCP_SYN_RECEIVED:
        return tcb->passive ? p->synack_retries : p->syn_retries;
    case TCP_CLOSED:
    case TCP_LISTEN:
    case TCP_ESTABLISHED:
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
    case TCP_CLOSE_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK:
    case TCP_TIME_WAIT: break;
    }
    /* Linux: tcp_orphan_retries = 0 means 8. */
    if (!tcb->sock && p->orphan_retries)
        return p->orphan_retries;
    return p->retries2;
}

/*
 * Has the SYN-SENT retransmission given up? Linux (>= 6.5) allows
 * syn_retries + syn_linear_timeouts retransmissions, but also stops once
 * the time the old exponential schedule would have taken has passed:
 * (2^(syn_retries+1) - 1) x the initial RTO (tcp_model_timeout).
 */
static bool
syn_expired(const struct tcb *tcb, uint64_t now)
{
    const struct tcp_params *p = &tcb->w->tcp;
    uint64_t model;

    if (tcb->backoff >= p->syn_retries + p->syn_linear_timeouts)
        return true;
    if (!p->syn_linear_timeouts || p->syn_retries > 30)
        return false;
    model = ((2ull << p->syn_retries) - 1) * p->rto_initial_us;
    return now - tcb->live->first_tx_us >= model;
}

static void
on_rtx(struct sim *sim, void *arg)
{
    struct tcb *tcb = arg;
    const struct tcp_params *p = &tcb->w->tcp;
    bool expired = tcb->state == TCP_SYN_SENT
                       ? syn_expired(tcb, sim_now(sim))
                       : tcb->backoff >= tcp_rtx_limit(tcb);

    emit_timer(tcb, TRACE_TIMER_FIRE, TIMER_RTX);
    if (expired) {
        /* §3.10.8 USER TIMEOUT: "flush all queues, signal the user
         * 'error: connection aborted due to user timeout' ... delete the
         * TCB, enter the CLOSED state". Linux sends no RST here. */
        if (tcb->state == TCP_SYN_RECEIVED && tcb->passive)
            tcp_close_tcb(tcb, END_TIMEOUT, 0,
                          "SYN,ACK retries exhausted: half-open "
                          "connection dropped");
        else
            tcp_close_tcb(tcb, END_TIMEOUT, ETIMEDOUT,
                          "retransmission limit reached: ETIMEDOUT");
        return;
    }
    /* RFC 6298 §5.5: back off the timer — except, in Linux, for the first
     * tcp_syn_linear_timeouts SYN timeouts; §5.4: retransmit the earliest
     * segment not yet acknowledged. Karn: no RTT sample from it. */
    tcb->backoff++;
    if (tcb->state != TCP_SYN_SENT || tcb->backoff > p->syn_linear_timeouts) {
        tcb->live->rto_us *= 2;
        tcb->live->rto_doublings++;
    }
    if (tcb->live->rto_us > p->rto_max_us)
        tcb->live->rto_us = p->rto_max_us;
    tcb->live->rtt_timing = false;
    if (tcb->state == TCP_SYN_SENT || tcb->state == TCP_SYN_RECEIVED)
        tcb->live->syn_timed_out = true;
    tcp_tlp_on_rto(tcb);
    tcp_retransmit(tcb);
}

void
tcp_enter_time_wait(struct tcb *tcb, const char *why)
{
    const struct tcp_params *p = &tcb->w->tcp;

    if (whatif(tcb, VARIANT_NO_TIME_WAIT)) {
        tcp_close_tcb(tcb, END_CLOSED, 0,
                      "WHAT-IF no TIME-WAIT: the connection is forgotten "
                      "the moment it is closed");
        return;
    }
    tcp_set_state(tcb, TCP_TIME_WAIT, why);
    /* "start the time-wait timer, turn off the other timers" */
    tcp_timer_stop(tcb, TIMER_RTX);
    tcp_timer_stop(tcb, TIMER_LOSS_PROBE);
    tcp_timer_stop(tcb, TIMER_FIN_WAIT_2);
    tcp_timer_stop(tcb, TIMER_KEEPALIVE);
    tcp_timer_set(tcb, TIMER_TIME_WAIT, p->time_wait_us);
}

static void
on_time_wait(struct sim *sim, void *arg)
{
    struct tcb *tcb = arg;
    (void)sim;

    if (emit_recording(tcb->w))
        emit_timer(tcb, TRACE_TIMER_FIRE, TIMER_TIME_WAIT);
    /* §3.10.8: "If the time-wait timeout expires on a connection, delete
     * the TCB, enter the CLOSED state, and return." */
    tcp_close_tcb(tcb, END_CLOSED, 0,
                  tcb->w->tcp.profile == PROFILE_LINUX
                      ? "time-wait timeout expired (Linux: a fixed length, "
                        "TCP_TIMEWAIT_LEN, not 2MSL)"
                      : "time-wait timeout (2MSL) expired");
}

/*
 * Linux's tcp_fin_timeout: a socket the application has closed does not
 * wait in FIN-WAIT-2 for ever. RFC 9293 has no such timer (a peer that
 * never sends its FIN would hold the TCB indefinitely).
 */
static void
on_fin_wait_2(struct sim *sim, void *arg)
{
    struct tcb *tcb = arg;
    (void)sim;

    emit_timer(tcb, TRACE_TIMER_FIRE, TIMER_FIN_WAIT_2);
    tcp_close_tcb(tcb, END_ORPHAN, 0,
                  "Linux tcp_fin_timeout: orphaned FIN-WAIT-2 dropped "
                  "silently");
}

static void
on_delack(struct sim *sim, void *arg)
{
    struct tcb *tcb = arg;
    (void)sim;

    emit_timer(tcb, TRACE_TIMER_FIRE, TIMER_DELACK);
    /* Linux: "Delayed ACK missed: leave pingpong mode". */
    tcb->pingpong = false;
    if (tcb->ack_pending)
        tcp_send_ack(tcb);
}

/* Linux's tail-loss probe timer (tcp_tlp.c). */
static void
on_loss_probe(struct sim *sim, void *arg)
{
    struct tcb *tcb = arg;
    (void)sim;

    emit_timer(tcb, TRACE_TIMER_FIRE, TIMER_LOSS_PROBE);
    tcp_tlp_fire(tcb);
}

/*
 * RFC 1122 §4.2.3.6. The timer is armed once and checks the idle time when
 * it fires (as Linux does), rather than being re-armed on every segment.
 */
static void
on_keepalive(struct sim *sim, void *arg)
{
    struct tcb *tcb = arg;
    const struct tcp_params *p = &tcb->w->tcp;
    uint64_t now = sim_now(sim), idle = now - tcb->live->last_rcv_us;

    emit_timer(tcb, TRACE_TIMER_FIRE, TIMER_KEEPALIVE);
    if (tcb->state != TCP_ESTABLISHED && tcb->state != TCP_CLOSE_WAIT)
        return;
    /* Linux (tcp_keepalive_timer): no probe while data is in flight or
     * queued; the retransmission timer watches the peer then. */
    if (tcb->snd_una != tcb->snd_nxt || tcb->unsent > 0) {
        tcb->live->probes = 0;
        tcp_timer_set(tcb, TIMER_KEEPALIVE, p->keepalive_time_us);
        return;
    }
    if (tcb->live->probes == 0 && idle < p->keepalive_time_us) {
        tcp_timer_set(tcb, TIMER_KEEPALIVE, p->keepalive_time_us - idle);
        return;
    }
    if (tcb->live->probes >= p->keepalive_probes) {
        tcp_close_tcb(tcb, END_TIMEOUT, ETIMEDOUT,
                      "keepalive: no answer to any probe, ETIMEDOUT");
        return;
    }
    tcb->live->probes++;
    /* A probe is an ACK one byte behind SND.UNA (Linux
     * tcp_xmit_probe_skb): that byte is below the peer's window, so the
     * peer must answer with an ACK. */
    {
        struct seg_view seg = {
            .saddr = tcb->laddr,
            .daddr = tcb->raddr,
            .sport = tcb->lport,
            .dport = tcb->rport,
            .seq = tcb->snd_una - 1,
            .ack = tcb->rcv_nxt,
            .flags = TCP_ACK,
            .tags = SEG_KEEPALIVE,
            .wnd = (uint16_t)tcb->rcv_wnd,
            .ttl = tcb->ttl,
        };
        tcb->live->rcv_wup = tcb->rcv_nxt; /* tcp_select_window */
        net_send(tcb->w, tcb, &seg, tcb->side, tcb->conn);
    }
    tcp_timer_set(tcb, TIMER_KEEPALIVE, p->keepalive_intvl_us);
}
