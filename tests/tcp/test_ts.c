/*
 * TCP timestamps in the linux profile (RFC 7323): the option, PAWS, and
 * what Linux lets connect() do with a 4-tuple in TIME-WAIT
 * (tcp_twsk_unique). Each expectation was recorded on Linux 6.18 first
 * (docs/fidelity.md, "Timestamps and TIME-WAIT reuse").
 */
#include <errno.h>

#include "tcptest.h"

/* The client closes first, so its 4-tuple waits in TIME-WAIT; a second
 * client connects AFTER ms later, from PORT (a bound port) or, with PORT
 * empty, from a one-port ephemeral range. */
#define AGAIN(PROFILE, TCP, PORT, AFTER)                                       \
    "{'title': 'ts', 'seed': 1, 'profile': '" PROFILE "', "                    \
    "'network': {'delay_ms': 50}, 'tcp': {" TCP "},"                           \
    "'client': {" PORT " 'port_range': [40000, 40000], 'count': 2,"            \
    "  'every_ms': " AFTER ", 'script': ["                                     \
    "  {'at_ms': 0, 'call': 'connect'},"                                       \
    "  {'on': 'connected', 'after_ms': 100, 'call': 'close'}]},"               \
    "'server': {'port': 80, 'script': ["                                       \
    "  {'at_ms': 0, 'call': 'listen'},"                                        \
    "  {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}}"
#define BOUND "'port': 40000, 'reuseaddr': true,"

/* The second connect()'s errno: 0 when it succeeded, -1 if none. */
static int
second_connect(const struct tt *t)
{
    long i = tt_call(t, 0, SIDE_CLIENT, CALL_CONNECT);

    if (i >= 0)
        i = tt_call(t, i + 1, SIDE_CLIENT, CALL_CONNECT);
    return i >= 0 ? trace_at(&t->tr, i)->b : -1;
}

/* Every segment of a linux-profile connection carries the option, its
 * TSecr the peer's latest TSval; the rfc profile sends none. */
static void
test_option(void)
{
    struct tt t;
    const struct seg_view *syn, *synack, *ack;

    tt_run(&t, "linux: the option", AGAIN("linux", "", BOUND, "1000"));
    syn = tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 1);
    synack = tt_nth_sent(&t, SIDE_SERVER, TCP_SYN | TCP_ACK, 1);
    ack = tt_nth_sent(&t, SIDE_CLIENT, TCP_ACK, 1);
    ok(syn && synack && ack, "%s: the handshake", t.name);
    if (syn && synack && ack) {
        ok(syn->ts && syn->tsecr == 0, "%s: the SYN offers it, TSecr 0",
           t.name);
        ok(synack->ts && synack->tsecr == syn->tsval,
           "%s: the SYN,ACK echoes the SYN's TSval", t.name);
        ok(ack->ts && ack->tsecr == synack->tsval &&
               ack->tsval - syn->tsval == 100,
           "%s: the ACK echoes it, its clock 100 ms on", t.name);
    }
    tt_done(&t);
    tt_run(&t, "rfc: no option", AGAIN("rfc", "", BOUND, "1000"));
    syn = tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 1);
    ok(syn && !syn->ts, "%s: the SYN carries none", t.name);
    tt_done(&t);
}

/* connect() from a bound port whose 4-tuple is in TIME-WAIT: Linux takes
 * it over whenever that connection used timestamps (tcp_twsk_unique with
 * twp NULL), tcp_tw_reuse or not, and starts 65537 above its SND.NXT. */
