/*
 * One test per arc of the RFC 9293 state diagram (every entry of
 * tcp_arcs()). Each drives real endpoints into the arc with a scenario,
 * then checks in the trace: the state change on the right side, the
 * segments sent right after it (flags, seq and ack against the ISNs the
 * scenario sets: client 1000, server 5000) and the timers armed.
 *
 * Two arcs cannot be reached through a scenario today, and the tests say
 * so rather than fake it:
 * - LISTEN -> SYN-SENT ("SEND" on a listener) has no socket call at all:
 *   send() and connect() on a listening socket are refused, which is what
 *   its test checks.
 * - SYN-SENT -> SYN-RECEIVED (simultaneous open) needs a bare SYN to reach
 *   a client in SYN-SENT, but only clients may connect. Its test builds the
 *   world by hand (kit.h) and puts the peer's SYN on the wire itself, and a
 *   second test plays it as a scenario in which both ends connect, in each
 *   profile. SYN-RECEIVED ->
 *   FIN-WAIT-1 (close() during a simultaneous open) is reached the same
 *   way, for the same reason: a passive SYN-RECEIVED connection has no
 *   socket yet, so nothing can close it.
 *
 * At the end, a table of which test covers which arc is checked against
 * tcp_arcs(), and every arc must have been seen in a trace.
 */
#include <errno.h>

#include "kit.h"
#include "synfin/seq.h"
#include "tcptest.h"

enum { CISN = 1000, SISN = 5000 };

/* Arcs seen in a trace by the test that covers them: [from][to]. */
static bool seen[TCP__STATE_COUNT][TCP__STATE_COUNT];

/* tt_expect_state, and note the arc as seen. */
static long
arc(const struct tt *t, long from, int side, int s_from, int s_to)
{
    long i = tt_expect_state(t, from, side, s_from, s_to);

    if (i >= 0)
        seen[s_from][s_to] = true;
    return i;
}

/* The time of event i. */
static uint64_t
at(const struct tt *t, long i)
{
    const struct trace_event *e = tt_ev(t, i);
    return e ? e->t_us : 0;
}

/*
 * The scenario most arcs start from: rfc profile, MSL 2 s (TIME-WAIT 4 s),
 * 50 ms each way, RTO 1 s, delayed ACK 200 ms.
 */
#define BASE                                                                   \
    "'title': 'arc', 'seed': 1, 'profile': 'rfc', "                            \
    "'network': {'delay_ms': 50}, "
#define BASE_NONET "'title': 'arc', 'seed': 1, 'profile': 'rfc', "

/* ---- CLOSED ----------------------------------------------------------- */

static void
test_closed_listen(void)
{
    struct tt t;
    long i, c;

    tt_run(&t, "CLOSED->LISTEN",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    c = tt_call(&t, 0, SIDE_SERVER, CALL_LISTEN);
    ok(c >= 0 && trace_at(&t.tr, c)->b == 0 && trace_at(&t.tr, c)->n == 80,
       "%s: listen() returns 0 on port 80", t.name);
    i = arc(&t, 0, SIDE_SERVER, TCP_CLOSED, TCP_LISTEN);
    tt_no_send_after(&t, i, SIDE_SERVER, "a passive open sends nothing");
    tt_no_timers(&t, i, SIDE_SERVER, "a listener runs no timer");
    is_int(tt_count(&t, 0, -1, TRACE_SEND, ANY), 0,
           "%s: nothing at all on the wire", t.name);
    tt_done(&t);
}

static void
test_closed_syn_sent(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "CLOSED->SYN-SENT",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 10, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    i = arc(&t, 0, SIDE_CLIENT, TCP_CLOSED, TCP_SYN_SENT);
    s = tt_send(&t, i, SIDE_CLIENT, ANY);
    tt_seg_is(&t, s, TCP_SYN, CISN, 0, 0, "the first segment");
    ok(at(&t, s) == 10 * MS, "%s: the SYN leaves at connect() time", t.name);
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_RTX, 10 * MS + SEC,
                "the SYN is guarded by the initial RTO (1 s)");
    ok(tt_view(&t, s, SIDE_CLIENT).snd_una == CISN &&
           tt_view(&t, s, SIDE_CLIENT).snd_nxt == CISN + 1,
       "%s: SND.UNA = ISS, SND.NXT = ISS + 1 (the SYN takes one)", t.name);
    tt_done(&t);
}

/* ---- LISTEN ----------------------------------------------------------- */

static void
test_listen_syn_received(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "LISTEN->SYN-RECEIVED",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    i = arc(&t, 0, SIDE_SERVER, TCP_LISTEN, TCP_SYN_RECEIVED);
    ok(at(&t, i) == 50 * MS, "%s: when the SYN arrives", t.name);
    s = tt_send(&t, i, SIDE_SERVER, ANY);
    tt_seg_is(&t, s, TCP_SYN | TCP_ACK, SISN, CISN + 1, 0,
              "the answer to the SYN");
    tt_timer_is(&t, s, SIDE_SERVER, TIMER_RTX, 50 * MS + SEC,
                "the SYN,ACK is guarded by the initial RTO");
    ok(tt_view(&t, s, SIDE_SERVER).irs == CISN &&
           tt_view(&t, s, SIDE_SERVER).rcv_nxt == CISN + 1,
       "%s: IRS = the client's ISN, RCV.NXT = IRS + 1", t.name);
    tt_done(&t);
}

/*
 * LISTEN -> SYN-SENT is the RFC's "SEND" on a listening connection: a
 * remote socket is named and data queued. The sockets API has no such call
 * (send() on a listening socket fails with ENOTCONN, connect() with
 * EINVAL), so no scenario reaches the arc. What can be tested is that the
 * engine refuses both calls and leaves the listener in LISTEN, and that a
 * server script cannot send before it has a connection.
 */
static void
test_listen_syn_sent_refused(void)
{
    struct kit k;
    struct sock *s;
    long n;

    if (kit_init(&k, "LISTEN->SYN-SENT (refused)",
                 "{" BASE "'tcp': {'msl_ms': 2000},"
                 " 'server': {'isn': 5000, 'script': ["
                 "   {'at_ms': 0, 'call': 'listen'}]}}")) {
        kit_run(&k, 10 * MS);
        s = k.w->server_listener;
        ok(s->listening && s->tcb && s->tcb->state == TCP_LISTEN,
           "%s: the server listens", k.t.name);
        is_int(tcp_user_send(s, 100), ENOTCONN,
               "%s: send() on a listening socket is refused (ENOTCONN)",
               k.t.name);
        is_int(tcp_user_connect(s, 80, true, 7), EINVAL,
               "%s: connect() on a listening socket is refused (EINVAL)",
               k.t.name);
        kit_run(&k, 10 * SEC);
        ok(s->tcb && s->tcb->state == TCP_LISTEN,
           "%s: the listener is still in LISTEN", k.t.name);
        is_int(tt_state(&k.t, 0, ANY, TCP_LISTEN, TCP_SYN_SENT), -1,
               "%s: no LISTEN -> SYN-SENT in the trace", k.t.name);
        is_int(tt_count(&k.t, 0, -1, TRACE_SEND, ANY), 0, "%s: nothing is sent",
               k.t.name);
    }
    kit_done(&k);

    {
        struct tt t;
        tt_run(&t, "LISTEN->SYN-SENT (server send, no connection)",
               "{" BASE "'tcp': {'msl_ms': 2000},"
               " 'server': {'isn': 5000, 'script': ["
               "   {'at_ms': 0, 'call': 'listen'},"
               "   {'at_ms': 100, 'call': 'send', 'bytes': 100}]}}");
        n = tt_call(&t, 0, SIDE_SERVER, CALL_SEND);
        ok(n >= 0 && trace_at(&t.tr, n)->b == ENOTCONN,
           "%s: the server's send() fails with ENOTCONN", t.name);
        is_int(tt_state(&t, 0, ANY, TCP_LISTEN, TCP_SYN_SENT), -1,
               "%s: the listener stays in LISTEN", t.name);
        tt_done(&t);
    }
}

