/*
 * The socket model of "clients": ports held by sockets that only bind(),
 * SO_REUSEADDR on both sides (Linux inet_bind_conflict), a connect() from
 * a bound port whose 4-tuple is in TIME-WAIT (Linux tcp_twsk_unique), and
 * each client socket's own address and ISN. The figures are those recorded
 * on Linux 6.18 (docs/fidelity.md, "Ports").
 */
#include <errno.h>

#include "tcptest.h"

#define LINUX "'title': 's', 'seed': 1, 'profile': 'linux', "
#define RFC   "'title': 's', 'seed': 1, 'profile': 'rfc', "
#define SERVER                                                                 \
    "'server': {'isn': 5000, 'script': [{'at_ms': 0, 'call': 'listen'},"       \
    " {'on': 'eof', 'after_ms': 10, 'call': 'close'}]}"
/* Socket 1: port 40001, ISN 1000, opens and closes first: TIME-WAIT. */
#define HOLDER(reuse)                                                          \
    "{'port': 40001, 'isn': 1000, 'reuseaddr': " reuse ", 'script': ["         \
    " {'at_ms': 0, 'call': 'connect'},"                                        \
    " {'on': 'connected', 'after_ms': 100, 'call': 'close'}]}"

/* The result of the nth call (from 1) of side's sockets, -1 if none. */
static int
call_result(const struct tt *t, int call, int nth, uint32_t *conn)
{
    long i = -1;

    for (int k = 0; k < nth; k++)
        if ((i = tt_call(t, i + 1, SIDE_CLIENT, call)) < 0)
            return -1;
    if (conn)
        *conn = trace_at(&t->tr, i)->conn;
    return trace_at(&t->tr, i)->b;
}

/* bind() beside a socket that only bound the port: EADDRINUSE unless both
 * have SO_REUSEADDR (recorded: "bound" rows of the table). */
static void
test_bind_beside_bound(void)
{
    struct tt t;
    uint32_t conn;

    tt_run(&t, "bind() beside a bound socket",
           "{" LINUX "'clients': ["
           " {'script': [{'at_ms': 0, 'call': 'bind', 'port': 40001}]},"
           " {'reuseaddr': true, 'script': [{'at_ms': 1, 'call': 'bind',"
           "  'port': 40001}]},"
           " {'reuseaddr': true, 'script': [{'at_ms': 2, 'call': 'bind',"
           "  'port': 40002}]},"
           " {'reuseaddr': true, 'script': [{'at_ms': 3, 'call': 'bind',"
           "  'port': 40002}]},"
           " {'script': [{'at_ms': 4, 'call': 'bind', 'port': 40002}]},"
           " {'address': '192.0.2.2', 'script': [{'at_ms': 5, 'call': 'bind',"
           "  'port': 40001}]},"
           " {'script': [{'at_ms': 6, 'call': 'close'},"
           "  {'at_ms': 7, 'call': 'bind', 'port': 40003}]}"
           "], " SERVER "}");
    is_int(call_result(&t, CALL_BIND, 1, &conn), 0, "%s: the first binds",
           t.name);
    is_int(conn, 1, "%s: entry 0 is connection 1", t.name);
    is_int(call_result(&t, CALL_BIND, 2, &conn), EADDRINUSE,
           "%s: SO_REUSEADDR on the newcomer only: EADDRINUSE", t.name);
    is_int(conn, 2, "%s: entry 1 is connection 2", t.name);
    is_int(call_result(&t, CALL_BIND, 3, NULL), 0, "%s: a free port", t.name);
    is_int(call_result(&t, CALL_BIND, 4, NULL), 0,
           "%s: both with SO_REUSEADDR share it", t.name);
    is_int(call_result(&t, CALL_BIND, 5, NULL), EADDRINUSE,
           "%s: a third without the option may not", t.name);
    is_int(call_result(&t, CALL_BIND, 6, NULL), 0,
           "%s: the same port on another address is free", t.name);
    is_int(call_result(&t, CALL_BIND, 7, NULL), 0,
           "%s: a closed socket binds nothing, and binding after close is "
           "the socket's own business",
           t.name);
    tt_done(&t);
}

/* The TIME-WAIT keeps its socket's SO_REUSEADDR: both must have it. */
static void
test_bind_time_wait(void)
{
    struct tt t;

    tt_run(&t, "bind() to a port in TIME-WAIT",
           "{" LINUX
           "'clients': [" HOLDER("true") ","
                                         " {'reuseaddr': true, 'script': "
                                         "[{'at_ms': 1000, 'call': 'bind',"
                                         "  'port': 40001}]},"
                                         " {'script': [{'at_ms': 1100, 'call': "
                                         "'bind', 'port': 40001}]}"
                                         "], " SERVER "}");
    ok(tt_state(&t, 0, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_TIME_WAIT) >= 0,
       "%s: socket 1's connection is in TIME-WAIT", t.name);
    is_int(call_result(&t, CALL_BIND, 1, NULL), 0,
           "%s: SO_REUSEADDR on both: allowed", t.name);
    is_int(call_result(&t, CALL_BIND, 2, NULL), EADDRINUSE,
           "%s: without it: EADDRINUSE", t.name);
    tt_done(&t);

    tt_run(&t, "bind() to a port in TIME-WAIT left without SO_REUSEADDR",
           "{" LINUX
           "'clients': [" HOLDER("false") ","
                                          " {'reuseaddr': true, 'script': "
                                          "[{'at_ms': 1000, 'call': 'bind',"
                                          "  'port': 40001}]}"
                                          "], " SERVER "}");
    is_int(call_result(&t, CALL_BIND, 1, NULL), EADDRINUSE,
           "%s: SO_REUSEADDR on the newcomer only: EADDRINUSE", t.name);
    tt_done(&t);
}

