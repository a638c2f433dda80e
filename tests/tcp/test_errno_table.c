/*
 * The errno table of docs/fidelity.md ("Socket calls after a reset or a
 * close") is what the engine does: for each row, bring the client's socket
 * to the row's situation in a small scenario, make the row's call twice
 * (10 ms apart), and compare the two results with the row's columns for
 * the linux and the rfc profiles. The Linux column is checked against the
 * kernel by tests/conformance/errno-table.sh.
 *
 * Usage: test-errno-table DOCS/fidelity.md
 */
#define _DEFAULT_SOURCE /* strsep */
#include <errno.h>

#include "tcptest.h"

#define CALL_AT_MS 20000 /* after every situation has settled */

/* The client's script and the rest of each situation's scenario; the two
 * calls are appended to the client's script. */
static const struct situation {
    const char *name, *client, *server, *extra;
} situations[] = {
    {"reset-established", "",
     "{'on': 'connected', 'after_ms': 20, "
     "'call': 'close'}",
     "'server_linger': 0"},
    {"reset-unread-close",
     "{'on': 'connected', 'after_ms': 5, 'call': 'send', 'bytes': 1},",
     "{'on': 'connected', 'after_ms': 20, 'call': 'close'}", ""},
    {"reset-close-wait", "",
     "{'on': 'connected', 'after_ms': 10, 'call': 'shutdown', 'how': "
     "'write'}, {'on': 'connected', 'after_ms': 20, 'call': 'close'}",
     "'server_linger': 0"},
    {"reset-fin-wait-2",
     "{'on': 'connected', 'after_ms': 10, 'call': 'shutdown', 'how': "
     "'write'},",
     "{'on': 'connected', 'after_ms': 30, 'call': 'close'}",
     "'server_linger': 0"},
    {"shut-wr-fin-wait-1",
     "{'on': 'connected', 'after_ms': 10, 'call': 'shutdown', 'how': "
     "'write'},",
     "",
     "'rules': [{'from': 'server', 'from_ms': 5, 'count': 0, "
     "'action': 'drop'}]"},
    {"shut-wr-fin-wait-2",
     "{'on': 'connected', 'after_ms': 10, 'call': 'shutdown', 'how': "
     "'write'},",
     "", ""},
    {"peer-fin-close-wait", "",
     "{'on': 'connected', 'after_ms': 10, 'call': 'shutdown', 'how': "
     "'write'}",
     ""},
    {"both-fins-time-wait",
     "{'on': 'connected', 'after_ms': 10, 'call': 'shutdown', 'how': "
     "'write'},",
     "{'on': 'connected', 'after_ms': 20, 'call': 'shutdown', 'how': "
     "'write'}",
     ""},
    /* synfin's applications read a connect's outcome, as a non-blocking
     * one does with getsockopt(SO_ERROR): both rows are the same run. */
    {"refused", "", "", "'port': 81"},
    {"refused-so-error-read", "", "", "'port': 81"},
    {"timed-out", "", "",
     "'rules': [{'from': 'client', 'flags': 'SYN', 'count': 0, "
     "'action': 'drop'}]"},
    {"timed-out-so-error-read", "", "",
     "'rules': [{'from': 'client', 'flags': 'SYN', 'count': 0, "
     "'action': 'drop'}]"},
};

static const struct situation *
find_situation(const char *name)
{
    for (size_t i = 0; i < sizeof situations / sizeof situations[0]; i++)
        if (strcmp(situations[i].name, name) == 0)
            return &situations[i];
    return NULL;
}

/* The script step for a call of the table ("shutdown(WR)"), or NULL. */
static const char *
call_step(const char *call, bool refused)
{
    static const struct {
        const char *name, *step;
    } steps[] = {
        {"send", "'call': 'send', 'bytes': 1"},
        {"recv", "'call': 'recv'"},
        {"shutdown(WR)", "'call': 'shutdown', 'how': 'write'"},
        {"shutdown(RD)", "'call': 'shutdown', 'how': 'read'"},
        {"connect", "'call': 'connect'"},
    };
    if (refused && strcmp(call, "connect") == 0)
        return "'call': 'connect', 'port': 81";
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(steps[i].name, call) == 0)
            return steps[i].step;
    return NULL;
}