static void
test_listen_closed(void)
{
    struct tt t;
    long i, r;

    tt_run(&t, "LISTEN->CLOSED",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 500, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'at_ms': 100, 'call': 'close', 'socket': 'listener'}]}}");
    i = arc(&t, 0, SIDE_SERVER, TCP_LISTEN, TCP_CLOSED);
    ok(at(&t, i) == 100 * MS, "%s: at close()", t.name);
    tt_no_send_after(&t, i, SIDE_SERVER, "closing a listener sends nothing");
    /* The port is closed now: a SYN gets RST,ACK <SEQ=0><ACK=ISN+1>. */
    r = tt_send(&t, i, SIDE_SERVER, ANY);
    tt_seg_is(&t, r, TCP_RST | TCP_ACK, 0, CISN + 1, 0,
              "a later SYN to the port is answered with");
    /* The world's account of how TCBs ended: the listener was closed by
     * its application, so it must not be counted as still open. */
    is_int(t.st.ends[SIDE_SERVER][END_OPEN], 0,
           "%s: the closed listener is not counted as left open", t.name);
    tt_done(&t);
}

/* ---- SYN-SENT --------------------------------------------------------- */

static void
test_syn_sent_established(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "SYN-SENT->ESTABLISHED",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    i = arc(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_ESTABLISHED);
    ok(at(&t, i) == 100 * MS, "%s: when the SYN,ACK arrives", t.name);
    s = tt_send(&t, i, SIDE_CLIENT, ANY);
    tt_seg_is(&t, s, TCP_ACK, CISN + 1, SISN + 1, 0,
              "the third segment of the handshake");
    ok(at(&t, s) == at(&t, i), "%s: the ACK goes at once", t.name);
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_RTX, 0,
                "the SYN is acknowledged, so no RTX");
    ok(tt_view(&t, s, SIDE_CLIENT).snd_una == CISN + 1 &&
           tt_view(&t, s, SIDE_CLIENT).rcv_nxt == SISN + 1,
       "%s: SND.UNA = ISS + 1, RCV.NXT = IRS + 1", t.name);
    ok(tt_app(&t, i, SIDE_CLIENT, EV_CONNECTED) >= 0, "%s: connect() completes",
       t.name);
    tt_done(&t);
}

/*
 * Simultaneous open, through a scenario: both ends connect to each other at
 * the same moment (RFC 9293 Figure 7), in each profile. The SYN,ACKs cross
 * too, and each end ACKs the other's at once: the rfc profile because
 * §3.10.7.4's acceptability test finds it old (its SYN is in), and waits for
 * the peer's ACK; Linux because it takes the SYN,ACK's ACK (ESTABLISHED,
 * tcp_validate_incoming) and then finds its SYN a duplicate (tcp_data_queue).
 */
static void
test_syn_sent_syn_received_scenario(void)
{
    static const char *const profiles[] = {"rfc", "linux"};

    for (int pr = 0; pr < 2; pr++) {
        const char *ovr[] = {pr ? "profile=linux" : "profile=rfc"};
        char name[64];
        struct tt t;

        snprintf(name, sizeof name, "simultaneous open (%s)", profiles[pr]);
        if (!tt_run_scn(&t, name,
                        tt_load(name,
                                "{" BASE "'tcp': {'msl_ms': 2000},"
                                " 'client': {'isn': 1000, 'port': 5001,"
                                "  'script': ["
                                "   {'at_ms': 0, 'call': 'connect',"
                                "    'port': 80}]},"
                                " 'server': {'isn': 5000, 'port': 80,"
                                "  'script': ["
                                "   {'at_ms': 0, 'call': 'connect',"
                                "    'port': 5001}]}}",
                                ovr, 1))) {
            tt_done(&t);
            continue;
        }
        for (int side = 0; side < 2; side++) {
            uint32_t iss = side == SIDE_CLIENT ? CISN : SISN;
            uint32_t irs = side == SIDE_CLIENT ? SISN : CISN;
            long i = arc(&t, 0, side, TCP_SYN_SENT, TCP_SYN_RECEIVED);
            long sa = tt_send(&t, i, side, ANY);
            long a = tt_send(&t, sa + 1, side, ANY);
            long e = arc(&t, 0, side, TCP_SYN_RECEIVED, TCP_ESTABLISHED);

            tt_seg_is(&t, sa, TCP_SYN | TCP_ACK, iss, irs + 1, 0,
                      "the answer to the crossing SYN");
            tt_seg_is(&t, a, TCP_ACK, iss + 1, irs + 1, 0,
                      "the answer to the crossing SYN,ACK");
            ok(at(&t, a) == 100 * MS, "%s: %s ACKs the SYN,ACK as it arrives",
               t.name, trace_side_name(side));
            /* Linux: ESTABLISHED on the SYN,ACK; rfc: on the peer's ACK. */
            ok(at(&t, e) == (pr ? 100 : 150) * MS,
               "%s: %s is ESTABLISHED at %d ms", t.name, trace_side_name(side),
               pr ? 100 : 150);
            tt_timer_is(&t, e, side, TIMER_RTX, 0, "established");
        }
        ok(tt_count(&t, 0, -1, TRACE_SEND, ANY) == 6,
           "%s: six segments: SYN, SYN, SYN,ACK, SYN,ACK, ACK, ACK", t.name);
        tt_done(&t);
    }
}

/*
 * Simultaneous open at the TCB level: the client connects (its SYN is
 * dropped, so the server's host never answers it), and the peer's own SYN,
 * a bare SYN from port 80, is put on the wire by hand.
 */
