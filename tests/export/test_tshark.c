/*
 * Wireshark reads our pcaps as the simulator meant them. For every
 * scenario in scenarios/ and tests/export/scenarios/ (found at run time),
 * captured at the sender and at the receiver, tshark must:
 *
 * - read one frame per captured packet, at the right time, with the
 *   trace's ports, seq, ack, length, flags, window and TTL (ICMP: type 11
 *   code 0 from the router, quoting the right segment);
 * - find nothing malformed and every IP, TCP and ICMP checksum good;
 * - flag as tcp.analysis.retransmission exactly the frames we expect, and
 *   as tcp.analysis.keep_alive exactly the trace's keepalive probes.
 *
 * Which retransmissions Wireshark can see (docs/trace-format.md says the
 * same): at the sender, every packet the trace tags as a retransmission
 * (SEG_RETX) and no other, since every copy that left is in the capture.
 * At the receiver, Wireshark sees a retransmission where a segment's
 * sequence space lies below the highest sequence number that already
 * arrived in its direction. A retransmission whose earlier copies were all
 * lost, with nothing later arriving first, looks like new data there,
 * which it is for the receiver; a network duplicate (SEG_DUP) of a SYN,
 * FIN or data segment repeats what arrived moments before, with the same
 * bytes and even the same IP ID, and a packet overtaken by a later one
 * (a held packet, or jitter) arrives below the highest too: Wireshark
 * calls these retransmissions, and so does this test. It then also checks
 * the other way: every segment that arrives below the highest must be a
 * retransmission, a duplicate or overtaken according to the trace, so a
 * segment sent with a stale sequence number would be caught. A duplicate
 * of a pure ACK is a "Dup ACK", not a retransmission.
 *
 * Two heuristics of Wireshark's (epan/dissectors/packet-tcp.c) are taken
 * as they are, and each such frame is listed in the output:
 * - A segment that repeats sequence space less than the connection's
 *   first RTT after the highest segment, and is not a copy of that one,
 *   is called out-of-order instead of a retransmission. An expected
 *   retransmission may carry either flag, but one of them.
 * - In a simultaneous open each side answers the other's SYN with a
 *   SYN,ACK that repeats its own SYN (RFC 9293 §3.10.7.3): same ISN, so
 *   on the wire it is a retransmission of that SYN, and Wireshark flags
 *   it, though the trace does not tag it (no timer fired). Such a SYN,ACK
 *   is expected to be flagged.
 * - At the receiver, a pure ACK overtaken by a later segment (jitter, a
 *   held packet) can arrive with a sequence number one below the highest
 *   seen, which is what a keepalive looks like; such a frame may be
 *   flagged tcp.analysis.keep_alive. The other way round, a keepalive
 *   probe sent while earlier data is still missing at the receiver is not
 *   one below what arrived, and reads as a gap there, not a keepalive.
 * - A new connection on the same 4-tuple whose SYN has the same ISN as
 *   the previous one (scenarios fix ISNs to show exactly this danger) is
 *   the same conversation to Wireshark: its segments repeat the old
 *   sequence numbers and read as retransmissions and keepalives. From
 *   that SYN on, the analysis flags of that 4-tuple are not compared;
 *   everything else still is.
 *
 * With --lossy, each scenario is run again with seeds 1..N (N from
 * SYNFIN_TSHARK_SEEDS, default 2) on a network with 25% loss, 20 ms jitter
 * and 10% duplication, to exercise retransmissions and reordering.
 * SYNFIN_TSHARK_ONLY=NAME runs only the scenarios whose path contains NAME.
 *
 * Skipped (exit 77) when tshark is not installed. The output is TAP;
 * meson judges the exit status (0 passed, 1 failed, 77 skipped).
 */
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"
#include "synfin/err.h"
#include "synfin/scenario.h"
#include "synfin/seq.h"
#include "synfin/world.h"
#include "tap.h"

static char tmpdir[64];

