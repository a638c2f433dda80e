/*
 * The engine benchmark (issue 2, item 11): N independent connection
 * lifecycles (connect, 100 bytes each way, close, TIME-WAIT expiry) started
 * 0.1 ms apart from 256 client addresses, at a given loss rate, with or
 * without trace recording.
 *
 * With --count it runs one case in this process and prints a report. With
 * no --count it runs the full matrix (N = 1e3, 1e5, 1e6; loss 0, 1 % and
 * 10 %; trace off, and on for N <= 1e5), each case in a fresh child process
 * so that ru_maxrss and the wall time belong to that case alone; the wall
 * time is the child's whole life, from fork to exit.
 *
 * Everything printed is measured: clock_gettime(CLOCK_MONOTONIC) around
 * world_run, getrusage for CPU time and peak RSS, and the engine's own
 * world_stats counters.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "synfin/scenario.h"
#include "synfin/tcp.h"
#include "synfin/trace.h"
#include "synfin/world.h"

#ifndef BENCH_BUILDTYPE
#define BENCH_BUILDTYPE "unknown"
#endif

/* The scenario, as a file would give it; count and loss are overridden. */
static const char bench_json[] =
    "{ \"title\": \"bench\", \"profile\": \"linux\", \"seed\": 7,\n"
    "  \"tcp\": {\"time_wait_ms\": 60000},\n"
    "  \"network\": {\"delay_ms\": 5, \"jitter_ms\": 2, \"loss\": 0.01,\n"
    "              \"routers\": 2},\n"
    "  \"client\": {\"count\": 100000, \"every_ms\": 0.1, \"hosts\": 256,\n"
    "             \"script\": [\n"
    "      {\"at_ms\": 0, \"call\": \"connect\"},\n"
    "      {\"on\": \"connected\", \"call\": \"send\", \"bytes\": 100},\n"
    "      {\"on\": \"data\", \"call\": \"close\"} ]},\n"
    "  \"server\": {\"script\": [ {\"at_ms\": 0, \"call\": \"listen\"},\n"
    "      {\"on\": \"data\", \"call\": \"send\", \"bytes\": 100},\n"
    "      {\"on\": \"eof\", \"call\": \"close\"} ]}\n"
    "}\n";

/* Trace recording keeps every event (about 65 a connection, 9 KB with
 * their snapshots): 1e5 connections make a 0.9 GB trace, 1e6 would need
 * 9 GB. */
enum { TRACE_MAX_COUNT = 100000 };

struct bench_case {
    uint32_t count;
    double loss;
    int trace;
    const char **sets; /* extra --set overrides */
    size_t nsets;
};

static const char usage[] =
    "usage: bench [--count N [--loss P] [--trace | --no-trace]] [--max N]\n"
    "             [--set KEY=VALUE]...\n"
    "\n"
    "With --count, run one case and print a report. Without it, run the\n"
    "matrix N = 1e3, 1e5, 1e6 x loss 0, 0.01, 0.1 x trace off/on (on only\n"
    "for N <= 1e5), each case in its own process; --max N skips larger N.\n"
    "--set overrides a field of the benchmark scenario, as synfin --set\n"
    "does (e.g. --set tcp.time_wait_ms=1000).\n"
    "Exit status: 1 when a connection is still open at the end.\n";

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double
tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* ru_maxrss is in kilobytes on Linux. */
static long
maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static uint64_t
total_open(const struct world_stats *st)
{
    return st->ends[SIDE_CLIENT][END_OPEN] + st->ends[SIDE_SERVER][END_OPEN];
}

/* "closed=999986 reset=14", then any states still held. */
static void
print_ends(FILE *out, const struct world_stats *st, int side)
{
    for (int e = 0; e < END__COUNT; e++)
        if (st->ends[side][e])
            fprintf(out, " %s=%" PRIu64, conn_end_name((enum conn_end)e),
                    st->ends[side][e]);
    for (int k = 0; k < TCP__STATE_COUNT; k++)
        if (st->open[side][k])
            fprintf(out, " [%s: %" PRIu64 "]",
                    tcp_state_name((enum tcp_state)k), st->open[side][k]);
}

/*
 * Run one case here. row: print one tab-separated matrix row (the parent
 * adds the process wall time), else a report. Returns the exit status.
 */
