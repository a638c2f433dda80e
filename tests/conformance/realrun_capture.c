/*
 * The capture: tcpdump on lo for the whole run, and its file read back as
 * the record's "seg" and "icmp" lines (a segment realrun_inject.c sent is
 * tagged "injected").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "realrun.h"
#include "synfin/trace.h"

static pid_t tcpdump_pid = -1;

/* die() on the way out: stop it now, without waiting. */
void
tcpdump_abandon(void)
{
    if (tcpdump_pid > 0)
        kill(tcpdump_pid, SIGTERM);
}

void
tcpdump_start(const char *dir)
{
    char path[512], filter[160];
    struct stat sb;

    snprintf(path, sizeof path, "%s/capture.pcap", dir);
    unlink(path);
    snprintf(filter, sizeof filter, "host %s or host %s", addr_str[SIDE_CLIENT],
             addr_str[SIDE_SERVER]);
    tcpdump_pid = fork();
    if (tcpdump_pid < 0)
        die(1, "fork: %s", strerror(errno));
    if (tcpdump_pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        /* --immediate-mode: no block timeout, so the last packets are in
         * the file when we stop it; -Z root: stay root for the file. */
        execlp("tcpdump", "tcpdump", "-i", "lo", "-n", "-U", "--immediate-mode",
               "-s", "256", "-Z", "root", "-w", path, filter, (char *)NULL);
        _exit(127);
    }
    /* The file appears once the capture is active. */
    for (int i = 0; i < 300; i++) {
        int st;
        if (stat(path, &sb) == 0 && sb.st_size >= 24)
            break;
        if (waitpid(tcpdump_pid, &st, WNOHANG) == tcpdump_pid) {
            tcpdump_pid = -1;
            die(3, "tcpdump did not start (apt-get install tcpdump)");
        }
        usleep(10000);
    }
    if (stat(path, &sb) != 0)
        die(3, "tcpdump wrote no capture file");
    usleep(50000);
}

void
tcpdump_stop(void)
{
    int st;

    if (tcpdump_pid <= 0)
        return;
    usleep(100000);
    kill(tcpdump_pid, SIGINT);
    waitpid(tcpdump_pid, &st, 0);
    tcpdump_pid = -1;
}

static uint32_t
rd32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

/* The capture as "seg" records: every TCP segment between our addresses. */
void
pcap_read(const char *dir)
{
    char path[512];
    uint8_t hdr[24], rh[16], pkt[256];
    FILE *f;
    bool swap, nsec;
    uint32_t magic, link;

    snprintf(path, sizeof path, "%s/capture.pcap", dir);
    f = fopen(path, "rb");
    if (!f || fread(hdr, 1, 24, f) != 24)
        die(1, "%s: cannot read the capture", path);
    memcpy(&magic, hdr, 4);
    swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
    nsec = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u;
    if (!swap && magic != 0xa1b2c3d4u && magic != 0xa1b23c4du)
        die(1, "%s: not a classic pcap file", path);
    link = rd32(hdr + 20, swap);
    if (link != 1)
        die(1, "%s: link type %u, expected Ethernet (lo)", path, link);
    while (fread(rh, 1, 16, f) == 16) {
        uint32_t sec = rd32(rh, swap), frac = rd32(rh + 4, swap);
        uint32_t incl = rd32(rh + 8, swap), take = incl;
        uint64_t ns = (uint64_t)sec * 1000000000u +
                      (nsec ? frac : (uint64_t)frac * 1000u);
        const uint8_t *ip, *tcp;
        uint32_t ihl, tot, doff, sa, da;
        int from;
        char flags[24];

        if (take > sizeof pkt)
            take = sizeof pkt;
        if (fread(pkt, 1, take, f) != take)
            break;
        if (incl > take)
            fseek(f, (long)(incl - take), SEEK_CUR);
        if (take < 14 + 20 || pkt[12] != 0x08 || pkt[13] != 0x00)
            continue;
        ip = pkt + 14;
        ihl = (ip[0] & 15u) * 4;
        tot = (uint32_t)ip[2] << 8 | ip[3];
        sa = (uint32_t)ip[12] << 24 | (uint32_t)ip[13] << 16 |
             (uint32_t)ip[14] << 8 | ip[15];
        da = (uint32_t)ip[16] << 24 | (uint32_t)ip[17] << 16 |
             (uint32_t)ip[18] << 8 | ip[19];
        from = addr_side(sa);
        if (from < 0 || addr_side(da) < 0)
            continue;
        if (ip[9] == 1) {
            fprintf(out,
                    "{\"kind\":\"icmp\",\"t_us\":%" PRId64
                    ",\"from\":\"%s\",\"type\":%u,\"code\":%u}\n",
                    ((int64_t)ns - (int64_t)t0_real_ns) / 1000, side_name[from],
                    ip[ihl], ip[ihl + 1]);
            continue;
        }
        if (ip[9] != 6 || take < 14 + ihl + 20)
            continue;
        tcp = ip + ihl;
        doff = (uint32_t)(tcp[12] >> 4) * 4;
        fprintf(out,
                "{\"kind\":\"seg\",\"t_us\":%" PRId64
                ",\"from\":\"%s\",\"sport\":%u,\"dport\":%u,\"seq\":%u,"
                "\"ack\":%u,\"len\":%u,\"flags\":\"%s\",\"wnd\":%u,"
                "\"ttl\":%u%s}\n",
                ((int64_t)ns - (int64_t)t0_real_ns) / 1000, side_name[from],
                (unsigned)(tcp[0] << 8 | tcp[1]),
                (unsigned)(tcp[2] << 8 | tcp[3]), rd32(tcp + 4, true),
                rd32(tcp + 8, true), tot - ihl - doff,
                tcp_flags_str(tcp[13] & 0x1f, flags),
                (unsigned)(tcp[14] << 8 | tcp[15]), ip[8],
                craft_was(((int64_t)ns - (int64_t)t0_real_ns) / 1000, from,
                          (unsigned)(tcp[0] << 8 | tcp[1]),
                          (unsigned)(tcp[2] << 8 | tcp[3]), rd32(tcp + 4, true),
                          rd32(tcp + 8, true), tcp[13] & 0x1f, tot - ihl - doff)
                    ? ",\"injected\":true"
                    : "");
    }
    fclose(f);
}
