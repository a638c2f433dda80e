/*
 * The scenario's crafted segments ("network": {"inject": [...]}) on the
 * real kernel. The engine numbers an injected segment from the ISNs of its
 * connection (docs/scenario-format.md, "inject"); here those ISNs are the
 * kernel's, learnt from the handshake itself: an AF_PACKET socket on lo
 * whose filter keeps only segments with SYN set sees each side's SYN or
 * SYN,ACK, and remembers its sequence number by 4-tuple. At the segment's
 * time a raw socket (IPPROTO_TCP, the kernel writes the IP header) sends
 * it from the sender's address, with the checksum computed here.
 *
 * Where the engine would send nothing (no TCB left on either side) this
 * sends anyway when it saw the handshake: the kernel's sockets are not
 * read for that. A connection whose handshake it never saw gets nothing,
 * and the record says so ("sent": false).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "realrun.h"
#include "scenario/json_locate.h"
#include "synfin/trace.h"

/* One 4-tuple's latest incarnation: each side's ISN as its SYN gave it. */
struct hs {
    uint16_t port[2]; /* [SIDE_CLIENT], [SIDE_SERVER] */
    uint32_t isn[2];
    bool has[2];
};

static struct hs hs[64];
static size_t nhs;
static int pkt_fd = -1, raw_fd = -1;
static size_t next_inject; /* injections are played in time order */
static size_t order[256];

/* What was put on the wire, to tag it in the capture: the first segment
 * like it captured after it was sent, not an older copy of the same
 * numbers (5 ms of slack: the capture's clock is CLOCK_REALTIME). */
static struct sent {
    int64_t t_us;
    int from;
    uint16_t sport, dport;
    uint32_t seq, ack, len;
    uint8_t flags;
    bool tagged;
} sent[256];
static size_t nsent;

/* ---- checking the scenario -------------------------------------------- */

/* "FILE:LINE:COL" of network.inject[i].key (key NULL: the entry). */
static void
where(const char *path, size_t i, const char *key, char *buf, size_t size)
{
    struct json_path_seg p[4] = {
        {"network", 0}, {"inject", 0}, {NULL, i}, {key, 0}};
    size_t line = 0, col = 0, v, k, len = 0;
    char *text = NULL;
    FILE *f = fopen(path, "rb");

    if (f) {
        size_t cap = 0, n;
        for (;;) {
            char *t = realloc(text, cap + 65536 + 1);
            if (!t)
                break;
            text = t;
            n = fread(text + len, 1, 65536, f);
            len += n;
            cap += 65536;
            if (n < 65536)
                break;
        }
        fclose(f);
    }
    if (text && json_locate(text, len, p, key ? 4 : 3, &v, &k))
        json_locate_linecol(text, len, key ? k : v, &line, &col);
    free(text);
    snprintf(buf, size, "%s:%zu:%zu", path, line, col);
}

/* The client socket that is connection conn (1-based), or NULL. */
static const struct endpoint_cfg *
conn_cfg(const struct scenario *s, uint32_t conn)
{
    if (s->nclients)
        return conn <= s->nclients ? &s->clients[conn - 1] : NULL;
    return conn == 1 ? &s->client : NULL;
}

void
craft_check(const struct scenario *s, const char *path)
{
    char at[600];

    if (s->net.ninjects > sizeof order / sizeof order[0]) {
        where(path, 0, NULL, at, sizeof at);
        fprintf(stderr, "realrun: %s: at most %zu injected segments\n", at,
                sizeof order / sizeof order[0]);
        exit(2);
    }
    for (size_t i = 0; i < s->net.ninjects; i++) {
        const struct net_inject *in = &s->net.injects[i];
        if (!conn_cfg(s, in->conn)) {
            where(path, i, "conn", at, sizeof at);
            fprintf(stderr,
                    "realrun: %s: network.inject[%zu].conn: connection %u, "
                    "and the scenario has %zu client socket%s\n",
                    at, i, in->conn, s->nclients ? s->nclients : 1,
                    s->nclients > 1 ? "s" : "");
            exit(2);
        }
        order[i] = i;
    }
    /* Stable: those at the same time in the file's order, as the engine
     * arms them. */
    for (size_t i = 1; i < s->net.ninjects; i++)
        for (size_t j = i; j > 0 && s->net.injects[order[j - 1]].at_us >
                                        s->net.injects[order[j]].at_us;
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
}

/* ---- learning the ISNs ------------------------------------------------ */

void
craft_start(void)
{
    /* ip[9] == 6 (TCP), then tcp[13] & SYN, the TCP header found from the
     * IP header length (ldx msh). A SOCK_DGRAM packet socket's filter
     * sees the packet from its IP header. */
    static struct sock_filter code[] = {
        {BPF_LD | BPF_B | BPF_ABS, 0, 0, 9},
        {BPF_JMP | BPF_JEQ | BPF_K, 0, 4, 6},
        {BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0},
        {BPF_LD | BPF_B | BPF_IND, 0, 0, 13},
        {BPF_JMP | BPF_JSET | BPF_K, 0, 1, 0x02},
        {BPF_RET | BPF_K, 0, 0, 0xffff},
        {BPF_RET | BPF_K, 0, 0, 0},
    };
    static struct sock_filter none[] = {{BPF_RET | BPF_K, 0, 0, 0}};
    struct sock_fprog prog = {sizeof code / sizeof code[0], code};
    struct sock_fprog drop = {1, none};
    struct sockaddr_ll ll = {.sll_family = AF_PACKET,
                             .sll_protocol = htons(ETH_P_IP)};

    if (!scn->net.ninjects)
        return;
    ll.sll_ifindex = (int)if_nametoindex("lo");
    pkt_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    htons(ETH_P_IP));
    if (pkt_fd < 0 ||
        setsockopt(pkt_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) <
            0 ||
        bind(pkt_fd, (struct sockaddr *)&ll, sizeof ll) < 0)
        die(3, "AF_PACKET socket on lo: %s", strerror(errno));
    raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
    if (raw_fd < 0)
        die(3, "raw socket: %s", strerror(errno));
    /* It would get a copy of every TCP segment: it reads none. */
    if (setsockopt(raw_fd, SOL_SOCKET, SO_ATTACH_FILTER, &drop, sizeof drop) <
        0)
        die(3, "raw socket filter: %s", strerror(errno));
}