/* The fields asked of tshark, in this order. */
static const char *const fields[] = {
    "frame.number",
    "frame.time_epoch",
    "ip.src",
    "ip.ttl",
    "ip.checksum.status",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.seq",
    "tcp.ack_raw",
    "tcp.len",
    "tcp.flags",
    "tcp.window_size_value",
    "tcp.checksum.status",
    "icmp.type",
    "icmp.code",
    "icmp.checksum.status",
    "tcp.analysis.retransmission",
    "tcp.analysis.spurious_retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.keep_alive",
    "_ws.malformed",
    "_ws.expert.severity",
    "_ws.expert.message",
};
enum {
    F_NUM,
    F_TIME,
    F_IPSRC,
    F_TTL,
    F_IPCK,
    F_SPORT,
    F_DPORT,
    F_SEQ,
    F_SEQABS, /* in an ICMP quote: not made relative */
    F_ACK,
    F_LEN,
    F_FLAGS,
    F_WIN,
    F_TCPCK,
    F_ICMPTYPE,
    F_ICMPCODE,
    F_ICMPCK,
    F_RETX,
    F_SPURIOUS,
    F_FAST,
    F_OOO,
    F_KA,
    F_MALFORMED,
    F_SEVERITY,
    F_MSG,
    F__COUNT
};

#define PI_ERROR 0x00800000L /* Wireshark's expert severity "Error" */

struct frame {
    char *f[F__COUNT];
};

static int
have_tshark(void)
{
    return system("tshark -v >/dev/null 2>&1") == 0;
}

