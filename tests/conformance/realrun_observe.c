/*
 * What realrun sees of the kernel besides the capture: the
 * sock:inet_sock_set_state tracepoint (every state change of a full
 * socket, to the microsecond) and the socket table, sampled every
 * millisecond (the timewait and request sockets the tracepoint does not
 * follow). See realrun.h.
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
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "realrun.h"
#include "realrun_errors.h"

#define MAX_TW 32

static char trace_inst[256]; /* tracefs instance dir, "" when none */
static char trace_mnt[128];

/* ---- Linux state names ------------------------------------------------ */

/* include/net/tcp_states.h */
static const char *
linux_state(int s)
{
    static const char *const names[] = {
        [1] = "ESTABLISHED", [2] = "SYN-SENT",   [3] = "SYN-RECEIVED",
        [4] = "FIN-WAIT-1",  [5] = "FIN-WAIT-2", [6] = "TIME-WAIT",
        [7] = "CLOSED",      [8] = "CLOSE-WAIT", [9] = "LAST-ACK",
        [10] = "LISTEN",     [11] = "CLOSING",   [12] = "SYN-RECEIVED",
    };
    return s > 0 && s <= 12 ? names[s] : "?";
}

/* The tracepoint prints "TCP_FIN_WAIT1". */
static const char *
tp_state(const char *name)
{
    static const struct {
        const char *tp, *rfc;
    } map[] = {
        {"TCP_ESTABLISHED", "ESTABLISHED"},
        {"TCP_SYN_SENT", "SYN-SENT"},
        {"TCP_SYN_RECV", "SYN-RECEIVED"},
        {"TCP_FIN_WAIT1", "FIN-WAIT-1"},
        {"TCP_FIN_WAIT2", "FIN-WAIT-2"},
        {"TCP_TIME_WAIT", "TIME-WAIT"},
        {"TCP_CLOSE_WAIT", "CLOSE-WAIT"},
        {"TCP_CLOSE", "CLOSED"},
        {"TCP_LAST_ACK", "LAST-ACK"},
        {"TCP_LISTEN", "LISTEN"},
        {"TCP_CLOSING", "CLOSING"},
        {"TCP_NEW_SYN_RECV", "SYN-RECEIVED"},
    };
    size_t n = strcspn(name, " \n");
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i].tp) == n && strncmp(map[i].tp, name, n) == 0)
            return map[i].rfc;
    return NULL;
}

/* ---- the state tracepoint --------------------------------------------- */

int trace_fd = -1;

/* Instances left by a runner that was killed (synfin-conf-PID, PID gone). */
static void
trace_cleanup_stale(const char *root)
{
    char path[512];
    DIR *d;
    struct dirent *e;

    snprintf(path, sizeof path, "%s/instances", root);
    if (!(d = opendir(path)))
        return;
    while ((e = readdir(d))) {
        char proc[64], inst[800];
        int pid;
        if (sscanf(e->d_name, "synfin-conf-%d", &pid) != 1)
            continue;
        snprintf(proc, sizeof proc, "/proc/%d", pid);
        if (access(proc, F_OK) == 0)
            continue;
        snprintf(inst, sizeof inst, "%s/%s", path, e->d_name);
        rmdir(inst);
    }
    closedir(d);
}

bool
trace_start(void)
{
    char path[512];
    const char *root = NULL;

    /* ip netns exec gives us a mount namespace of our own: a tracefs
     * mounted here is gone when we exit. */
    if (access("/sys/kernel/tracing/instances", F_OK) == 0) {
        root = "/sys/kernel/tracing";
    } else {
        snprintf(trace_mnt, sizeof trace_mnt, "/tmp/synfin-conf-tracefs-%d",
                 (int)getpid());
        mkdir(trace_mnt, 0700);
        if (mount("nodev", trace_mnt, "tracefs", 0, NULL) == 0)
            root = trace_mnt;
        else
            rmdir(trace_mnt), trace_mnt[0] = 0;
    }
    if (!root)
        return false;
    trace_cleanup_stale(root);
    snprintf(trace_inst, sizeof trace_inst, "%s/instances/synfin-conf-%d", root,
             (int)getpid());
    if (mkdir(trace_inst, 0700) != 0) {
        trace_inst[0] = 0;
        return false;
    }
    snprintf(path, sizeof path, "%s/trace_clock", trace_inst);
    if (write_file(path, "mono") != 0)
        return false;
    snprintf(path, sizeof path, "%s/buffer_size_kb", trace_inst);
    write_file(path, "512");
    snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/enable",
             trace_inst);
    if (write_file(path, "1") != 0)
        return false;
    snprintf(path, sizeof path, "%s/" ERRORS_EVENT, trace_inst);
    if (write_file(path, "1") != 0)
        return false;
    snprintf(path, sizeof path, "%s/trace_pipe", trace_inst);
    trace_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    return trace_fd >= 0;
}