static struct hs *
hs_find(uint16_t cport, uint16_t sport, bool add)
{
    for (size_t i = nhs; i-- > 0;)
        if (hs[i].port[SIDE_CLIENT] == cport &&
            hs[i].port[SIDE_SERVER] == sport)
            return &hs[i];
    if (!add || nhs == sizeof hs / sizeof hs[0])
        return NULL;
    memset(&hs[nhs], 0, sizeof hs[nhs]);
    hs[nhs].port[SIDE_CLIENT] = cport;
    hs[nhs].port[SIDE_SERVER] = sport;
    return &hs[nhs++];
}

/* Read the SYNs seen so far. */
static void
drain(void)
{
    uint8_t pkt[128];
    ssize_t n;

    if (pkt_fd < 0)
        return;
    while ((n = recv(pkt_fd, pkt, sizeof pkt, 0)) > 0) {
        uint32_t ihl = (pkt[0] & 15u) * 4, sa, da, seq;
        const uint8_t *tcp = pkt + ihl;
        int from;
        struct hs *h;
        uint16_t ports[2];
        bool ours = false;

        if ((size_t)n < ihl + 20 || pkt[9] != 6 || !(tcp[13] & TCP_SYN))
            continue;
        memcpy(&sa, pkt + 12, 4);
        memcpy(&da, pkt + 16, 4);
        from = addr_side(ntohl(sa));
        if (from < 0 || addr_side(ntohl(da)) != 1 - from)
            continue;
        /* Our own injected SYN is not a handshake. */
        memcpy(&seq, tcp + 4, 4);
        seq = ntohl(seq);
        for (size_t i = 0; i < nsent && !ours; i++)
            ours = sent[i].from == from && sent[i].seq == seq &&
                   (sent[i].flags & TCP_SYN);
        if (ours)
            continue;
        ports[from] = (uint16_t)(tcp[0] << 8 | tcp[1]);
        ports[1 - from] = (uint16_t)(tcp[2] << 8 | tcp[3]);
        h = hs_find(ports[SIDE_CLIENT], ports[SIDE_SERVER], true);
        if (!h)
            continue;
        /* A new SYN (not a copy) opens a new incarnation: the other
         * side's ISN of the old one is no use. */
        if (!(tcp[13] & TCP_ACK) && h->has[from] && h->isn[from] != seq)
            h->has[1 - from] = false;
        h->isn[from] = seq;
        h->has[from] = true;
    }
}

/* ---- sending ---------------------------------------------------------- */

