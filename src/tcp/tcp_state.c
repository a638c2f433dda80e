/*
 * The RFC 9293 state diagram as data, and the one function allowed to move
 * an endpoint between states. A move that is not an arc of the diagram is
 * a bug in the engine, never a protocol event, so it aborts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "engine.h"

/*
 * Figure 5 of RFC 9293 §3.3.2, with the moves its text adds, as
 * X(from, to, event, action). It is expanded below into arcs[], in this
 * order, and into a (from, to) table that finds an arc in one step, since
 * every move of every connection is checked against it
 * (tests/unit/test_arc_table.c compares the two).
 */
#define ARC_LIST(X)                                                            \
    X(CLOSED, LISTEN, "passive OPEN (listen)", "create TCB")                   \
    X(CLOSED, SYN_SENT, "active OPEN (connect)", "snd SYN")                    \
    X(LISTEN, SYN_RECEIVED, "rcv SYN", "snd SYN,ACK")                          \
    X(LISTEN, SYN_SENT, "SEND", "snd SYN")                                     \
    X(LISTEN, CLOSED, "CLOSE", "delete TCB")                                   \
    X(SYN_SENT, ESTABLISHED, "rcv SYN,ACK", "snd ACK")                         \
    X(SYN_SENT, SYN_RECEIVED, "rcv SYN (simultaneous open)", "snd SYN,ACK")    \
    X(SYN_SENT, CLOSED, "CLOSE, RST or timeout", "delete TCB")                 \
    X(SYN_RECEIVED, ESTABLISHED, "rcv ACK of SYN", "")                         \
    X(SYN_RECEIVED, FIN_WAIT_1, "CLOSE", "snd FIN")                            \
    X(SYN_RECEIVED, LISTEN, "rcv RST (passive open)", "")                      \
    X(SYN_RECEIVED, CLOSED, "rcv RST or timeout", "delete TCB")                \
    X(ESTABLISHED, FIN_WAIT_1, "CLOSE", "snd FIN")                             \
    X(ESTABLISHED, CLOSE_WAIT, "rcv FIN", "snd ACK")                           \
    X(ESTABLISHED, CLOSED, "rcv RST, ABORT or timeout", "delete TCB")          \
    X(FIN_WAIT_1, FIN_WAIT_2, "rcv ACK of FIN", "")                            \
    X(FIN_WAIT_1, CLOSING, "rcv FIN", "snd ACK")                               \
    X(FIN_WAIT_1, TIME_WAIT, "rcv FIN that ACKs our FIN", "snd ACK")           \
    X(FIN_WAIT_1, CLOSED, "rcv RST, ABORT or timeout", "delete TCB")           \
    X(FIN_WAIT_2, TIME_WAIT, "rcv FIN", "snd ACK")                             \
    X(FIN_WAIT_2, CLOSED, "rcv RST, ABORT or orphan timeout", "delete TCB")    \
    X(CLOSE_WAIT, LAST_ACK, "CLOSE", "snd FIN")                                \
    X(CLOSE_WAIT, CLOSED, "rcv RST, ABORT or timeout", "delete TCB")           \
    X(CLOSING, TIME_WAIT, "rcv ACK of FIN", "")                                \
    X(CLOSING, CLOSED, "rcv RST, ABORT or timeout", "delete TCB")              \
    X(LAST_ACK, CLOSED, "rcv ACK of FIN", "delete TCB")                        \
    X(TIME_WAIT, CLOSED, "timeout = 2MSL, or RST", "delete TCB")

#define ARC_ENTRY(f, t, ev, act) {TCP_##f, TCP_##t, ev, act},
static const struct tcp_arc arcs[] = {ARC_LIST(ARC_ENTRY)};

/* Each arc's position in arcs[]: ARC_CLOSED_LISTEN is 0, and so on. */
#define ARC_NAME(f, t, ev, act) ARC_##f##_##t,
enum arc_index { ARC_LIST(ARC_NAME) ARC__COUNT };

/* Position + 1 by (from, to); 0 where the diagram has no arc. */
#define ARC_CELL(f, t, ev, act) [TCP_##f][TCP_##t] = ARC_##f##_##t + 1,
static const uint8_t arc_at[TCP__STATE_COUNT][TCP__STATE_COUNT] = {
    ARC_LIST(ARC_CELL)};
_Static_assert(ARC__COUNT < 256, "arc_at holds positions in a uint8_t");