static char tbuf[1 << 16];
static size_t tlen;

static void
trace_line(char *line)
{
    char *ev = strstr(line, " inet_sock_set_state: "), *p, *q;
    double ts;
    unsigned sport = 0, dport = 0;
    const char *from, *to;
    struct in_addr sa, da;
    char sbuf[32], dbuf[32];
    int side;

    if (!ev) {
        errors_trace_line(line);
        return;
    }
    *ev = 0;
    p = strrchr(line, ' ');
    if (!p || sscanf(p + 1, "%lf", &ts) != 1)
        return;
    ev += 1;
    if (!strstr(ev, "family=AF_INET ") || !strstr(ev, "IPPROTO_TCP"))
        return;
    if (!(p = strstr(ev, " sport=")) || sscanf(p + 7, "%u", &sport) != 1 ||
        !(p = strstr(ev, " dport=")) || sscanf(p + 7, "%u", &dport) != 1 ||
        !(p = strstr(ev, " saddr=")) || sscanf(p + 7, "%31s", sbuf) != 1 ||
        !(p = strstr(ev, " daddr=")) || sscanf(p + 7, "%31s", dbuf) != 1 ||
        !(p = strstr(ev, " oldstate=")) || !(q = strstr(ev, " newstate=")))
        return;
    from = tp_state(p + 10);
    to = tp_state(q + 10);
    if (!from || !to || inet_pton(AF_INET, sbuf, &sa) != 1 ||
        inet_pton(AF_INET, dbuf, &da) != 1)
        return;
    side = addr_side(ntohl(sa.s_addr));
    if (side < 0)
        return;
    fprintf(out,
            "{\"kind\":\"state\",\"src\":\"tracepoint\",\"t_us\":%" PRId64
            ",\"side\":\"%s\",\"lport\":%u,\"rport\":%u,\"from\":\"%s\","
            "\"to\":\"%s\"}\n",
            (int64_t)(ts * 1e6) - (int64_t)(t0_mono_ns / 1000), side_name[side],
            sport, dport, from, to);
}

void
trace_drain(void)
{
    ssize_t n;

    if (trace_fd < 0)
        return;
    while ((n = read(trace_fd, tbuf + tlen, sizeof tbuf - 1 - tlen)) > 0) {
        char *line = tbuf, *nl;
        tlen += (size_t)n;
        tbuf[tlen] = 0;
        while ((nl = strchr(line, '\n'))) {
            *nl = 0;
            trace_line(line);
            line = nl + 1;
        }
        tlen -= (size_t)(line - tbuf);
        memmove(tbuf, line, tlen);
        if (tlen == sizeof tbuf - 1)
            tlen = 0; /* a line that long is not ours */
    }
}

void
trace_stop(void)
{
    char path[600];

    if (!trace_inst[0])
        return;
    trace_drain();
    if (trace_fd >= 0)
        close(trace_fd);
    snprintf(path, sizeof path, "%s/events/sock/inet_sock_set_state/enable",
             trace_inst);
    write_file(path, "0");
    snprintf(path, sizeof path, "%s/" ERRORS_EVENT, trace_inst);
    write_file(path, "0");
    rmdir(trace_inst);
    trace_inst[0] = 0;
    if (trace_mnt[0]) {
        umount(trace_mnt);
        rmdir(trace_mnt);
    }
}

/* ---- ss: the socket table, sampled ------------------------------------ */

/*
 * The tracepoint sees full sockets only. Linux hands TIME-WAIT (and an
 * orphan's FIN-WAIT-2) to a small timewait socket, whose states only the
 * socket table shows: the netlink dump that `ss -tan` makes, every 1 ms.
 */
struct tw_seen {
    uint32_t laddr, raddr;
    uint16_t lport, rport;
    uint8_t state;
    bool listed;     /* in the dump being read */
    uint8_t missing; /* dumps in a row without it */
};
static struct tw_seen seen[MAX_TW];
static size_t nseen;
int diag_fd = -1;
static uint32_t diag_seq;

