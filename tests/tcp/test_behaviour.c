/*
 * Behaviour from /work/shared/tcp-reference.md that is more than one arc:
 * resets, retry limits and backoff, TIME-WAIT's restart and its port,
 * TTL and MSL in the network, keepalive. Each case is a small scenario;
 * the checks read its trace. ISNs: client 1000, server 5000.
 */
#include <errno.h>

#include "kit.h"

enum { CISN = 1000, SISN = 5000 };

#define RFC   "'title': 'b', 'seed': 1, 'profile': 'rfc', "
#define LINUX "'title': 'b', 'seed': 1, 'profile': 'linux', "
#define NET50 "'network': {'delay_ms': 50}, "

static uint64_t
at(const struct tt *t, long i)
{
    const struct trace_event *e = tt_ev(t, i);
    return e ? e->t_us : 0;
}

/* The app event's errno (b), or -1 if i is not an event. */
static int
err_of(const struct tt *t, long i)
{
    const struct trace_event *e = tt_ev(t, i);
    return e ? e->b : -1;
}

/*
 * connect() to a port with no listener: RST,ACK <SEQ=0><ACK=ISN+1>, and
 * connect() fails with ECONNREFUSED.
 */
static void
test_rst_closed_port(void)
{
    struct tt t;
    long s, r, i, a;

    tt_run(&t, "RST for a SYN to a closed port",
           "{" RFC NET50 "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect', 'port': 81}]},"
           " 'server': {'isn': 5000, 'port': 80, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = tt_send(&t, 0, SIDE_CLIENT, TCP_SYN);
    ok(s >= 0 && trace_at(&t.tr, s)->seg.dport == 81,
       "%s: the SYN goes to port 81", t.name);
    r = tt_send(&t, s + 1, SIDE_SERVER, ANY);
    tt_seg_is(&t, r, TCP_RST | TCP_ACK, 0, CISN + 1, 0,
              "the reply <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>");
    ok(r >= 0 && trace_at(&t.tr, r)->seg.sport == 81 &&
           trace_at(&t.tr, r)->seg.dport == trace_at(&t.tr, s)->seg.sport,
       "%s: from the closed port back to the client's", t.name);
    is_int(tt_state(&t, 0, SIDE_SERVER, ANY, TCP_SYN_RECEIVED), -1,
           "%s: the listener on port 80 is not involved", t.name);
    i = tt_expect_state(&t, r, SIDE_CLIENT, TCP_SYN_SENT, TCP_CLOSED);
    ok(at(&t, i) == 100 * MS, "%s: when the RST arrives", t.name);
    a = tt_app(&t, i, SIDE_CLIENT, EV_RESET);
    is_int(err_of(&t, a), ECONNREFUSED, "%s: connect() fails: ECONNREFUSED",
           t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "a RST is never answered");
    is_int(tt_count(&t, i, -1, TRACE_SEND, ANY), 0, "%s: no SYN retransmission",
           t.name);
    is_int(t.st.ends[SIDE_CLIENT][END_REFUSED], 1,
           "%s: the connection ends refused", t.name);
    tt_done(&t);
}

/*
 * close() with unread data (the application reads nothing) sends RST,ACK
 * instead of FIN (RFC 2525 §2.17, Linux tcp_close), and the closing side
 * never enters TIME-WAIT. The same for SO_LINGER {on, 0} set by
 * setsockopt, with nothing unread.
 */
static void
test_abortive_close(void)
{
    struct tt t;
    long c, r, a;

    tt_run(&t, "close() with unread data",
           "{" RFC NET50 "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'autoread': false, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 1000, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'at_ms': 200, 'call': 'send', 'bytes': 100}]}}");
    c = tt_call(&t, 0, SIDE_CLIENT, CALL_CLOSE);
    ok(c >= 0 && tt_view(&t, c, SIDE_CLIENT).unread == 100,
       "%s: 100 bytes are unread at close()", t.name);
    r = tt_send(&t, c, SIDE_CLIENT, ANY);
    tt_seg_is(&t, r, TCP_RST, CISN + 1, SISN + 101, 0,
              "close() sends RST, not FIN");
    is_int(tt_send(&t, 0, SIDE_CLIENT, TCP_FIN | TCP_ACK), -1,
           "%s: no FIN at all", t.name);
    is_int(tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT), -1,
           "%s: no TIME-WAIT", t.name);
    ok(tt_state(&t, c, SIDE_CLIENT, TCP_ESTABLISHED, TCP_CLOSED) >= 0,
       "%s: the client goes straight to CLOSED", t.name);
    a = tt_app(&t, 0, SIDE_SERVER, EV_RESET);
    is_int(err_of(&t, a), ECONNRESET, "%s: the server sees ECONNRESET", t.name);
    is_int(t.st.ends[SIDE_CLIENT][END_ABORTED], 1, "%s: ended as aborted",
           t.name);
    tt_done(&t);

    tt_run(&t, "close() with SO_LINGER {on, 0}",
           "{" RFC NET50 "'tcp': {'msl_ms': 2000},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 200, 'call': 'send', 'bytes': 300},"
           "   {'at_ms': 900, 'call': 'setsockopt', 'option': 'SO_LINGER',"
           "    'value': 0},"
           "   {'at_ms': 1000, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    c = tt_call(&t, 0, SIDE_CLIENT, CALL_CLOSE);
    r = tt_send(&t, c, SIDE_CLIENT, ANY);
    tt_seg_is(&t, r, TCP_RST, CISN + 301, SISN + 1, 0,
              "close() sends RST at SND.NXT");
    is_int(tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT), -1,
           "%s: no TIME-WAIT", t.name);
    is_int(tt_count(&t, r + 1, -1, TRACE_SEND, SIDE_CLIENT), 0,
           "%s: nothing after the RST", t.name);
    a = tt_app(&t, 0, SIDE_SERVER, EV_RESET);
    is_int(err_of(&t, a), ECONNRESET, "%s: the server sees ECONNRESET", t.name);
    tt_done(&t);
}

/*
 * A FIN that is never acknowledged: retransmitted with the RTO doubling
 * (1, 2, 4 s in the rfc profile), and after retries2 retransmissions the
 * connection is dropped with ETIMEDOUT (the socket is still open after
 * shutdown(), so the application hears it).
 */
