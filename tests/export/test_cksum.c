/*
 * The internet checksum against known vectors (RFC 1071's worked example,
 * a textbook IPv4 header, TCP segments whose checksums Wireshark accepts),
 * and the packets pcap_packet builds from a hand-made trace: every header
 * sums to zero with its checksum in place, the fields sit where RFC 791,
 * RFC 9293 and RFC 792 put them, and the payload follows the stream.
 */
#include <string.h>

#include "export/export.h"
#include "tap.h"

static uint32_t
be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static void
vectors(void)
{
    /* RFC 1071 §3: the sum of these words is ddf2, so the checksum is its
     * complement. */
    static const uint8_t rfc1071[] = {0x00, 0x01, 0xf2, 0x03,
                                      0xf4, 0xf5, 0xf6, 0xf7};
    /* An IPv4 header (UDP, 192.168.0.1 > 192.168.0.199) whose checksum is
     * b861, checksum field zeroed. */
    uint8_t ip[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                    0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    /* A SYN 192.0.2.1:40000 > 198.51.100.80:80, seq 1000, win 65535:
     * Wireshark reads its checksum 0x22e5 as correct. */
    static const uint8_t syn[20] = {0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x03,
                                    0xe8, 0x00, 0x00, 0x00, 0x00, 0x50, 0x02,
                                    0xff, 0xff, 0x00, 0x00, 0x00, 0x00};
    /* Odd length: PSH,ACK 80 > 40000, seq 5001 ack 1101, "abc". */
    static const uint8_t data[23] = {
        0x00, 0x50, 0x9c, 0x40, 0x00, 0x00, 0x13, 0x89, 0x00, 0x00, 0x04, 0x4d,
        0x50, 0x18, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 'a',  'b',  'c'};
    uint32_t client = 0xc0000201u, server = 0xc6336450u;

    is_int(inet_fold(inet_sum(0, rfc1071, sizeof rfc1071)), 0x220d,
           "RFC 1071 example: sum ddf2, checksum 220d");
    is_int(inet_sum(0, rfc1071, sizeof rfc1071), 0x2ddf0,
           "RFC 1071 example: the unfolded sum carries into bit 16");
    is_int(inet_cksum(ip, sizeof ip), 0xb861, "IPv4 header: checksum b861");
    ip[10] = 0xb8, ip[11] = 0x61;
    is_int(inet_cksum(ip, sizeof ip), 0,
           "IPv4 header with its checksum sums to zero");
    is_int(inet_sum(inet_sum(0, ip, 10), ip + 10, 10),
           inet_sum(0, ip, sizeof ip), "a sum can be taken in even pieces");
    is_int(inet_cksum("\xff", 1), 0x00ff,
           "an odd last byte is the high byte of a padded word");
    is_int(inet_cksum("", 0), 0xffff, "nothing sums to 0, checksum ffff");
    is_int(tcp_cksum(client, server, syn, sizeof syn), 0x22e5,
           "TCP SYN over the pseudo-header: 22e5");
    is_int(tcp_cksum(server, client, data, sizeof data), 0x4a7b,
           "TCP segment with 3 bytes of payload (odd length): 4a7b");
}

/* A hand-made trace: a data segment, its network duplicate, and an ICMP
 * Time Exceeded about a SYN. */
static void
packets(void)
{
    struct trace t;
    struct trace_event *e;
    struct export_index x;
    uint8_t buf[2048];
    size_t n;

    trace_init(&t);
    e = trace_push(&t); /* #1: the client's SYN, ISN 1000 */
    e->kind = TRACE_SEND;
    e->seg = (struct seg_view){.id = 1,
                               .saddr = 0xc0000201u,
                               .daddr = 0xc6336450u,
                               .sport = 40000,
                               .dport = 80,
                               .seq = 1000,
                               .wnd = 65535,
                               .flags = TCP_SYN,
                               .ttl = 64,
                               .from = SIDE_CLIENT};
    e = trace_push(&t); /* #2: the server's SYN,ACK, ISN 5000 */
    e->kind = TRACE_SEND;
    e->seg = (struct seg_view){.id = 2,
                               .saddr = 0xc6336450u,
                               .daddr = 0xc0000201u,
                               .sport = 80,
                               .dport = 40000,
                               .seq = 5000,
                               .ack = 1001,
                               .wnd = 65535,
                               .flags = TCP_SYN | TCP_ACK,
                               .ttl = 64,
                               .from = SIDE_SERVER};
    e = trace_push(&t); /* #3: 30 bytes from the client */
    e->kind = TRACE_SEND;
    e->t_us = 2500001;
    e->seg = (struct seg_view){.id = 3,
                               .saddr = 0xc0000201u,
                               .daddr = 0xc6336450u,
                               .sport = 40000,
                               .dport = 80,
                               .seq = 1001,
                               .ack = 5001,
                               .len = 30,
                               .wnd = 1234,
                               .flags = TCP_PSH | TCP_ACK,
                               .ttl = 3,
                               .from = SIDE_CLIENT};
    e = trace_push(&t); /* #4: the network copies #3 */
    *e = (*trace_at(&t, 2));
    e->idx = 3;
    e->side = SIDE_NET;
    e->seg.id = 4;
    e->seg.orig_id = 3;
    e->seg.tags = SEG_DUP;
    e = trace_push(&t); /* #5: router 3 of 3 drops #3: TTL exceeded */
    e->kind = TRACE_SEND;
    e->side = SIDE_NET;
    e->seg = (struct seg_view){.id = 5,
                               .orig_id = 3,
                               .saddr = 0x0a000003u,
                               .daddr = 0xc0000201u,
                               .sport = 40000,
                               .dport = 80,
                               .seq = 1001,
                               .flags = TCP_PSH | TCP_ACK,
                               .tags = SEG_ICMP,
                               .ttl = 64,
                               .hops = 3,
                               .from = SIDE_NET};
    export_index_build(&x, &t);

    n = pcap_packet(&x, trace_at(&t, 2), buf, sizeof buf);
    is_int(n, 70, "data segment: 20 + 20 + 30 bytes");
    is_int(inet_cksum(buf, 20), 0, "its IPv4 header checksum verifies");
    is_int(buf[0], 0x45, "IPv4, 5-word header");
    is_int(be16(buf + 2), 70, "total length");
    is_int(be16(buf + 4), 2, "IP ID: the client's second datagram");
    is_int(be16(buf + 6), 0x4000, "DF set, no fragment offset");
    is_int(buf[8], 3, "the segment's TTL");
    is_int(buf[9], 6, "protocol TCP");
    is_int(be32(buf + 12), 0xc0000201u, "source 192.0.2.1");
    is_int(be16(buf + 20), 40000, "source port");
    is_int(be32(buf + 24), 1001, "sequence number");
    is_int(be32(buf + 28), 5001, "acknowledgment number");
    is_int(buf[32], 0x50, "data offset 5, no options");
    is_int(buf[33], TCP_PSH | TCP_ACK, "flags");
    is_int(be16(buf + 34), 1234, "window");
    is_int(tcp_cksum(0xc0000201u, 0xc6336450u, buf + 20, 50), 0,
           "TCP checksum verifies over pseudo-header and segment");
    ok(memcmp(buf + 40, "c00000000000000\nc0000000000001", 30) == 0,
       "payload: the client's stream from its first byte, in lines");

    n = pcap_packet(&x, trace_at(&t, 3), buf, sizeof buf);
    is_int(n, 70, "the duplicate has the same length");
    is_int(be16(buf + 4), 2, "and the original's IP ID: it is a copy");

    n = pcap_packet(&x, trace_at(&t, 1), buf, sizeof buf);
    is_int(n, 40, "SYN,ACK: no payload");
    is_int(be16(buf + 4), 1, "IP ID: the server's first datagram");

    n = pcap_packet(&x, trace_at(&t, 4), buf, sizeof buf);
    is_int(n, 56, "ICMP: 20 + 8 + quoted 20 + 8");
    is_int(inet_cksum(buf, 20), 0, "ICMP's IPv4 header checksum verifies");
    is_int(buf[9], 1, "protocol ICMP");
    is_int(be16(buf + 6), 0, "no DF on the router's message");
    is_int(be32(buf + 12), 0x0a000003u, "from router 3, 10.0.0.3");
    is_int(be16(buf + 4), 1, "the router's first datagram");
    is_int(buf[20], 11, "type 11, Time Exceeded");
    is_int(buf[21], 0, "code 0, TTL exceeded in transit");
    is_int(inet_cksum(buf + 20, 36), 0, "ICMP checksum verifies");
    is_int(inet_cksum(buf + 28, 20), 0, "quoted IPv4 header checksum too");
    is_int(be16(buf + 28 + 2), 70, "quoted total length: the original's");
    is_int(be16(buf + 28 + 4), 2, "quoted IP ID: the original's");
    is_int(buf[28 + 8], 1, "quoted TTL: 1, as router 3 received it");
    is_int(be16(buf + 48), 40000, "quoted source port");
    is_int(be32(buf + 52), 1001, "quoted sequence number");

    is_int(pcap_packet(&x, trace_at(&t, 2), buf, 60), 0,
           "a buffer too small gives 0");
    export_index_free(&x);
    trace_free(&t);
}

static void
payload(void)
{
    char line[17] = {0};

    for (uint32_t k = 0; k < 16; k++)
        line[k] = (char)pcap_payload_byte(SIDE_SERVER, 4294967280u + k);
    is_str(line, "s00004294967280\n", "a server line at offset 2^32 - 16");
    for (uint32_t k = 0; k < 16; k++)
        line[k] = (char)pcap_payload_byte(SIDE_CLIENT, 123456784u + k);
    is_str(line, "c00000123456784\n", "a client line");
    is_int(pcap_payload_byte(SIDE_CLIENT, 123456790u), '1',
           "a byte in the middle of a line");
}

/* The file header and one record, byte for byte. */
static void
file_format(void)
{
    static const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,   0, 4, 0,
                                    0,    0,    0,    0,    0,   0, 0, 0,
                                    0xff, 0xff, 0,    0,    101, 0, 0, 0};
    struct trace t;
    struct trace_event *e;
    char *mem = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&mem, &size);
    const uint8_t *r;

    trace_init(&t);
    e = trace_push(&t);
    e->kind = TRACE_SEND;
    e->t_us = 3000250;
    e->seg = (struct seg_view){.id = 1,
                               .saddr = 0xc0000201u,
                               .daddr = 0xc6336450u,
                               .sport = 40000,
                               .dport = 80,
                               .seq = 7,
                               .flags = TCP_SYN,
                               .ttl = 64,
                               .from = SIDE_CLIENT};
    e = trace_push(&t);
    *e = (*trace_at(&t, 0));
    e->kind = TRACE_ARRIVE;
    is_int(pcap_write(&t, PCAP_AT_SENDER, f), 0, "pcap_write succeeds");
    fclose(f);
    is_int(size, 24 + 16 + 40, "header, one record header, one packet");
    ok(size >= 24 && memcmp(mem, hdr, 24) == 0,
       "little-endian classic pcap 2.4, snaplen 65535, LINKTYPE_RAW");
    r = (const uint8_t *)mem + 24;
    is_int((uint32_t)r[0] | (uint32_t)r[1] << 8 | (uint32_t)r[2] << 16 |
               (uint32_t)r[3] << 24,
           PCAP_EPOCH + 3, "seconds: the epoch plus simulated time");
    is_int(r[4] | r[5] << 8 | r[6] << 16, 250, "microseconds");
    is_int(r[8], 40, "captured length");
    is_int(r[12], 40, "original length");
    free(mem);
    trace_free(&t);
}

int
main(void)
{
    vectors();
    packets();
    payload();
    file_format();
    return done_testing();
}
