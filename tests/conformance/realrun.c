/*
 * realrun: play a synfin scenario on the real Linux TCP stack.
 *
 * Run inside a network namespace made for it (tests/conformance/run.sh
 * does that), as root. It loads the very same JSON file as synfin, then:
 *   - sets the namespace's TCP sysctls to the scenario's parameters;
 *   - loads an nftables ruleset that drops the segments the scenario's
 *     rules drop (see nft_rules below for how "the nth match" is done);
 *   - starts tcpdump on lo, follows the sock:inet_sock_set_state
 *     tracepoint, and samples the socket table (the netlink query ss uses)
 *     every millisecond;
 *   - runs the client's and the server's scripts with real non-blocking
 *     sockets in one process (realrun_apps.c);
 *   - sends the scenario's crafted segments (network.inject) with a raw
 *     socket, numbered from the ISNs the handshakes showed
 *     (realrun_inject.c);
 *   - writes everything it saw to OUTDIR/real.jsonl and the capture to
 *     OUTDIR/capture.pcap, for confcmp to compare with synfin's trace.
 *
 * Exit status: 0 done, 2 bad usage or a scenario it cannot play, 3 the
 * machine lacks something (message says what), 1 any other failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "realrun.h"
#include "realrun_errors.h"
#include "synfin/scenario.h"
#include "synfin/trace.h"
#include "synfin/world.h"

FILE *out;
uint64_t t0_mono_ns;
uint64_t t0_real_ns;
uint32_t addr[2];     /* host order: [SIDE_CLIENT], [SIDE_SERVER] */
char addr_str[2][16]; /* INET_ADDRSTRLEN */
const struct scenario *scn;
static uint64_t hold_us;    /* the hold rules' hold_ms, 0 = none */
volatile sig_atomic_t stop; /* SIGINT or SIGTERM: wind up */

void
die(int code, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "realrun: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    tcpdump_abandon();
    trace_abandon();
    exit(code);
}

static uint64_t
clock_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Microseconds since the scripts' time zero (may be "negative": wraps). */
int64_t
now_us(void)
{
    return ((int64_t)clock_ns(CLOCK_MONOTONIC) - (int64_t)t0_mono_ns) / 1000;
}

const char *const side_name[2] = {"client", "server"};

/* ---- the record ------------------------------------------------------- */

void
rec_call(int side, enum sock_call c, int err, long n, const char *detail)
{
    fprintf(out,
            "{\"kind\":\"call\",\"t_us\":%" PRId64
            ",\"side\":\"%s\",\"call\":\"%s\",\"result\":\"%s\",\"n\":%ld",
            now_us(), side_name[side], sock_call_name(c), trace_errno_name(err),
            n);
    if (detail)
        fprintf(out, ",\"detail\":\"%s\"", detail);
    fputs("}\n", out);
}

void
rec_app(int side, enum app_event ev, int err, long bytes)
{
    fprintf(out,
            "{\"kind\":\"app\",\"t_us\":%" PRId64
            ",\"side\":\"%s\",\"event\":\"%s\",\"error\":\"%s\","
            "\"bytes\":%ld}\n",
            now_us(), side_name[side], app_event_name(ev),
            trace_errno_name(err), bytes);
}

int
addr_side(uint32_t a)
{
    return a == addr[SIDE_CLIENT]   ? SIDE_CLIENT
           : a == addr[SIDE_SERVER] ? SIDE_SERVER
                                    : -1;
}

/* ---- what the machine can do ------------------------------------------ */

int
write_file(const char *path, const char *val)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = write(fd, val, strlen(val));
    close(fd);
    return n == (ssize_t)strlen(val) ? 0 : -1;
}

void
sysctl(const char *name, uint64_t value, bool required)
{
    char path[256], val[32];

    snprintf(path, sizeof path, "/proc/sys/net/ipv4/%s", name);
    snprintf(val, sizeof val, "%" PRIu64, value);
    if (write_file(path, val) != 0) {
        if (required)
            die(3, "cannot set net.ipv4.%s = %s: %s", name, val,
                strerror(errno));
        fprintf(stderr, "realrun: note: net.ipv4.%s not settable here\n", name);
        return;
    }
    fprintf(out,
            "{\"kind\":\"sysctl\",\"name\":\"net.ipv4.%s\",\"value\":%s}\n",
            name, val);
}