static void
test_syn_sent_syn_received(void)
{
    struct kit k;
    struct sock *c;
    long i, s, e;
    uint64_t t0;

    if (kit_init(&k, "SYN-SENT->SYN-RECEIVED (crafted SYN)",
                 "{" BASE_NONET "'tcp': {'msl_ms': 2000},"
                 " 'network': {'delay_ms': 50, 'rules': ["
                 "   {'from': 'client', 'count': 0, 'action': 'drop'}]},"
                 " 'client': {'isn': 1000, 'script': ["
                 "   {'at_ms': 0, 'call': 'connect'}]}}")) {
        kit_run(&k, 10 * MS);
        c = kit_sock(&k, SIDE_CLIENT);
        ok(c && c->tcb && c->tcb->state == TCP_SYN_SENT,
           "%s: the client is in SYN-SENT", k.t.name);
        if (!c || !c->tcb) {
            kit_done(&k);
            return;
        }
        /* The peer's SYN <SEQ=5000><CTL=SYN>, crossing ours. */
        t0 = kit_now(&k);
        kit_inject(&k, SIDE_SERVER, 1, 80, c->tcb->lport, TCP_SYN, SISN, 0);
        kit_run(&k, t0 + 25 * MS);
        ok(c->tcb && c->tcb->state == TCP_SYN_SENT,
           "%s: still in SYN-SENT while the SYN travels", k.t.name);
        kit_run(&k, t0 + 100 * MS);
        i = arc(&k.t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_SYN_RECEIVED);
        ok(at(&k.t, i) == t0 + 50 * MS, "%s: when the SYN arrives", k.t.name);
        s = tt_send(&k.t, i, SIDE_CLIENT, ANY);
        tt_seg_is(&k.t, s, TCP_SYN | TCP_ACK, CISN, SISN + 1, 0,
                  "the answer: our SYN again, now acking theirs");
        ok(s >= 0 && tt_view(&k.t, s, SIDE_CLIENT).timer_us[TIMER_RTX] > 0,
           "%s: the SYN,ACK is guarded by RTX", k.t.name);
        ok(c->tcb && c->tcb->irs == SISN && c->tcb->rcv_nxt == SISN + 1,
           "%s: IRS and RCV.NXT from the peer's SYN", k.t.name);

        /* The peer's SYN,ACK repeats its SYN, below RCV.NXT: §3.10.7.4's
         * acceptability test answers it with an ACK, and drops it. */
        kit_inject(&k, SIDE_SERVER, 1, 80, c->tcb->lport, TCP_SYN | TCP_ACK,
                   SISN, CISN + 1);
        kit_run(&k, t0 + 200 * MS);
        s = tt_send(&k.t, i, SIDE_CLIENT, TCP_ACK);
        tt_seg_is(&k.t, s, TCP_ACK, CISN + 1, SISN + 1, 0,
                  "the answer to the old SYN,ACK");
        ok(c->tcb && c->tcb->state == TCP_SYN_RECEIVED,
           "%s: still SYN-RECEIVED: the SYN,ACK's ACK was not read", k.t.name);

        /* The peer's ACK completes it: SYN-RECEIVED -> ESTABLISHED. */
        kit_inject(&k, SIDE_SERVER, 1, 80, c->tcb->lport, TCP_ACK, SISN + 1,
                   CISN + 1);
        kit_run(&k, t0 + 300 * MS);
        e = tt_expect_state(&k.t, i, SIDE_CLIENT, TCP_SYN_RECEIVED,
                            TCP_ESTABLISHED);
        tt_timer_is(&k.t, e, SIDE_CLIENT, TIMER_RTX, 0,
                    "established: our SYN is ACKed");
    }
    kit_done(&k);
}

/*
 * SYN-SENT -> CLOSED has three causes: close() (tested here), a RST that
 * acknowledges our SYN, and the SYN retry limit (test_behaviour.c).
 */