static uint16_t
checksum(uint32_t saddr, uint32_t daddr, const uint8_t *tcp, size_t len)
{
    uint64_t sum = 0;

    sum += (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) + (daddr & 0xffff) +
           IPPROTO_TCP + len;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)tcp[i] << 8 | tcp[i + 1];
    if (len & 1)
        sum += (uint32_t)tcp[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* The client socket of connection conn: its ports, once it connected. */
static bool
conn_ports(uint32_t conn, uint16_t *cport, uint16_t *sport)
{
    const struct endpoint_cfg *cfg = conn_cfg(scn, conn);

    for (size_t i = 0; i < MAX_SOCKS; i++) {
        const struct rsock *r = &socks[i];
        if (!r->used || r->side != SIDE_CLIENT || r->cfg != cfg || !r->lport)
            continue;
        *cport = (uint16_t)r->lport;
        *sport = (uint16_t)r->rport;
        return true;
    }
    return false;
}

static void
send_one(const struct net_inject *in)
{
    static uint8_t seg[20 + 65495];
    int from = in->to == SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT;
    uint16_t port[2] = {0, 0};
    struct hs *h = NULL;
    struct sockaddr_in src = {.sin_family = AF_INET},
                       dst = {.sin_family = AF_INET};
    uint32_t seq, ack;
    size_t len = 20 + in->bytes;
    uint16_t ck;
    int ttl = scn->tcp.ttl;
    char flags[24];
    const char *why = NULL;
    int64_t t = now_us();

    drain();
    if (!conn_ports(in->conn, &port[SIDE_CLIENT], &port[SIDE_SERVER]))
        why = "its client socket never connected";
    else if (!(h = hs_find(port[SIDE_CLIENT], port[SIDE_SERVER], false)) ||
             !h->has[0] || !h->has[1])
        why = "its handshake was not seen";
    if (why) {
        fprintf(out,
                "{\"kind\":\"inject\",\"t_us\":%" PRId64
                ",\"to\":\"%s\",\"conn\":%u,\"sent\":false,\"why\":\"%s\"}\n",
                t, side_name[in->to], in->conn, why);
        return;
    }
    seq = h->isn[from] + (uint32_t)in->seq;
    ack = h->isn[in->to] + (uint32_t)in->ack;
    memset(seg, 0, len);
    seg[0] = (uint8_t)(port[from] >> 8);
    seg[1] = (uint8_t)port[from];
    seg[2] = (uint8_t)(port[in->to] >> 8);
    seg[3] = (uint8_t)port[in->to];
    for (int i = 0; i < 4; i++) {
        seg[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        seg[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
    }
    seg[12] = 5 << 4;
    seg[13] = in->flags;
    seg[14] = (uint8_t)(scn->tcp.window > 65535 ? 0xff : scn->tcp.window >> 8);
    seg[15] = (uint8_t)(scn->tcp.window > 65535 ? 0xff : scn->tcp.window);
    ck = checksum(addr[from], addr[in->to], seg, len);
    seg[16] = (uint8_t)(ck >> 8);
    seg[17] = (uint8_t)ck;
    src.sin_addr.s_addr = htonl(addr[from]);
    dst.sin_addr.s_addr = htonl(addr[in->to]);
    if (bind(raw_fd, (struct sockaddr *)&src, sizeof src) < 0 &&
        errno != EINVAL)
        die(1, "raw socket bind: %s", strerror(errno));
    if (setsockopt(raw_fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) < 0)
        die(1, "raw socket IP_TTL: %s", strerror(errno));
    if (nsent < sizeof sent / sizeof sent[0])
        sent[nsent++] = (struct sent){.t_us = t,
                                      .from = from,
                                      .sport = port[from],
                                      .dport = port[in->to],
                                      .seq = seq,
                                      .ack = ack,
                                      .len = in->bytes,
                                      .flags = in->flags};
    if (sendto(raw_fd, seg, len, 0, (struct sockaddr *)&dst, sizeof dst) !=
        (ssize_t)len)
        die(1, "raw socket sendto: %s", strerror(errno));
    fprintf(out,
            "{\"kind\":\"inject\",\"t_us\":%" PRId64
            ",\"to\":\"%s\",\"conn\":%u,\"sent\":true,\"flags\":\"%s\","
            "\"seq\":%u,\"ack\":%u,\"len\":%u}\n",
            t, side_name[in->to], in->conn, tcp_flags_str(in->flags, flags),
            seq, ack, in->bytes);
}

int64_t
craft_next_due(void)
{
    if (next_inject >= scn->net.ninjects)
        return -1;
    return (int64_t)scn->net.injects[order[next_inject]].at_us;
}

void
craft_run_due(void)
{
    int64_t t = now_us();

    drain();
    while (next_inject < scn->net.ninjects &&
           (int64_t)scn->net.injects[order[next_inject]].at_us <= t)
        send_one(&scn->net.injects[order[next_inject++]]);
}

bool
craft_was(int64_t t_us, int from, unsigned sport, unsigned dport, uint32_t seq,
          uint32_t ack, uint8_t flags, uint32_t len)
{
    for (size_t i = 0; i < nsent; i++) {
        struct sent *s = &sent[i];
        if (!s->tagged && t_us + 5000 >= s->t_us && s->from == from &&
            s->sport == sport && s->dport == dport && s->seq == seq &&
            s->ack == ack && s->flags == flags && s->len == len) {
            s->tagged = true;
            return true;
        }
    }
    return false;
}

void
craft_stop(void)
{
    if (pkt_fd >= 0)
        close(pkt_fd);
    if (raw_fd >= 0)
        close(raw_fd);
    pkt_fd = raw_fd = -1;
}