static int
run_cmd(const char *const argv[])
{
    pid_t pid = fork();
    int st;

    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    if (waitpid(pid, &st, 0) < 0)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * The scenario's TCP parameters, as sysctls of this namespace. What Linux
 * cannot be told (TIME-WAIT length, initial RTO, delayed ACK) must be the
 * linux profile's value, or the case is refused.
 */
static void
apply_tcp_params(const struct tcp_params *p)
{
    struct tcp_params d;

    tcp_params_default(&d, PROFILE_LINUX);
    if (p->profile != PROFILE_LINUX)
        die(2, "the scenario must use the linux profile (--set "
               "profile=linux)");
    if (p->time_wait_us != d.time_wait_us)
        die(2, "tcp.time_wait_ms: Linux's TIME-WAIT is a fixed 60 s");
    if (p->rto_initial_us != d.rto_initial_us)
        die(2, "tcp.rto_initial_ms: Linux's initial RTO is a fixed 1 s");
    if (p->delack_us != d.delack_us)
        die(2, "tcp.delack_ms: Linux's delayed ACK is not a parameter");
    if (p->fin_timeout_us == 0 || p->fin_timeout_us % 1000000)
        die(2, "tcp.fin_timeout_ms: Linux takes whole seconds, and no "
               "value means 'none'");
    if (p->keepalive_time_us % 1000000 || p->keepalive_intvl_us % 1000000)
        die(2, "tcp.keepalive_*_ms: Linux takes whole seconds");
    sysctl("tcp_syn_retries", p->syn_retries, true);
    sysctl("tcp_synack_retries", p->synack_retries, true);
    sysctl("tcp_retries2", p->retries2, true);
    sysctl("tcp_orphan_retries", p->orphan_retries, true);
    sysctl("tcp_fin_timeout", p->fin_timeout_us / 1000000, true);
    sysctl("tcp_rfc1337", p->rfc1337, true);
    sysctl("tcp_invalid_ratelimit", p->invalid_ratelimit_us / 1000, true);
    sysctl("tcp_early_retrans", p->early_retrans, true);
    sysctl("tcp_keepalive_time", p->keepalive_time_us / 1000000, true);
    sysctl("tcp_keepalive_intvl", p->keepalive_intvl_us / 1000000, true);
    sysctl("tcp_keepalive_probes", p->keepalive_probes, true);
    sysctl("ip_default_ttl", p->ttl, true);
    if (p->isn_tick_ns != d.isn_tick_ns || !p->tw_isn)
        die(2, "tcp.isn_tick_ns, tcp.tw_isn: Linux's ISNs are not a "
               "parameter");
    sysctl("tcp_timestamps", p->timestamps, true);
    /* 2 is "on loopback only": these hosts are on loopback, synfin's are
     * not, so 2 is 0 here as it is there. */
    sysctl("tcp_tw_reuse", p->tw_reuse == 1, true);
    if (access("/proc/sys/net/ipv4/tcp_tw_reuse_delay", F_OK) == 0)
        sysctl("tcp_tw_reuse_delay", p->tw_reuse_delay_us / 1000, true);
    else if (p->tw_reuse_delay_us != d.tw_reuse_delay_us)
        die(3, "tcp.tw_reuse_delay_ms: this kernel has no tcp_tw_reuse_delay");
    /* Since Linux 6.15 (tcp_rto_min_us) and 6.16 (tcp_rto_max_ms). */
    if (access("/proc/sys/net/ipv4/tcp_rto_min_us", F_OK) == 0)
        sysctl("tcp_rto_min_us", p->rto_min_us, true);
    else if (p->rto_min_us != d.rto_min_us)
        die(3, "tcp.rto_min_ms: this kernel has no tcp_rto_min_us");
    if (access("/proc/sys/net/ipv4/tcp_rto_max_ms", F_OK) == 0)
        sysctl("tcp_rto_max_ms", p->rto_max_us / 1000, true);
    else if (p->rto_max_us != d.rto_max_us)
        die(3, "tcp.rto_max_ms: this kernel has no tcp_rto_max_ms");
}

/* ---- nftables: the scenario's drops ----------------------------------- */

/*
 * Every rule becomes rules of an input chain: the packet has left its
 * sender (tcpdump saw it on lo) and is lost before the receiver's TCP sees
 * it, as on a real path. Dropping in the output hook instead would make
 * the sender's own transmit fail with EPERM, which TCP treats differently.
 *
 * "The nth match, and count - 1 after it": one-element dynamic sets used
 * as latches. Step k (1-based) of a rule matches only when latch k-1 is
 * set and latch k is not, and sets latch k; steps before nth let the
 * packet through, steps from nth on drop it. The steps are listed last
 * first, so that a packet that sets latch k is not seen by step k+1 in the
 * same pass. The kernel does all of it atomically per packet: no race with
 * user space, no rule to delete at the right moment. count 0 ("every
 * match from the nth on") ends with a plain drop once latch nth-1 is set.
 *
 * "state": the sender's TCP state is not visible to nftables, so it is
 * read off the FINs delivered so far (the set "fin", filled at the end of
 * the chain with the source of every FIN that got through):
 *   TIME-WAIT, CLOSING, LAST-ACK: both ends' FINs delivered;
 *   CLOSE-WAIT: the peer's FIN delivered, not the sender's;
 *   FIN-WAIT-1, FIN-WAIT-2: the sender's FIN delivered, not the peer's;
 *   ESTABLISHED: no FIN delivered, and no SYN on the packet;
 *   SYN-SENT: SYN without ACK; SYN-RECEIVED: SYN with ACK.
 * That is exact for the scripts of the conformance cases (one connection,
 * each FIN answered); the runner refuses what it cannot express.
 *
 * "data": payload present iff IP length > 20 + 4 * data offset; nftables
 * cannot subtract, so the rule is repeated for each data offset 5..15.
 */
static void
flags_expr(char *buf, size_t size, uint8_t f)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } names[] = {{TCP_FIN, "fin"},
                 {TCP_SYN, "syn"},
                 {TCP_RST, "rst"},
                 {TCP_PSH, "psh"},
                 {TCP_ACK, "ack"}};
    size_t len = 0;

    buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (f & names[i].bit)
            len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                    len ? " | " : "", names[i].name);
    if (!len)
        snprintf(buf, size, "0x0");
}

