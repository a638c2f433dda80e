/*
 * Injected segments ("network": {"inject": [...]}) reaching the client's
 * TIME-WAIT: a stray RST (RFC 1337 on and off) and a data segment. ISNs:
 * client 1000, server 5000; the client closes first and is in TIME-WAIT
 * from 0.31 s, RCV.NXT 5002.
 */
#include "tcptest.h"

#define CLOSE_FIRST                                                            \
    "'title': 'i', 'seed': 1, 'profile': 'rfc', 'tcp': {'msl_ms': 5000, "      \
    "'rfc1337': %s}, 'network': {'delay_ms': 50, 'inject': [%s]},"             \
    " 'client': {'isn': 1000, 'script': [{'at_ms': 0, 'call': 'connect'},"     \
    "  {'on': 'connected', 'after_ms': 100, 'call': 'close'}]},"               \
    " 'server': {'isn': 5000, 'script': [{'at_ms': 0, 'call': 'listen'},"      \
    "  {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}"

static void
run(struct tt *t, const char *name, const char *rfc1337, const char *inject)
{
    char q[1024];

    snprintf(q, sizeof q, "{" CLOSE_FIRST "}", rfc1337, inject);
    tt_run(t, name, q);
}

static void
test_rst(void)
{
    struct tt t;
    long s, i;

    run(&t, "a stray RST into TIME-WAIT, RFC 1337 off", "false",
        "{'at_ms': 2000, 'to': 'client', 'flags': 'RST', 'seq': 2}");
    s = tt_send(&t, 0, SIDE_SERVER, TCP_RST);
    ok(s >= 0 && (trace_at(&t.tr, s)->seg.tags & SEG_INJECTED) &&
           trace_at(&t.tr, s)->t_us == 2000 * MS,
       "%s: sent at 2 s, tagged injected", t.name);
    ok(s >= 0 && trace_at(&t.tr, s)->seg.seq == 5002 &&
           trace_at(&t.tr, s)->seg.dport == 40000,
       "%s: seq = server ISN + 2, to the connection's port", t.name);
    i = tt_state(&t, s, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    ok(i >= 0 && trace_at(&t.tr, i)->t_us == 2050 * MS,
       "%s: the RST ends TIME-WAIT on arrival (assassination)", t.name);
    tt_done(&t);

    run(&t, "a stray RST into TIME-WAIT, RFC 1337 on", "true",
        "{'at_ms': 2000, 'to': 'client', 'flags': 'RST', 'seq': 2}");
    s = tt_send(&t, 0, SIDE_SERVER, TCP_RST);
    i = tt_kind(&t, s, TRACE_DISCARD, SIDE_CLIENT);
    ok(i >= 0 && (trace_at(&t.tr, i)->seg.tags & SEG_INJECTED),
       "%s: the client discards it", t.name);
    i = tt_state(&t, s, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    ok(i >= 0 && trace_at(&t.tr, i)->t_us == 10310 * MS,
       "%s: TIME-WAIT runs its full 2 MSL", t.name);
    tt_done(&t);
}

static void
test_data(void)
{
    struct tt t;
    long s, a;

    run(&t, "a data segment into TIME-WAIT", "true",
        "{'at_ms': 3000, 'to': 'client', 'flags': 'ACK', 'seq': 2, 'ack': 2,"
        " 'bytes': 100}");
    s = tt_send(&t, 0, SIDE_SERVER, TCP_ACK);
    while (s >= 0 && !(trace_at(&t.tr, s)->seg.tags & SEG_INJECTED))
        s = tt_send(&t, s + 1, SIDE_SERVER, TCP_ACK);
    ok(s >= 0 && trace_at(&t.tr, s)->seg.len == 100 &&
           trace_at(&t.tr, s)->seg.ack == 1002,
       "%s: 100 bytes, ack = client ISN + 2", t.name);
    a = tt_send(&t, s + 1, SIDE_CLIENT, TCP_ACK);
    tt_seg_is(&t, a, TCP_ACK, 1002, 5002, 0,
              "TIME-WAIT answers with an ACK of what it has");
    a = tt_timer(&t, s, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_TIME_WAIT);
    tt_timer_is(&t, a, SIDE_CLIENT, TIMER_TIME_WAIT, 13050 * MS,
                "and restarts its 2 MSL");
    tt_done(&t);
}

/*
 * Two old duplicate ACKs 100 ms apart, then a third 600 ms after the
 * second: Linux's TIME-WAIT answers at most one out-of-window segment
 * without data in tcp_invalid_ratelimit (500 ms); the rfc profile answers
 * each. Recorded on Linux 6.18: conformance case
 * time-wait-inject-old-acks. RFC 1337 on, so that the closed server's
 * RST in answer to the first ACK does not end the TIME-WAIT.
 */
static void
test_oow_rate_limit(void)
{
    static const char *const profile[2] = {"linux", "rfc"};
    static const int answers[2] = {2, 3};

    for (int k = 0; k < 2; k++) {
        struct tt t;
        char q[1024], name[64];
        long s, a;
        int n = 0;

        snprintf(
            q, sizeof q,
            "{'title': 'i', 'seed': 1, 'profile': '%s', 'tcp': {'rfc1337': "
            "true}, 'network': "
            "{'delay_ms': 50, 'inject': ["
            "{'at_ms': 2000, 'to': 'client', 'flags': 'ACK', 'seq': 1, "
            "'ack': 1}, {'at_ms': 2100, 'to': 'client', 'flags': 'ACK', "
            "'seq': 1, 'ack': 1}, {'at_ms': 2700, 'to': 'client', 'flags': "
            "'ACK', 'seq': 1, 'ack': 1}]},"
            " 'client': {'isn': 1000, 'script': [{'at_ms': 0, 'call': "
            "'connect'}, {'on': 'connected', 'after_ms': 100, 'call': "
            "'close'}]},"
            " 'server': {'isn': 5000, 'script': [{'at_ms': 0, 'call': "
            "'listen'}, {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}}",
            profile[k]);
        snprintf(name, sizeof name, "three old ACKs into TIME-WAIT, %s",
                 profile[k]);
        tt_run(&t, name, q);
        s = tt_send(&t, 0, SIDE_SERVER, TCP_ACK);
        while (s >= 0 && !(trace_at(&t.tr, s)->seg.tags & SEG_INJECTED))
            s = tt_send(&t, s + 1, SIDE_SERVER, TCP_ACK);
        for (a = tt_send(&t, s + 1, SIDE_CLIENT, TCP_ACK); a >= 0;
             a = tt_send(&t, a + 1, SIDE_CLIENT, TCP_ACK))
            n++;
        ok(s >= 0 && n == answers[k], "%s: %d ACKs from TIME-WAIT (got %d)",
           t.name, answers[k], n);
        tt_done(&t);
    }
}

int
main(void)
{
    test_rst();
    test_data();
    test_oow_rate_limit();
    return done_testing();
}