/*
 * connect() from a bound port whose 4-tuple is in TIME-WAIT: Linux takes
 * the TIME-WAIT over, the new ISN its SND.NXT + 65535 + 2 (recorded: old
 * SND.NXT 4022083309, new ISN 4022148846); a pinned ISN still wins. The
 * rfc profile refuses: the connection exists.
 */
static void
test_connect_takes_over_time_wait(void)
{
    struct tt t;
    long i, syn;

    tt_run(&t, "connect() over a TIME-WAIT",
           "{" LINUX "'clients': [" HOLDER(
               "true") ","
                       " {'port': 40001, 'reuseaddr': true, 'script': ["
                       "  {'at_ms': 1000, 'call': 'connect'}]}"
                       "], " SERVER "}");
    is_int(call_result(&t, CALL_CONNECT, 2, NULL), 0, "%s: connect() = 0",
           t.name);
    i = tt_state(&t, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    ok(i >= 0 && trace_at(&t.tr, i)->conn == 1 &&
           trace_at(&t.tr, i)->t_us == 1000 * 1000,
       "%s: socket 1's TIME-WAIT ends at the connect()", t.name);
    syn = tt_send(&t, i, SIDE_CLIENT, TCP_SYN);
    /* Socket 1 sent SYN (1000) and FIN (1001): SND.NXT 1002. */
    ok(syn >= 0 && trace_at(&t.tr, syn)->conn == 2 &&
           trace_at(&t.tr, syn)->seg.seq == 1002 + 65535 + 2,
       "%s: the new SYN's ISN is the old SND.NXT + 65537", t.name);
    tt_done(&t);

    tt_run(
        &t, "connect() over a TIME-WAIT, ISN pinned",
        "{" LINUX "'clients': [" HOLDER(
            "true") ","
                    " {'port': 40001, 'reuseaddr': true, 'isn': 7, 'script': ["
                    "  {'at_ms': 1000, 'call': 'connect'}]}"
                    "], " SERVER "}");
    syn = tt_send(&t, tt_call(&t, 0, SIDE_CLIENT, CALL_CONNECT) + 1,
                  SIDE_CLIENT, TCP_SYN);
    syn = tt_send(&t, syn + 1, SIDE_CLIENT, TCP_SYN);
    ok(syn >= 0 && trace_at(&t.tr, syn)->seg.seq == 7,
       "%s: the pinned ISN wins", t.name);
    tt_done(&t);

    tt_run(&t, "connect() over a TIME-WAIT, rfc profile",
           "{" RFC "'tcp': {'msl_ms': 5000}, 'clients': [" HOLDER(
               "true") ","
                       " {'port': 40001, 'reuseaddr': true, 'script': ["
                       "  {'at_ms': 1000, 'call': 'connect'}]}"
                       "], " SERVER "}");
    is_int(call_result(&t, CALL_CONNECT, 2, NULL), EADDRNOTAVAIL,
           "%s: the connection exists: EADDRNOTAVAIL", t.name);
    tt_done(&t);
}

/* A fixed port is bound before connect() in the linux profile: bind()'s
 * rules apply, and the call fails with bind()'s error. */
static void
test_fixed_port_binds(void)
{
    struct tt t;

    tt_run(&t, "a fixed port is bound first",
           "{" LINUX "'clients': [" HOLDER(
               "false") ","
                        " {'port': 40001, 'script': [{'at_ms': 1000, 'call': "
                        "'connect'}]}"
                        "], " SERVER "}");
    is_int(call_result(&t, CALL_CONNECT, 2, NULL), EADDRINUSE,
           "%s: the TIME-WAIT holds the port: EADDRINUSE", t.name);
    tt_done(&t);
}

/* Ephemeral ports skip a port a socket bound (inet_hash_connect); the
 * engine's cursor starts at 40000. */
static void
test_ephemeral_skips_bound(void)
{
    struct tt t;
    long s;

    tt_run(&t, "ephemeral ports skip bound ones",
           "{" LINUX "'clients': ["
           " {'script': [{'at_ms': 0, 'call': 'bind', 'port': 40000}]},"
           " {'script': [{'at_ms': 1, 'call': 'connect'}]}"
           "], " SERVER "}");
    s = tt_send(&t, 0, SIDE_CLIENT, TCP_SYN);
    ok(s >= 0 && trace_at(&t.tr, s)->seg.sport == 40001,
       "%s: the connection takes 40001, not the bound 40000", t.name);
    tt_done(&t);
}

int
main(void)
{
    test_bind_beside_bound();
    test_bind_time_wait();
    test_connect_takes_over_time_wait();
    test_fixed_port_binds();
    test_ephemeral_skips_bound();
    return done_testing();
}