static void
state_expr(char *buf, size_t size, int side, int state)
{
    const char *me = "ip saddr", *peer = "ip daddr";
    (void)side;

    switch ((enum tcp_state)state) {
    case TCP_TIME_WAIT:
    case TCP_CLOSING:
    case TCP_LAST_ACK: snprintf(buf, size, "%s @fin %s @fin", me, peer); return;
    case TCP_CLOSE_WAIT:
        snprintf(buf, size, "%s != @fin %s @fin", me, peer);
        return;
    case TCP_FIN_WAIT_1:
    case TCP_FIN_WAIT_2:
        snprintf(buf, size, "%s @fin %s != @fin", me, peer);
        return;
    case TCP_ESTABLISHED:
        snprintf(buf, size, "%s != @fin %s != @fin tcp flags & syn == 0", me,
                 peer);
        return;
    case TCP_SYN_SENT:
        snprintf(buf, size, "tcp flags & (syn | ack) == syn");
        return;
    case TCP_SYN_RECEIVED:
        snprintf(buf, size, "tcp flags & (syn | ack) == syn | ack");
        return;
    case TCP_CLOSED:
    case TCP_LISTEN: break;
    }
    die(2, "network.rules: state %s cannot be matched by nftables",
        tcp_state_name((enum tcp_state)state));
}