static int
run_case(const struct bench_case *c, int row)
{
    char count[64], loss[64], msg[1024];
    const char **sets = calloc(c->nsets + 2, sizeof *sets);
    struct synfin_err err;
    struct scenario *scn;
    struct world_stats st;
    struct trace trace;
    struct rusage ru;
    long rss_before, rss_after;
    double t0, t1, run_s, mem_per_tcb;

    if (!sets)
        abort();
    snprintf(count, sizeof count, "client.count=%" PRIu32, c->count);
    snprintf(loss, sizeof loss, "network.loss=%.17g", c->loss);
    sets[0] = count;
    sets[1] = loss;
    memcpy(sets + 2, c->sets, c->nsets * sizeof *sets);
    scn = scenario_load_buffer("bench.json", bench_json, strlen(bench_json),
                               sets, c->nsets + 2, &err);
    free(sets);
    if (!scn) {
        fprintf(stderr, "bench: %s\n", synfin_err_str(&err, msg, sizeof msg));
        return 2;
    }
    trace_init(&trace);
    rss_before = maxrss_kb();
    t0 = now_s();
    world_run(scn, c->trace ? &trace : NULL, &st);
    t1 = now_s();
    rss_after = maxrss_kb();
    run_s = t1 - t0;
    /* What the run added to the peak, per TCB alive at its busiest. */
    mem_per_tcb = st.tcbs_peak ? (double)(rss_after - rss_before) * 1024.0 /
                                     (double)st.tcbs_peak
                               : 0.0;

    if (row) {
        /* Tear down first, so that CPU time covers the whole process. */
        size_t trace_len = trace.len;
        double trace_per_conn = (double)trace_bytes(&trace) / c->count;
        trace_free(&trace);
        scenario_free(scn);
        getrusage(RUSAGE_SELF, &ru);
        printf("%8" PRIu32 " %5.1f%% %5s %10" PRIu64 " %6.3f %6.2f %8.1f"
               "\t%6.2f %8.1f %9" PRIu64 " %7" PRIu64 " %6.0f %9zu %6.0f ",
               c->count, c->loss * 100.0, c->trace ? "on" : "off", st.events,
               run_s, (double)st.events / run_s / 1e6,
               (double)c->count / run_s / 1e3,
               tv_s(ru.ru_utime) + tv_s(ru.ru_stime),
               (double)rss_after / 1024.0, st.tcbs_peak, st.inflight_peak,
               mem_per_tcb, trace_len, trace_per_conn);
        print_ends(stdout, &st, SIDE_CLIENT);
        printf(" /");
        print_ends(stdout, &st, SIDE_SERVER);
        printf("\n");
        return total_open(&st) ? 1 : 0;
    }

    printf("synfin bench: %" PRIu32 " connections, loss %g %%, trace %s "
           "(buildtype %s)\n",
           c->count, c->loss * 100.0, c->trace ? "on" : "off", BENCH_BUILDTYPE);
    printf("  simulated     %" PRIu64 ".%06" PRIu64 " s: %" PRIu64
           " events, %" PRIu64 " packets, %" PRIu64 " dropped\n",
           st.end_us / 1000000, st.end_us % 1000000, st.events, st.packets,
           st.dropped);
    printf("  world_run     %.3f s: %.2f M events/s, %.0f connections/s\n",
           run_s, (double)st.events / run_s / 1e6, (double)c->count / run_s);
    printf("  memory        maxrss %.1f MB (%.1f MB before world_run); "
           "tcbs_peak %" PRIu64 ", inflight_peak %" PRIu64 "; %.0f bytes "
           "per TCB alive at the peak\n",
           (double)rss_after / 1024.0, (double)rss_before / 1024.0,
           st.tcbs_peak, st.inflight_peak, mem_per_tcb);
    if (c->trace)
        printf("  trace         %zu events, %.1f MB held: %.0f bytes a "
               "connection (%zu-byte events, their snapshots apart)\n",
               trace.len, (double)trace_bytes(&trace) / 1048576.0,
               (double)trace_bytes(&trace) / c->count,
               sizeof(struct trace_event));
    printf("  client ends  ");
    print_ends(stdout, &st, SIDE_CLIENT);
    printf("\n  server ends  ");
    print_ends(stdout, &st, SIDE_SERVER);
    printf("\n  still open    %" PRIu64 "\n", total_open(&st));
    trace_free(&trace);
    scenario_free(scn);
    getrusage(RUSAGE_SELF, &ru);
    printf("  process       cpu %.3f s (user %.3f, sys %.3f)\n",
           tv_s(ru.ru_utime) + tv_s(ru.ru_stime), tv_s(ru.ru_utime),
           tv_s(ru.ru_stime));
    return total_open(&st) ? 1 : 0;
}

/*
 * Run one case as a child ("self --row ..."), read its row from a pipe and
 * print it with the child's wall time from fork to exit. Returns its exit
 * status.
 */