const struct tcp_arc *
tcp_arcs(size_t *count)
{
    *count = sizeof arcs / sizeof arcs[0];
    return arcs;
}

const struct tcp_arc *
tcp_arc_find(enum tcp_state from, enum tcp_state to)
{
    unsigned at;

    if ((unsigned)from >= TCP__STATE_COUNT || (unsigned)to >= TCP__STATE_COUNT)
        return NULL;
    at = arc_at[from][to];
    return at ? &arcs[at - 1] : NULL;
}

/* One TCB more (or less) in a state, for the peaks --summary shows. */
static void
count_state(struct tcb *tcb, enum tcp_state st, int d)
{
    struct world *w = tcb->w;
    uint64_t *n = &w->in_state[tcb->side][st];

    /* A passive TCB starts in LISTEN, made by its listener: only
     * listeners count there. */
    if (st == TCP_CLOSED || (st == TCP_LISTEN && tcb->passive))
        return;
    *n += (uint64_t)(int64_t)d;
    if (d > 0 && w->stats && *n > w->stats->peak[tcb->side][st]) {
        w->stats->peak[tcb->side][st] = *n;
        w->stats->peak_us[tcb->side][st] = sim_now(w->sim);
    }
}

/*
 * The only assignment to tcb->state in the engine (a test greps for
 * others). why names the rule that fired; the UI shows it to students.
 */
void
tcp_set_state(struct tcb *tcb, enum tcp_state to, const char *why)
{
    enum tcp_state from = tcb->state;

    if (!tcp_arc_find(from, to)) {
        fprintf(stderr,
                "synfin: internal error: %s -> %s is not an arc of "
                "the RFC 9293 state diagram (%s)\n",
                tcp_state_name(from), tcp_state_name(to), why);
        abort();
    }
    tcb->state = to;
    count_state(tcb, from, -1);
    count_state(tcb, to, 1);
    emit_state(tcb, from, to, why);
    if (to == TCP_TIME_WAIT) {
        uint64_t *reuse_at = &tcb->host->no_port.reuse_at;

        tcb->tw_entry_us = sim_now(tcb->w->sim);
        tcb->tw_oow_us = 0; /* Linux tcp_time_wait: tw_last_oow_ack_time */
        if (tcp_tw_reuse_after(tcb) < *reuse_at)
            *reuse_at = tcp_tw_reuse_after(tcb);
        tcb_shed(tcb);
    }
}

struct tcb *
tcp_tcb_new(struct host *h, uint32_t conn)
{
    struct tcb *tcb = tcb_new(h, conn);

    if (emit_recording(h->w))
        emit_conn_open(tcb);
    return tcb;
}

/*
 * Out of the table and away from its socket first, so that the timers it
 * stops are traced as those of a TCB that is gone; then its connection's
 * snapshots keep its last view, and it is freed once the current event is
 * over (callers may still be using it).
 */
void
tcp_tcb_delete(struct tcb *tcb)
{
    count_state(tcb, tcb->state, -1);
    tcb_detach(tcb);
    tcp_timer_stop_all(tcb);
    if (emit_recording(tcb->w))
        emit_conn_gone(tcb);
    tcb_free_later(tcb);
}

/*
 * Every way into CLOSED goes through here: stop the timers, tell the
 * application if it still holds the socket, and delete the TCB.
 */
void
tcp_close_tcb(struct tcb *tcb, enum conn_end end, int err, const char *why)
{
    if (tcb->dead)
        return;
    tcp_timer_stop_all(tcb);
    tcb->end = (uint8_t)end;
    if (tcb->state != TCP_CLOSED)
        tcp_set_state(tcb, TCP_CLOSED, why);
    tcb->dead = true;
    /* A RST reads as "reset" whatever errno Linux gives it (EPIPE in
     * CLOSE-WAIT); other failures are plain errors. */
    if (err)
        sock_notify(
            tcb, end == END_RESET || end == END_REFUSED ? EV_RESET : EV_ERROR,
            err, 0);
    sock_notify(tcb, EV_CLOSED, 0, 0);
    tcp_tcb_delete(tcb);
}

/* A TCB made by a listener for an arriving SYN starts where its listener
 * is, in LISTEN, so that its first move is the diagram's LISTEN ->
 * SYN-RECEIVED. */
void
tcp_state_spawn(struct tcb *child)
{
    child->state = TCP_LISTEN;
}
