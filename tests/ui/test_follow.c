/*
 * The list of connections and following one of them, with no terminal:
 * trace_conns() names each connection's ports, its states at a moment and
 * how it ended, against the run's own counts; a run of many connections
 * opens on the state counts; in the session, f opens the
 * list, a typed number and Enter follow that connection alone (its steps
 * only, from its connect() to its last CLOSED), the others fold into a line
 * of counts, and f again shows every connection at the same moment.
 */
#include <errno.h>
#include <string.h>

#include "sessiontest.h"

/* The run of a shipped scenario, traced. */
static void
run_named(const char *name, struct trace *t)
{
    struct scenario *s = load_named(name);

    trace_init(t);
    world_run(s, t, NULL);
    scenario_free(s);
}

static void
test_list(void)
{
    struct trace t;
    struct trace_conn *c;
    struct state_counts counts = {0};
    size_t n, mid, in_tw = 0, bad = 0;

    run_named("time-wait-pileup", &t);
    /* Halfway through the run: every connection's state then, against the
     * counts of all connections. */
    mid = t.len / 2;
    for (size_t i = 0; i <= mid; i++)
        state_counts_step(&counts, trace_at(&t, i));
    n = trace_conns(&t, (uint32_t)mid, &c);
    is_int((int)n, 30, "time-wait-pileup: 30 connections");
    for (size_t i = 0; i < n; i++) {
        bad += c[i].conn != i + 1 || c[i].port[SIDE_CLIENT] != 40000 + i ||
               c[i].port[SIDE_SERVER] != 80 ||
               c[i].end[SIDE_CLIENT] != END_CLOSED ||
               c[i].end[SIDE_SERVER] != END_CLOSED ||
               c[i].last[SIDE_CLIENT] != TCP_CLOSED;
        in_tw += c[i].started && c[i].now[SIDE_CLIENT] == TCP_TIME_WAIT;
    }
    is_int((int)bad, 0, "each: its number, ports 400xx > 80, both closed");
    ok(in_tw > 0 && (int64_t)in_tw == counts.n[SIDE_CLIENT][TCP_TIME_WAIT],
       "at event %zu, %zu in TIME-WAIT, as the state counts say", mid, in_tw);
    is_int((int)(c[0].end_us[SIDE_CLIENT] / 1000), 60340,
           "#1's client leaves TIME-WAIT at 60.340 s");
    free(c);
    n = trace_conns(&t, UINT32_MAX, &c);
    ok(n == 30 && !c[0].started && !c[29].started,
       "before the first event none has started");
    free(c);
    {
        /* The chart's slices give the counts at any event as a recount
         * from the start does. */
        struct trace_crowd k;
        struct state_counts all = {0}, at;

        bad = 0;
        ok(trace_crowd_build(&k, &t, 37) == 0, "the crowd in 37 slices");
        for (size_t i = 0; i < t.len; i++) {
            state_counts_step(&all, trace_at(&t, i));
            trace_crowd_at(&k, &t, i, &at);
            bad += memcmp(&all, &at, sizeof at) != 0;
        }
        is_int((int)bad, 0, "trace_crowd_at: the recount at each of %zu",
               t.len);
        ok(k.peak[SIDE_CLIENT][TCP_TIME_WAIT] == 30 &&
               k.peak_us[SIDE_CLIENT][TCP_TIME_WAIT] == 3240000,
           "TIME-WAIT peaks at 30, first at 3.240 s");
        trace_crowd_free(&k);
    }
    trace_free(&t);

    run_named("port-exhaustion", &t);
    n = trace_conns(&t, UINT32_MAX, &c);
    ok(n == 6 && c[4].end[SIDE_CLIENT] == END__COUNT &&
           c[4].err[SIDE_CLIENT] == EADDRNOTAVAIL && c[4].port[0] == 0,
       "port-exhaustion: #5's connect() fails with EADDRNOTAVAIL, no TCB");
    free(c);
    trace_free(&t);

    run_named("fin-retry-limit", &t);
    n = trace_conns(&t, UINT32_MAX, &c);
    ok(n == 1 && c[0].end[SIDE_CLIENT] == END_TIMEOUT &&
           c[0].end[SIDE_SERVER] == END_RESET &&
           c[0].err[SIDE_SERVER] == ECONNRESET,
       "fin-retry-limit: the client times out, the server is reset");
    free(c);
    trace_free(&t);

    run_named("rst-no-listener", &t);
    n = trace_conns(&t, UINT32_MAX, &c);
    ok(n == 1 && c[0].end[SIDE_CLIENT] == END_REFUSED &&
           c[0].err[SIDE_CLIENT] == ECONNREFUSED &&
           c[0].end[SIDE_SERVER] == END__COUNT,
       "rst-no-listener: the client is refused, the server has no TCB");
    free(c);
    trace_free(&t);
}

