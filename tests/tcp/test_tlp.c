/*
 * Linux's tail-loss probe (src/tcp/tcp_tlp.c, RFC 8985 §7): when it goes,
 * what it sends, the RTO after it, and where there is none (the rfc
 * profile, tcp_early_retrans = 0, a SYN). ISNs: client 1000, server 5000.
 */
#include "tcptest.h"

enum { CISN = 1000, SISN = 5000 };

#define LINUX "'title': 'tlp', 'seed': 1, 'profile': 'linux', "
#define RFC   "'title': 'tlp', 'seed': 1, 'profile': 'rfc', "

static uint64_t
at(const struct tt *t, long i)
{
    const struct trace_event *e = tt_ev(t, i);
    return e ? e->t_us : 0;
}

/* The n-th (from 1) segment side sends with exactly these flags. */
static long
nth_send(const struct tt *t, int side, int flags, int n)
{
    long i = -1;

    while (n-- > 0 && (i = tt_send(t, i + 1, side, flags)) >= 0)
        ;
    return i;
}

/* Events of kind about timer `timer`, either side, in the whole trace. */
static int
timer_events(const struct tt *t, int kind, int timer)
{
    int n = 0;

    for (int side = SIDE_CLIENT; side <= SIDE_SERVER; side++)
        for (long i = tt_timer(t, 0, kind, side, timer); i >= 0;
             i = tt_timer(t, i + 1, kind, side, timer))
            n++;
    return n;
}

/* Segments tagged as tail-loss probes. */
static int
probes(const struct tt *t)
{
    int n = 0;

    for (size_t i = 0; i < t->tr.len; i++)
        n += trace_at(&t->tr, i)->kind == TRACE_SEND &&
             (trace_at(&t->tr, i)->seg.tags & SEG_TLP);
    return n;
}

/*
 * The client's FIN, at 1 s after a handshake only, is lost three times.
 * One-way delay d: the handshake's sample is 2d, so SRTT = 2d, RTTVAR = d,
 * and Linux's RTO is 2d + max(200 ms, 4d).
 */
static void
run_fin_lost(struct tt *t, const char *name, const char *profile, int delay,
             const char *const *ovr, size_t novr)
{
    char json[900];

    snprintf(json, sizeof json,
             "{%s'network': {'delay_ms': %d, 'rules': ["
             "   {'from': 'client', 'flags': 'FIN', 'nth': 1, 'count': 3, "
             "'action': 'drop'}]},"
             " 'client': {'isn': 1000, 'script': ["
             "   {'at_ms': 0, 'call': 'connect'},"
             "   {'at_ms': 1000, 'call': 'close'}]},"
             " 'server': {'isn': 5000, 'script': ["
             "   {'at_ms': 0, 'call': 'listen'}]}}",
             profile, delay);
    tt_run_scn(t, name, tt_load(name, json, ovr, novr));
}

/*
 * 50 ms each way: RTO 100 + 200 = 300 ms; the probe's 2 x 100 + 200 =
 * 400 ms is capped by it, so the probe goes when the RTO would have, as
 * the FIN again; then the RTO, a whole 300 ms from the probe, not
 * doubled; then 600 ms (doubled).
 */
static void
test_probe_capped_by_rto(void)
{
    struct tt t;
    long fin, set, p, r, r2;
    const struct trace_event *e;

    run_fin_lost(&t, "FIN lost 3 times, linux", LINUX, 50, NULL, 0);
    fin = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 1);
    set = tt_timer(&t, fin, TRACE_TIMER_SET, SIDE_CLIENT, ANY);
    ok(set >= 0 && trace_at(&t.tr, set)->a == TIMER_LOSS_PROBE,
       "%s: the FIN arms the tail-loss probe timer", t.name);
    tt_timer_is(&t, fin, SIDE_CLIENT, TIMER_LOSS_PROBE, 1300 * MS,
                "the probe waits the RTO's 300 ms, not 2 x SRTT + 200 ms");
    tt_timer_is(&t, fin, SIDE_CLIENT, TIMER_RTX, 0,
                "the probe takes the retransmission timer's place");
    ok(set >= 0 && trace_at(&t.tr, set)->why &&
           strstr(trace_at(&t.tr, set)->why, "RTO would fire no later"),
       "%s: the timer says why it has the RTO's length", t.name);
    p = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 2);
    e = tt_ev(&t, p);
    tt_seg_is(&t, p, TCP_FIN | TCP_ACK, CISN + 1, SISN + 1, 0,
              "the probe, the FIN again");
    ok(e && at(&t, p) == 1300 * MS && (e->seg.tags & SEG_TLP) &&
           (e->seg.tags & SEG_RETX) && e->seg.retx == 1,
       "%s: at 1.3 s, tagged as a tail-loss probe and retransmission 1",
       t.name);
    tt_timer_is(&t, p, SIDE_CLIENT, TIMER_RTX, 1600 * MS,
                "after the probe, a whole RTO from now");
    tt_timer_is(&t, p, SIDE_CLIENT, TIMER_LOSS_PROBE, 0, "and no second probe");
    set = tt_timer(&t, p, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_RTX);
    ok(set >= 0 && !(trace_at(&t.tr, set)->flags & TRACE_F_BACKOFF),
       "%s: that RTO is not backed off", t.name);
    r = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 3);
    r2 = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 4);
    e = tt_ev(&t, r);
    ok(e && at(&t, r) == 1600 * MS && !(e->seg.tags & SEG_TLP) &&
           e->seg.retx == 2,
       "%s: the RTO's copy at 1.6 s, retransmission 2", t.name);
    is_int((long long)(at(&t, r2) - at(&t, r)), (long long)(600 * MS),
           "%s: then the doubled RTO: 600 ms", t.name);
    is_int(probes(&t), 1, "%s: one probe in all", t.name);
    tt_done(&t);
}

