/*
 * The trace as a classic pcap file (not pcapng), for Wireshark and tcpdump.
 *
 * Choices (docs/trace-format.md, "pcap export", says the same):
 * - Little-endian file header, version 2.4, microsecond times, snaplen
 *   65535, link type LINKTYPE_RAW (101): each record is an IPv4 datagram,
 *   no invented link layer.
 * - Time: simulated time 0 is PCAP_EPOCH (2026-01-01 00:00:00 UTC), so a
 *   scenario and seed always give the same bytes.
 * - IPv4: no options, TOS 0, DF set on TCP (not on ICMP, as routers send
 *   it), the packet's TTL at the capture point, the sender's IP ID counter
 *   (see index.c), a correct header checksum.
 * - TCP: data offset 5 and no options (the simulator negotiates none), the
 *   ack field as the trace has it, urgent pointer 0, a correct checksum.
 * - Payload: len bytes of text that follows the stream, so that a
 *   retransmission carries the same bytes as the original and Wireshark's
 *   "Follow TCP Stream" shows which bytes went where: 16-byte lines, each a
 *   letter ('c' from the client, 's' from the server), the stream offset of
 *   the line's first byte in 14 digits, and a newline. The offset counts
 *   from the byte after the sender's ISN (from the absolute sequence
 *   number if no SYN of that direction is in the trace). The newlines also
 *   keep Wireshark's HTTP dissector (port 80) from waiting for headers
 *   that never come.
 * - ICMP Time Exceeded: type 11 code 0, from the router's address, quoting
 *   the original datagram's IPv4 header as the router received it (TTL 1,
 *   checksum recomputed) and the first 8 bytes of its TCP header.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "export/export.h"

static void
put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void
le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

enum { IP_HDR = 20, TCP_HDR = 20, TS_OPT = 12, ICMP_HDR = 8, IP_DF = 0x4000 };

/* The TCP header's length: 20 bytes, and 12 with the timestamps option
 * (NOP, NOP, kind 8, length 10, TSval, TSecr: RFC 7323 Appendix A). */
static uint32_t
tcp_hdr_len(const struct seg_view *s)
{
    return TCP_HDR + (s->ts ? TS_OPT : 0);
}

/* A 20-byte IPv4 header with its checksum. */
static void
ip_header(uint8_t *h, uint32_t total, uint16_t id, bool df, uint8_t ttl,
          uint8_t proto, uint32_t saddr, uint32_t daddr)
{
    h[0] = 0x45; /* version 4, IHL 5 */
    h[1] = 0;
    put16(h + 2, total);
    put16(h + 4, id);
    put16(h + 6, df ? IP_DF : 0);
    h[8] = ttl;
    h[9] = proto;
    put16(h + 10, 0);
    put32(h + 12, saddr);
    put32(h + 16, daddr);
    put16(h + 10, inet_cksum(h, IP_HDR));
}

uint8_t
pcap_payload_byte(uint8_t from, uint32_t k)
{
    uint32_t pos = k % 16, line = k - pos;

    if (pos == 0)
        return from == SIDE_SERVER ? 's' : 'c';
    if (pos == 15)
        return '\n';
    for (uint32_t d = pos; d < 14; d++)
        line /= 10;
    return (uint8_t)('0' + line % 10);
}

static size_t
tcp_packet(const struct export_index *x, const struct trace_event *e,
           uint8_t *buf, size_t size)
{
    const struct seg_view *s = &e->seg;
    const struct export_pkt *p = export_pkt(x, s->id);
    uint32_t hdr = tcp_hdr_len(s);
    size_t total = (size_t)IP_HDR + hdr + s->len;
    uint8_t *tcp = buf + IP_HDR;
    uint32_t first = s->seq + ((s->flags & TCP_SYN) ? 1u : 0u);
    uint32_t base = p && p->seq_known ? p->seq_isn + 1 : 0;

    if (total > 65535 || total > size)
        return 0;
    ip_header(buf, (uint32_t)total, p ? p->ip_id : 0, true, s->ttl, 6, s->saddr,
              s->daddr);
    put16(tcp, s->sport);
    put16(tcp + 2, s->dport);
    put32(tcp + 4, s->seq);
    put32(tcp + 8, s->ack);
    tcp[12] = (uint8_t)(hdr / 4 << 4); /* data offset, in 32-bit words */
    tcp[13] = s->flags;
    put16(tcp + 14, s->wnd);
    put16(tcp + 16, 0);
    put16(tcp + 18, 0);
    if (s->ts) {
        tcp[20] = 1; /* NOP */
        tcp[21] = 1;
        tcp[22] = 8; /* timestamps */
        tcp[23] = 10;
        put32(tcp + 24, s->tsval);
        put32(tcp + 28, s->tsecr);
    }
    for (uint32_t i = 0; i < s->len; i++)
        tcp[hdr + i] = pcap_payload_byte(s->from, first + i - base);
    put16(tcp + 16, tcp_cksum(s->saddr, s->daddr, tcp, hdr + s->len));
    return total;
}