static void
test_syn_sent_closed(void)
{
    struct tt t;
    long i, c;

    tt_run(&t, "SYN-SENT->CLOSED",
           "{" BASE_NONET "'tcp': {'msl_ms': 2000},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'SYN', 'count': 0,"
           "    'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 300, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    c = tt_call(&t, 0, SIDE_CLIENT, CALL_CLOSE);
    i = arc(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_CLOSED);
    ok(at(&t, i) == 300 * MS && c >= 0 && trace_at(&t.tr, c)->b == 0,
       "%s: at close(), which returns 0", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "CLOSE in SYN-SENT sends nothing");
    tt_no_timers(&t, i, SIDE_CLIENT, "the SYN's RTX is cancelled");
    is_int(tt_count(&t, i, -1, TRACE_SEND, SIDE_CLIENT), 0,
           "%s: no SYN retransmission afterwards", t.name);
    tt_done(&t);
}

/* ---- SYN-RECEIVED ----------------------------------------------------- */

static void
test_syn_received_established(void)
{
    struct tt t;
    long i;

    tt_run(&t, "SYN-RECEIVED->ESTABLISHED",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    i = arc(&t, 0, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_ESTABLISHED);
    ok(at(&t, i) == 150 * MS, "%s: when the third segment arrives", t.name);
    tt_no_send_after(&t, i, SIDE_SERVER, "the ACK of our SYN needs no answer");
    tt_no_timers(&t, i, SIDE_SERVER, "the SYN,ACK's RTX is cancelled");
    ok(tt_app(&t, i, SIDE_SERVER, EV_CONNECTED) >= 0,
       "%s: the server accepts the connection", t.name);
    ok(tt_view(&t, tt_instant_end(&t, i), SIDE_SERVER).snd_una == SISN + 1,
       "%s: SND.UNA = ISS + 1", t.name);
    tt_done(&t);
}

/*
 * close() in SYN-RECEIVED. A passive SYN-RECEIVED connection is not yet
 * accepted, so no application holds it; only a simultaneous open leaves a
 * socket in SYN-RECEIVED. Built like test_syn_sent_syn_received.
 */
static void
test_syn_received_fin_wait_1(void)
{
    struct kit k;
    struct sock *c;
    long i, s, r;

    if (kit_init(&k, "SYN-RECEIVED->FIN-WAIT-1 (crafted SYN)",
                 "{" BASE_NONET "'tcp': {'msl_ms': 2000},"
                 " 'network': {'delay_ms': 50, 'rules': ["
                 "   {'from': 'client', 'count': 0, 'action': 'drop'}]},"
                 " 'client': {'isn': 1000, 'script': ["
                 "   {'at_ms': 0, 'call': 'connect'}]}}")) {
        kit_run(&k, 10 * MS);
        c = kit_sock(&k, SIDE_CLIENT);
        ok(c && c->tcb && c->tcb->state == TCP_SYN_SENT,
           "%s: the client is in SYN-SENT", k.t.name);
        if (!c || !c->tcb) {
            kit_done(&k);
            return;
        }
        kit_inject(&k, SIDE_SERVER, 1, 80, c->tcb->lport, TCP_SYN, SISN, 0);
        kit_run(&k, 100 * MS);
        ok(c->tcb && c->tcb->state == TCP_SYN_RECEIVED,
           "%s: in SYN-RECEIVED after the crossing SYN", k.t.name);
        is_int(tcp_user_close(c), 0, "%s: close() in SYN-RECEIVED", k.t.name);
        i = arc(&k.t, 0, SIDE_CLIENT, TCP_SYN_RECEIVED, TCP_FIN_WAIT_1);
        s = tt_send(&k.t, i, SIDE_CLIENT, ANY);
        /* §3.10.4: "If no SENDs have been issued and there is no pending
         * data to send, then form a FIN segment and send it". */
        tt_seg_is(&k.t, s, TCP_FIN | TCP_ACK, CISN + 1, SISN + 1, 0,
                  "the FIN right after our SYN");
        ok(s >= 0 && tt_view(&k.t, s, SIDE_CLIENT).timer_us[TIMER_RTX] > 0,
           "%s: RTX still runs (SYN and FIN unacknowledged)", k.t.name);

        /* Nothing is acknowledged (all the client sends is dropped):
         * the first retransmission must be the earliest unacknowledged
         * segment, our SYN,ACK (RFC 6298 §5.4), not data. */
        kit_run(&k, 3 * SEC);
        r = tt_send(&k.t, s + 1, SIDE_CLIENT, ANY);
        tt_seg_is(&k.t, r, TCP_SYN | TCP_ACK, CISN, SISN + 1, 0,
                  "the first retransmission from FIN-WAIT-1");
    }
    kit_done(&k);
}

/*
 * An old duplicate SYN (RFC 9293 Figure 8): the client's SYN is held in the
 * network for 3 s and the client gives up at 500 ms. When the SYN arrives,
 * the server answers SYN,ACK; the client has no connection and answers
 * RST <SEQ=SEG.ACK>, which sends the server back to LISTEN.
 */
static void
test_syn_received_listen(void)
{
    struct tt t;
    long i, s, r;

    tt_run(&t, "SYN-RECEIVED->LISTEN",
           "{" BASE_NONET "'tcp': {'msl_ms': 10000},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'SYN', 'action': 'hold',"
           "    'hold_ms': 3000}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 500, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = tt_send(&t, tt_state(&t, 0, SIDE_SERVER, TCP_LISTEN, TCP_SYN_RECEIVED),
                SIDE_SERVER, ANY);
    tt_seg_is(&t, s, TCP_SYN | TCP_ACK, SISN, CISN + 1, 0,
              "the server answers the old SYN");
    r = tt_send(&t, s + 1, SIDE_CLIENT, ANY);
    tt_seg_is(&t, r, TCP_RST, CISN + 1, 0, 0,
              "the client, with no connection, answers <SEQ=SEG.ACK>");
    i = arc(&t, 0, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_LISTEN);
    ok(at(&t, i) == 3150 * MS, "%s: when the RST arrives", t.name);
    tt_no_send_after(&t, i, SIDE_SERVER, "a RST is never answered");
    ok(tt_timer(&t, s, TRACE_TIMER_CANCEL, SIDE_SERVER, TIMER_RTX) >= 0 &&
           tt_timer(&t, i + 1, TRACE_TIMER_FIRE, SIDE_SERVER, TIMER_RTX) < 0,
       "%s: the SYN,ACK's RTX is cancelled and never fires", t.name);
    is_int(tt_count(&t, i, -1, TRACE_SEND, SIDE_SERVER), 0,
           "%s: no SYN,ACK retransmission afterwards", t.name);
    is_int(tt_count(&t, 0, -1, TRACE_APP, SIDE_SERVER), 0,
           "%s: the server application never hears of it", t.name);
    tt_done(&t);
}

/*
 * The half-open connection is dropped after tcp_synack_retries: the client
 * host crashes right after its SYN, so every SYN,ACK is lost.
 */
static void
test_syn_received_closed(void)
{
    struct tt t;
    long i, s;
    uint64_t want[] = {50 * MS, 1050 * MS, 3050 * MS};

    tt_run(&t, "SYN-RECEIVED->CLOSED",
           "{" BASE "'tcp': {'msl_ms': 2000, 'synack_retries': 2},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 10, 'call': 'crash'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = -1;
    for (int k = 0; k < 3; k++) {
        s = tt_send(&t, s + 1, SIDE_SERVER, TCP_SYN | TCP_ACK);
        ok(s >= 0 && at(&t, s) == want[k] &&
               trace_at(&t.tr, s)->seg.seq == SISN,
           "%s: SYN,ACK %d at %llu ms (RTO 1 s, doubling)", t.name, k,
           (unsigned long long)(want[k] / MS));
    }
    i = arc(&t, 0, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_CLOSED);
    ok(at(&t, i) == 7050 * MS, "%s: after 1 + 2 + 4 s", t.name);
    tt_no_send_after(&t, i, SIDE_SERVER, "giving up sends no RST");
    tt_no_timers(&t, i, SIDE_SERVER, "no timer left");
    is_int(tt_count(&t, i, -1, TRACE_SEND, SIDE_SERVER), 0,
           "%s: nothing more from the server", t.name);
    tt_done(&t);
}

/* ---- ESTABLISHED ------------------------------------------------------ */

/*
 * The four-way close used by several arcs: the client sends 100 bytes at
 * 200 ms and closes at 1000 ms; the server's ACK of the FIN is delayed
 * (200 ms), and it closes 500 ms after reading EOF.
 */
#define FOUR_WAY                                                               \
    "{" BASE "'tcp': {'msl_ms': 2000},"                                        \
    " 'client': {'isn': 1000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'connect'},"                                      \
    "   {'at_ms': 200, 'call': 'send', 'bytes': 100},"                         \
    "   {'at_ms': 1000, 'call': 'close'}]},"                                   \
    " 'server': {'isn': 5000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'listen'},"                                       \
    "   {'on': 'eof', 'after_ms': 500, 'call': 'close'}]}}"

static void
test_established_fin_wait_1(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "ESTABLISHED->FIN-WAIT-1", FOUR_WAY);
    i = arc(&t, 0, SIDE_CLIENT, TCP_ESTABLISHED, TCP_FIN_WAIT_1);
    ok(at(&t, i) == SEC, "%s: at close()", t.name);
    s = tt_send(&t, i, SIDE_CLIENT, ANY);
    tt_seg_is(&t, s, TCP_FIN | TCP_ACK, CISN + 101, SISN + 1, 0,
              "the FIN after 100 bytes");
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_RTX, 2 * SEC,
                "the FIN is guarded by RTO (rfc: at least 1 s)");
    ok(tt_view(&t, s, SIDE_CLIENT).snd_nxt == CISN + 102,
       "%s: SND.NXT = FIN + 1 (the FIN takes one)", t.name);
    tt_done(&t);
}

static void
test_established_close_wait(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "ESTABLISHED->CLOSE-WAIT", FOUR_WAY);
    i = arc(&t, 0, SIDE_SERVER, TCP_ESTABLISHED, TCP_CLOSE_WAIT);
    ok(at(&t, i) == 1050 * MS, "%s: when the FIN arrives", t.name);
    ok(tt_app(&t, i - 2, SIDE_SERVER, EV_EOF) >= 0,
       "%s: the application reads EOF", t.name);
    tt_timer_is(&t, i, SIDE_SERVER, TIMER_DELACK, 1250 * MS,
                "the ACK of the FIN waits for the delayed ACK");
    s = tt_send(&t, i, SIDE_SERVER, ANY);
    tt_seg_is(&t, s, TCP_ACK, SISN + 1, CISN + 102, 0,
              "the ACK of the FIN (FIN seq + 1)");
    ok(at(&t, s) == 1250 * MS, "%s: sent when the delayed ACK fires", t.name);
    tt_done(&t);
}