/*
 * 150 ms each way: SRTT 300, RTTVAR 150, RTO 300 + 600 = 900 ms; the
 * probe, 2 x 300 + 200 = 800 ms, comes first. The RTO after it is 900 ms.
 */
static void
test_probe_two_srtt(void)
{
    struct tt t;
    long fin, set, p, r;

    run_fin_lost(&t, "FIN lost 3 times, 300 ms RTT, linux", LINUX, 150, NULL,
                 0);
    fin = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 1);
    set = tt_timer(&t, fin, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_LOSS_PROBE);
    tt_timer_is(&t, fin, SIDE_CLIENT, TIMER_LOSS_PROBE, 1800 * MS,
                "one segment in flight: 2 x SRTT + 200 ms");
    ok(set >= 0 && trace_at(&t.tr, set)->why &&
           strstr(trace_at(&t.tr, set)->why, "one segment in flight"),
       "%s: the timer says why", t.name);
    p = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 2);
    ok(p >= 0 && at(&t, p) == 1800 * MS &&
           (trace_at(&t.tr, p)->seg.tags & SEG_TLP),
       "%s: the probe at 1.8 s, before the RTO's 1.9 s", t.name);
    r = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 3);
    is_int((long long)(at(&t, r) - at(&t, p)), (long long)(900 * MS),
           "%s: the RTO a whole 900 ms after the probe", t.name);
    tt_done(&t);
}

/*
 * Three segments (3000 bytes, MSS 1460), all lost once: with several in
 * flight the probe waits 2 x SRTT + 2 ms, and sends the last segment.
 */