static int
spawn_case(const char *self, const struct bench_case *c)
{
    char count[64], loss[64], buf[4096], *tab;
    const char **argv = calloc(c->nsets * 2 + 10, sizeof *argv);
    size_t n = 0, len = 0;
    int fd[2], status;
    double t0, wall;
    pid_t pid;
    ssize_t r;

    if (!argv)
        abort();
    snprintf(count, sizeof count, "%" PRIu32, c->count);
    snprintf(loss, sizeof loss, "%.17g", c->loss);
    argv[n++] = self;
    argv[n++] = "--row";
    argv[n++] = "--count";
    argv[n++] = count;
    argv[n++] = "--loss";
    argv[n++] = loss;
    argv[n++] = c->trace ? "--trace" : "--no-trace";
    for (size_t i = 0; i < c->nsets; i++) {
        argv[n++] = "--set";
        argv[n++] = c->sets[i];
    }
    argv[n] = NULL;
    if (pipe(fd) != 0) {
        perror("bench: pipe");
        exit(2);
    }
    fflush(stdout);
    t0 = now_s();
    pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        exit(2);
    }
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDOUT_FILENO);
        close(fd[1]);
        execv(self, (char *const *)argv);
        perror("bench: exec");
        _exit(2);
    }
    free(argv);
    close(fd[1]);
    while (len + 1 < sizeof buf &&
           (r = read(fd[0], buf + len, sizeof buf - 1 - len)) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    close(fd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    wall = now_s() - t0;
    tab = strchr(buf, '\t');
    if (!tab) {
        printf("%8" PRIu32 " %5.1f%% %5s   case failed (status %d)\n", c->count,
               c->loss * 100.0, c->trace ? "on" : "off", status);
        return 2;
    }
    *tab = '\0';
    printf("%s %6.2f %s", buf, wall, tab + 1);
    fflush(stdout);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

static int
run_matrix(const char *self, uint32_t max, const char **sets, size_t nsets)
{
    static const uint32_t counts[] = {1000, 100000, 1000000};
    static const double losses[] = {0.0, 0.01, 0.1};
    int worst = 0;

    printf("synfin bench matrix (buildtype %s); times in seconds, memory in "
           "MB.\n",
           BENCH_BUILDTYPE);
    printf("run: world_run wall time; proc: the whole process, fork to exit; "
           "cpu: its user+sys.\n");
    printf("B/tcb: peak RSS added by world_run per TCB alive at the peak.\n");
    printf("Trace recording is skipped for N > %d (events of %zu bytes, and "
           "their snapshots).\ntr_B/c: the memory the trace holds, per "
           "connection.\n",
           TRACE_MAX_COUNT, sizeof(struct trace_event));
    printf("%8s %6s %5s %10s %6s %6s %8s %6s %6s %8s %9s %7s %6s %9s %6s "
           "%s\n",
           "N", "loss", "trace", "events", "run", "Mev/s", "kconn/s", "proc",
           "cpu", "maxrss", "tcbs_pk", "infl_pk", "B/tcb", "trace_ev", "tr_B/c",
           "ends client / server [still open]");
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        if (max && counts[i] > max)
            continue;
        for (int trace = 0; trace < 2; trace++) {
            if (trace && counts[i] > TRACE_MAX_COUNT)
                continue;
            for (size_t l = 0; l < sizeof losses / sizeof losses[0]; l++) {
                struct bench_case c = {
                    .count = counts[i],
                    .loss = losses[l],
                    .trace = trace,
                    .sets = sets,
                    .nsets = nsets,
                };
                int rc = spawn_case(self, &c);
                if (rc > worst)
                    worst = rc;
            }
        }
    }
    return worst;
}

static int
parse_num(const char *flag, const char *v, double lo, double hi, double *out)
{
    char *end;

    if (!v) {
        fprintf(stderr, "bench: %s needs a value\n", flag);
        return -1;
    }
    errno = 0;
    *out = strtod(v, &end);
    if (errno || *end || end == v || !(*out >= lo && *out <= hi)) {
        fprintf(stderr, "bench: %s: expected a number in [%g, %g], got '%s'\n",
                flag, lo, hi, v);
        return -1;
    }
    return 0;
}

int
main(int argc, char **argv)
{
    struct bench_case c = {.count = 0, .loss = 0.01, .trace = 0};
    const char **sets = calloc((size_t)argc, sizeof *sets);
    int row = 0, rc;
    double v, max = 0;
    size_t nsets = 0;

    if (!sets)
        abort();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--count")) {
            if (parse_num(a, next, 1, 4e9, &v))
                return 2;
            c.count = (uint32_t)v;
            i++;
        } else if (!strcmp(a, "--loss")) {
            if (parse_num(a, next, 0, 1, &c.loss))
                return 2;
            i++;
        } else if (!strcmp(a, "--max")) {
            if (parse_num(a, next, 1, 4e9, &max))
                return 2;
            i++;
        } else if (!strcmp(a, "--set") && next) {
            sets[nsets++] = next;
            i++;
        } else if (!strcmp(a, "--trace")) {
            c.trace = 1;
        } else if (!strcmp(a, "--no-trace")) {
            c.trace = 0;
        } else if (!strcmp(a, "--row")) {
            row = 1;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            free(sets);
            return 0;
        } else {
            fprintf(stderr, "bench: unknown argument '%s'\n%s", a, usage);
            free(sets);
            return 2;
        }
    }
    c.sets = sets;
    c.nsets = nsets;
    if (c.count)
        rc = run_case(&c, row);
    else /* Each case re-runs this program: find it even if argv[0] cannot. */
        rc = run_matrix(access("/proc/self/exe", X_OK) == 0 ? "/proc/self/exe"
                                                            : argv[0],
                        (uint32_t)max, sets, nsets);
    free(sets);
    return rc;
}