/* SO_LINGER {on, 0}: close() aborts with RST; the peer is reset. */
static void
test_established_closed(void)
{
    struct tt t;
    long i, r, a;

    tt_run(&t, "ESTABLISHED->CLOSED",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'linger': 0, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 500, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    i = arc(&t, 0, SIDE_CLIENT, TCP_ESTABLISHED, TCP_CLOSED);
    r = tt_send(&t, tt_call(&t, 0, SIDE_CLIENT, CALL_CLOSE), SIDE_CLIENT, ANY);
    tt_seg_is(&t, r, TCP_RST, CISN + 1, SISN + 1, 0,
              "ABORT: <SEQ=SND.NXT><CTL=RST>");
    tt_no_timers(&t, i, SIDE_CLIENT, "the aborting side keeps no timer");
    i = arc(&t, 0, SIDE_SERVER, TCP_ESTABLISHED, TCP_CLOSED);
    ok(at(&t, i) == 550 * MS, "%s: when the RST arrives", t.name);
    tt_no_send_after(&t, i, SIDE_SERVER, "a RST is never answered");
    a = tt_app(&t, i, SIDE_SERVER, EV_RESET);
    ok(a >= 0 && trace_at(&t.tr, a)->b == ECONNRESET,
       "%s: the server application sees ECONNRESET", t.name);
    is_int(tt_state(&t, 0, ANY, ANY, TCP_TIME_WAIT), -1,
           "%s: nobody enters TIME-WAIT", t.name);
    tt_done(&t);
}

/* ---- FIN-WAIT-1 ------------------------------------------------------- */

static void
test_fin_wait_1_fin_wait_2(void)
{
    struct tt t;
    long i;

    tt_run(&t, "FIN-WAIT-1->FIN-WAIT-2", FOUR_WAY);
    i = arc(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2);
    ok(at(&t, i) == 1300 * MS, "%s: when the delayed ACK arrives", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "an ACK is not answered");
    tt_no_timers(&t, i, SIDE_CLIENT,
                 "rfc profile: FIN-WAIT-2 has no timer (may wait for ever)");
    ok(tt_view(&t, i, SIDE_CLIENT).snd_una ==
           tt_view(&t, i, SIDE_CLIENT).snd_nxt,
       "%s: all we sent is acknowledged", t.name);
    tt_done(&t);
}

/* Simultaneous close (RFC 9293 Figure 13): both close at 1000 ms. */
#define SIM_CLOSE                                                              \
    "{" BASE "'tcp': {'msl_ms': 2000},"                                        \
    " 'client': {'isn': 1000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'connect'},"                                      \
    "   {'at_ms': 1000, 'call': 'close'}]},"                                   \
    " 'server': {'isn': 5000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'listen'},"                                       \
    "   {'at_ms': 1000, 'call': 'close', 'socket': 'connection'}]}}"

static void
test_fin_wait_1_closing(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "FIN-WAIT-1->CLOSING", SIM_CLOSE);
    i = arc(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_CLOSING);
    ok(at(&t, i) == 1050 * MS, "%s: when the crossing FIN arrives", t.name);
    s = tt_send(&t, i, SIDE_CLIENT, ANY);
    tt_seg_is(&t, s, TCP_ACK, CISN + 2, SISN + 2, 0,
              "the ACK of the peer's FIN");
    ok(at(&t, s) == at(&t, i), "%s: at once", t.name);
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_RTX, 2 * SEC,
                "our FIN is still unacknowledged: RTX runs on");
    i = arc(&t, 0, SIDE_SERVER, TCP_FIN_WAIT_1, TCP_CLOSING);
    tt_done(&t);
}

/*
 * The three-segment close: the server closes 10 ms after EOF, within its
 * delayed-ACK time, so its FIN carries the ACK of the client's FIN.
 */
static void
test_fin_wait_1_time_wait(void)
{
    struct tt t;
    long i, s, f;

    tt_run(&t, "FIN-WAIT-1->TIME-WAIT",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 1000, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}}");
    f = tt_send(&t,
                tt_state(&t, 0, SIDE_SERVER, TCP_ESTABLISHED, TCP_CLOSE_WAIT),
                SIDE_SERVER, ANY);
    tt_seg_is(&t, f, TCP_FIN | TCP_ACK, SISN + 1, CISN + 2, 0,
              "the server's first segment after the FIN: ACK and FIN in one");
    i = arc(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_TIME_WAIT);
    ok(at(&t, i) == 1110 * MS, "%s: when the FIN,ACK arrives", t.name);
    s = tt_send(&t, i, SIDE_CLIENT, ANY);
    tt_seg_is(&t, s, TCP_ACK, CISN + 2, SISN + 2, 0, "the last ACK");
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_TIME_WAIT, 1110 * MS + 4 * SEC,
                "2MSL = 4 s");
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_RTX, 0, "our FIN is ACKed");
    is_int(tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_FIN_WAIT_2), -1,
           "%s: FIN-WAIT-2 is skipped", t.name);
    tt_done(&t);
}

/*
 * The client half-closes; its FINs are all lost; the server aborts
 * (SO_LINGER 0) and its RST ends the client's FIN-WAIT-1.
 */
static void
test_fin_wait_1_closed(void)
{
    struct tt t;
    long i, r, a;

    tt_run(&t, "FIN-WAIT-1->CLOSED",
           "{" BASE_NONET "'tcp': {'msl_ms': 2000},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'FIN', 'count': 0,"
           "    'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 500, 'call': 'shutdown', 'how': 'write'}]},"
           " 'server': {'isn': 5000, 'linger': 0, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'at_ms': 700, 'call': 'close'}]}}");
    r = tt_send(&t, tt_call(&t, 0, SIDE_SERVER, CALL_CLOSE), SIDE_SERVER, ANY);
    tt_seg_is(&t, r, TCP_RST, SISN + 1, CISN + 1, 0, "the server's abort");
    i = arc(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_CLOSED);
    ok(at(&t, i) == 750 * MS, "%s: when the RST arrives", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "a RST is never answered");
    tt_no_timers(&t, i, SIDE_CLIENT, "the FIN's RTX is cancelled");
    a = tt_app(&t, i, SIDE_CLIENT, EV_RESET);
    ok(a >= 0 && trace_at(&t.tr, a)->b == ECONNRESET, "%s: ECONNRESET", t.name);
    tt_done(&t);
}

/* ---- FIN-WAIT-2 ------------------------------------------------------- */