static void
test_probe_several_segments(void)
{
    struct tt t;
    long d, p;
    const struct trace_event *e;

    tt_run(&t, "3 segments lost, linux",
           "{" LINUX "'network': {'delay_ms': 150, 'rules': ["
           "   {'from': 'client', 'data': true, 'nth': 1, 'count': 3, "
           "'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 1000, 'call': 'send', 'bytes': 3000}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    d = nth_send(&t, SIDE_CLIENT, TCP_PSH | TCP_ACK, 1);
    tt_timer_is(&t, d, SIDE_CLIENT, TIMER_LOSS_PROBE, 1602 * MS,
                "several segments in flight: 2 x SRTT + 2 ms");
    for (p = tt_send(&t, d + 1, SIDE_CLIENT, ANY);
         p >= 0 && !(trace_at(&t.tr, p)->seg.tags & SEG_TLP);
         p = tt_send(&t, p + 1, SIDE_CLIENT, ANY))
        ;
    e = tt_ev(&t, p);
    ok(e && at(&t, p) == 1602 * MS, "%s: the probe at 1.602 s", t.name);
    tt_seg_is(&t, p, TCP_PSH | TCP_ACK, CISN + 1 + 2920, SISN + 1, 80,
              "the probe, the last segment again");
    tt_done(&t);
}

/* Where there is no probe: the RTO alone, at 300 ms then doubled. */
static void
check_no_probe(struct tt *t, uint64_t rto)
{
    long fin = nth_send(t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 1);
    long r = nth_send(t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 2);
    long r2 = nth_send(t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 3);

    is_int(timer_events(t, TRACE_TIMER_SET, TIMER_LOSS_PROBE), 0,
           "%s: no tail-loss probe timer", t->name);
    is_int(probes(t), 0, "%s: no probe", t->name);
    tt_timer_is(t, fin, SIDE_CLIENT, TIMER_RTX, at(t, fin) + rto,
                "the FIN is guarded by the RTO");
    ok(r >= 0 && at(t, r) - at(t, fin) == rto &&
           at(t, r2) - at(t, r) == 2 * rto,
       "%s: the FIN again after the RTO, then after twice it", t->name);
}

static void
test_no_probe(void)
{
    static const char *const off[] = {"tcp.early_retrans=0"};
    static const char *const rfc_on[] = {"tcp.early_retrans=3"};
    struct tt t;

    run_fin_lost(&t, "FIN lost 3 times, rfc", RFC, 50, NULL, 0);
    check_no_probe(&t, 1000 * MS);
    tt_done(&t);
    run_fin_lost(&t, "FIN lost 3 times, linux, tcp_early_retrans=0", LINUX, 50,
                 off, 1);
    check_no_probe(&t, 300 * MS);
    tt_done(&t);
    /* The switch, not the profile, decides: the rfc profile with it. */
    run_fin_lost(&t, "FIN lost 3 times, rfc, tcp_early_retrans=3", RFC, 50,
                 rfc_on, 1);
    is_int(probes(&t), 1, "%s: one probe", t.name);
    tt_done(&t);
}

/* The handshake is not probed: a lost SYN or SYN,ACK waits for the RTO. */
static void
test_no_probe_for_syn(void)
{
    static const char *const lost[] = {"SYN", "SYN,ACK"};

    for (size_t k = 0; k < 2; k++) {
        char name[64], json[700];
        struct tt t;
        long s1, s2;
        int side = k ? SIDE_SERVER : SIDE_CLIENT;

        snprintf(name, sizeof name, "%s lost twice, linux", lost[k]);
        snprintf(json, sizeof json,
                 "{" LINUX "'network': {'delay_ms': 50, 'rules': ["
                 "   {'flags': '%s', 'nth': 1, 'count': 2, "
                 "'action': 'drop'}]},"
                 " 'client': {'isn': 1000, 'script': ["
                 "   {'at_ms': 0, 'call': 'connect'}]},"
                 " 'server': {'isn': 5000, 'script': ["
                 "   {'at_ms': 0, 'call': 'listen'}]}}",
                 lost[k]);
        tt_run(&t, name, json);
        s1 = nth_send(&t, side, k ? TCP_SYN | TCP_ACK : TCP_SYN, 1);
        s2 = nth_send(&t, side, k ? TCP_SYN | TCP_ACK : TCP_SYN, 2);
        is_int(timer_events(&t, TRACE_TIMER_SET, TIMER_LOSS_PROBE), 0,
               "%s: no tail-loss probe timer", t.name);
        ok(s2 >= 0 && !(trace_at(&t.tr, s2)->seg.tags & SEG_TLP) &&
               at(&t, s2) - at(&t, s1) == 1000 * MS,
           "%s: sent again by the RTO, 1 s later", t.name);
        tt_done(&t);
    }
}

/*
 * A probe whose ACK covers exactly what it sent stays unanswered
 * (tcp_process_tlp_ack), until an ACK goes beyond it: so when the FIN is
 * lost next, with no ACK in between that moves past the probe, the probe
 * timer fires but sends nothing, and the RTO goes at its time. Recorded
 * on Linux 6.18 (conformance case lost-request-then-fin-twice).
 */
static void
test_one_probe_unanswered(void)
{
    struct tt t;
    long fin, fire, r, r2;

    tt_run(&t, "request lost, then FIN lost twice, linux",
           "{" LINUX "'network': {'delay_ms': 50, 'rules': ["
           "   {'from': 'client', 'data': true, 'nth': 1, 'action': 'drop'},"
           "   {'from': 'client', 'flags': 'FIN', 'nth': 1, 'count': 2, "
           "'action': 'drop'}]},"
           " 'client': {'isn': 1000, 'script': ["
           "   {'at_ms': 0, 'call': 'connect'},"
           "   {'at_ms': 1000, 'call': 'send', 'bytes': 100},"
           "   {'at_ms': 3000, 'call': 'close'}]},"
           " 'server': {'isn': 5000, 'script': ["
           "   {'at_ms': 0, 'call': 'listen'}]}}");
    is_int(probes(&t), 1, "%s: only the request is probed", t.name);
    fin = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 1);
    fire = tt_timer(&t, fin, TRACE_TIMER_FIRE, SIDE_CLIENT, TIMER_LOSS_PROBE);
    r = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 2);
    r2 = nth_send(&t, SIDE_CLIENT, TCP_FIN | TCP_ACK, 3);
    ok(fire >= 0 && r > fire && at(&t, r) > at(&t, fire),
       "%s: the probe timer fires for the FIN but sends nothing", t.name);
    /* The probe timer had the RTO's length; the RTO comes right after it
     * (tcp_rearm_rto: what is left, at least a tick). */
    ok(r >= 0 && at(&t, r) - at(&t, fin) >= 300 * MS &&
           at(&t, r) - at(&t, fin) <= 301 * MS,
       "%s: the FIN again after the RTO, 300 ms", t.name);
    is_int((long long)(at(&t, r2) - at(&t, r)), (long long)(600 * MS),
           "%s: then after the doubled RTO", t.name);
    tt_done(&t);
}

int
main(void)
{
    test_probe_capped_by_rto();
    test_probe_two_srtt();
    test_probe_several_segments();
    test_no_probe();
    test_no_probe_for_syn();
    test_one_probe_unanswered();
    return done_testing();
}
