/*
 * Linux's tail-loss probe (RACK-TLP, RFC 8985 §7), in the linux profile
 * only. When the last segments sent go unanswered, Linux does not wait for
 * the RTO: a probe timer (2 x SRTT, plus a delayed-ACK allowance) sends the
 * last segment again, or new data, and the RTO then starts afresh, not
 * backed off. The probe shares Linux's one retransmission timer
 * (icsk_pending = ICSK_TIME_LOSS_PROBE), so here TIMER_LOSS_PROBE and
 * TIMER_RTX are never armed together.
 */
#include "engine.h"
#include "synfin/seq.h"

/* TCP_TIMEOUT_MIN_US: the allowance with several segments in flight. */
#define TLP_MIN_US 2000

/* sysctl tcp_early_retrans: "0 disables TLP, 3 or 4 enables TLP". */
bool
tcp_tlp_enabled(const struct tcb *tcb)
{
    uint32_t er = tcb->w->tcp.early_retrans;

    return er == 3 || er == 4;
}

/* Linux's tcp_rearm_rto after a probe timer: the RTO for what is left of
 * its time (at least 1 us, as the kernel takes at least a jiffy). */
void
tcp_rearm_rto(struct tcb *tcb)
{
    uint64_t now = sim_now(tcb->w->sim), due = tcb->live->rto_due_us;

    tcp_timer_stop(tcb, TIMER_LOSS_PROBE);
    tcp_timer_set(tcb, TIMER_RTX, due > now ? due - now : 1);
}

/*
 * tcp_schedule_loss_probe. Only once our SYN is ACKed (the handshake is
 * not sent by tcp_write_xmit), with something in flight, and not while
 * recovering from an RTO (TCP_CA_Loss). Timeout: 2 x SRTT, plus
 * tcp_rto_min when one segment is in flight (the peer may be delaying
 * its ACK) or TCP_TIMEOUT_MIN when more are; 1 s without an RTT sample;
 * never later than the RTO would fire. advancing_rto: an ACK has just
 * moved SND.UNA, and the RTO would start afresh.
 */
bool
tcp_tlp_schedule(struct tcb *tcb, bool advancing_rto)
{
    const struct tcp_params *p = &tcb->w->tcp;
    struct tcb_live *l = tcb->live;
    uint64_t now = sim_now(tcb->w->sim), timeout, left;
    const char *why;

    if (!tcp_tlp_enabled(tcb) || tcb->snd_una == tcb->snd_nxt ||
        tcb->snd_una == tcb->iss || l->in_loss)
        return false;
    if (l->rto_us == 0)
        l->rto_us = p->rto_initial_us;
    if (l->srtt_us == 0) {
        timeout = p->rto_initial_us; /* TCP_TIMEOUT_INIT */
        why = "no RTT sample yet, so the initial RTO";
    } else if (!seq_lt(tcb->snd_una, l->last_seg_seq)) {
        timeout = 2 * l->srtt_us + p->rto_min_us;
        why = "one segment in flight, so 2 x SRTT plus the minimum "
              "RTO, time for a delayed ACK";
    } else {
        timeout = 2 * l->srtt_us + TLP_MIN_US;
        why = "several segments in flight, so 2 x SRTT + 2 ms";
    }
    if (advancing_rto)
        l->rto_due_us = now + l->rto_us;
    left = l->rto_due_us > now ? l->rto_due_us - now : 0;
    if (left > 0 && left <= timeout) {
        timeout = left;
        why = "the RTO would fire no later, so the probe takes its place";
    }
    tcp_timer_stop(tcb, TIMER_RTX);
    tcp_timer_set_why(tcb, TIMER_LOSS_PROBE, timeout, why);
    return true;
}

/*
 * New segments went out (tcp_write_xmit): the RTO starts now if nothing
 * was in flight before (tcp_event_new_data_sent), then the probe takes
 * its place when it may; otherwise the RTO keeps running.
 */
void
tcp_tlp_after_send(struct tcb *tcb, bool was_idle)
{
    struct tcb_live *l = tcb->live;

    if (l->rto_us == 0)
        l->rto_us = tcb->w->tcp.rto_initial_us;
    if (was_idle)
        l->rto_due_us = sim_now(tcb->w->sim) + l->rto_us;
    if (tcp_tlp_schedule(tcb, false))
        return;
    if (!tcb_timer_armed(tcb, TIMER_RTX))
        tcp_rearm_rto(tcb);
}

/*
 * tcp_process_tlp_ack: the probe is answered once an ACK goes past what
 * it covered, or reaches it when the probe was new data; a duplicate ACK
 * that reaches it says both copies arrived (Linux reads that from a
 * D-SACK). An ACK of exactly a resent probe leaves it outstanding, as in
 * the kernel: no second probe until a later ACK. Also ends the recovery
 * from an RTO once SND.UNA passes the SND.NXT of then (tcp_process_loss).
 */
void
tcp_tlp_on_ack(struct tcb *tcb, uint32_t ack, bool advanced, bool dup)
{
    struct tcb_live *l = tcb->live;

    if (!l)
        return;
    if (l->in_loss && !seq_lt(tcb->snd_una, l->loss_high_seq))
        l->in_loss = false;
    if (advanced)
        l->probe_rtx = 0;
    if (!l->tlp_out || seq_lt(ack, l->tlp_high_seq))
        return;
    if (!l->tlp_retrans || seq_gt(ack, l->tlp_high_seq) || (dup && !advanced))
        l->tlp_out = false;
}

/* The RTO fired (tcp_retransmit_timer, tcp_enter_loss): recovery starts,
 * and any probe is forgotten. Our SYN's timeouts do not count: the ACK of
 * the SYN ends that recovery at once. */
void
tcp_tlp_on_rto(struct tcb *tcb)
{
    struct tcb_live *l = tcb->live;

    l->tlp_out = false;
    if (tcb->snd_una == tcb->iss)
        return;
    l->in_loss = true;
    l->loss_high_seq = tcb->snd_nxt;
}

/*
 * tcp_send_loss_probe: at most one probe unanswered; else new data if the
 * window allows, or the last segment again. Then the RTO, for a whole
 * RTO from now and not backed off (tcp_rearm_rto, icsk_pending cleared);
 * or, if no probe went, for what is left of its time.
 */
void
tcp_tlp_fire(struct tcb *tcb)
{
    struct tcb_live *l = tcb->live;
    uint64_t now = sim_now(tcb->w->sim);

    if (tcb->snd_una == tcb->snd_nxt)
        return;
    if (!l->tlp_out && tcp_send_tail_probe(tcb)) {
        l->tlp_out = true;
        l->tlp_high_seq = tcb->snd_nxt;
        l->rto_due_us = now + l->rto_us;
    }
    tcp_rearm_rto(tcb);
}