static void
test_fin_wait_2_time_wait(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "FIN-WAIT-2->TIME-WAIT", FOUR_WAY);
    i = arc(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_TIME_WAIT);
    ok(at(&t, i) == 1600 * MS, "%s: when the server's FIN arrives", t.name);
    s = tt_send(&t, i, SIDE_CLIENT, ANY);
    tt_seg_is(&t, s, TCP_ACK, CISN + 102, SISN + 2, 0, "the last ACK");
    ok(at(&t, s) == at(&t, i), "%s: at once", t.name);
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_TIME_WAIT, 5600 * MS,
                "TIME-WAIT for 2MSL = 4 s");
    tt_done(&t);
}

/*
 * Linux: an orphaned FIN-WAIT-2 socket lives tcp_fin_timeout, then is
 * dropped silently; a FIN that comes later is answered with RST.
 */
static void
test_fin_wait_2_closed(void)
{
    struct tt t;
    long i, w, r;

    tt_run(&t, "FIN-WAIT-2->CLOSED",
           "{'title': 'arc', 'seed': 1, 'profile': 'linux',"
           " 'network': {'delay_ms': 50}, 'tcp': {'fin_timeout_ms': 3000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 500, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'on': 'eof', 'after_ms': 5000, 'call': 'close'}]}}");
    w = arc(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2);
    ok(at(&t, w) == 640 * MS,
       "%s: the FIN is ACKed after the 40 ms delayed ACK", t.name);
    tt_timer_is(&t, w, SIDE_CLIENT, TIMER_FIN_WAIT_2, 3640 * MS,
                "an orphan waits tcp_fin_timeout (3 s)");
    i = arc(&t, w, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_CLOSED);
    ok(at(&t, i) == 3640 * MS, "%s: when tcp_fin_timeout expires", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "dropped silently");
    tt_no_timers(&t, i, SIDE_CLIENT, "no timer left");
    /* The server's FIN at 5.54 s finds no connection. */
    r = tt_send(&t, i + 1, SIDE_CLIENT, ANY);
    tt_seg_is(&t, r, TCP_RST, CISN + 2, 0, 0,
              "the late FIN is answered with <SEQ=SEG.ACK><CTL=RST>");
    tt_done(&t);
}

/* ---- CLOSE-WAIT ------------------------------------------------------- */

static void
test_close_wait_last_ack(void)
{
    struct tt t;
    long i, s;

    tt_run(&t, "CLOSE-WAIT->LAST-ACK", FOUR_WAY);
    i = arc(&t, 0, SIDE_SERVER, TCP_CLOSE_WAIT, TCP_LAST_ACK);
    ok(at(&t, i) == 1550 * MS, "%s: 500 ms after EOF", t.name);
    s = tt_send(&t, i, SIDE_SERVER, ANY);
    tt_seg_is(&t, s, TCP_FIN | TCP_ACK, SISN + 1, CISN + 102, 0,
              "the server's FIN");
    tt_timer_is(&t, s, SIDE_SERVER, TIMER_RTX, 2550 * MS,
                "the FIN is guarded by RTO");
    tt_done(&t);
}

/*
 * The client half-closes, then aborts from FIN-WAIT-2 (SO_LINGER 0 and
 * close()); its RST resets the server in CLOSE-WAIT.
 */
static void
test_close_wait_closed(void)
{
    struct tt t;
    long i, r, a;

    tt_run(&t, "CLOSE-WAIT->CLOSED",
           "{" BASE "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 500, 'call': 'shutdown', 'how': 'write'},"
           "   {'at_ms': 1000, 'call': 'setsockopt', 'option': 'SO_LINGER',"
           "    'value': 0},"
           "   {'at_ms': 1000, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    ok(tt_state(&t, 0, SIDE_SERVER, TCP_ESTABLISHED, TCP_CLOSE_WAIT) >= 0,
       "%s: the server is in CLOSE-WAIT", t.name);
    r = tt_send(&t, tt_call(&t, 0, SIDE_CLIENT, CALL_CLOSE), SIDE_CLIENT, ANY);
    tt_seg_is(&t, r, TCP_RST, CISN + 2, SISN + 1, 0,
              "the client's abort from FIN-WAIT-2");
    seen[TCP_FIN_WAIT_2][TCP_CLOSED] |=
        tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_CLOSED) >= 0;
    i = arc(&t, 0, SIDE_SERVER, TCP_CLOSE_WAIT, TCP_CLOSED);
    ok(at(&t, i) == 1050 * MS, "%s: when the RST arrives", t.name);
    tt_no_send_after(&t, i, SIDE_SERVER, "a RST is never answered");
    tt_no_timers(&t, i, SIDE_SERVER, "no timer left");
    a = tt_app(&t, i, SIDE_SERVER, EV_RESET);
    /* §3.10.7.4 CLOSE-WAIT: "connection reset" (Linux's tcp_reset would
     * say EPIPE here, the linux profile's answer). */
    ok(a >= 0 && trace_at(&t.tr, a)->b == ECONNRESET, "%s: ECONNRESET", t.name);
    tt_done(&t);
}

/* ---- CLOSING ---------------------------------------------------------- */

static void
test_closing_time_wait(void)
{
    struct tt t;
    long i;

    tt_run(&t, "CLOSING->TIME-WAIT", SIM_CLOSE);
    i = arc(&t, 0, SIDE_CLIENT, TCP_CLOSING, TCP_TIME_WAIT);
    ok(at(&t, i) == 1100 * MS, "%s: when the ACK of our FIN arrives", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "an ACK is not answered");
    tt_timer_is(&t, i, SIDE_CLIENT, TIMER_TIME_WAIT, 5100 * MS, "2MSL");
    tt_timer_is(&t, i, SIDE_CLIENT, TIMER_RTX, 0, "our FIN is ACKed");
    i = arc(&t, 0, SIDE_SERVER, TCP_CLOSING, TCP_TIME_WAIT);
    ok(i >= 0, "%s: both ends wait 2MSL after a simultaneous close", t.name);
    tt_done(&t);
}

/*
 * Simultaneous close, but every pure ACK from the server is lost: the
 * client stays in CLOSING, retransmits its FIN orphan_retries (2) times
 * and gives up.
 */
static void
test_closing_closed(void)
{
    struct tt t;
    long i, s;
    uint64_t want[] = {2000 * MS, 4000 * MS};

    tt_run(&t, "CLOSING->CLOSED",
           "{" BASE_NONET "'tcp': {'msl_ms': 2000, 'orphan_retries': 2},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'server', 'flags': 'ACK', 'not_flags': 'FIN,SYN',"
           "    'from_ms': 1000, 'count': 0, 'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 1000, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'at_ms': 1000, 'call': 'close', 'socket': 'connection'}]}}");
    i = tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_CLOSING);
    ok(i >= 0, "%s: the client reaches CLOSING", t.name);
    s = i;
    for (int k = 0; k < 2; k++) {
        s = tt_send(&t, s + 1, SIDE_CLIENT, TCP_FIN | TCP_ACK);
        ok(s >= 0 && at(&t, s) == want[k] &&
               trace_at(&t.tr, s)->seg.seq == CISN + 1 &&
               (trace_at(&t.tr, s)->seg.tags & SEG_RETX),
           "%s: FIN retransmission %d at %llu ms", t.name, k + 1,
           (unsigned long long)(want[k] / MS));
    }
    i = arc(&t, 0, SIDE_CLIENT, TCP_CLOSING, TCP_CLOSED);
    ok(at(&t, i) == 8000 * MS, "%s: after RTO 1 + 2 + 4 s", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "giving up sends nothing");
    tt_no_timers(&t, i, SIDE_CLIENT, "no timer left");
    tt_done(&t);
}