static void
type(struct session *s, const char *keys)
{
    for (const char *k = keys; *k; k++)
        session_key(s, *k == '\n' ? KEYS_ENTER : *k);
}

static void
test_follow(void)
{
    struct session s;
    size_t all, bad = 0;
    uint32_t ev;
    const struct trace_event *first, *last;

    session_open(&s, load_named("time-wait-pileup"), "en");
    ok(s.mode == MODE_CROWD &&
           strstr(s.message, "30 connections: how many are in each state"),
       "30 connections open on the state counts, saying so");
    ok(strstr(frame(&s, 80, 24), "Connections in each state") &&
           strstr(frame_text, "What is happening"),
       "the chart, and the narration under it");
    ok(s.cache->run == s.runs && s.cache->crowd.ncols > 0,
       "the chart's slices are kept for this run");
    session_act(&s, ACT_LOSS);
    frame(&s, 80, 24);
    ok(s.runs == 2 && s.cache->run == 2, "an edit: a new run, made again");
    session_act(&s, ACT_UNDO);
    all = s.nsteps;
    type(&s, "f");
    is_int(s.mode, MODE_CONNS, "f opens the list of connections");
    ok(strstr(frame(&s, 120, 40), "Connections: 30") &&
           strstr(frame_text, "#17   :40016  :80") &&
           strstr(frame_text, "closed at 61.940 s"),
       "the list: 30, with #17's ports and when it closed");
    type(&s, "17\n");
    ok(s.mode == MODE_MAIN && s.follow == 17, "17 Enter follows #17");
    for (size_t k = 0; k < s.nsteps; k++)
        bad += trace_at(&s.trace, s.steps[k])->conn != 17;
    ok(s.nsteps > 20 && s.nsteps < all && !bad,
       "its %zu steps are #17's alone (of %zu)", s.nsteps, all);
    first = trace_at(&s.trace, s.steps[0]);
    last = trace_at(&s.trace, s.steps[s.nsteps - 1]);
    ok(first->kind == TRACE_CALL && first->a == CALL_CONNECT &&
           last->kind == TRACE_STATE && last->a == TCP_TIME_WAIT &&
           last->b == TCP_CLOSED,
       "from its connect() to its TIME-WAIT's end");
    session_goto(&s, 12);
    ok((strstr(frame(&s, 120, 40), "following #17") ||
        strstr(frame_text, "follow #17")) &&
           strstr(frame_text, "The others now: client ") &&
           strstr(frame_text, "TIME-WAIT") && strstr(frame_text, ":40016"),
       "the header says so; the others are a line of counts");
    ok(strstr(frame(&s, 80, 24), "follow #17") &&
           strstr(frame_text, "The others now:"),
       "at 80x24 too");
    ev = session_event(&s);
    type(&s, "f");
    ok(s.follow == 0 && s.nsteps == all && session_event(&s) == ev,
       "f again: every connection, at the same moment");
    ok(!strstr(frame(&s, 120, 40), "others now"), "no line of others");

    session_close(&s);

    /* Not in quiz mode: its questions are about the whole run. */
    session_open(&s, load_named("four-way-close"), "en");
    is_int(s.mode, MODE_MAIN, "one connection opens on the ladder");
    session_act(&s, ACT_QUIZ);
    type(&s, "f");
    ok(s.quiz_on && s.mode == MODE_MAIN && !s.follow &&
           strstr(s.message, "quiz mode"),
       "quiz mode: f says why not");
    session_close(&s);

    /* The list in Chinese, and Esc back. */
    session_open(&s, load_named("fin-retry-limit"), "zh");
    type(&s, "f");
    ok(strstr(frame(&s, 120, 40), "客户端 15.610 秒超时放弃  "),
       "zh: the client timed out (no errno: no application was told)");
    session_key(&s, KEYS_ESC);
    is_int(s.mode, MODE_MAIN, "Esc: back, following none");
    session_close(&s);
}

int
main(void)
{
    test_list();
    test_follow();
    return done_testing();
}