static void
ss_sample(void)
{
    struct {
        struct nlmsghdr nlh;
        struct inet_diag_req_v2 r;
    } req;
    static uint8_t buf[32768];
    bool done = false;
    int64_t t;

    if (diag_fd < 0)
        return;
    memset(&req, 0, sizeof req);
    req.nlh.nlmsg_len = sizeof req;
    req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.nlh.nlmsg_seq = ++diag_seq;
    req.r.sdiag_family = AF_INET;
    req.r.sdiag_protocol = IPPROTO_TCP;
    req.r.idiag_states = ~0u;
    if (send(diag_fd, &req, sizeof req, 0) < 0)
        return;
    /* The kernel fills the first batch of a dump in send(): a state in it
     * held at some moment before send() returned. */
    t = now_us();
    for (size_t i = 0; i < nseen; i++)
        seen[i].listed = false;
    while (!done) {
        ssize_t n = recv(diag_fd, buf, sizeof buf, 0);
        struct nlmsghdr *h = (struct nlmsghdr *)buf;
        if (n <= 0)
            return;
        for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
            const struct inet_diag_msg *m;
            uint32_t la, ra;
            uint16_t lp, rp;
            size_t i;
            int side;

            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
                done = true;
                break;
            }
            m = NLMSG_DATA(h);
            la = ntohl(m->id.idiag_src[0]);
            ra = ntohl(m->id.idiag_dst[0]);
            lp = ntohs(m->id.idiag_sport);
            rp = ntohs(m->id.idiag_dport);
            side = addr_side(la);
            /* A socket that only bound its port (the dump lists it, in
             * TCP_CLOSE) has no connection: synfin shows no state for it. */
            if (side < 0 || (rp == 0 && m->idiag_state == 7))
                continue;
            for (i = 0; i < nseen; i++)
                if (seen[i].laddr == la && seen[i].raddr == ra &&
                    seen[i].lport == lp && seen[i].rport == rp)
                    break;
            if (i < nseen)
                seen[i].listed = true;
            if (i < nseen && seen[i].state == m->idiag_state)
                continue;
            if (i == nseen) {
                if (nseen == MAX_TW)
                    continue;
                nseen++;
                seen[i].laddr = la;
                seen[i].raddr = ra;
                seen[i].lport = lp;
                seen[i].rport = rp;
            }
            seen[i].state = m->idiag_state;
            seen[i].listed = true;
            seen[i].missing = 0;
            fprintf(out,
                    "{\"kind\":\"ss\",\"t_us\":%" PRId64
                    ",\"side\":\"%s\",\"lport\":%u,\"rport\":%u,"
                    "\"state\":\"%s\"}\n",
                    t, side_name[side], lp, rp, linux_state(m->idiag_state));
        }
    }
    /* A socket gone from the table is CLOSED: for a timewait socket (an
     * orphan's FIN-WAIT-2 after tcp_fin_timeout) nothing else says so. */
    for (size_t i = 0; i < nseen; i++) {
        int side = addr_side(seen[i].laddr);
        if (seen[i].listed) {
            seen[i].missing = 0;
            continue;
        }
        /* Gone from two dumps in a row: a dump taken while the kernel
         * moves a socket between its hash chains can miss it once (a
         * simultaneous open under load did). */
        if (seen[i].state == 7 || side < 0 || ++seen[i].missing < 2)
            continue;
        seen[i].state = 7;
        fprintf(out,
                "{\"kind\":\"ss\",\"t_us\":%" PRId64
                ",\"side\":\"%s\",\"lport\":%u,\"rport\":%u,"
                "\"state\":\"CLOSED\"}\n",
                t, side_name[side], seen[i].lport, seen[i].rport);
    }
}

/*
 * The dump walks the kernel's whole connection hash, which can take a good
 * part of a millisecond on a busy machine: it runs in a child process of
 * its own, so that the scripts' loop never waits for it.
 */
static pid_t sampler_pid = -1;

void
sampler_start(const char *dir, int64_t until)
{
    char path[512];

    snprintf(path, sizeof path, "%s/ss.jsonl", dir);
    fflush(out);
    sampler_pid = fork();
    if (sampler_pid < 0)
        die(1, "fork: %s", strerror(errno));
    if (sampler_pid > 0)
        return;
    /* SIGTERM sets stop: the loop below ends and the file is complete. */
    /* An open trace_pipe would keep the instance busy (rmdir: EBUSY). */
    if (trace_fd >= 0)
        close(trace_fd);
    out = fopen(path, "w");
    if (!out)
        _exit(1);
    while (now_us() < until && !stop) {
        int64_t next = now_us() + 1000;
        struct timespec ts;
        ss_sample();
        ts.tv_sec = 0;
        ts.tv_nsec = next > now_us() ? (next - now_us()) * 1000 : 0;
        nanosleep(&ts, NULL);
    }
    fclose(out);
    _exit(0);
}

void
sampler_stop(const char *dir)
{
    char path[512], line[512];
    FILE *f;
    int st;

    if (sampler_pid <= 0)
        return;
    kill(sampler_pid, SIGTERM);
    waitpid(sampler_pid, &st, 0);
    snprintf(path, sizeof path, "%s/ss.jsonl", dir);
    f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        fputs(line, out);
    fclose(f);
    unlink(path);
}

/* A tracefs instance left behind would outlive us: remove it on the way
 * out of a failure. */
void
trace_abandon(void)
{
    if (trace_inst[0])
        rmdir(trace_inst);
}