/* ---- LAST-ACK --------------------------------------------------------- */

static void
test_last_ack_closed(void)
{
    struct tt t;
    long i;

    tt_run(&t, "LAST-ACK->CLOSED", FOUR_WAY);
    i = arc(&t, 0, SIDE_SERVER, TCP_LAST_ACK, TCP_CLOSED);
    ok(at(&t, i) == 1650 * MS, "%s: when the last ACK arrives", t.name);
    tt_no_send_after(&t, i, SIDE_SERVER, "nothing more is sent");
    tt_no_timers(&t, i, SIDE_SERVER, "the FIN's RTX is cancelled");
    is_int(tt_count(&t, 0, -1, TRACE_APP, SIDE_SERVER) -
               tt_count(&t, i, -1, TRACE_APP, SIDE_SERVER),
           tt_count(&t, 0, -1, TRACE_APP, SIDE_SERVER),
           "%s: the server application hears of nothing more", t.name);
    ok(tt_app(&t, 0, SIDE_SERVER, EV_ERROR) < 0 &&
           tt_app(&t, 0, SIDE_SERVER, EV_RESET) < 0,
       "%s: no error anywhere", t.name);
    tt_done(&t);
}

/* ---- TIME-WAIT -------------------------------------------------------- */

/*
 * TIME-WAIT assassination (RFC 1337): a data segment held in the network
 * for 3 s reaches the client in TIME-WAIT; the client ACKs it; the server,
 * closed by then, answers that ACK with RST <SEQ=SEG.ACK>, which is in the
 * client's window. Linux with tcp_rfc1337 = 0 ends TIME-WAIT on it.
 */
#define ASSASSIN(rfc1337)                                                      \
    "{" BASE_NONET "'tcp': {'msl_ms': 5000, 'rfc1337': " rfc1337 "},"          \
    " 'network': {'delay_ms': 50, 'rules': ["                                  \
    "   {'from': 'server', 'data': true, 'action': 'hold',"                    \
    "    'hold_ms': 3000}]},"                                                  \
    " 'client': {'isn': 1000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'connect'},"                                      \
    "   {'at_ms': 1500, 'call': 'close'}]},"                                   \
    " 'server': {'isn': 5000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'listen'},"                                       \
    "   {'at_ms': 200, 'call': 'send', 'bytes': 100},"                         \
    "   {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}}"

static void
test_time_wait_closed(void)
{
    struct tt t;
    long i, tw, r;

    /* The 2MSL timer. */
    tt_run(&t, "TIME-WAIT->CLOSED (2MSL)", FOUR_WAY);
    tw = tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_TIME_WAIT);
    i = arc(&t, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    ok(tw >= 0 && at(&t, i) == at(&t, tw) + 4 * SEC,
       "%s: exactly 2MSL after entering TIME-WAIT", t.name);
    ok(tt_timer(&t, tw, TRACE_TIMER_FIRE, SIDE_CLIENT, TIMER_TIME_WAIT) ==
           i - 1,
       "%s: because the TIME-WAIT timer fired", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "nothing is sent");
    tt_no_timers(&t, i, SIDE_CLIENT, "no timer left");
    is_int(t.st.open[SIDE_CLIENT][TCP_TIME_WAIT], 0, "%s: no TCB is left",
           t.name);
    tt_done(&t);

    /* A RST, tcp_rfc1337 = 0: TIME-WAIT ends at once. */
    tt_run(&t, "TIME-WAIT->CLOSED (RST, rfc1337 false)", ASSASSIN("false"));
    tw = tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT);
    r = tt_send(&t, tw + 1, SIDE_SERVER, TCP_RST);
    ok(r >= 0 && trace_at(&t.tr, r)->seg.seq == SISN + 102,
       "%s: the closed server answers the ACK with RST <SEQ=SEG.ACK>", t.name);
    i = arc(&t, tw, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    ok(r >= 0 && i > r && at(&t, i) == at(&t, r) + 50 * MS &&
           at(&t, i) < at(&t, tw) + 10 * SEC,
       "%s: TIME-WAIT ends when the RST arrives, before 2MSL", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "a RST is never answered");
    tt_no_timers(&t, i, SIDE_CLIENT, "the 2MSL timer is cancelled");
    tt_done(&t);

    /* The same with RFC 1337's advice: the RST is ignored. */
    tt_run(&t, "TIME-WAIT->CLOSED (RST, rfc1337 true)", ASSASSIN("true"));
    tw = tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT);
    r = tt_kind(&t, tw, TRACE_ARRIVE, SIDE_CLIENT);
    while (r >= 0 && !(trace_at(&t.tr, r)->seg.flags & TCP_RST))
        r = tt_kind(&t, r + 1, TRACE_ARRIVE, SIDE_CLIENT);
    ok(r >= 0, "%s: the RST reaches the client in TIME-WAIT", t.name);
    ok(r >= 0 && tt_kind(&t, r, TRACE_DISCARD, SIDE_CLIENT) == r + 1,
       "%s: and is discarded", t.name);
    i = tt_time_wait_by_timer(&t, tw, SIDE_CLIENT,
                              "TIME-WAIT ends only by its 2MSL timer");
    ok(i > r, "%s: after the RST", t.name);
    tt_done(&t);
}

/* ---- the table -------------------------------------------------------- */

enum how {
    BY_SCENARIO, /* a scenario drives real endpoints into the arc */
    BY_CRAFTED,  /* real endpoints, but the peer's segment is crafted */
    BY_REFUSAL,  /* no socket call reaches it; the refusal is tested */
};