/* The rules of one action, for the chain that carries it out. */
static void
chain_rules(FILE *f, enum rule_action act)
{
    const struct net_params *net = &scn->net;

    for (size_t r = 0; r < net->nrules; r++) {
        const struct net_rule *nr = &net->rules[r];
        uint32_t steps = nr->nth - 1 + nr->count;
        const char *verdict =
            act == RULE_DROP ? " drop" : " meta priority set 1:2";
        char match[512], fl[64], fn[64], st[160];
        size_t len = 0;

        if (nr->action != act)
            continue;

        match[0] = 0;
        if (nr->from >= 0)
            len += (size_t)snprintf(match + len, sizeof match - len,
                                    "ip saddr %s ", addr_str[nr->from]);
        if (nr->flags_all || nr->flags_none) {
            flags_expr(fl, sizeof fl, nr->flags_all | nr->flags_none);
            flags_expr(fn, sizeof fn, nr->flags_all);
            len += (size_t)snprintf(match + len, sizeof match - len,
                                    "tcp flags & (%s) == %s ", fl,
                                    nr->flags_all ? fn : "0x0");
        } else {
            len += (size_t)snprintf(match + len, sizeof match - len,
                                    "meta l4proto tcp ");
        }
        if (nr->state >= 0) {
            state_expr(st, sizeof st, nr->from, nr->state);
            len += (size_t)snprintf(match + len, sizeof match - len, "%s ", st);
        }
        for (int doff = 5; doff <= 15; doff++) {
            char dm[64] = "";
            if (nr->data == 0)
                snprintf(dm, sizeof dm, "tcp doff %d ip length %d ", doff,
                         20 + 4 * doff);
            else if (nr->data == 1)
                snprintf(dm, sizeof dm, "tcp doff %d ip length > %d ", doff,
                         20 + 4 * doff);
            else if (doff > 5)
                break; /* no data condition: one copy is enough */
            if (nr->count == 0) {
                if (nr->nth > 1)
                    fprintf(f, "    %s%smeta l4proto @r%zus%u counter%s\n",
                            match, dm, r, nr->nth - 1, verdict);
                else
                    fprintf(f, "    %s%scounter%s\n", match, dm, verdict);
            }
            for (uint32_t k = steps; k >= 1; k--) {
                char prev[64] = "";
                if (k > 1)
                    snprintf(prev, sizeof prev, "meta l4proto @r%zus%u ", r,
                             k - 1);
                fprintf(f,
                        "    %s%s%smeta l4proto != @r%zus%u add @r%zus%u "
                        "{ meta l4proto } counter%s\n",
                        match, dm, prev, r, k, r, k,
                        k >= nr->nth ? verdict : "");
            }
        }
    }
}

static void
nft_rules(const char *dir)
{
    const struct net_params *net = &scn->net;
    char path[512];
    FILE *f;

    snprintf(path, sizeof path, "%s/rules.nft", dir);
    f = fopen(path, "w");
    if (!f)
        die(1, "%s: %s", path, strerror(errno));
    fprintf(f, "table inet synfin {\n"
               "  set fin { type ipv4_addr; flags dynamic; }\n");
    for (size_t r = 0; r < net->nrules; r++) {
        const struct net_rule *nr = &net->rules[r];
        uint32_t steps = nr->nth - 1 + (nr->count ? nr->count : 0);
        if (nr->action == RULE_HOLD && nr->hold_us != hold_us)
            die(2,
                "network.rules[%zu]: all hold rules must hold for the "
                "same time",
                r);
        if (nr->seg_id || nr->conn > 1 || nr->from_us || nr->until_us ||
            nr->probability < 1)
            die(2,
                "network.rules[%zu]: segment, conn, from_ms, until_ms "
                "and probability are not supported on real Linux",
                r);
        if (nr->nth > 64 || steps > 64)
            die(2, "network.rules[%zu]: nth and count above 64", r);
        for (uint32_t k = 1; k <= steps; k++)
            fprintf(f, "  set r%zus%u { type inet_proto; flags dynamic; }\n", r,
                    k);
    }
    fprintf(f, "  chain in {\n"
               "    type filter hook input priority 0; policy accept;\n"
               "    udp dport 9 drop\n");
    chain_rules(f, RULE_DROP);
    fprintf(f, "    tcp flags & fin == fin add @fin { ip saddr }\n"
               "  }\n");
    if (hold_us) {
        fprintf(f, "  chain out {\n"
                   "    type filter hook output priority 0; policy accept;\n"
                   "    udp dport 9 meta priority set 1:2\n");
        chain_rules(f, RULE_HOLD);
        fprintf(f, "  }\n");
    }
    fprintf(f, "}\n");
    fclose(f);
    {
        const char *argv[] = {"nft", "-f", path, NULL};
        int rc = run_cmd(argv);
        if (rc == 127)
            die(3, "nft not found (apt-get install nftables)");
        if (rc != 0)
            die(3, "nft -f %s failed (exit %d)", path, rc);
    }
}