static size_t
icmp_packet(const struct export_index *x, const struct trace_event *e,
            uint8_t *buf, size_t size)
{
    const struct seg_view *s = &e->seg;
    const struct export_pkt *p = export_pkt(x, s->id);
    const struct export_pkt *op = export_pkt(x, s->orig_id);
    const struct trace_event *oe = export_send_event(x, s->orig_id);
    enum { QUOTE = IP_HDR + 8, TOTAL = IP_HDR + ICMP_HDR + QUOTE };
    uint8_t *icmp = buf + IP_HDR, *q = icmp + ICMP_HDR;
    struct seg_view o = oe ? oe->seg : *s;
    uint8_t ttl_at_router;

    if (size < TOTAL)
        return 0;
    if (!oe) {
        /* Not in the trace (cannot happen with the engine): quote what
         * the ICMP event itself knows. */
        o.saddr = s->daddr;
        o.daddr = 0;
        o.len = 0;
        o.ttl = 1;
        o.ack = 0;
    }
    /* Router k received it after k - 1 routers had decremented the TTL. */
    ttl_at_router =
        (uint8_t)(s->hops && o.ttl >= s->hops ? o.ttl - (s->hops - 1) : 1);
    ip_header(buf, TOTAL, p ? p->ip_id : 0, false, s->ttl, 1, s->saddr,
              s->daddr);
    icmp[0] = 11; /* Time Exceeded */
    icmp[1] = 0;  /* TTL exceeded in transit */
    put16(icmp + 2, 0);
    put32(icmp + 4, 0);
    ip_header(q, (uint32_t)IP_HDR + tcp_hdr_len(&o) + o.len, op ? op->ip_id : 0,
              true, ttl_at_router, 6, o.saddr, o.daddr);
    put16(q + IP_HDR, o.sport);
    put16(q + IP_HDR + 2, o.dport);
    put32(q + IP_HDR + 4, o.seq);
    put16(icmp + 2, inet_cksum(icmp, ICMP_HDR + QUOTE));
    return TOTAL;
}

size_t
pcap_packet(const struct export_index *x, const struct trace_event *e,
            uint8_t *buf, size_t size)
{
    if (e->seg.tags & SEG_ICMP)
        return icmp_packet(x, e, buf, size);
    return tcp_packet(x, e, buf, size);
}

static bool
captured(const struct trace_event *e, enum pcap_at at)
{
    if (at == PCAP_AT_RECEIVER)
        return e->kind == TRACE_ARRIVE;
    /* A network duplicate never left the sender: it appears only where it
     * arrives. */
    return e->kind == TRACE_SEND && !(e->seg.tags & SEG_DUP);
}

int
pcap_write(const struct trace *t, enum pcap_at at, FILE *out)
{
    uint8_t hdr[24], rec[16], *buf;
    struct export_index x;
    int rc = 0;

    le32(hdr, 0xa1b2c3d4u); /* microsecond resolution */
    hdr[4] = 2, hdr[5] = 0; /* version 2.4, little-endian */
    hdr[6] = 4, hdr[7] = 0;
    le32(hdr + 8, 0);  /* thiszone */
    le32(hdr + 12, 0); /* sigfigs */
    le32(hdr + 16, PCAP_SNAPLEN);
    le32(hdr + 20, PCAP_LINKTYPE_RAW);
    if (fwrite(hdr, sizeof hdr, 1, out) != 1)
        return -1;

    buf = xmalloc(PCAP_SNAPLEN);
    export_index_build(&x, t);
    for (size_t i = 0; i < t->len && rc == 0; i++) {
        const struct trace_event *e = trace_at(t, i);
        size_t n;

        if (!captured(e, at))
            continue;
        n = pcap_packet(&x, e, buf, PCAP_SNAPLEN);
        if (n == 0) {
            errno = EMSGSIZE;
            rc = -1;
            break;
        }
        le32(rec, (uint32_t)(PCAP_EPOCH + e->t_us / 1000000));
        le32(rec + 4, (uint32_t)(e->t_us % 1000000));
        le32(rec + 8, (uint32_t)n);
        le32(rec + 12, (uint32_t)n);
        if (fwrite(rec, sizeof rec, 1, out) != 1 || fwrite(buf, n, 1, out) != 1)
            rc = -1;
    }
    export_index_free(&x);
    free(buf);
    return rc;
}