static void
test_bound_port(void)
{
    struct tt t;
    const struct seg_view *fin, *syn2;
    long end;

    tt_run(&t, "linux: connect() from a bound port in TIME-WAIT",
           AGAIN("linux", "'tw_reuse': 0", BOUND, "1000"));
    is_int(second_connect(&t), 0, "%s: succeeds, even with tw_reuse 0", t.name);
    end = tt_state(&t, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    ok(end >= 0 && strstr(trace_at(&t.tr, end)->why, "tcp_twsk_unique"),
       "%s: the TIME-WAIT is taken over", t.name);
    fin = tt_nth_sent(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 1);
    syn2 = tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 2);
    ok(fin && syn2 && syn2->seq == fin->seq + 1 + 65537,
       "%s: the new SYN starts 65537 above the old SND.NXT", t.name);
    ok(tt_state(&t, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_ESTABLISHED) >= 0 &&
           tt_state(&t, end, SIDE_CLIENT, TCP_SYN_SENT, TCP_ESTABLISHED) > end,
       "%s: and the new connection opens", t.name);
    tt_done(&t);

    tt_run(&t, "linux, timestamps off: the same connect()",
           AGAIN("linux", "'timestamps': false", BOUND, "1000"));
    is_int(second_connect(&t), EADDRNOTAVAIL, "%s: EADDRNOTAVAIL", t.name);
    tt_done(&t);
    tt_run(&t, "rfc: the same connect()", AGAIN("rfc", "", BOUND, "1000"));
    is_int(second_connect(&t), EADDRNOTAVAIL, "%s: EADDRNOTAVAIL", t.name);
    tt_done(&t);
}

/* An ephemeral port: only with tcp_tw_reuse 1 (2 needs a loopback
 * address, and synfin's hosts have none), once TIME-WAIT is
 * tw_reuse_delay (1 s) old. TIME-WAIT begins at 0.2 s here. */
static void
test_ephemeral(void)
{
    static const struct {
        const char *name, *q;
        int err;
    } cases[] = {
        {"tw_reuse 0, 1.5 s", AGAIN("linux", "'tw_reuse': 0", "", "1500"),
         EADDRNOTAVAIL},
        {"tw_reuse 1, 1.5 s", AGAIN("linux", "'tw_reuse': 1", "", "1500"), 0},
        {"tw_reuse 2 (not loopback), 1.5 s",
         AGAIN("linux", "'tw_reuse': 2", "", "1500"), EADDRNOTAVAIL},
        {"tw_reuse 1, 0.9 s", AGAIN("linux", "'tw_reuse': 1", "", "900"),
         EADDRNOTAVAIL},
        {"tw_reuse 1, delay 500 ms, 0.9 s",
         AGAIN("linux", "'tw_reuse': 1, 'tw_reuse_delay_ms': 500", "", "900"),
         0},
        /* The mid-run change: Linux reads the sysctl at each
         * connect(). */
        {"tw_reuse 0, set to 1 at 1.2 s, 1.5 s",
         "{'title': 'ts', 'seed': 1, 'profile': 'linux', "
         "'network': {'delay_ms': 50}, 'tcp': {'tw_reuse': 0},"
         "'client': {'port_range': [40000, 40000], 'count': 2,"
         "  'every_ms': 1500, 'script': [{'at_ms': 0, 'call': 'connect'},"
         "  {'on': 'connected', 'after_ms': 100, 'call': 'close'}]},"
         "'server': {'port': 80, 'script': [{'at_ms': 0, 'call': 'listen'},"
         "  {'on': 'eof', 'after_ms': 10, 'call': 'close'},"
         "  {'at_ms': 1200, 'set': 'tcp.tw_reuse', 'value': 1}]}}",
         0},
        {"tw_reuse 1, no timestamps, 1.5 s",
         AGAIN("linux", "'tw_reuse': 1, 'timestamps': false", "", "1500"),
         EADDRNOTAVAIL},
    };

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tt t;

        tt_run(&t, cases[i].name, cases[i].q);
        is_int(second_connect(&t), cases[i].err,
               "ephemeral port in TIME-WAIT, %s", t.name);
        tt_done(&t);
    }
}

/* PAWS: the first copy of a data segment, held back while its
 * retransmission gets through, arrives with an older TSval: the linux
 * profile refuses it by PAWS, the rfc profile by its sequence number. */