/* ---- holding packets back: a gate on lo --------------------------------- */

/*
 * This kernel may have no netem (nor sch_plug) to delay a packet, but it
 * has HTB, and HTB keeps a packet queued while its class is in debt. The
 * gate is an HTB class 1:2 of rate R; the hold rules' packets are steered
 * into it by nftables ("meta priority set 1:2", which HTB takes as the
 * class). Sending a ballast datagram of B bytes through the class puts it
 * B/R seconds in debt: packets that enter the class in that time wait
 * until the debt is paid, then leave at once (a FIN costs 66/R, a few
 * microseconds). R is chosen so that B/R is the hold time, and the runner
 * closes the gate just before each script step: a segment that a step
 * sends (a FIN from close()) is held for hold_ms, as the engine holds it.
 * A matching segment sent later than hold_ms after a step is not held:
 * the cases use holds only for segments that calls send.
 */
enum { BALLAST = 60000 };
static int ballast_fd = -1;
static int64_t gate_until = -1;

static void
gate_setup(void)
{
    char rate[32];
    const char *q[] = {"tc",     "qdisc", "add", "dev",     "lo", "root",
                       "handle", "1:",    "htb", "default", "1",  NULL};
    const char *c1[] = {"tc",     "class",  "add",     "dev",   "lo",
                        "parent", "1:",     "classid", "1:1",   "htb",
                        "rate",   "10gbit", "quantum", "60000", NULL};
    const char *c2[] = {"tc",     "class", "add",     "dev",  "lo",
                        "parent", "1:",    "classid", "1:2",  "htb",
                        "rate",   rate,    "burst",   "1600", "quantum",
                        "60000",  NULL};
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(9)};

    snprintf(rate, sizeof rate, "%" PRIu64 "bit",
             (uint64_t)BALLAST * 8 * 1000000 / hold_us);
    if (run_cmd(q) != 0 || run_cmd(c1) != 0 || run_cmd(c2) != 0)
        die(3, "cannot set up an HTB gate on lo (tc qdisc add ... htb): "
               "hold rules need sch_htb");
    ballast_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sin.sin_addr.s_addr = htonl(addr[SIDE_SERVER]);
    if (ballast_fd < 0 ||
        connect(ballast_fd, (struct sockaddr *)&sin, sizeof sin) < 0)
        die(1, "ballast socket: %s", strerror(errno));
}

void
gate_close(void)
{
    static char ballast[BALLAST];
    int64_t t = now_us();

    if (ballast_fd < 0 || t < gate_until)
        return;
    if (send(ballast_fd, ballast, sizeof ballast, 0) < 0)
        die(1, "ballast: %s", strerror(errno));
    gate_until = t + (int64_t)hold_us;
}

/* ---- netem, where the kernel has it ----------------------------------- */

static void
netem_setup(void)
{
    const struct link_params *a = &scn->net.dir[SIDE_CLIENT],
                             *b = &scn->net.dir[SIDE_SERVER];
    char delay[32];
    const char *argv[] = {"tc",   "qdisc", "add",   "dev", "lo",
                          "root", "netem", "delay", delay, NULL};

    if (a->delay_us != b->delay_us)
        die(2, "netem on lo delays both directions alike: the scenario's "
               "client_to_server and server_to_client delays differ");
    if (hold_us)
        die(2, "hold rules and netem together are not supported");
    snprintf(delay, sizeof delay, "%" PRIu64 "us", a->delay_us);
    if (run_cmd(argv) != 0)
        die(3, "tc qdisc add dev lo root netem failed");
}

/* ---- the run ---------------------------------------------------------- */

/*
 * How long to watch: until the engine's last event other than the end of
 * TIME-WAIT, plus a margin in which an extra retransmission would show.
 */
