/*
 * Initial sequence numbers from a clock (RFC 9293 §3.4.1, RFC 6528):
 * ISN = M + F(4-tuple, secret), M ticking every isn_tick_ns, the secret and
 * the clock's start drawn from the seed. What it is for: a 4-tuple used
 * again starts above its old sequence space, so a SYN may reopen the
 * server's TIME-WAIT (RFC 6191) whatever the seed. And Linux's answer to
 * that SYN, from the old SND.NXT + 65537 (tcp_timewait_state_process).
 * Recorded on Linux 6.18 (docs/fidelity.md, "Initial sequence numbers").
 */
#include "base/siphash.h"
#include "tcptest.h"

/* The client connects from port 40000 at 0 s and again at 1 s; the server
 * closes first each time, so the second SYN meets its TIME-WAIT. */
#define REOPEN(PROFILE, SEED, EXTRA)                                           \
    "{'title': 'isn', 'seed': " SEED ", 'profile': '" PROFILE "', "            \
    "'network': {'delay_ms': 50}, " EXTRA                                      \
    "'client': {'port': 40000, 'reuseaddr': true, 'count': 2,"                 \
    "  'every_ms': 1000, 'script': ["                                          \
    "  {'at_ms': 0, 'call': 'connect'},"                                       \
    "  {'on': 'connected', 'after_ms': 100, 'call': 'send', 'bytes': 100},"    \
    "  {'on': 'eof', 'after_ms': 50, 'call': 'close'}]},"                      \
    "'server': {'port': 80, 'script': ["                                       \
    "  {'at_ms': 0, 'call': 'listen'},"                                        \
    "  {'on': 'data', 'after_ms': 100, 'call': 'close'}]}}"

/* Whether any RST was sent. */
static bool
rst_sent(const struct tt *t)
{
    for (size_t i = 0; i < t->tr.len; i++)
        if (trace_at(&t->tr, i)->kind == TRACE_SEND &&
            (trace_at(&t->tr, i)->seg.flags & TCP_RST))
            return true;
    return false;
}

/* SipHash-2-4's reference vector for 12 bytes 00..0b, key 00..0f (the
 * paper's table, entry 12): the hash is the one Linux uses. */
static void
test_siphash(void)
{
    const uint64_t key[2] = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};

    ok(siphash_3u32(0x03020100u, 0x07060504u, 0x0b0a0908u, key) ==
           0x751e8fbc860ee5fbull,
       "siphash_3u32 gives SipHash-2-4's reference value");
}

/* The linux profile: a 64 ns clock, and the SYN,ACK from the old space. */
static void
test_linux_reopen(void)
{
    struct tt t;
    const struct seg_view *syn1, *syn2, *fin, *synack2;
    long tw, end;

    tt_run(&t, "linux: a SYN reopens the server's TIME-WAIT",
           REOPEN("linux", "1", ""));
    syn1 = tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 1);
    syn2 = tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 2);
    fin = tt_nth_sent(&t, SIDE_SERVER, TCP_FIN | TCP_ACK, 1);
    synack2 = tt_nth_sent(&t, SIDE_SERVER, TCP_SYN | TCP_ACK, 2);
    ok(syn1 && syn2 && fin && synack2, "%s: both handshakes", t.name);
    if (syn1 && syn2 && fin && synack2) {
        /* 1 s of a 64 ns clock: 15,625,000 ticks, the 4-tuple's hash the
         * same both times. */
        is_int((long)(uint32_t)(syn2->seq - syn1->seq), 15625000,
               "%s: the client's ISN grew by 1 s / 64 ns", t.name);
        /* The server's old SND.NXT is past its FIN. */
        is_int((long)(uint32_t)(synack2->seq - (fin->seq + 1)), 65537,
               "%s: the new SYN,ACK starts 65537 above the old SND.NXT",
               t.name);
    }
    tw = tt_state(&t, 0, SIDE_SERVER, TCP_FIN_WAIT_2, TCP_TIME_WAIT);
    end = tt_state(&t, tw + 1, SIDE_SERVER, TCP_TIME_WAIT, TCP_CLOSED);
    ok(tw >= 0 && end >= 0 && strstr(trace_at(&t.tr, end)->why, "RFC 6191"),
       "%s: the TIME-WAIT gives way to the SYN (RFC 6191)", t.name);
    ok(!rst_sent(&t) && !tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 3),
       "%s: no RST, no SYN sent again", t.name);
    tt_done(&t);
}

/* Whatever the seed, the reopening SYN is above the old space (with ISNs
 * drawn at random, about half the seeds met the "old SYN" ACK instead). */