/* Split a tab-separated line in place. */
static int
split(char *line, struct frame *fr)
{
    int n = 0;
    char *p = line;

    line[strcspn(line, "\n")] = '\0';
    for (;;) {
        char *tab = strchr(p, '\t');
        if (n < F__COUNT)
            fr->f[n] = p;
        n++;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n == F__COUNT ? 0 : -1;
}

/* The first of a ","-separated list, as a number; -1 if empty. */
static long long
first_num(const char *s)
{
    char *end;
    long long v;
    if (!*s)
        return -1;
    v = strtoll(s, &end, 0);
    return (*end == '\0' || *end == ',') ? v : -1;
}

/* Every element of a ","-separated list equals want (and there is one). */
static int
all_are(const char *s, const char *want)
{
    size_t n = strlen(want);
    if (!*s)
        return 0;
    for (;;) {
        if (strncmp(s, want, n) != 0 || (s[n] != ',' && s[n] != '\0'))
            return 0;
        if (s[n] == '\0')
            return 1;
        s += n + 1;
    }
}

static int
any_at_least(const char *s, long long min)
{
    while (*s) {
        char *end;
        long long v = strtoll(s, &end, 0);
        if (v >= min)
            return 1;
        s = *end == ',' ? end + 1 : end + strlen(end);
    }
    return 0;
}

static void
ip_str(uint32_t a, char *buf, size_t size)
{
    snprintf(buf, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
             a & 255);
}

/*
 * At the receiver: per direction, the highest sequence number seen so far
 * (seq + len, + 1 for SYN and FIN, pure ACKs included, as Wireshark keeps
 * it), the ISN of its SYN, and the latest send of the packets that arrived.
 */
struct dir_end {
    uint32_t saddr, daddr;
    uint16_t sport, dport;
    uint32_t end, isn;
    uint32_t last_sent; /* highest SEND event index of an arrival */
    int has_isn;        /* a SYN of this direction has arrived */
};

struct arrival {
    int below;     /* sequence space below the highest: going backwards */
    int overtaken; /* a packet of its direction sent later arrived first */
    int one_below; /* no SYN/FIN/RST, len <= 1, seq one below the highest:
                      what Wireshark takes for a keepalive */
};

static struct arrival
arrive(struct dir_end **ends, size_t *n, const struct seg_view *s,
       uint32_t sent)
{
    uint32_t span = s->len + ((s->flags & TCP_SYN) ? 1u : 0u) +
                    ((s->flags & TCP_FIN) ? 1u : 0u);
    uint32_t end = s->seq + span;
    struct dir_end *d = NULL;
    struct arrival a = {0};

    for (size_t i = 0; i < *n; i++) {
        struct dir_end *c = &(*ends)[i];
        if (c->saddr == s->saddr && c->daddr == s->daddr &&
            c->sport == s->sport && c->dport == s->dport)
            d = c;
    }
    if (!d) {
        struct dir_end *g = realloc(*ends, (*n + 1) * sizeof **ends);
        if (!g)
            abort();
        *ends = g;
        d = &g[(*n)++];
        *d = (struct dir_end){
            s->saddr, s->daddr, s->sport, s->dport,
            end,      s->seq,   sent,     (s->flags & TCP_SYN) != 0};
        return a;
    }
    a.overtaken = d->last_sent > sent;
    if (sent > d->last_sent)
        d->last_sent = sent;
    /* A SYN with another ISN starts a new incarnation of the ports, and a
     * new conversation for Wireshark: nothing of it was seen yet. The
     * first SYN of a direction whose ACKs arrived first (its SYN,ACKs were
     * lost) is no new incarnation: it goes back below those ACKs. */
    if ((s->flags & TCP_SYN) && !d->has_isn) {
        d->isn = s->seq;
        d->has_isn = 1;
    } else if ((s->flags & TCP_SYN) && s->seq != d->isn) {
        d->isn = s->seq;
        d->end = end;
        return a;
    }
    a.below = span > 0 && seq_lt(s->seq, d->end);
    a.one_below = s->len <= 1 && !(s->flags & (TCP_SYN | TCP_FIN | TCP_RST)) &&
                  s->seq == d->end - 1;
    if (seq_gt(end, d->end))
        d->end = end;
    return a;
}

struct want {
    const struct trace_event *e;
    int retx, ka;
    int ka_heuristic; /* overtaken, one below the highest: may read as a
                         keepalive */
    int merged;       /* a same-ISN reincarnation: flags not compared */
};

/*
 * For every packet id: is it a SYN,ACK that repeats a SYN its sender
 * already sent on the same connection (a simultaneous open)? Network
 * duplicates inherit the answer.
 */
static uint8_t *
find_resyns(const struct trace *t, uint32_t *nids)
{
    struct syn {
        uint32_t saddr, daddr, seq, conn;
        uint16_t sport, dport;
    } *syns = NULL;
    size_t nsyns = 0;
    uint32_t max = 0;
    uint8_t *re;

    for (size_t i = 0; i < t->len; i++)
        if (trace_at(t, i)->kind == TRACE_SEND && trace_at(t, i)->seg.id > max)
            max = trace_at(t, i)->seg.id;
    re = calloc((size_t)max + 1, 1);
    if (!re)
        abort();
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        const struct seg_view *s = &e->seg;
        if (e->kind != TRACE_SEND || (s->tags & SEG_ICMP))
            continue;
        if (s->tags & SEG_DUP) {
            re[s->id] = s->orig_id <= max ? re[s->orig_id] : 0;
        } else if ((s->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN) {
            struct syn *g = realloc(syns, (nsyns + 1) * sizeof *syns);
            if (!g)
                abort();
            syns = g;
            syns[nsyns++] = (struct syn){s->saddr, s->daddr, s->seq,
                                         e->conn,  s->sport, s->dport};
        } else if ((s->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
                   !(s->tags & SEG_RETX)) {
            for (size_t k = 0; k < nsyns; k++)
                if (syns[k].saddr == s->saddr && syns[k].daddr == s->daddr &&
                    syns[k].sport == s->sport && syns[k].dport == s->dport &&
                    syns[k].seq == s->seq && syns[k].conn == e->conn)
                    re[s->id] = 1;
        }
    }
    free(syns);
    *nids = max + 1;
    return re;
}

/*
 * 4-tuples (either direction) where a new connection's SYN reused the ISN
 * of the previous connection, and the trace position of that SYN: from
 * there on, Wireshark sees one conversation where there are two.
 */
struct reuse {
    uint32_t a, b;
    uint16_t pa, pb;
    uint32_t syn_seq, conn;
    size_t merged_at; /* 0: not merged */
};

/* The index of the 4-tuple of s in r, or n. */
static size_t
reuse_of(const struct reuse *r, size_t n, const struct seg_view *s)
{
    for (size_t i = 0; i < n; i++) {
        const struct reuse *c = &r[i];
        if ((c->a == s->saddr && c->b == s->daddr && c->pa == s->sport &&
             c->pb == s->dport) ||
            (c->a == s->daddr && c->b == s->saddr && c->pa == s->dport &&
             c->pb == s->sport))
            return i;
    }
    return n;
}

static struct reuse *
find_reuses(const struct trace *t, size_t *n)
{
    struct reuse *r = NULL;

    *n = 0;
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        const struct seg_view *s = &e->seg;
        struct reuse *c;
        size_t k;

        if (e->kind != TRACE_SEND ||
            (s->flags & (TCP_SYN | TCP_ACK)) != TCP_SYN ||
            (s->tags & (SEG_RETX | SEG_DUP | SEG_ICMP)))
            continue;
        k = reuse_of(r, *n, s);
        if (k == *n) {
            struct reuse *g = realloc(r, (*n + 1) * sizeof *r);
            if (!g)
                abort();
            r = g;
            c = &r[(*n)++];
            *c = (struct reuse){s->saddr, s->daddr, s->sport, s->dport,
                                s->seq,   e->conn,  0};
            continue;
        }
        c = &r[k];
        if (e->conn != c->conn && s->seq == c->syn_seq && !c->merged_at)
            c->merged_at = i + 1;
        c->syn_seq = s->seq;
        c->conn = e->conn;
    }
    return r;
}

/* Is the frame of event i on a 4-tuple already merged? */
static int
merged(const struct reuse *r, size_t n, const struct trace_event *e, size_t i)
{
    size_t k = reuse_of(r, n, &e->seg);
    return k < n && r[k].merged_at && i + 1 >= r[k].merged_at;
}

static void
describe(const struct want *w, char *buf, size_t size)
{
    char fl[24];
    const struct seg_view *s = &w->e->seg;
    snprintf(buf, size, "#%u %s seq=%u len=%u%s%s%s", s->id,
             tcp_flags_str(s->flags, fl), s->seq, s->len,
             s->tags & SEG_RETX ? " retx" : "", s->tags & SEG_DUP ? " dup" : "",
             s->tags & SEG_KEEPALIVE ? " keepalive" : "");
}

/* One scenario, one capture point: write, read back, compare. */
static void
check_case(const char *name, const struct trace *t, enum pcap_at at)
{
    const char *where = at == PCAP_AT_SENDER ? "sender" : "receiver";
    char pcap[160], cmd[2048], line[8192];
    struct want *want = calloc(t->len + 1, sizeof *want);
    struct dir_end *ends = NULL;
    struct reuse *reuse = NULL;
    size_t nwant = 0, nends = 0, nreuse = 0, nframes = 0;
    size_t bad_fields = 0, bad_clean = 0, bad_retx = 0, bad_ka = 0;
    size_t n_retx = 0, n_ka = 0, n_ooo = 0, n_merged = 0, unexplained = 0;
    struct export_index x;
    uint8_t *resyn;
    uint32_t nresyn;
    FILE *f, *p;
    int rc;

    if (!want)
        abort();
    export_index_build(&x, t);
    resyn = find_resyns(t, &nresyn);
    reuse = find_reuses(t, &nreuse);
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        struct want *w;
        int is_resyn;
        if (at == PCAP_AT_SENDER &&
            !(e->kind == TRACE_SEND && !(e->seg.tags & SEG_DUP)))
            continue;
        if (at == PCAP_AT_RECEIVER && e->kind != TRACE_ARRIVE)
            continue;
        w = &want[nwant++];
        w->e = e;
        if (e->seg.tags & SEG_ICMP)
            continue;
        w->ka = (e->seg.tags & SEG_KEEPALIVE) != 0;
        w->merged = merged(reuse, nreuse, e, i);
        n_merged += (size_t)w->merged;
        is_resyn = e->seg.id < nresyn && resyn[e->seg.id];
        if (at == PCAP_AT_SENDER) {
            w->retx = (e->seg.tags & SEG_RETX) != 0 || is_resyn;
        } else {
            const struct export_pkt *xp = export_pkt(&x, e->seg.id);
            struct arrival a =
                arrive(&ends, &nends, &e->seg, xp ? xp->send_ev : 0);
            w->retx = a.below;
            w->ka_heuristic = a.overtaken && a.one_below && !w->ka;
            if (w->ka && !a.one_below) {
                /* Earlier data never arrived: the probe is not one below
                 * what the receiver has, so it reads as a gap there. */
                char d[120];
                describe(w, d, sizeof d);
                printf("# %s: a keepalive probe beyond what arrived, no "
                       "keepalive to the receiver\n",
                       d);
                w->ka = 0;
            }
            /* The trace must say why it goes backwards. */
            if (w->retx && !a.overtaken && !w->merged && !is_resyn &&
                !(e->seg.tags & (SEG_RETX | SEG_DUP))) {
                char d[120];
                describe(w, d, sizeof d);
                printf("# %s: arrives below the highest sequence number "
                       "seen, yet is no retransmission, duplicate or "
                       "overtaken packet\n",
                       d);
                unexplained++;
            }
        }
        n_retx += (size_t)w->retx;
        n_ka += (size_t)w->ka;
    }
    free(ends);
    free(reuse);
    free(resyn);
    export_index_free(&x);
    if (at == PCAP_AT_RECEIVER)
        ok(unexplained == 0,
           "%s at the receiver: every segment arriving below the highest "
           "sequence number is a retransmission, a duplicate or overtaken",
           name);

    snprintf(pcap, sizeof pcap, "%s/%s.%s.pcap", tmpdir, name, where);
    f = fopen(pcap, "wb");
    rc = f ? pcap_write(t, at, f) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (!ok(rc == 0, "%s at the %s: pcap written", name, where)) {
        free(want);
        return;
    }

    rc = snprintf(cmd, sizeof cmd,
                  "tshark -n -r '%s' -o tcp.check_checksum:TRUE "
                  "-o ip.check_checksum:TRUE "
                  "-o tcp.relative_sequence_numbers:TRUE "
                  "-o tcp.analyze_sequence_numbers:TRUE "
                  "-T fields -E separator=/t -E occurrence=a "
                  "-E aggregator=, -E quote=n",
                  pcap);
    for (size_t i = 0; i < F__COUNT; i++)
        rc += snprintf(cmd + rc, sizeof cmd - (size_t)rc, " -e %s", fields[i]);
    snprintf(cmd + rc, sizeof cmd - (size_t)rc, " 2>'%s/tshark.err'", tmpdir);
    p = popen(cmd, "r");
    if (!p)
        abort();
    while (fgets(line, sizeof line, p)) {
        struct frame fr;
        const struct want *w;
        const struct seg_view *s;
        char exp[64], ip[20], d[120];
        int retx, ka;

        if (split(line, &fr) != 0) {
            printf("# cannot parse tshark line: %s\n", line);
            bad_fields++;
            continue;
        }
        if (nframes >= nwant) {
            nframes++;
            continue;
        }
        w = &want[nframes++];
        s = &w->e->seg;
        describe(w, d, sizeof d);

        /* Where and when. */
        snprintf(exp, sizeof exp, "%" PRIu64 ".%06" PRIu64 "000",
                 PCAP_EPOCH + w->e->t_us / 1000000, w->e->t_us % 1000000);
        ip_str(s->saddr, ip, sizeof ip);
        if (strcmp(fr.f[F_TIME], exp) != 0 ||
            strncmp(fr.f[F_IPSRC], ip, strlen(ip)) != 0 ||
            first_num(fr.f[F_TTL]) != s->ttl) {
            printf("# frame %s (%s): time %s src %s ttl %s, want %s %s %u\n",
                   fr.f[F_NUM], d, fr.f[F_TIME], fr.f[F_IPSRC], fr.f[F_TTL],
                   exp, ip, s->ttl);
            bad_fields++;
        }
        if (s->tags & SEG_ICMP) {
            if (strcmp(fr.f[F_ICMPTYPE], "11") != 0 ||
                strcmp(fr.f[F_ICMPCODE], "0") != 0 ||
                first_num(fr.f[F_SEQABS]) != (long long)s->seq ||
                first_num(fr.f[F_SPORT]) != s->sport) {
                printf("# frame %s (ICMP about #%u): type %s code %s "
                       "quoted seq %s\n",
                       fr.f[F_NUM], s->orig_id, fr.f[F_ICMPTYPE],
                       fr.f[F_ICMPCODE], fr.f[F_SEQABS]);
                bad_fields++;
            }
        } else if (first_num(fr.f[F_SPORT]) != s->sport ||
                   first_num(fr.f[F_DPORT]) != s->dport ||
                   first_num(fr.f[F_SEQ]) != (long long)s->seq ||
                   ((s->flags & TCP_ACK) &&
                    first_num(fr.f[F_ACK]) != (long long)s->ack) ||
                   first_num(fr.f[F_LEN]) != s->len ||
                   first_num(fr.f[F_FLAGS]) != s->flags ||
                   first_num(fr.f[F_WIN]) != s->wnd) {
            printf("# frame %s (%s): tshark has %s>%s seq %s ack %s len %s "
                   "flags %s win %s\n",
                   fr.f[F_NUM], d, fr.f[F_SPORT], fr.f[F_DPORT], fr.f[F_SEQ],
                   fr.f[F_ACK], fr.f[F_LEN], fr.f[F_FLAGS], fr.f[F_WIN]);
            bad_fields++;
        }

        /* Clean: nothing malformed, no error, every checksum good. */
        if (*fr.f[F_MALFORMED] || any_at_least(fr.f[F_SEVERITY], PI_ERROR) ||
            !all_are(fr.f[F_IPCK], "1") ||
            ((s->tags & SEG_ICMP) ? !all_are(fr.f[F_ICMPCK], "1")
                                  : !all_are(fr.f[F_TCPCK], "1"))) {
            printf("# frame %s (%s): malformed '%s' checksums ip %s tcp %s "
                   "icmp %s; %s\n",
                   fr.f[F_NUM], d, fr.f[F_MALFORMED], fr.f[F_IPCK],
                   fr.f[F_TCPCK], fr.f[F_ICMPCK], fr.f[F_MSG]);
            bad_clean++;
        }

        /* The analysis flags. Quoted headers in ICMP are not analysed. */
        retx = *fr.f[F_RETX] != '\0';
        ka = *fr.f[F_KA] != '\0';
        if (w->merged)
            continue;
        if (w->retx && !retx && *fr.f[F_OOO]) {
            printf("# frame %s (%s): Wireshark's timing heuristic calls this "
                   "retransmission out-of-order\n",
                   fr.f[F_NUM], d);
            n_ooo++;
        } else if (retx != w->retx) {
            printf("# frame %s (%s): Wireshark %s a retransmission "
                   "(spurious '%s' fast '%s' out-of-order '%s'), want %s\n",
                   fr.f[F_NUM], d, retx ? "flags" : "does not flag",
                   fr.f[F_SPURIOUS], fr.f[F_FAST], fr.f[F_OOO],
                   w->retx ? "flagged" : "not flagged");
            bad_retx++;
        }
        if (ka && w->ka_heuristic) {
            printf("# frame %s (%s): overtaken, one below the highest "
                   "sequence number: Wireshark takes it for a keepalive\n",
                   fr.f[F_NUM], d);
        } else if (ka != w->ka) {
            printf("# frame %s (%s): Wireshark %s a keepalive\n", fr.f[F_NUM],
                   d, ka ? "flags" : "does not flag");
            bad_ka++;
        }
    }
    rc = pclose(p);
    if (!ok(rc == 0 && nframes == nwant,
            "%s at the %s: tshark reads %zu frames, one per packet", name,
            where, nwant)) {
        char cat[200];
        printf("# tshark exit %d, %zu frames read\n", rc, nframes);
        snprintf(cat, sizeof cat, "sed 's/^/# tshark: /' '%s/tshark.err'",
                 tmpdir);
        if (system(cat) != 0)
            printf("# (no tshark error output)\n");
    }
    ok(bad_fields == 0,
       "%s at the %s: every frame has the trace's time, addresses, ports, "
       "seq, ack, len, flags, window and TTL",
       name, where);
    ok(bad_clean == 0,
       "%s at the %s: nothing malformed, every IP/TCP/ICMP checksum good", name,
       where);
    if (n_merged)
        printf("# %zu frames follow a SYN that reuses the previous "
               "connection's ISN: their analysis flags are not compared\n",
               n_merged);
    ok(bad_retx == 0,
       "%s at the %s: tcp.analysis.retransmission flags exactly the %zu "
       "expected frames (%zu of them out-of-order by timing)",
       name, where, n_retx, n_ooo);
    ok(bad_ka == 0,
       "%s at the %s: tcp.analysis.keep_alive flags exactly the %zu "
       "keepalive probes",
       name, where, n_ka);
    remove(pcap);
    free(want);
}

