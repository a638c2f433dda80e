/*
 * TCP timestamps (RFC 7323), as much as the close needs: the option on
 * every segment of a connection whose SYNs both carried it, TS.Recent, PAWS
 * (an old duplicate with an older TSval is refused), and what Linux builds
 * on them at the end of a connection: a SYN whose TSval is newer may reopen
 * a TIME-WAIT (tcp_timewait_state_process), and connect() may take a
 * 4-tuple over from TIME-WAIT (tcp_twsk_unique). No RTT is taken from them
 * (src/tcp/tcp_timer.c says why the linux profile still matches Linux).
 */
#include "base/siphash.h"
#include "engine.h"
#include "synfin/seq.h"

/* Linux TCP_PAWS_WINDOW: a TSval this much older still passes. */
enum { PAWS_WINDOW = 1 };
/* Linux TCP_PAWS_MSL: a RST may pass PAWS in TIME-WAIT once TS.Recent is
 * this old. */
#define PAWS_MSL_US (60ull * 1000000)

/*
 * Our TSval: a millisecond clock (Linux tcp_clock_ms) plus an offset per
 * address pair (secure_tcp_ts_off: a keyed hash of the two addresses), so
 * that it never goes back between two connections of the same hosts.
 */
static uint32_t
ts_now(struct tcb *tcb)
{
    const struct world *w = tcb->w;

    if (!tcb->ts_off_known) { /* once per TCB, as Linux keeps tsoffset */
        tcb->ts_off =
            (uint32_t)siphash_3u32(tcb->laddr, tcb->raddr, 0, w->ts_key);
        tcb->ts_off_known = true;
    }
    return tcb->ts_off + (uint32_t)(sim_now(w->sim) / 1000);
}

void
tcp_ts_option(struct tcb *tcb, struct seg_view *seg)
{
    /* A SYN offers the option; after that, only what both SYNs agreed. */
    bool offer =
        (seg->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && tcb->w->tcp.timestamps;

    if (!tcb->ts_ok && !offer)
        return;
    seg->ts = true;
    seg->tsval = ts_now(tcb);
    seg->tsecr = (seg->flags & TCP_ACK) ? tcb->ts_recent : 0;
}

static void
store(struct tcb *tcb, uint32_t tsval)
{
    tcb->ts_recent = tsval;
    tcb->ts_recent_us = sim_now(tcb->w->sim);
}

void
tcp_ts_syn(struct tcb *tcb, const struct seg_view *s)
{
    tcb->ts_ok = tcb->w->tcp.timestamps && s->ts;
    if (tcb->ts_ok)
        store(tcb, s->tsval);
}

/* Linux tcp_paws_check: the TSval is not older than TS.Recent by more
 * than win. */
static bool
paws_ok(const struct tcb *tcb, const struct seg_view *s, int32_t win)
{
    return !tcb->ts_ok || !s->ts || (int32_t)(tcb->ts_recent - s->tsval) <= win;
}

bool
tcp_ts_paws_reject(const struct tcb *tcb, const struct seg_view *s)
{
    if (tcb->state == TCP_TIME_WAIT) {
        /* tcp_paws_reject, window 0; a RST passes once TS.Recent is an
         * MSL old. */
        if (paws_ok(tcb, s, 0))
            return false;
        return !((s->flags & TCP_RST) &&
                 sim_now(tcb->w->sim) - tcb->ts_recent_us >= PAWS_MSL_US);
    }
    return !paws_ok(tcb, s, PAWS_WINDOW);
}

void
tcp_ts_update(struct tcb *tcb, const struct seg_view *s)
{
    /* RFC 7323 §4.3, Linux tcp_replace_ts_recent: only from a segment
     * that starts at or before the last ACK sent, and never backwards. */
    uint32_t last_ack = tcb->live ? tcb->live->rcv_wup : tcb->rcv_nxt;

    if (tcb->ts_ok && s->ts && !seq_gt(s->seq, last_ack) && paws_ok(tcb, s, 0))
        store(tcb, s->tsval);
}

void
tcp_ts_time_wait(struct tcb *tcb, const struct seg_view *s)
{
    if (tcb->ts_ok && s->ts)
        store(tcb, s->tsval);
}

bool
tcp_ts_newer(const struct tcb *tcb, const struct seg_view *s)
{
    return tcb->ts_ok && s->ts && (int32_t)(tcb->ts_recent - s->tsval) < 0;
}

const char *
tcp_tw_reopen_why(const struct tcb *tw, const struct seg_view *s)
{
    if (!seq_gt(s->seq, tw->rcv_nxt))
        return "RFC 6191: a new SYN with a newer timestamp (its sequence "
               "number is not above the old ones) ends TIME-WAIT; Linux "
               "starts the new SYN,ACK 65537 above the old SND.NXT";
    if (tw->w->tcp.tw_isn)
        return "RFC 6191: new SYN above the old sequence space ends "
               "TIME-WAIT; Linux starts the new SYN,ACK 65537 above the old "
               "SND.NXT";
    return "RFC 6191: new SYN above the old sequence space ends TIME-WAIT";
}

static bool
loopback(uint32_t addr)
{
    return addr >> 24 == 127;
}

/*
 * Linux tcp_twsk_unique: may connect() take the 4-tuple of tw, a TCB in
 * TIME-WAIT? Only with timestamps, which make old duplicates harmless
 * (PAWS). To a port the application bound, always; for a port the kernel
 * picks (ephemeral), only with tcp_tw_reuse (2: if either address is a
 * loopback one) and once TIME-WAIT is tw_reuse_delay old: after the time
 * tcp_tw_reuse_after gives (UINT64_MAX: never).
 */
uint64_t
tcp_tw_reuse_after(const struct tcb *tw)
{
    const struct tcp_params *p = &tw->w->tcp;
    bool reuse =
        p->tw_reuse == 1 ||
        (p->tw_reuse == 2 && (loopback(tw->laddr) || loopback(tw->raddr)));

    if (tw->state != TCP_TIME_WAIT || !tw->ts_ok || !reuse)
        return UINT64_MAX;
    return tw->tw_entry_us + p->tw_reuse_delay_us;
}

bool
tcp_tw_reusable(const struct tcb *tw, bool ephemeral)
{
    if (tw->state != TCP_TIME_WAIT || !tw->ts_ok)
        return false;
    return !ephemeral || sim_now(tw->w->sim) > tcp_tw_reuse_after(tw);
}

void
tcp_tw_take_over(struct tcb *tcb, struct tcb *tw)
{
    /* A new ISN well above the old one's sequence space, and the old
     * TS.Recent, as tcp_twsk_unique sets them. */
    tcb->iss = tw->snd_nxt + 65535 + 2;
    if (tcb->iss == 0)
        tcb->iss = 1;
    tcb->ts_recent = tw->ts_recent;
    tcb->ts_recent_us = tw->ts_recent_us;
    tcp_close_tcb(tw, END_CLOSED, 0,
                  "tcp_twsk_unique: connect() takes this 4-tuple over from "
                  "TIME-WAIT (timestamps keep old duplicates out)");
}