static void
test_fin_backoff(void)
{
    struct tt t;
    long s, i, a, e;
    uint64_t sent[] = {500 * MS, 1500 * MS, 3500 * MS, 7500 * MS};

    tt_run(&t, "FIN backoff to the retry limit",
           "{" RFC "'tcp': {'msl_ms': 2000, 'retries2': 3},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'FIN', 'count': 0,"
           "    'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 500, 'call': 'shutdown', 'how': 'write'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = -1;
    for (int k = 0; k < 4; k++) {
        s = tt_send(&t, s + 1, SIDE_CLIENT, TCP_FIN | TCP_ACK);
        ok(s >= 0 && at(&t, s) == sent[k] &&
               trace_at(&t.tr, s)->seg.seq == CISN + 1 &&
               trace_at(&t.tr, s)->seg.retx == k &&
               !!(trace_at(&t.tr, s)->seg.tags & SEG_RETX) == (k > 0),
           "%s: FIN %d at %llu ms, same seq, retx=%d", t.name, k,
           (unsigned long long)(sent[k] / MS), k);
        e = tt_timer(&t, s, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_RTX);
        ok(e >= 0 && (uint64_t)trace_at(&t.tr, e)->n == sent[k] + (SEC << k),
           "%s: then RTX armed for %llu s", t.name, 1ull << k);
    }
    is_int(tt_send(&t, s + 1, SIDE_CLIENT, ANY), -1,
           "%s: no fifth FIN (retries2 = 3)", t.name);
    i = tt_expect_state(&t, s, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_CLOSED);
    ok(at(&t, i) == 15500 * MS, "%s: gives up when the last RTO (8 s) ends",
       t.name);
    a = tt_app(&t, i, SIDE_CLIENT, EV_ERROR);
    is_int(err_of(&t, a), ETIMEDOUT, "%s: the application sees ETIMEDOUT",
           t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "giving up sends no RST (Linux)");
    is_int(t.st.ends[SIDE_CLIENT][END_TIMEOUT], 1, "%s: ended by timeout",
           t.name);
    tt_done(&t);
}

/*
 * linux profile: SYN retransmitted after 1, 2, 4 ... s (tcp_syn_retries =
 * 6: 1+2+4+8+16+32+64 = 127 s), then connect() fails with ETIMEDOUT.
 */
static void
test_syn_retries(void)
{
    struct tt t;
    long s, i, a;
    /* Linux >= 6.5: tcp_syn_linear_timeouts = 4 keeps the first timeouts
     * at 1 s, then doubling; syn_retries + linear = 10 retransmissions. */
    uint64_t sent[] = {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67};

    tt_run(&t, "SYN retries (linux)",
           "{" LINUX "'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'SYN', 'count': 0,"
           "    'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = -1;
    for (int k = 0; k < 11; k++) {
        s = tt_send(&t, s + 1, SIDE_CLIENT, TCP_SYN);
        ok(s >= 0 && at(&t, s) == sent[k] * SEC &&
               trace_at(&t.tr, s)->seg.seq == CISN &&
               trace_at(&t.tr, s)->seg.retx == k,
           "%s: SYN %d at %llu s", t.name, k, (unsigned long long)sent[k]);
    }
    is_int(tt_send(&t, s + 1, SIDE_CLIENT, ANY), -1,
           "%s: no twelfth SYN (tcp_syn_retries 6 + linear 4)", t.name);
    i = tt_expect_state(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_CLOSED);
    ok(at(&t, i) == 131 * SEC, "%s: ETIMEDOUT at 131 s", t.name);
    a = tt_app(&t, i, SIDE_CLIENT, EV_ERROR);
    is_int(err_of(&t, a), ETIMEDOUT, "%s: connect() fails: ETIMEDOUT", t.name);
    tt_done(&t);

    tt_run(&t, "SYN retries (linux, syn_retries 2)",
           "{" LINUX "'tcp': {'syn_retries': 2},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'SYN', 'count': 0,"
           "    'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    /* Linux gives up on time too: once the old exponential schedule
     * (1 + 2 + 4 s) has passed, at the first timeout after it. */
    is_int(tt_count(&t, 0, -1, TRACE_SEND, SIDE_CLIENT), 6,
           "%s: six SYNs, 1 s apart (as captured on Linux 6.18)", t.name);
    i = tt_expect_state(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_CLOSED);
    ok(at(&t, i) == 7 * SEC, "%s: ETIMEDOUT at 1 + 2 + 4 s", t.name);
    tt_done(&t);

    tt_run(&t, "SYN retries (rfc: no linear timeouts)",
           "{" RFC "'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'SYN', 'count': 0,"
           "    'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    is_int(tt_count(&t, 0, -1, TRACE_SEND, SIDE_CLIENT), 7,
           "%s: seven SYNs (syn_retries 6)", t.name);
    i = tt_expect_state(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_CLOSED);
    ok(at(&t, i) == 127 * SEC, "%s: ETIMEDOUT at 1 + 2 + ... + 64 s", t.name);
    tt_done(&t);
}

/*
 * The lost final ACK: the server in LAST-ACK retransmits its FIN; the
 * client in TIME-WAIT ACKs it again and restarts its 2MSL timer.
 */
static void
test_time_wait_restart(void)
{
    struct tt t;
    long tw, d, f, s, i, k;

    tt_run(&t, "TIME-WAIT restarted by a retransmitted FIN",
           "{" RFC "'tcp': {'msl_ms': 2000},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'ACK', 'state': 'TIME-WAIT',"
           "    'action': 'drop', 'label': 'the final ACK is lost'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 1000, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'on': 'eof', 'after_ms': 500, 'call': 'close'}]}}");
    tw = tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_TIME_WAIT);
    ok(tw >= 0 && at(&t, tw) == 1600 * MS, "%s: TIME-WAIT at 1.6 s", t.name);
    tt_timer_is(&t, tw, SIDE_CLIENT, TIMER_TIME_WAIT, 5600 * MS,
                "2MSL from 1.6 s");
    d = tt_kind(&t, tw, TRACE_DROP, SIDE_NET);
    ok(d >= 0 && trace_at(&t.tr, d)->seg.flags == TCP_ACK &&
           trace_at(&t.tr, d)->why &&
           strstr(trace_at(&t.tr, d)->why, "final ACK"),
       "%s: the last ACK is dropped, and the trace names the rule", t.name);
    f = tt_send(&t, tw, SIDE_SERVER, TCP_FIN | TCP_ACK);
    ok(f >= 0 && at(&t, f) == 2550 * MS &&
           (trace_at(&t.tr, f)->seg.tags & SEG_RETX) &&
           trace_at(&t.tr, f)->seg.seq == SISN + 1,
       "%s: the server resends its FIN after its RTO (1 s)", t.name);
    k = tt_kind(&t, f, TRACE_DISCARD, SIDE_CLIENT);
    ok(k >= 0 && trace_at(&t.tr, k)->seg.flags & TCP_FIN &&
           at(&t, k) == 2600 * MS,
       "%s: the client, in TIME-WAIT, takes it as a retransmission", t.name);
    s = tt_send(&t, k, SIDE_CLIENT, ANY);
    tt_seg_is(&t, s, TCP_ACK, CISN + 2, SISN + 2, 0, "the ACK again");
    tt_timer_is(&t, s, SIDE_CLIENT, TIMER_TIME_WAIT, 6600 * MS,
                "the 2MSL timer restarted");
    is_int(tt_state(&t, tw + 1, SIDE_CLIENT, TCP_TIME_WAIT, ANY),
           tt_state(&t, s, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED),
           "%s: the client stays in TIME-WAIT", t.name);
    i = tt_state(&t, s, SIDE_SERVER, TCP_LAST_ACK, TCP_CLOSED);
    ok(i >= 0 && at(&t, i) == 2650 * MS, "%s: the server closes cleanly",
       t.name);
    ok(tt_app(&t, 0, SIDE_SERVER, EV_ERROR) < 0, "%s: with no error", t.name);
    i = tt_state(&t, s, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    ok(i >= 0 && at(&t, i) == 6600 * MS,
       "%s: the client closes 2MSL after the last FIN", t.name);
    ok(tt_send(&t, 0, SIDE_CLIENT, TCP_RST) < 0 &&
           tt_send(&t, 0, SIDE_SERVER, TCP_RST) < 0,
       "%s: nobody sends RST", t.name);
    tt_done(&t);
}

/*
 * bind() of a port that a TIME-WAIT connection holds fails with EADDRINUSE
 * unless both the old and the new socket set SO_REUSEADDR. Client side:
 * instance 1 binds port 5000, connects and closes first; instance 2 binds
 * port 5000 three seconds later, inside the old connection's 2MSL.
 */
#define BIND_CLIENT(reuse)                                                     \
    "{" RFC NET50 "'tcp': {'msl_ms': 2000},"                                   \
    " 'client': {'isn': 1000, 'count': 2, 'every_ms': 3000,"                   \
    "   'reuseaddr': " reuse ", 'script': ["                                   \
    "   {'at_ms': 0, 'call': 'bind', 'port': 5000},"                           \
    "   {'at_ms': 0, 'call': 'connect'},"                                      \
    "   {'at_ms': 500, 'call': 'close'}]},"                                    \
    " 'server': {'isn': 5000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'listen'},"                                       \
    "   {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}}"

/*
 * Server side, the classic case: the server closes first (so its end of
 * the connection waits in TIME-WAIT on port 80), then is restarted: the
 * listening socket is closed and a new one listens on port 80.
 */
#define RESTART_SERVER(reuse, extra)                                           \
    "{" RFC NET50 "'tcp': {'msl_ms': 2000},"                                   \
    " 'client': {'isn': 1000, 'script': ["                                     \
    "   {'at_ms': 0, 'call': 'connect'},"                                      \
    "   {'on': 'eof', 'after_ms': 10, 'call': 'close'}]},"                     \
    " 'server': {'isn': 5000, 'reuseaddr': " reuse ", 'script': ["             \
    "   {'at_ms': 0, 'call': 'listen'},"                                       \
    "   {'on': 'connected', 'after_ms': 100, 'call': 'close'},"                \
    "   {'at_ms': 1000, 'call': 'close', 'socket': 'listener'}," extra         \
    "   {'at_ms': 1500, 'call': 'listen'}]}}"

static void
test_bind_time_wait(void)
{
    struct tt t;
    long b1, b2, l;

    tt_run(&t, "bind() in TIME-WAIT, no SO_REUSEADDR", BIND_CLIENT("false"));
    b1 = tt_call(&t, 0, SIDE_CLIENT, CALL_BIND);
    b2 = tt_call(&t, b1 + 1, SIDE_CLIENT, CALL_BIND);
    is_int(err_of(&t, b1), 0, "%s: the first bind(5000) succeeds", t.name);
    ok(b2 >= 0 && tt_view(&t, b2, SIDE_CLIENT).state == TCP_CLOSED &&
           tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT) < b2 &&
           tt_state(&t, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED) > b2,
       "%s: the second bind comes while port 5000 is in TIME-WAIT", t.name);
    is_int(err_of(&t, b2), EADDRINUSE, "%s: and fails with EADDRINUSE", t.name);
    tt_done(&t);

    tt_run(&t, "bind() in TIME-WAIT, SO_REUSEADDR on both",
           BIND_CLIENT("true"));
    b1 = tt_call(&t, 0, SIDE_CLIENT, CALL_BIND);
    b2 = tt_call(&t, b1 + 1, SIDE_CLIENT, CALL_BIND);
    is_int(err_of(&t, b2), 0, "%s: the second bind(5000) succeeds", t.name);
    tt_done(&t);

    tt_run(&t, "server restart in TIME-WAIT, no SO_REUSEADDR",
           RESTART_SERVER("false", ""));
    ok(tt_state(&t, 0, SIDE_SERVER, ANY, TCP_TIME_WAIT) >= 0 &&
           tt_state(&t, 0, SIDE_SERVER, TCP_TIME_WAIT, TCP_CLOSED) >
               tt_call(&t, 1, SIDE_SERVER, CALL_LISTEN),
       "%s: the server's end waits in TIME-WAIT on port 80 during the "
       "restart",
       t.name);
    l = tt_call(&t, 1, SIDE_SERVER, CALL_LISTEN);
    is_int(err_of(&t, l), EADDRINUSE,
           "%s: listen() on port 80 fails with EADDRINUSE", t.name);
    tt_done(&t);

    tt_run(&t, "server restart in TIME-WAIT, SO_REUSEADDR on the new only",
           RESTART_SERVER("false", "{'at_ms': 1200, 'call': 'setsockopt',"
                                   " 'option': 'SO_REUSEADDR', 'value': "
                                   "true},"));
    l = tt_call(&t, 1, SIDE_SERVER, CALL_LISTEN);
    is_int(err_of(&t, l), EADDRINUSE,
           "%s: listen() on port 80 fails with EADDRINUSE", t.name);
    tt_done(&t);

    tt_run(&t, "server restart in TIME-WAIT, SO_REUSEADDR on both",
           RESTART_SERVER("true", ""));
    l = tt_call(&t, 1, SIDE_SERVER, CALL_LISTEN);
    is_int(err_of(&t, l), 0, "%s: listen() on port 80 succeeds", t.name);
    tt_done(&t);
}

/*
 * A TTL too small for the path: the router where it reaches 0 drops the
 * segment and sends ICMP Time Exceeded back; TCP takes it as a soft error
 * and goes on retransmitting.
 */
static void
test_ttl(void)
{
    struct tt t;
    long s, d, icmp, a, arr;

    tt_run(&t, "TTL too small",
           "{" RFC "'tcp': {'msl_ms': 2000, 'syn_retries': 1},"
           " 'network': {'delay_ms': 60, 'routers': 2},"
           " 'client': {'isn': 1000, 'ttl': 1, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = tt_send(&t, 0, SIDE_CLIENT, TCP_SYN);
    ok(s >= 0 && trace_at(&t.tr, s)->seg.ttl == 1,
       "%s: the SYN leaves with TTL 1", t.name);
    d = tt_kind(&t, s, TRACE_DROP, SIDE_NET);
    ok(d >= 0 && trace_at(&t.tr, d)->seg.id == trace_at(&t.tr, s)->seg.id &&
           trace_at(&t.tr, d)->seg.hops == 1 && at(&t, d) == 20 * MS,
       "%s: dropped at the first router (20 ms along the path)", t.name);
    ok(d >= 0 && trace_at(&t.tr, d)->why &&
           strstr(trace_at(&t.tr, d)->why, "TTL"),
       "%s: the drop names TTL as its cause", t.name);
    icmp = tt_kind(&t, d, TRACE_SEND, SIDE_NET);
    ok(icmp >= 0 && (trace_at(&t.tr, icmp)->seg.tags & SEG_ICMP) &&
           trace_at(&t.tr, icmp)->seg.orig_id == trace_at(&t.tr, s)->seg.id &&
           trace_at(&t.tr, icmp)->seg.daddr == trace_at(&t.tr, s)->seg.saddr &&
           trace_at(&t.tr, icmp)->seg.saddr == 0x0a000001u,
       "%s: router 10.0.0.1 sends ICMP Time Exceeded about it to the client",
       t.name);
    arr = tt_kind(&t, icmp, TRACE_ARRIVE, SIDE_CLIENT);
    ok(arr >= 0 && (trace_at(&t.tr, arr)->seg.tags & SEG_ICMP) &&
           at(&t, arr) == 40 * MS,
       "%s: the ICMP reaches the client at 40 ms", t.name);
    ok(arr >= 0 && tt_state(&t, arr, SIDE_CLIENT, ANY, ANY) ==
                       tt_state(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_CLOSED),
       "%s: a soft error: the client stays in SYN-SENT", t.name);
    s = tt_send(&t, s + 1, SIDE_CLIENT, TCP_SYN);
    ok(s >= 0 && at(&t, s) == SEC && (trace_at(&t.tr, s)->seg.tags & SEG_RETX),
       "%s: and retransmits its SYN after the RTO", t.name);
    is_int(tt_count(&t, 0, -1, TRACE_ARRIVE, SIDE_SERVER), 0,
           "%s: nothing reaches the server", t.name);
    a = tt_app(&t, 0, SIDE_CLIENT, EV_ERROR);
    is_int(err_of(&t, a), ETIMEDOUT, "%s: in the end ETIMEDOUT", t.name);
    tt_done(&t);

    tt_run(&t, "TTL just enough",
           "{" RFC "'tcp': {'msl_ms': 2000},"
           " 'network': {'delay_ms': 60, 'routers': 2},"
           " 'client': {'isn': 1000, 'ttl': 3, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    arr = tt_kind(&t, 0, TRACE_ARRIVE, SIDE_SERVER);
    ok(arr >= 0 && trace_at(&t.tr, arr)->seg.ttl == 1 &&
           trace_at(&t.tr, arr)->seg.hops == 2,
       "%s: TTL 3 arrives with 1 after two routers", t.name);
    is_int(tt_count(&t, 0, -1, TRACE_DROP, ANY), 0, "%s: no drop", t.name);
    tt_done(&t);
}

/*
 * MSL: the network never delivers a segment older than MSL. A data segment
 * held for 3 s with MSL 2 s is discarded by the network at MSL, and the
 * trace says why; held for 1.5 s it arrives, 1.55 s old.
 */
static void
test_msl(void)
{
    struct tt t;
    long s, d, a;

    tt_run(&t, "held past MSL",
           "{" RFC "'tcp': {'msl_ms': 2000},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'data': true, 'action': 'hold',"
           "    'hold_ms': 3000}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 200, 'call': 'send', 'bytes': 100}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = tt_send(&t, 0, SIDE_CLIENT, TCP_PSH | TCP_ACK);
    ok(s >= 0 && (trace_at(&t.tr, s)->seg.tags & SEG_HELD),
       "%s: the data is held", t.name);
    d = tt_kind(&t, s, TRACE_DROP, SIDE_NET);
    ok(d >= 0 && trace_at(&t.tr, d)->seg.id == trace_at(&t.tr, s)->seg.id &&
           at(&t, d) == 2200 * MS,
       "%s: the network discards it when it is MSL old", t.name);
    ok(d >= 0 && trace_at(&t.tr, d)->why &&
           strstr(trace_at(&t.tr, d)->why, "MSL"),
       "%s: and names MSL as the cause", t.name);
    for (a = tt_kind(&t, 0, TRACE_ARRIVE, ANY); a >= 0;
         a = tt_kind(&t, a + 1, TRACE_ARRIVE, ANY))
        if (trace_at(&t.tr, a)->seg.id == trace_at(&t.tr, s)->seg.id)
            break;
    is_int(a, -1, "%s: it never arrives", t.name);
    a = tt_send(&t, s + 1, SIDE_CLIENT, TCP_PSH | TCP_ACK);
    ok(a >= 0 && (trace_at(&t.tr, a)->seg.tags & SEG_RETX) &&
           at(&t, a) == 1200 * MS,
       "%s: the sender retransmits it after its RTO", t.name);
    tt_done(&t);

    tt_run(&t, "held within MSL",
           "{" RFC "'tcp': {'msl_ms': 2000},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'data': true, 'action': 'hold',"
           "    'hold_ms': 1500}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 200, 'call': 'send', 'bytes': 100}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = tt_send(&t, 0, SIDE_CLIENT, TCP_PSH | TCP_ACK);
    for (a = tt_kind(&t, 0, TRACE_ARRIVE, SIDE_SERVER); a >= 0;
         a = tt_kind(&t, a + 1, TRACE_ARRIVE, SIDE_SERVER))
        if (s >= 0 && trace_at(&t.tr, a)->seg.id == trace_at(&t.tr, s)->seg.id)
            break;
    ok(a >= 0 && at(&t, a) - trace_at(&t.tr, a)->seg.sent_us == 1550 * MS,
       "%s: it arrives 1.55 s old", t.name);
    tt_done(&t);
}

/*
 * Keepalive: the server crashes silently; after keepalive_time idle the
 * client sends probes (SEG.SEQ = SND.NXT - 1) every keepalive_intvl, and
 * after keepalive_probes unanswered ones the connection is dropped with
 * ETIMEDOUT. With the server alive, the probes are answered.
 */
static void
test_keepalive(void)
{
    struct tt t;
    long s, i, a, e;

    tt_run(&t, "keepalive after a peer crash",
           "{" LINUX "'tcp': {'keepalive_time_ms': 10000,"
           "   'keepalive_intvl_ms': 2000, 'keepalive_probes': 3},"
           " 'network': {'delay_ms': 10},"
           " 'client': {'isn': 1000, 'keepalive': true, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'at_ms': 1000, 'call': 'crash'}]}}");
    e = tt_state(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_ESTABLISHED);
    tt_timer_is(&t, e, SIDE_CLIENT, TIMER_KEEPALIVE, 10020 * MS,
                "keepalive armed when established");
    s = -1;
    for (int k = 0; k < 3; k++) {
        s = tt_send(&t, s + 1, SIDE_CLIENT, ANY);
        while (s >= 0 && !(trace_at(&t.tr, s)->seg.tags & SEG_KEEPALIVE))
            s = tt_send(&t, s + 1, SIDE_CLIENT, ANY);
        ok(s >= 0 && at(&t, s) == 10020 * MS + (uint64_t)k * 2 * SEC,
           "%s: probe %d at %.2f s", t.name, k + 1,
           (10020 * MS + (uint64_t)k * 2 * SEC) / 1e6);
        tt_seg_is(&t, s, TCP_ACK, CISN, SISN + 1, 0,
                  "a probe: <SEQ=SND.NXT-1><CTL=ACK>");
    }
    i = tt_expect_state(&t, s, SIDE_CLIENT, TCP_ESTABLISHED, TCP_CLOSED);
    ok(at(&t, i) == 16020 * MS, "%s: dropped one interval after probe 3",
       t.name);
    a = tt_app(&t, i, SIDE_CLIENT, EV_ERROR);
    is_int(err_of(&t, a), ETIMEDOUT, "%s: ETIMEDOUT", t.name);
    tt_no_send_after(&t, i, SIDE_CLIENT, "no RST when giving up");
    tt_done(&t);

    tt_run(&t, "keepalive with the peer alive",
           "{" LINUX "'duration_ms': 30000, 'tcp': {"
           "   'keepalive_time_ms': 10000,"
           "   'keepalive_intvl_ms': 2000, 'keepalive_probes': 3},"
           " 'network': {'delay_ms': 10},"
           " 'client': {'isn': 1000, 'keepalive': true, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = tt_send(&t, 0, SIDE_CLIENT, ANY);
    while (s >= 0 && !(trace_at(&t.tr, s)->seg.tags & SEG_KEEPALIVE))
        s = tt_send(&t, s + 1, SIDE_CLIENT, ANY);
    ok(s >= 0 && at(&t, s) == 10020 * MS, "%s: a probe after 10 s idle",
       t.name);
    a = tt_send(&t, s, SIDE_SERVER, ANY);
    tt_seg_is(&t, a, TCP_ACK, SISN + 1, CISN + 1, 0,
              "the server answers the probe");
    is_int(tt_state(&t, 0, SIDE_CLIENT, TCP_ESTABLISHED, ANY), -1,
           "%s: the connection stays up", t.name);
    is_int(t.st.open[SIDE_CLIENT][TCP_ESTABLISHED], 1,
           "%s: established at the end of the run", t.name);
    tt_done(&t);
}

/*
 * Linux: a lost final handshake ACK leaves the server in SYN-RECEIVED,
 * resending SYN,ACK after 1, 2, 4 s; after tcp_synack_retries it drops the
 * half-open connection, and later data from the client is answered with
 * RST (the client sees ECONNRESET).
 */
static void
test_lost_handshake_ack(void)
{
    struct tt t;
    long s, i, d, r, a;

    tt_run(&t, "lost final handshake ACK",
           "{" LINUX "'tcp': {'synack_retries': 2},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'ACK', 'not_flags': 'SYN,FIN,RST',"
           "    'data': false, 'count': 0, 'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 10000, 'call': 'send', 'bytes': 100}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    s = tt_send(&t, 0, SIDE_SERVER, TCP_SYN | TCP_ACK);
    s = tt_send(&t, s + 1, SIDE_SERVER, TCP_SYN | TCP_ACK);
    ok(s >= 0 && at(&t, s) == 1050 * MS, "%s: SYN,ACK again after 1 s", t.name);
    s = tt_send(&t, s + 1, SIDE_SERVER, TCP_SYN | TCP_ACK);
    ok(s >= 0 && at(&t, s) == 3050 * MS, "%s: and after 2 s more", t.name);
    i = tt_expect_state(&t, 0, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_CLOSED);
    ok(at(&t, i) == 7050 * MS, "%s: dropped after 4 s more", t.name);
    d = tt_send(&t, i, SIDE_CLIENT, ANY);
    tt_seg_is(&t, d, TCP_PSH | TCP_ACK, CISN + 1, SISN + 1, 100,
              "the client's data at 10 s");
    r = tt_send(&t, d, SIDE_SERVER, ANY);
    tt_seg_is(&t, r, TCP_RST, SISN + 1, 0, 0,
              "answered with RST <SEQ=SEG.ACK>");
    i = tt_expect_state(&t, r, SIDE_CLIENT, TCP_ESTABLISHED, TCP_CLOSED);
    a = tt_app(&t, i, SIDE_CLIENT, EV_RESET);
    is_int(err_of(&t, a), ECONNRESET, "%s: the client sees ECONNRESET", t.name);
    tt_done(&t);
}

/*
 * RFC 9293 §3.10.7.4, first check: "In all states except SYN-SENT, all
 * reset (RST) segments are validated by checking their SEQ fields. A reset
 * is valid if its sequence number is in the window." Linux's
 * tcp_timewait_state_process() ends TIME-WAIT (tcp_rfc1337 = 0) only for a
 * RST with SEG.SEQ = RCV.NXT; any other RST is ignored.
 *
 * Here the client's handshake ACK is held for 3 s. When it reaches the
 * server, the connection is closed there, so the server answers it with
 * RST <SEQ=5001> (its SEG.ACK). The client, in TIME-WAIT, has RCV.NXT =
 * 5002: the RST is below the window and must not end TIME-WAIT.
 */
static void
test_time_wait_old_rst(void)
{
    struct tt t;
    long tw, r, i;

    tt_run(&t, "old RST in TIME-WAIT (rfc1337 false)",
           "{" RFC "'tcp': {'msl_ms': 5000, 'rfc1337': false},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'flags': 'ACK', 'not_flags': 'SYN,FIN,RST',"
           "    'data': false, 'action': 'hold', 'hold_ms': 3000}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 1500, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}}");
    tw = tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT);
    ok(tw >= 0, "%s: the client enters TIME-WAIT", t.name);
    r = tt_send(&t, tw, SIDE_SERVER, TCP_RST);
    ok(r >= 0 && trace_at(&t.tr, r)->seg.seq == SISN + 1 &&
           tt_view(&t, tw, SIDE_CLIENT).rcv_nxt == SISN + 2,
       "%s: the server sends RST <SEQ=5001>; the client's RCV.NXT is 5002",
       t.name);
    ok(r >= 0 && tt_kind(&t, r, TRACE_ARRIVE, SIDE_CLIENT) >= 0 &&
           trace_at(&t.tr, tt_kind(&t, r, TRACE_ARRIVE, SIDE_CLIENT))->seg.id ==
               trace_at(&t.tr, r)->seg.id,
       "%s: the RST reaches the client in TIME-WAIT", t.name);
    i = tt_time_wait_by_timer(&t, tw, SIDE_CLIENT,
                              "the out-of-window RST does not end TIME-WAIT");
    ok(i < 0 || at(&t, i) > at(&t, r), "%s: TIME-WAIT outlives the RST",
       t.name);
    tt_done(&t);
}

/*
 * RFC 9293 §3.10.7.4, fifth, FIN-WAIT-1: "if the FIN segment is now
 * acknowledged, then enter FIN-WAIT-2 and continue processing in that
 * state." The ACK of our FIN may come on a segment whose own FIN cannot be
 * taken yet, because data before it was lost. The eighth step then leaves
 * that FIN for later, and the connection must already be in FIN-WAIT-2,
 * with the orphan's tcp_fin_timeout running (Linux).
 *
 * Here the client closes first; the server answers with 500 bytes and its
 * FIN, which carries the ACK of the client's FIN. Every server segment
 * with data is lost, so the FIN arrives after a hole. The server gives up
 * after its retries; the client must not be left in FIN-WAIT-1 for ever.
 * (Found by the random test: three-way-linux.json seed 5239.)
 */
static void
test_fin_after_hole(void)
{
    struct tt t;
    long a, w, i;

    tt_run(&t, "out-of-order FIN that ACKs our FIN",
           "{" LINUX "'tcp': {'fin_timeout_ms': 5000, 'orphan_retries': 2},"
           " 'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'server', 'data': true, 'count': 0,"
           "    'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 200, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'},"
           "   {'on': 'eof', 'after_ms': 10, 'call': 'send', 'bytes': 500},"
           "   {'on': 'eof', 'after_ms': 20, 'call': 'close'}]}}");
    a = tt_send(&t, 0, SIDE_SERVER, TCP_FIN | TCP_ACK);
    tt_seg_is(&t, a, TCP_FIN | TCP_ACK, SISN + 501, CISN + 2, 0,
              "the server's FIN, after 500 lost bytes, ACKs the client's");
    a = tt_kind(&t, a, TRACE_ARRIVE, SIDE_CLIENT);
    ok(a >= 0 && trace_at(&t.tr, a)->seg.flags == (TCP_FIN | TCP_ACK) &&
           tt_view(&t, a, SIDE_CLIENT).rcv_nxt == SISN + 1,
       "%s: it reaches the client with a hole before it", t.name);
    /* RFC 1122 §4.2.2.21 (and Linux's out-of-order queue): an
     * out-of-order segment is answered at once with a duplicate ACK; the
     * trace says why the FIN is not taken yet (architecture §4.6). */
    {
        long end = tt_instant_end(&t, a), d = tt_send(&t, a, SIDE_CLIENT, ANY),
             x = tt_kind(&t, a, TRACE_DISCARD, SIDE_CLIENT);
        ok(d >= 0 && d <= end && trace_at(&t.tr, d)->seg.flags == TCP_ACK &&
               trace_at(&t.tr, d)->seg.ack == SISN + 1,
           "%s: the client answers the FIN after the hole with a duplicate "
           "ACK (ack=%u)",
           t.name, SISN + 1);
        ok(x >= 0 && x <= end &&
               trace_at(&t.tr, x)->seg.id == trace_at(&t.tr, a)->seg.id,
           "%s: and the trace says why the FIN is not taken yet", t.name);
    }
    w = tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2);
    ok(w >= 0 && w == tt_state(&t, a, SIDE_CLIENT, ANY, ANY),
       "%s: our FIN is ACKed: the client enters FIN-WAIT-2 there", t.name);
    if (w >= 0)
        tt_timer_is(&t, w, SIDE_CLIENT, TIMER_FIN_WAIT_2,
                    trace_at(&t.tr, w)->t_us + 5 * SEC,
                    "and, being an orphan, starts tcp_fin_timeout");
    i = tt_state(&t, 0, SIDE_CLIENT, ANY, TCP_CLOSED);
    ok(i >= 0, "%s: the client's TCB ends", t.name);
    is_int(t.st.open[SIDE_CLIENT][TCP_FIN_WAIT_1], 0,
           "%s: no TCB is left in FIN-WAIT-1 with its FIN ACKed", t.name);
    tt_done(&t);
}

/*
 * Data for a socket the application has closed: RFC 1122 §4.2.2.13, and
 * Linux in FIN-WAIT-1/2, answer with RST. The rfc profile's RST is
 * §3.10.5 ABORT's <SEQ=SND.NXT><CTL=RST>; Linux answers the segment
 * (tcp_v4_send_reset): <SEQ=SEG.ACK><CTL=RST>, no ACK (conformance case
 * data-after-close). In FIN-WAIT-2 both numbers are our FIN's + 1. The
 * server, in CLOSE-WAIT when the RST comes, hears EPIPE in the linux
 * profile (tcp_reset), "connection reset" (ECONNRESET) in the rfc one.
 */
static void
test_data_after_close(void)
{
    static const char *const profiles[][2] = {{"rfc", RFC}, {"linux", LINUX}};
    char name[64], json[600];

    for (size_t k = 0; k < 2; k++) {
        struct tt t;
        long d, r, i, a;

        snprintf(name, sizeof name, "data after close(), %s", profiles[k][0]);
        snprintf(json, sizeof json,
                 "{%s'tcp': {'msl_ms': 2000},"
                 " 'network': {'delay_ms': 50},"
                 " 'client': {'isn': 1000, 'script': ["
                 "   {'at_ms': 0, 'call': 'connect'},"
                 "   {'at_ms': 500, 'call': 'close'}]},"
                 " 'server': {'isn': 5000, 'script': ["
                 "   {'at_ms': 0, 'call': 'listen'},"
                 "   {'at_ms': 1000, 'call': 'send', 'bytes': 100}]}}",
                 profiles[k][1]);
        tt_run(&t, name, json);
        d = tt_send(&t, tt_call(&t, 0, SIDE_SERVER, CALL_SEND), SIDE_SERVER,
                    ANY);
        ok(d >= 0 && trace_at(&t.tr, d)->seg.len == 100,
           "%s: the server sends 100 bytes", t.name);
        i = tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_CLOSED);
        ok(i >= 0 && at(&t, i) == 1050 * MS,
           "%s: the closed client leaves FIN-WAIT-2 when the data arrives",
           t.name);
        r = tt_send(&t, d, SIDE_CLIENT, ANY);
        tt_seg_is(&t, r, TCP_RST, CISN + 2, 0, 0,
                  "the client answers with RST, no ACK");
        i = tt_state(&t, 0, SIDE_SERVER, TCP_CLOSE_WAIT, TCP_CLOSED);
        ok(i >= 0 && at(&t, i) == 1100 * MS, "%s: the RST closes the server",
           t.name);
        a = tt_app(&t, i, SIDE_SERVER, EV_RESET);
        is_str(trace_errno_name(a >= 0 ? trace_at(&t.tr, a)->b : -1),
               k == 0 ? "ECONNRESET" : "EPIPE",
               "%s: the server application's error", t.name);
        tt_done(&t);
    }
}

/* First data segment `side` sends at or after `from`, -1 if none. */
static long
data_send(const struct tt *t, long from, int side)
{
    for (long i = tt_send(t, from, side, ANY); i >= 0;
         i = tt_send(t, i + 1, side, ANY))
        if (trace_at(&t->tr, i)->seg.len > 0)
            return i;
    return -1;
}

/*
 * RFC 6298 §2.2/§3/§5.7 and Linux: the handshake's RTT sample sets the RTO
 * of the first data. `lost` is the segment of the handshake lost once (none,
 * the client's SYN, the server's SYN,ACK); `side` sends 100 bytes at 300 ms
 * whose first copy is lost; want_ms is when it is sent again. The round
 * trip is 100 ms: Linux's RTO is 100 + 200 ms, also after a retransmitted
 * SYN (timed by its timestamp echo); the RFC's is 1 s (RTO.min), or 3 s
 * once the timer expired on the SYN.
 */
static void
check_handshake_rto(const char *prof, const char *lost, int side,
                    uint64_t want_ms)
{
    char name[96], json[1100];
    struct tt t;
    long d, r;
    const char *who = side == SIDE_CLIENT ? "client" : "server";

    snprintf(name, sizeof name, "handshake RTO, %s, %s lost, %s data", prof,
             lost ? lost : "nothing", who);
    snprintf(json, sizeof json,
             "{%s'network': {'delay_ms': 50, 'rules': [%s%s%s"
             "   {'from': '%s', 'data': true, 'nth': 1, 'action': 'drop'}]},"
             " 'client': {'isn': 1000, 'script': ["
             "   {'at_ms': 0, 'call': 'connect'},"
             "   {'at_ms': %d, 'call': 'send', 'bytes': 100}]},"
             " 'server': {'isn': 5000, 'script': ["
             "   {'at_ms': 0, 'call': 'listen'},"
             "   {'at_ms': %d, 'call': 'send', 'bytes': 100}]}}",
             strcmp(prof, "rfc") ? LINUX : RFC, lost ? "{'flags': '" : "",
             lost ? lost : "", lost ? "', 'nth': 1, 'action': 'drop'}," : "",
             who, side == SIDE_CLIENT ? 1300 : 100000,
             side == SIDE_SERVER ? 1300 : 100000);
    tt_run(&t, name, json);
    d = data_send(&t, 0, side);
    r = d < 0 ? -1 : data_send(&t, d + 1, side);
    ok(d >= 0 && r >= 0 && (trace_at(&t.tr, r)->seg.tags & SEG_RETX) &&
           at(&t, r) - at(&t, d) == want_ms * MS,
       "%s: the lost data is sent again %llu ms later", t.name,
       (unsigned long long)want_ms);
    tt_done(&t);
}

static void
test_handshake_rto(void)
{
    check_handshake_rto("linux", NULL, SIDE_CLIENT, 300);
    check_handshake_rto("linux", "SYN", SIDE_CLIENT, 300);
    check_handshake_rto("linux", "SYN,ACK", SIDE_CLIENT, 300);
    check_handshake_rto("linux", "SYN,ACK", SIDE_SERVER, 300);
    check_handshake_rto("rfc", NULL, SIDE_CLIENT, 1000);
    check_handshake_rto("rfc", NULL, SIDE_SERVER, 1000);
    check_handshake_rto("rfc", "SYN", SIDE_CLIENT, 3000);
    check_handshake_rto("rfc", "SYN,ACK", SIDE_CLIENT, 3000);
    check_handshake_rto("rfc", "SYN,ACK", SIDE_SERVER, 3000);
}

/*
 * Simultaneous close whose ACKs from CLOSING are both lost: the first end
 * whose timer fires sends its FIN again, and that FIN now ACKs the other's.
 * It ends at RCV.NXT, so Linux's acceptability test (tcp_sequence: end_seq
 * >= rcv_wup) takes it: its ACK moves the receiver to TIME-WAIT, with no
 * reply, and the sender waits for its next retransmission to be ACKed from
 * TIME-WAIT. The RFC's test finds it old: ACK it, ignore its ACK field,
 * and let the sender's TIME-WAIT come half a round trip later. The client's
 * handshake ACK is held 200 ms, so that the server's RTT sample, and RTO,
 * are larger and the client's timer fires first.
 */
static void
test_closing_lost_acks(void)
{
    static const char *const profiles[][2] = {{"rfc", RFC}, {"linux", LINUX}};
    char name[64], json[1100];

    for (size_t k = 0; k < 2; k++) {
        bool linux = k == 1;
        struct tt t;
        long r, a, tw, r2;
        int snd, rcv;

        snprintf(name, sizeof name, "CLOSING, ACKs lost, %s", profiles[k][0]);
        snprintf(json, sizeof json,
                 "{%s'network': {'delay_ms': 50, 'rules': ["
                 "   {'from': 'client', 'flags': 'ACK', 'not_flags': "
                 "'SYN,FIN,RST', 'nth': 1, 'action': 'hold', 'hold_ms': "
                 "200},"
                 "   {'from': 'client', 'flags': 'ACK', 'not_flags': "
                 "'SYN,FIN,RST', 'state': 'CLOSING', 'nth': 1, 'action': "
                 "'drop'},"
                 "   {'from': 'server', 'flags': 'ACK', 'not_flags': "
                 "'SYN,FIN,RST', 'state': 'CLOSING', 'nth': 1, 'action': "
                 "'drop'}]},"
                 " 'client': {'isn': 1000, 'script': ["
                 "   {'at_ms': 0, 'call': 'connect'},"
                 "   {'at_ms': 1000, 'call': 'close'}]},"
                 " 'server': {'isn': 5000, 'script': ["
                 "   {'at_ms': 0, 'call': 'listen'},"
                 "   {'at_ms': 1000, 'call': 'close', 'socket': "
                 "'connection'}]}}",
                 profiles[k][1]);
        tt_run(&t, name, json);
        ok(tt_state(&t, 0, SIDE_SERVER, TCP_FIN_WAIT_1, TCP_CLOSING) >= 0 &&
               tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_CLOSING) >= 0,
           "%s: both ends pass CLOSING", t.name);
        for (r = tt_kind(&t, 0, TRACE_SEND, ANY);
             r >= 0 && !(trace_at(&t.tr, r)->seg.tags & SEG_RETX);
             r = tt_kind(&t, r + 1, TRACE_SEND, ANY))
            ;
        ok(r >= 0 && (trace_at(&t.tr, r)->seg.flags & TCP_FIN),
           "%s: a FIN is sent again", t.name);
        if (r < 0) {
            tt_done(&t);
            continue;
        }
        snd = trace_at(&t.tr, r)->side;
        rcv = snd == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
        tt_seg_is(&t, r, TCP_FIN | TCP_ACK,
                  snd == SIDE_CLIENT ? CISN + 1 : SISN + 1,
                  snd == SIDE_CLIENT ? SISN + 2 : CISN + 2, 0,
                  "the FIN again, now ACKing the other's");
        tw = tt_state(&t, 0, rcv, TCP_CLOSING, TCP_TIME_WAIT);
        a = tt_send(&t, r + 1, rcv, ANY);
        if (linux) {
            /* tcp_rcv_state_process: CLOSING, snd_una == write_seq:
             * tcp_time_wait, and the segment is consumed. */
            ok(tw >= 0 && at(&t, tw) == at(&t, r) + 50 * MS,
               "%s: its receiver enters TIME-WAIT on it", t.name);
            ok(a < 0 || at(&t, a) > at(&t, tw),
               "%s: and sends nothing in reply", t.name);
            /* Its sender's FIN is not ACKed yet: the next copy is, from
             * TIME-WAIT. */
            r2 = tt_send(&t, r + 1, snd, TCP_FIN | TCP_ACK);
            ok(r2 >= 0 && a >= 0 && at(&t, a) == at(&t, r2) + 50 * MS &&
                   trace_at(&t.tr, a)->seg.flags == TCP_ACK,
               "%s: the next copy of the FIN is ACKed from TIME-WAIT", t.name);
            tw = tt_state(&t, 0, snd, TCP_CLOSING, TCP_TIME_WAIT);
            ok(tw >= 0 && at(&t, tw) == at(&t, a) + 50 * MS,
               "%s: and that ACK ends its sender's CLOSING", t.name);
        } else {
            a = tt_send(&t, r + 1, rcv, TCP_ACK); /* its own FIN may cross */
            /* §3.10.7.4: not acceptable, "an acknowledgment should be
             * sent in reply"; the ACK field is not read. */
            ok(a >= 0 && at(&t, a) == at(&t, r) + 50 * MS,
               "%s: its receiver answers the old FIN with an ACK", t.name);
            tt_seg_is(&t, a, TCP_ACK, snd == SIDE_CLIENT ? SISN + 2 : CISN + 2,
                      snd == SIDE_CLIENT ? CISN + 2 : SISN + 2, 0,
                      "an ACK of that FIN");
            ok(tw < 0 || at(&t, tw) > at(&t, r) + 50 * MS,
               "%s: and stays in CLOSING", t.name);
            tw = tt_state(&t, 0, snd, TCP_CLOSING, TCP_TIME_WAIT);
            ok(tw >= 0 && at(&t, tw) == at(&t, r) + 100 * MS,
               "%s: the ACK moves the FIN's sender to TIME-WAIT", t.name);
        }
        ok(tt_state(&t, 0, rcv, TCP_CLOSING, TCP_TIME_WAIT) >= 0,
           "%s: both ends reach TIME-WAIT", t.name);
        tt_done(&t);
    }
}

/*
 * The connection table (open addressing, backward-shift deletion): after
 * thousands of inserts and removals in clusters, every TCB left is found
 * under its own 4-tuple, no removed one is, and a host lists its TCBs in
 * order of creation whatever their slots.
 */
static void
test_conn_table(void)
{
    enum { N = 3000 };
    static struct tcb *made[N];
    struct kit k;
    struct host *h;
    struct tcb **tcbs;
    size_t n, alive = 0, found = 0, gone = 0;
    bool ordered = true;

    if (!kit_init(&k, "conn-table", "{" RFC "'client': {}}")) {
        ok(0, "conn-table: scenario loads");
        return;
    }
    h = &k.w->hosts[SIDE_CLIENT];
    for (int i = 0; i < N; i++) {
        struct tcb *t = tcp_tcb_new(h, 0);
        /* Few remote ports and addresses: tuples that differ little. */
        t->laddr = 0x0a000001u + (uint32_t)(i % 3);
        t->lport = (uint16_t)(40000 + i / 3);
        t->raddr = 0x0a000002u;
        t->rport = (uint16_t)(80 + i % 2);
        conn_table_insert(t);
        made[i] = t;
        /* Remove some as others come, so deletions meet full clusters. */
        if (i % 5 == 4)
            tcp_tcb_delete(made[i - 2]);
    }
    for (int i = 0; i < N; i += 7)
        if (!made[i]->dead)
            tcp_tcb_delete(made[i]);
    for (int i = 0; i < N; i++) {
        const struct tcb *t = made[i];
        const struct tcb *f =
            conn_table_lookup(h, t->laddr, t->lport, t->raddr, t->rport);
        if (t->dead)
            gone += f == NULL;
        else
            found += f == t, alive++;
    }
    ok(alive > 0 && found == alive, "conn-table: %zu of %zu alive TCBs found",
       found, alive);
    ok(gone == N - alive, "conn-table: %zu of %zu removed TCBs not found", gone,
       N - alive);
    ok(h->ntcbs == alive && 2 * h->ntcbs <= h->nslots,
       "conn-table: %u TCBs in %u slots", h->ntcbs, h->nslots);
    n = conn_table_tcbs(h, &tcbs);
    for (size_t i = 1; i < n; i++)
        ordered = ordered && tcbs[i - 1]->gen < tcbs[i]->gen;
    ok(n == alive && ordered, "conn-table: %zu TCBs listed in creation order",
       n);
    free(tcbs);
    kit_done(&k);
}

/*
 * A TCB in TIME-WAIT sheds its live part once the event that brought it
 * there is over; it still answers a retransmitted FIN and its 2MSL timer
 * still runs and restarts (the same scenario as test_time_wait_restart,
 * driven by hand to look at the TCB).
 */
static void
test_time_wait_shed(void)
{
    struct kit k;
    struct tcb **tcbs;
    struct tcb *c = NULL;
    size_t n;

    if (!kit_init(&k, "time-wait-shed",
                  "{" RFC "'tcp': {'msl_ms': 2000},"
                  " 'network': {'delay_ms': 50, 'rules': ["
                  "   {'from': 'client', 'flags': 'ACK', 'state': 'TIME-WAIT',"
                  "    'action': 'drop'}]},"
                  " 'client': {'isn': 1000, 'script': ["
                  "   {'at_ms': 0, 'call': 'connect'},"
                  "   {'at_ms': 1000, 'call': 'close'}]},"
                  " 'server': {'isn': 5000, 'script': ["
                  "   {'at_ms': 0, 'call': 'listen'},"
                  "   {'on': 'eof', 'after_ms': 500, 'call': 'close'}]}}")) {
        ok(0, "time-wait-shed: scenario loads");
        return;
    }
    kit_run(&k, 1700 * MS); /* TIME-WAIT from 1.6 s */
    n = conn_table_tcbs(&k.w->hosts[SIDE_CLIENT], &tcbs);
    if (n == 1)
        c = tcbs[0];
    free(tcbs);
    ok(c && c->state == TCP_TIME_WAIT && !c->live,
       "time-wait-shed: the client's TCB in TIME-WAIT has no live part");
    ok(c && tcb_timer_due(c, TIMER_TIME_WAIT) == 5600 * MS &&
           !tcb_timer_armed(c, TIMER_RTX),
       "time-wait-shed: its 2MSL timer runs, and nothing else");
    kit_run(&k, 2700 * MS); /* the FIN again at 2.6 s, re-ACKed */
    ok(c && c->state == TCP_TIME_WAIT &&
           tcb_timer_due(c, TIMER_TIME_WAIT) == 6600 * MS,
       "time-wait-shed: a retransmitted FIN restarts the 2MSL timer");
    kit_run(&k, 7000 * MS);
    ok(k.w->hosts[SIDE_CLIENT].ntcbs == 0,
       "time-wait-shed: the TCB is gone after 2MSL");
    kit_done(&k);
}

/*
 * Where Linux departs from RFC 9293's text, the profile has a switch, and
 * the rfc profile follows the text: an abort's RST (RFC: <SEQ=SND.NXT>
 * <CTL=RST>; Linux adds ACK), and a repeated SYN in SYN-RECEIVED (RFC: not
 * acceptable, answered with a plain ACK; Linux: the SYN,ACK again).
 */
static void
test_profile_switches(void)
{
    static const char *const profiles[2] = {RFC, LINUX};
    char json[2048];
    struct tt t;
    long c, r, d;

    for (int k = 0; k < 2; k++) {
        bool linux = k == 1;
        snprintf(json, sizeof json,
                 "{%s" NET50 "'tcp': {'msl_ms': 2000},"
                 " 'client': {'isn': 1000, 'script': ["
                 "   {'at_ms': 0, 'call': 'connect'},"
                 "   {'at_ms': 900, 'call': 'setsockopt',"
                 "    'option': 'SO_LINGER', 'value': 0},"
                 "   {'at_ms': 1000, 'call': 'close'}]},"
                 " 'server': {'isn': 5000, 'script': ["
                 "   {'at_ms': 0, 'call': 'listen'}]}}",
                 profiles[k]);
        tt_run(&t, linux ? "linux abort" : "rfc abort", json);
        c = tt_call(&t, 0, SIDE_CLIENT, CALL_CLOSE);
        r = tt_send(&t, c, SIDE_CLIENT, ANY);
        tt_seg_is(&t, r, linux ? TCP_RST | TCP_ACK : TCP_RST, CISN + 1,
                  SISN + 1, 0, linux ? "Linux's active reset" : "ABORT's RST");
        tt_done(&t);

        /* The server's first SYN,ACK is lost; the client's SYN comes again
         * (its RTO: 1 s in both profiles here) while the server is in
         * SYN-RECEIVED. */
        snprintf(json, sizeof json,
                 "{%s'tcp': {'msl_ms': 2000, 'rto_initial_ms': 1000,"
                 "  'rto_min_ms': 1000},"
                 " 'network': {'delay_ms': 50, 'rules': [{'from': 'server',"
                 "   'flags': 'SYN', 'nth': 1, 'action': 'drop'}]},"
                 " 'client': {'isn': 1000, 'script': ["
                 "   {'at_ms': 0, 'call': 'connect'}]},"
                 " 'server': {'isn': 5000, 'script': ["
                 "   {'at_ms': 0, 'call': 'listen'}]}}",
                 profiles[k]);
        tt_run(&t, linux ? "linux repeated SYN" : "rfc repeated SYN", json);
        d = tt_kind(&t, 0, TRACE_DISCARD, SIDE_SERVER);
        ok(d >= 0 && (tt_ev(&t, d)->seg.flags & TCP_SYN),
           "%s: the repeated SYN is not taken as new", t.name);
        r = tt_send(&t, d, SIDE_SERVER, ANY);
        if (linux)
            tt_seg_is(&t, r, TCP_SYN | TCP_ACK, SISN, CISN + 1, 0,
                      "the answer (tcp_check_req)");
        else
            tt_seg_is(&t, r, TCP_ACK, SISN + 1, CISN + 1, 0,
                      "the answer (§3.10.7.4 first: not acceptable)");
        ok(tt_state(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_ESTABLISHED) >= 0,
           "%s: the connection opens all the same", t.name);
        tt_done(&t);
    }
}

/*
 * Linux's first SYN timeouts are linear (tcp_syn_linear_timeouts): the SYN
 * is retransmitted without the RTO doubling, and the trace must not call
 * those timers backed off; the ones after are.
 */
static void
test_linear_syn_timeouts(void)
{
    struct tt t;
    int flagged[8] = {0}, n = 0;

    tt_run(&t, "linear SYN timeouts",
           "{" LINUX "'tcp': {'syn_linear_timeouts': 3, 'syn_retries': 3},"
           " 'network': {'delay_ms': 50, 'rules': [{'from': 'client',"
           "   'flags': 'SYN', 'count': 0, 'action': 'drop'}]},"
           " 'client': {'script': [{'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'script': [{'at_ms': 0, 'call': 'listen'}]}}");
    for (size_t i = 0; i < t.tr.len && n < 8; i++) {
        const struct trace_event *e = trace_at(&t.tr, i);
        if (e->kind == TRACE_TIMER_SET && e->side == SIDE_CLIENT &&
            e->a == TIMER_RTX)
            flagged[n++] = (e->flags & TRACE_F_BACKOFF) != 0;
    }
    ok(n >= 6, "%s: the SYN is sent %d times", t.name, n);
    ok(!flagged[0] && !flagged[1] && !flagged[2] && !flagged[3],
       "%s: the first timer and the three linear ones are not backed off",
       t.name);
    ok(flagged[4] && flagged[5], "%s: the later ones are (the RTO doubles)",
       t.name);
    tt_done(&t);
}

/*
 * A script of 70 steps runs every one: the event steps past the 64th (a
 * send and a close on "connected") fire like the first ones. Each event
 * step runs at most once, which a bit per step records; scripts of more
 * than 64 steps once lost every event step past the 64th without a word.
 */
static void
test_long_script(void)
{
    static char json[8192];
    size_t n = 0;
    struct tt t;
    long snd, cls;

    n += (size_t)snprintf(json + n, sizeof json - n,
                          "{" RFC NET50 "'tcp': {'msl_ms': 2000},"
                          " 'client': {'isn': 1000, 'script': ["
                          "   {'at_ms': 0, 'call': 'connect'}");
    for (int i = 0; i < 67; i++)
        n += (size_t)snprintf(json + n, sizeof json - n,
                              ", {'at_ms': 1, 'call': 'recv'}");
    snprintf(json + n, sizeof json - n,
             ", {'on': 'connected', 'after_ms': 10, 'call': 'send',"
             "   'bytes': 100},"
             "  {'on': 'connected', 'after_ms': 20, 'call': 'close'}]},"
             " 'server': {'isn': 5000, 'script': ["
             "   {'at_ms': 0, 'call': 'listen'},"
             "   {'on': 'eof', 'call': 'close'}]}}");
    tt_run(&t, "a script of 70 steps", json);
    ok(t.scn && t.scn->client.nsteps == 70, "%s: all 70 steps load", t.name);
    is_int(tt_count(&t, 0, -1, TRACE_CALL, SIDE_CLIENT), 70,
           "%s: the client makes 70 calls", t.name);
    snd = tt_call(&t, 0, SIDE_CLIENT, CALL_SEND);
    cls = tt_call(&t, 0, SIDE_CLIENT, CALL_CLOSE);
    ok(snd >= 0, "%s: step 69 (send on connected) runs", t.name);
    ok(cls > snd, "%s: step 70 (close on connected) runs after it", t.name);
    ok(tt_send(&t, cls, SIDE_CLIENT, TCP_FIN | TCP_ACK) >= 0,
       "%s: and the client's FIN follows", t.name);
    is_int(t.st.ends[SIDE_CLIENT][END_CLOSED], 1,
           "%s: the connection closes normally", t.name);
    tt_done(&t);
}

int
main(void)
{
    test_rst_closed_port();
    test_abortive_close();
    test_fin_backoff();
    test_syn_retries();
    test_time_wait_restart();
    test_bind_time_wait();
    test_ttl();
    test_msl();
    test_keepalive();
    test_lost_handshake_ack();
    test_time_wait_old_rst();
    test_fin_after_hole();
    test_data_after_close();
    test_closing_lost_acks();
    test_handshake_rto();
    test_conn_table();
    test_time_wait_shed();
    test_long_script();
    test_profile_switches();
    test_linear_syn_timeouts();
    return done_testing();
}