static void
test_every_seed_reopens(void)
{
    int reopened = 0, tried = 0;

    for (int seed = 1; seed <= 64; seed++) {
        for (int prof = 0; prof < 2; prof++) {
            char q[1600], name[64];
            struct tt t;
            long end;

            snprintf(name, sizeof name, "seed %d", seed);
            if (prof)
                snprintf(q, sizeof q, REOPEN("linux", "%d", ""), seed);
            else
                snprintf(q, sizeof q, REOPEN("rfc", "%d", ""), seed);
            tt_run(&t, name, q);
            end = tt_state(&t, 0, SIDE_SERVER, TCP_TIME_WAIT, TCP_CLOSED);
            tried++;
            if (end >= 0 && strstr(trace_at(&t.tr, end)->why, "RFC 6191") &&
                tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 2) &&
                !tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 3) && !rst_sent(&t))
                reopened++;
            tt_done(&t);
        }
    }
    is_int(reopened, tried,
           "every seed, both profiles: the SYN reopens the TIME-WAIT cleanly");
}

/* The rfc profile: a 4 us clock, and the SYN,ACK's ISN from it too. */
static void
test_rfc_clock(void)
{
    struct tt t;
    const struct seg_view *syn1, *syn2, *fin, *synack2;

    tt_run(&t, "rfc: the 4 us ISN clock", REOPEN("rfc", "1", ""));
    syn1 = tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 1);
    syn2 = tt_nth_sent(&t, SIDE_CLIENT, TCP_SYN, 2);
    fin = tt_nth_sent(&t, SIDE_SERVER, TCP_FIN | TCP_ACK, 1);
    synack2 = tt_nth_sent(&t, SIDE_SERVER, TCP_SYN | TCP_ACK, 2);
    ok(syn1 && syn2 && fin && synack2, "%s: both handshakes", t.name);
    if (syn1 && syn2 && fin && synack2) {
        is_int((long)(uint32_t)(syn2->seq - syn1->seq), 250000,
               "%s: the client's ISN grew by 1 s / 4 us", t.name);
        ok((uint32_t)(synack2->seq - (fin->seq + 1)) != 65537,
           "%s: the server's new ISN is the clock's, not old + 65537", t.name);
    }
    tt_done(&t);
}

/* The same seed gives the same ISNs; another seed others; another 4-tuple
 * at the same moment another; a pinned ISN wins; the tick is a setting. */
static void
test_isn_inputs(void)
{
    char q[600];
    struct tt a, b, c;
    const struct seg_view *a1, *a2, *b1, *c1, *sa;

#define TWO_PORTS(SEED, PIN)                                                   \
    "{'title': 'isn', 'seed': " SEED ", 'profile': 'linux', "                  \
    "'client': {'count': 2, 'script': [{'at_ms': 0, 'call': 'connect'}]},"     \
    "'server': {'port': 80, " PIN " 'script': [{'at_ms': 0, 'call': "          \
    "'listen'}]}}"
    snprintf(q, sizeof q, "%s", TWO_PORTS("7", ""));
    tt_run(&a, "seed 7", q);
    tt_run(&b, "seed 7 again", q);
    snprintf(q, sizeof q, "%s", TWO_PORTS("8", "'isn': 5000,"));
    tt_run(&c, "seed 8, server ISN pinned", q);
    a1 = tt_nth_sent(&a, SIDE_CLIENT, TCP_SYN, 1);
    a2 = tt_nth_sent(&a, SIDE_CLIENT, TCP_SYN, 2);
    b1 = tt_nth_sent(&b, SIDE_CLIENT, TCP_SYN, 1);
    c1 = tt_nth_sent(&c, SIDE_CLIENT, TCP_SYN, 1);
    sa = tt_nth_sent(&c, SIDE_SERVER, TCP_SYN | TCP_ACK, 1);
    ok(a1 && a2 && b1 && c1 && sa, "ISN inputs: the SYNs are sent");
    if (a1 && a2 && b1 && c1 && sa) {
        ok(a1->seq == b1->seq, "ISN inputs: the same seed, the same ISN");
        ok(a1->seq != c1->seq, "ISN inputs: another seed, another ISN");
        ok(a1->sport != a2->sport && a1->seq != a2->seq,
           "ISN inputs: another port at the same moment, another ISN");
        is_int(sa->seq, 5000, "ISN inputs: a pinned ISN wins");
    }
    tt_done(&a);
    tt_done(&b);
    tt_done(&c);

    tt_run(&a, "isn_tick_ns 1000",
           REOPEN("linux", "1", "'tcp': {'isn_tick_ns': 1000},"));
    a1 = tt_nth_sent(&a, SIDE_CLIENT, TCP_SYN, 1);
    a2 = tt_nth_sent(&a, SIDE_CLIENT, TCP_SYN, 2);
    ok(a1 && a2 && (uint32_t)(a2->seq - a1->seq) == 1000000,
       "%s: a 1 us clock moves 1,000,000 in 1 s", a.name);
    tt_done(&a);
}

int
main(void)
{
    test_siphash();
    test_linux_reopen();
    test_every_seed_reopens();
    test_rfc_clock();
    test_isn_inputs();
    return done_testing();
}