static const struct arc_test {
    enum tcp_state from, to;
    void (*fn)(void);
    const char *name;
    enum how how;
} arc_tests[] = {
#define T(f, t, fn, how)                                                       \
    {                                                                          \
        TCP_##f, TCP_##t, fn, #fn, how                                         \
    }
    T(CLOSED, LISTEN, test_closed_listen, BY_SCENARIO),
    T(CLOSED, SYN_SENT, test_closed_syn_sent, BY_SCENARIO),
    T(LISTEN, SYN_RECEIVED, test_listen_syn_received, BY_SCENARIO),
    T(LISTEN, SYN_SENT, test_listen_syn_sent_refused, BY_REFUSAL),
    T(LISTEN, CLOSED, test_listen_closed, BY_SCENARIO),
    T(SYN_SENT, ESTABLISHED, test_syn_sent_established, BY_SCENARIO),
    T(SYN_SENT, SYN_RECEIVED, test_syn_sent_syn_received, BY_CRAFTED),
    T(SYN_SENT, CLOSED, test_syn_sent_closed, BY_SCENARIO),
    T(SYN_RECEIVED, ESTABLISHED, test_syn_received_established, BY_SCENARIO),
    T(SYN_RECEIVED, FIN_WAIT_1, test_syn_received_fin_wait_1, BY_CRAFTED),
    T(SYN_RECEIVED, LISTEN, test_syn_received_listen, BY_SCENARIO),
    T(SYN_RECEIVED, CLOSED, test_syn_received_closed, BY_SCENARIO),
    T(ESTABLISHED, FIN_WAIT_1, test_established_fin_wait_1, BY_SCENARIO),
    T(ESTABLISHED, CLOSE_WAIT, test_established_close_wait, BY_SCENARIO),
    T(ESTABLISHED, CLOSED, test_established_closed, BY_SCENARIO),
    T(FIN_WAIT_1, FIN_WAIT_2, test_fin_wait_1_fin_wait_2, BY_SCENARIO),
    T(FIN_WAIT_1, CLOSING, test_fin_wait_1_closing, BY_SCENARIO),
    T(FIN_WAIT_1, TIME_WAIT, test_fin_wait_1_time_wait, BY_SCENARIO),
    T(FIN_WAIT_1, CLOSED, test_fin_wait_1_closed, BY_SCENARIO),
    T(FIN_WAIT_2, TIME_WAIT, test_fin_wait_2_time_wait, BY_SCENARIO),
    T(FIN_WAIT_2, CLOSED, test_fin_wait_2_closed, BY_SCENARIO),
    T(CLOSE_WAIT, LAST_ACK, test_close_wait_last_ack, BY_SCENARIO),
    T(CLOSE_WAIT, CLOSED, test_close_wait_closed, BY_SCENARIO),
    T(CLOSING, TIME_WAIT, test_closing_time_wait, BY_SCENARIO),
    T(CLOSING, CLOSED, test_closing_closed, BY_SCENARIO),
    T(LAST_ACK, CLOSED, test_last_ack_closed, BY_SCENARIO),
    T(TIME_WAIT, CLOSED, test_time_wait_closed, BY_SCENARIO),
#undef T
};
#define NTESTS (sizeof arc_tests / sizeof arc_tests[0])

static const char *
sname(enum tcp_state s)
{
    return tcp_state_name(s);
}

/* Every arc of tcp_arcs() has a test in the table, and every entry of the
 * table is an arc; every arc was seen in a trace (or refused). */
static void
test_coverage(void)
{
    size_t n;
    const struct tcp_arc *arcs = tcp_arcs(&n);
    size_t missing = 0, stray = 0, unseen = 0;

    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < NTESTS; j++)
            found |= arc_tests[j].from == arcs[i].from &&
                     arc_tests[j].to == arcs[i].to;
        if (!found) {
            missing++;
            printf("#   no test for %s -> %s (%s)\n", sname(arcs[i].from),
                   sname(arcs[i].to), arcs[i].event);
        }
    }
    ok(missing == 0, "every one of the %zu arcs of tcp_arcs() has a test", n);
    for (size_t j = 0; j < NTESTS; j++)
        if (!tcp_arc_find(arc_tests[j].from, arc_tests[j].to)) {
            stray++;
            printf("#   %s tests %s -> %s, which is not an arc\n",
                   arc_tests[j].name, sname(arc_tests[j].from),
                   sname(arc_tests[j].to));
        }
    ok(stray == 0, "every arc in the test table is in tcp_arcs()");
    for (size_t j = 0; j < NTESTS; j++) {
        const struct arc_test *a = &arc_tests[j];
        if (a->how != BY_REFUSAL && !seen[a->from][a->to]) {
            unseen++;
            printf("#   %s -> %s never appeared in %s's traces\n",
                   sname(a->from), sname(a->to), a->name);
        }
    }
    ok(unseen == 0, "every reachable arc was taken in a trace");
    for (size_t j = 0; j < NTESTS; j++)
        if (arc_tests[j].how != BY_SCENARIO)
            printf("# %s -> %s: %s\n", sname(arc_tests[j].from),
                   sname(arc_tests[j].to),
                   arc_tests[j].how == BY_REFUSAL
                       ? "no socket call reaches it; its refusal is tested"
                       : "no scenario reaches it; tested with a crafted "
                         "segment");
}

/* Moves that are not arcs are refused. */
static void
test_non_arcs(void)
{
    static const struct {
        enum tcp_state from, to;
    } bad[] = {
        {TCP_CLOSED, TCP_ESTABLISHED},      {TCP_TIME_WAIT, TCP_ESTABLISHED},
        {TCP_LISTEN, TCP_ESTABLISHED},      {TCP_CLOSED, TCP_TIME_WAIT},
        {TCP_ESTABLISHED, TCP_TIME_WAIT},   {TCP_ESTABLISHED, TCP_LAST_ACK},
        {TCP_FIN_WAIT_2, TCP_FIN_WAIT_1},   {TCP_CLOSE_WAIT, TCP_ESTABLISHED},
        {TCP_LAST_ACK, TCP_TIME_WAIT},      {TCP_TIME_WAIT, TCP_LISTEN},
        {TCP_SYN_SENT, TCP_FIN_WAIT_1},     {TCP_CLOSING, TCP_FIN_WAIT_2},
        {TCP_ESTABLISHED, TCP_ESTABLISHED}, {TCP_CLOSED, TCP_CLOSED},
    };
    size_t n, count = 0;
    const struct tcp_arc *arcs = tcp_arcs(&n);

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ok(tcp_arc_find(bad[i].from, bad[i].to) == NULL,
           "%s -> %s is not an arc", sname(bad[i].from), sname(bad[i].to));
    for (size_t i = 0; i < n; i++) {
        const struct tcp_arc *a = tcp_arc_find(arcs[i].from, arcs[i].to);
        if (a == &arcs[i] && arcs[i].event && arcs[i].event[0])
            count++;
    }
    is_int(count, n, "tcp_arc_find finds each arc, and each has an event");
    /* Over all 121 pairs, only the listed ones are arcs. */
    count = 0;
    for (int f = 0; f < TCP__STATE_COUNT; f++)
        for (int t = 0; t < TCP__STATE_COUNT; t++)
            count += tcp_arc_find((enum tcp_state)f, (enum tcp_state)t) != NULL;
    is_int(count, n, "no pair outside the table is an arc");
}

int
main(void)
{
    for (size_t j = 0; j < NTESTS; j++) {
        printf("# %s -> %s (%s)\n", sname(arc_tests[j].from),
               sname(arc_tests[j].to), arc_tests[j].name);
        arc_tests[j].fn();
    }
    printf("# simultaneous open as a scenario\n");
    test_syn_sent_syn_received_scenario();
    test_coverage();
    test_non_arcs();
    return done_testing();
}