/* More trace events than this: a crowd, left out (see check_scenario). */
enum { CROWD_EVENTS = 100000 };

static void
check_scenario(const char *path, const char *const *sets, size_t nsets,
               int has_seed, uint64_t seed)
{
    struct synfin_err err;
    char msg[512], name[160];
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    struct scenario *s = scenario_load(path, sets, nsets, &err);
    struct trace t;

    if (!ok(s != NULL, "%s loads", base)) {
        printf("# %s\n", synfin_err_str(&err, msg, sizeof msg));
        return;
    }
    if (has_seed)
        s->seed = seed;
    snprintf(name, sizeof name, "%.*s", (int)(strlen(base) - 5), base);
    if (has_seed)
        snprintf(name + strlen(name), sizeof name - strlen(name),
                 "+lossy-seed%" PRIu64, seed);
    trace_init(&t);
    world_run(s, &t, NULL);
    /* A crowd (time-wait-pileup-10k: 100,000 packets, 590,000 events)
     * takes tshark minutes to dissect twice, lossy runs more; its packets
     * are the same kinds of segment as time-wait-pileup's 300. */
    if (t.len > CROWD_EVENTS) {
        printf("ok %d - %s # SKIP a crowd of %zu events: its segments are "
               "time-wait-pileup's kinds\n",
               ++tap_n, name, t.len);
        trace_free(&t);
        scenario_free(s);
        return;
    }
    check_case(name, &t, PCAP_AT_SENDER);
    check_case(name, &t, PCAP_AT_RECEIVER);
    trace_free(&t);
    scenario_free(s);
}