static void
test_paws(void)
{
    const char *q[2] = {
        "{'title': 'paws', 'seed': 1, 'profile': 'linux', "
        "'network': {'delay_ms': 50, 'rules': [{'from': 'client', 'data': "
        "true, 'nth': 1, 'action': 'hold', 'hold_ms': 600}]},"
        "'client': {'script': [{'at_ms': 0, 'call': 'connect'},"
        "  {'on': 'connected', 'after_ms': 100, 'call': 'send', 'bytes': "
        "100}]},"
        "'server': {'port': 80, 'script': [{'at_ms': 0, 'call': 'listen'}]}}",
        "{'title': 'paws', 'seed': 1, 'profile': 'rfc', "
        "'network': {'delay_ms': 50, 'rules': [{'from': 'client', 'data': "
        "true, 'nth': 1, 'action': 'hold', 'hold_ms': 1500}]},"
        "'client': {'script': [{'at_ms': 0, 'call': 'connect'},"
        "  {'on': 'connected', 'after_ms': 100, 'call': 'send', 'bytes': "
        "100}]},"
        "'server': {'port': 80, 'script': [{'at_ms': 0, 'call': 'listen'}]}}",
    };

    for (int linux = 1; linux >= 0; linux--) {
        struct tt t;
        long d = -1, late = -1;

        tt_run(&t, linux ? "linux: PAWS" : "rfc: no PAWS", q[linux ? 0 : 1]);
        /* The late first copy arrives after its retransmission. */
        for (size_t i = 0; i < t.tr.len; i++) {
            const struct trace_event *e = trace_at(&t.tr, i);
            if (e->kind == TRACE_ARRIVE && e->side == SIDE_SERVER &&
                e->seg.len > 0 && e->seg.retx == 0 &&
                tt_send(&t, 0, SIDE_CLIENT, ANY) >= 0 &&
                (e->seg.tags & SEG_HELD))
                late = (long)i;
        }
        d = late >= 0 ? tt_kind(&t, late, TRACE_DISCARD, SIDE_SERVER) : -1;
        ok(late >= 0 && d >= 0, "%s: the held copy arrives and is dropped",
           t.name);
        if (d >= 0)
            ok((strstr(trace_at(&t.tr, d)->why, "PAWS") != NULL) == linux,
               "%s: %s", t.name,
               linux ? "by PAWS (older timestamp)" : "by its sequence number");
        ok(d >= 0 && tt_send(&t, d, SIDE_SERVER, TCP_ACK) >= 0,
           "%s: and answered with an ACK", t.name);
        tt_done(&t);
    }
}

/* A SYN whose sequence number is below the old RCV.NXT may still reopen a
 * TIME-WAIT if its TSval is newer (tcp_timewait_state_process). Pinned
 * ISNs make the second SYN's number the same as the first's. */
static void
test_newer_syn(void)
{
#define NEWER(PROFILE)                                                         \
    "{'title': 'syn', 'seed': 1, 'profile': '" PROFILE "', "                   \
    "'network': {'delay_ms': 50},"                                             \
    "'client': {'port': 40000, 'reuseaddr': true, 'isn': 1000, 'count': 2,"    \
    "  'every_ms': 1000, 'script': [{'at_ms': 0, 'call': 'connect'},"          \
    "  {'on': 'eof', 'after_ms': 10, 'call': 'close'}]},"                      \
    "'server': {'port': 80, 'isn': 5000, 'script': ["                          \
    "  {'at_ms': 0, 'call': 'listen'},"                                        \
    "  {'on': 'connected', 'after_ms': 100, 'call': 'close'}]}}"
    char q[800];
    struct tt t;
    long end;

    snprintf(q, sizeof q, "%s", NEWER("linux"));
    tt_run(&t, "linux: an old ISN, a newer timestamp", q);
    end = tt_state(&t, 0, SIDE_SERVER, TCP_TIME_WAIT, TCP_CLOSED);
    ok(end >= 0 && strstr(trace_at(&t.tr, end)->why, "newer timestamp"),
       "%s: the SYN reopens the TIME-WAIT by its timestamp", t.name);
    tt_done(&t);
    snprintf(q, sizeof q, "%s", NEWER("rfc"));
    tt_run(&t, "rfc: an old ISN, no timestamps", q);
    end = tt_state(&t, 0, SIDE_SERVER, TCP_TIME_WAIT, TCP_CLOSED);
    ok(end < 0 || !strstr(trace_at(&t.tr, end)->why, "RFC 6191"),
       "%s: the SYN does not reopen it", t.name);
    ok(tt_kind(&t, 0, TRACE_DISCARD, SIDE_SERVER) >= 0 &&
           strstr(
               trace_at(&t.tr, tt_kind(&t, 0, TRACE_DISCARD, SIDE_SERVER))->why,
               "old SYN"),
       "%s: it is taken for an old SYN and answered with an ACK", t.name);
    tt_done(&t);
}

int
main(void)
{
    test_option();
    test_bound_port();
    test_ephemeral();
    test_paws();
    test_newer_syn();
    return done_testing();
}