static int64_t
horizon_us(void)
{
    struct trace tr;
    uint64_t last = 0;

    trace_init(&tr);
    world_run(scn, &tr, NULL);
    for (size_t i = 0; i < tr.len; i++) {
        const struct trace_event *e = trace_at(&tr, i);
        if (e->kind == TRACE_TIMER_FIRE && e->a == TIMER_TIME_WAIT)
            break;
        if (e->kind == TRACE_SEND || e->kind == TRACE_ARRIVE ||
            e->kind == TRACE_CALL || e->kind == TRACE_APP ||
            e->kind == TRACE_DROP || e->kind == TRACE_TIMER_FIRE)
            last = e->t_us;
    }
    trace_free(&tr);
    return (int64_t)last + 1500000;
}

static void
on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void
usage(void)
{
    fputs("usage: realrun [--netem] [--set KEY=VALUE]... SCENARIO.json "
          "OUTDIR\n"
          "Plays SCENARIO on the real TCP stack of this network namespace.\n"
          "--netem: give lo the scenario's delay with netem.\n",
          stderr);
    exit(2);
}

int
main(int argc, char **argv)
{
    const char *sets[64], *path = NULL, *dir = NULL;
    size_t nsets = 0;
    struct synfin_err err;
    struct scenario *s;
    char outpath[512];
    struct utsname un;
    int64_t horizon;
    pid_t pid = getpid();
    bool netem = false;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && nsets < 64)
            sets[nsets++] = argv[++i];
        else if (strcmp(argv[i], "--netem") == 0)
            netem = true;
        else if (argv[i][0] == '-')
            usage();
        else if (!path)
            path = argv[i];
        else if (!dir)
            dir = argv[i];
        else
            usage();
    }
    if (!path || !dir)
        usage();
    s = scenario_load(path, sets, nsets, &err);
    if (!s) {
        fprintf(stderr, "realrun: %s: %s\n", err.where, err.msg);
        return 2;
    }
    scn = s;
    apps_check(s);
    craft_check(s, path);
    if (s->variants)
        die(2, "what-if variants are not Linux");
    for (int d = 0; d < 2; d++)
        if (s->net.dir[d].loss > 0 || s->net.dir[d].dup > 0 ||
            s->net.dir[d].jitter_us > 0)
            die(2, "network.loss, dup and jitter_ms must be 0 (use rules)");
    /* Two addresses of our own on lo, from the pid: the tracepoint is
     * global, and these tell our sockets from any other namespace's. */
    addr[SIDE_CLIENT] = 0x7f000001u | (100u + (uint32_t)pid / 256 % 100) << 16 |
                        (uint32_t)(pid % 256) << 8;
    addr[SIDE_SERVER] = (addr[SIDE_CLIENT] & ~0xffu) | 80u;
    for (int sd = 0; sd < 2; sd++) {
        struct in_addr a = {.s_addr = htonl(addr[sd])};
        inet_ntop(AF_INET, &a, addr_str[sd], sizeof addr_str[sd]);
    }
    snprintf(outpath, sizeof outpath, "%s/real.jsonl", dir);
    out = fopen(outpath, "w");
    if (!out)
        die(1, "%s: %s", outpath, strerror(errno));
    uname(&un);
    horizon = horizon_us();
    if (geteuid() != 0)
        die(3, "must run as root, in a network namespace of its own");
    /*
     * One more namespace, inside the one run.sh made, with a connection
     * hash of its own: a namespace otherwise shares the host's, which the
     * socket-table dump then walks whole (milliseconds on a busy host).
     * It ends with this process and its children.
     */
    if (write_file("/proc/sys/net/ipv4/tcp_child_ehash_entries", "256") != 0 ||
        unshare(CLONE_NEWNET) != 0)
        fprintf(stderr,
                "realrun: note: no private connection hash (%s): "
                "the socket table is sampled more slowly\n",
                strerror(errno));
    {
        const char *argv_lo[] = {"ip", "link", "set", "lo", "up", NULL};
        if (run_cmd(argv_lo) != 0)
            die(3, "ip link set lo up failed (apt-get install iproute2)");
    }
    apply_tcp_params(&s->tcp);
    ports_apply(s);
    for (size_t r = 0; r < s->net.nrules; r++)
        if (s->net.rules[r].action == RULE_HOLD)
            hold_us = s->net.rules[r].hold_us;
    nft_rules(dir);
    if (netem)
        netem_setup();
    if (hold_us)
        gate_setup();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    bool traced = trace_start();
    if (!traced)
        fprintf(stderr, "realrun: note: no tracefs here: states come from "
                        "sampling the socket table only\n");
    diag_fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (diag_fd < 0)
        die(3, "netlink sock_diag: %s", strerror(errno));
    craft_start();
    tcpdump_start(dir);

    t0_mono_ns = clock_ns(CLOCK_MONOTONIC) + 100000000u;
    t0_real_ns = clock_ns(CLOCK_REALTIME) + 100000000u;
    fprintf(out,
            "{\"kind\":\"meta\",\"scenario\":\"%s\",\"kernel\":\"%s %s\","
            "\"client\":\"%s\",\"server\":\"%s\",\"horizon_us\":%" PRId64
            ",\"tracepoint\":%s,\"ss_period_us\":1000}\n",
            s->name, un.sysname, un.release, addr_str[SIDE_CLIENT],
            addr_str[SIDE_SERVER], horizon, traced ? "true" : "false");
    sampler_start(dir, horizon + 200000);
    apps_start();

    while (!stop) {
        struct pollfd pfd[MAX_SOCKS + 1];
        struct rsock *who[MAX_SOCKS + 1];
        nfds_t n = 0;
        int64_t t = now_us(), due = apps_next_due(), wake;
        int64_t due_inject = craft_next_due();
        struct timespec ts;

        if (t >= horizon)
            break;
        for (size_t i = 0; i < MAX_SOCKS; i++) {
            struct rsock *r = &socks[i];
            short ev = 0;
            if (!r->used || r->fd < 0 || r->app_closed || r->gone || r->hup)
                continue;
            if (r->listening)
                ev = POLLIN;
            else if (r->connecting)
                ev = POLLOUT;
            else if (r->connected && !r->cfg->autoread)
                ev = (r->eof ? 0 : POLLRDHUP) | (r->inq ? 0 : POLLIN) |
                     (r->unsent ? POLLOUT : 0);
            else if (r->connected) {
                ev = r->eof ? 0 : POLLIN;
                if (r->unsent)
                    ev |= POLLOUT;
            }
            pfd[n].fd = r->fd;
            pfd[n].events = ev;
            who[n++] = r;
        }
        if (trace_fd >= 0) {
            pfd[n].fd = trace_fd;
            pfd[n].events = POLLIN;
            who[n++] = NULL;
        }
        wake = t + 10000;
        if (due >= 0 && due < wake)
            wake = due;
        if (due_inject >= 0 && due_inject < wake)
            wake = due_inject;
        if (wake < t)
            wake = t;
        ts.tv_sec = (wake - t) / 1000000;
        ts.tv_nsec = (wake - t) % 1000000 * 1000;
        if (ppoll(pfd, n, &ts, NULL) < 0) {
            if (errno != EINTR)
                die(1, "ppoll: %s", strerror(errno));
            continue; /* a signal: revents are not set */
        }
        for (nfds_t i = 0; i < n; i++) {
            if (!pfd[i].revents)
                continue;
            if (!who[i]) {
                trace_drain();
                continue;
            }
            apps_on_ready(who[i], pfd[i].revents);
            /* A hang-up that reading did not settle would spin. */
            if ((pfd[i].revents & POLLHUP) && who[i]->eof)
                who[i]->hup = true;
        }
        apps_run_due();
        craft_run_due();
        for (size_t i = 0; i < MAX_SOCKS; i++)
            if (socks[i].used) {
                apps_notice_input(&socks[i], 0);
                apps_check_gone(&socks[i]);
            }
    }
    tcpdump_stop();
    craft_stop();
    trace_stop();
    sampler_stop(dir);
    pcap_read(dir);
    fprintf(out, "{\"kind\":\"end\",\"t_us\":%" PRId64 "}\n", now_us());
    fclose(out);
    scenario_free(s);
    return 0;
}
