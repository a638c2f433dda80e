/*
 * Settings changed during a run ("set" steps): the loader reads them, the
 * engine uses the new value from then on (where Linux reads its sysctl),
 * and the trace says so.
 */
#include <errno.h>
#include <string.h>

#include "tcptest.h"

#define LINUX "'title': 's', 'seed': 1, 'profile': 'linux', "

/* An orphan enters FIN-WAIT-2 at 0.44 s: its timer is the fin_timeout of
 * that moment, not of the start. */
static void
test_fin_timeout(void)
{
    struct tt t;
    long i, set;
    char buf[160];

    tt_run(&t, "tcp_fin_timeout set to 2 s at 100 ms",
           "{" LINUX "'network': {'delay_ms': 50},"
           " 'client': {'script': [{'at_ms': 0, 'call': 'connect'},"
           "  {'at_ms': 100, 'set': 'tcp.fin_timeout_ms', 'value': 2000},"
           "  {'on': 'connected', 'after_ms': 200, 'call': 'close'}]},"
           " 'server': {'script': [{'at_ms': 0, 'call': 'listen'}]}}");
    ok(t.scn && t.scn->client.steps[1].call == CALL_SET &&
           t.scn->client.steps[1].setting == SET_FIN_TIMEOUT &&
           t.scn->client.steps[1].set_value == 2000 * MS,
       "%s: the step loads as a set of 2 000 000 us", t.name);
    set = tt_call(&t, 0, SIDE_CLIENT, CALL_SET);
    ok(set >= 0 && trace_at(&t.tr, set)->t_us == 100 * MS,
       "%s: traced as a call at 100 ms", t.name);
    if (set >= 0)
        trace_format_call(trace_at(&t.tr, set), buf, sizeof buf);
    ok(set >= 0 && strcmp(buf, "set tcp.fin_timeout_ms = 2000") == 0,
       "%s: the log says \"set tcp.fin_timeout_ms = 2000\"", t.name);
    i = tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2);
    i = tt_timer(&t, i, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_FIN_WAIT_2);
    tt_timer_is(&t, i, SIDE_CLIENT, TIMER_FIN_WAIT_2, 2440 * MS,
                "the orphan's FIN-WAIT-2 timer is due 2 s later");
    i = tt_state(&t, i, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_CLOSED);
    ok(i >= 0 && trace_at(&t.tr, i)->t_us == 2440 * MS,
       "%s: the orphan is dropped 2 s later, not 60 s", t.name);
    tt_done(&t);
}

/* Every SYN lost; tcp_syn_retries from 6 to 2 at 1.5 s: ETIMEDOUT at 7 s,
 * as recorded on Linux (conformance case set-syn-retries). */
static void
test_syn_retries(void)
{
    struct tt t;
    long a;

    tt_run(&t, "tcp_syn_retries lowered while retrying",
           "{" LINUX "'network': {'delay_ms': 50, 'rules': [{'from': 'client',"
           "  'flags': 'SYN', 'count': 0, 'action': 'drop'}]},"
           " 'client': {'script': [{'at_ms': 0, 'call': 'connect'}]},"
           " 'server': {'script': [{'at_ms': 0, 'call': 'listen'},"
           "  {'at_ms': 1500, 'set': 'tcp.syn_retries', 'value': 2}]}}");
    a = tt_app(&t, 0, SIDE_CLIENT, EV_ERROR);
    ok(a >= 0 && trace_at(&t.tr, a)->b == ETIMEDOUT &&
           trace_at(&t.tr, a)->t_us == 7000 * MS,
       "%s: connect() times out at 7 s", t.name);
    tt_done(&t);
}

int
main(void)
{
    test_fin_timeout();
    test_syn_retries();
    return done_testing();
}