/* Which of a situation's extras goes where. */
static void
extras(const struct situation *s, const char **port, const char **rules,
       const char **linger)
{
    *port = strstr(s->extra, "'port'") ? ", 'port': 81" : "";
    *rules = strstr(s->extra, "'rules'") ? s->extra : NULL;
    *linger = strstr(s->extra, "server_linger") ? "'linger': 0, " : "";
}

/* Run a situation with a call twice; the two results in got[]. */
static bool
run_row(const struct situation *s, const char *profile, const char *call,
        int got[2])
{
    const char *step = call_step(call, strstr(s->extra, "'port'") != NULL);
    const char *port, *rules, *linger;
    char q[2048];
    struct tt t;
    long i;
    int n = 0;

    extras(s, &port, &rules, &linger);
    snprintf(q, sizeof q,
             "{'title': 'e', 'seed': 1, 'profile': '%s',"
             " 'tcp': {'syn_retries': 1},"
             " 'network': {'delay_ms': 1%s%s},"
             " 'client': {'autoread': false, 'script': ["
             "   {'at_ms': 0, 'call': 'connect'%s}, %s"
             "   {'at_ms': %d, %s}, {'at_ms': %d, %s}]},"
             " 'server': {'autoread': false, %s'script': [{'at_ms': 0, 'call': "
             "'listen'}%s%s]}}",
             profile, rules ? ", " : "", rules ? rules : "", port, s->client,
             CALL_AT_MS, step, CALL_AT_MS + 10, step, linger,
             s->server[0] ? ", " : "", s->server);
    if (!tt_run(&t, s->name, q)) {
        tt_done(&t);
        return false;
    }
    for (i = 0; i < (long)t.tr.len && n < 2; i++) {
        const struct trace_event *e = trace_at(&t.tr, i);
        if (e->kind == TRACE_CALL && e->side == SIDE_CLIENT &&
            e->t_us >= CALL_AT_MS * MS)
            got[n++] = e->b;
    }
    tt_done(&t);
    return n == 2;
}

static char *
trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '`')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '`' || e[-1] == '\n'))
        *--e = 0;
    return s;
}

/* Check one profile's cell, "FIRST, THEN" ("—": the call is not one of
 * synfin's). */
static void
check_cell(const struct situation *s, const char *profile, const char *call,
           char *cell)
{
    char want[128], have[128];
    int got[2];

    if (strcmp(cell, "—") == 0)
        return;
    snprintf(want, sizeof want, "%s", cell);
    if (!run_row(s, profile, call, got)) {
        ok(0, "%s, %s, %s profile: the calls ran", s->name, call, profile);
        return;
    }
    snprintf(have, sizeof have, "%s, %s", trace_errno_name(got[0]),
             trace_errno_name(got[1]));
    is_str(have, want, "%s, %s, %s profile", s->name, call, profile);
}

int
main(int argc, char **argv)
{
    char line[1024];
    FILE *f;
    bool in_table = false;
    int rows = 0;

    if (argc != 2 || !(f = fopen(argv[1], "r"))) {
        printf("Bail out! usage: %s DOCS/fidelity.md\n", argv[0]);
        return 1;
    }
    /* The table's rows: | situation | call | Linux | linux | rfc | */
    while (fgets(line, sizeof line, f)) {
        char *col[6], *p = line;
        int ncol = 0;
        const struct situation *s;

        if (strncmp(line, "<!-- errno-table -->", 20) == 0) {
            in_table = !in_table;
            continue;
        }
        if (!in_table || line[0] != '|' || strstr(line, "---") ||
            strstr(line, "| situation"))
            continue;
        p++;
        while (ncol < 6 && (col[ncol] = strsep(&p, "|")))
            ncol++;
        if (ncol < 5) {
            ok(0, "a row of five columns: %s", line);
            continue;
        }
        for (int i = 0; i < 5; i++)
            col[i] = trim(col[i]);
        if (!(s = find_situation(col[0])) || !call_step(col[1], false)) {
            if (strcmp(col[1], "SO_ERROR") != 0)
                ok(0, "a situation and call the test knows: %s, %s", col[0],
                   col[1]);
            continue;
        }
        check_cell(s, "linux", col[1], col[3]);
        check_cell(s, "rfc", col[1], col[4]);
        rows++;
    }
    fclose(f);
    ok(rows >= 50, "the table has its rows (%d)", rows);
    return done_testing();
}