int
main(int argc, char **argv)
{
    static const char *const lossy[] = {
        "network.loss=0.25",
        "network.jitter_ms=20",
        "network.dup=0.1",
    };
    const char *src = getenv("SRCDIR");
    const char *seeds_env = getenv("SYNFIN_TSHARK_SEEDS");
    const char *only = getenv("SYNFIN_TSHARK_ONLY"); /* a name to pick */
    int is_lossy = argc > 1 && strcmp(argv[1], "--lossy") == 0;
    uint64_t seeds = seeds_env ? strtoull(seeds_env, NULL, 10) : 2;
    char pattern[2][512];
    glob_t g;

    if (!src) {
        printf("1..0 # SKIP SRCDIR is not set\n");
        return 77;
    }
    if (!have_tshark()) {
        printf("1..0 # SKIP tshark is not installed "
               "(apt-get install tshark)\n");
        return 77;
    }
    snprintf(tmpdir, sizeof tmpdir, "/tmp/synfin-tshark-XXXXXX");
    if (!mkdtemp(tmpdir))
        abort();
    snprintf(pattern[0], sizeof pattern[0], "%s/scenarios/*.json", src);
    snprintf(pattern[1], sizeof pattern[1], "%s/tests/export/scenarios/*.json",
             src);
    for (int k = 0; k < 2; k++) {
        if (glob(pattern[k], 0, NULL, &g) != 0) {
            ok(k == 1, "%s matches scenarios", pattern[k]);
            continue;
        }
        for (size_t i = 0; i < g.gl_pathc; i++) {
            if (only && !strstr(g.gl_pathv[i], only))
                continue;
            if (!is_lossy) {
                check_scenario(g.gl_pathv[i], NULL, 0, 0, 0);
                continue;
            }
            for (uint64_t seed = 1; seed <= seeds; seed++)
                check_scenario(g.gl_pathv[i], lossy,
                               sizeof lossy / sizeof lossy[0], 1, seed);
        }
        globfree(&g);
    }
    {
        char err[200];
        snprintf(err, sizeof err, "%s/tshark.err", tmpdir);
        remove(err);
        rmdir(tmpdir);
    }
    return done_testing();
}
