/*
 * Exports of a finished trace that leave the terminal: a classic pcap file
 * for Wireshark and tcpdump, and a packetdrill-style listing. Both read the
 * trace and nothing else, and neither touches curses. The formats are
 * described in docs/trace-format.md.
 */
#ifndef SYNFIN_EXPORT_H
#define SYNFIN_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "synfin/trace.h"

/* Seconds since 1970 of simulated time 0 in a pcap: 2026-01-01 00:00 UTC. */
#define PCAP_EPOCH        1767225600u
#define PCAP_LINKTYPE_RAW 101u /* the packet starts with the IPv4 header */
#define PCAP_SNAPLEN      65535u

/* Where the pcap "captures": as packets leave or as they arrive. */
enum pcap_at {
    PCAP_AT_SENDER,
    PCAP_AT_RECEIVER,
};

/* ---- The internet checksum (RFC 1071), in cksum.c. ---- */

/*
 * Add data to a running one's-complement sum of big-endian 16-bit words.
 * An odd byte at the end counts as the high byte of a word padded with
 * zero, so only the last piece of a message may have an odd length.
 */
uint32_t inet_sum(uint32_t sum, const void *data, size_t len);
/* Fold a sum to 16 bits and complement it: the value to put on the wire. */
uint16_t inet_fold(uint32_t sum);
/* The checksum of one buffer. A buffer that holds its own correct
 * checksum gives 0. */
uint16_t inet_cksum(const void *data, size_t len);
/* TCP's checksum over the IPv4 pseudo-header and the segment (header with
 * its checksum field zero, then payload). Addresses in host order. */
uint16_t tcp_cksum(uint32_t saddr, uint32_t daddr, const void *seg, size_t len);

/* ---- State counts over time, in counts.c. ---- */

/*
 * Write, as CSV, how many connections each side had in each state (CLOSED
 * aside): a header "time_s,client LISTEN,...,server TIME-WAIT", then a row
 * per instant at which a count changed, with the counts at its end.
 * Returns 0, or -1 on a write error.
 */
int counts_write_csv(const struct trace *t, FILE *out);

/* ---- Packets of a trace, in pcap.c. ---- */

/*
 * Write the trace as a classic pcap (LINKTYPE_RAW, microsecond times):
 * one IPv4 packet per TRACE_SEND (at = PCAP_AT_SENDER; network duplicates
 * left out) or per TRACE_ARRIVE (PCAP_AT_RECEIVER). Returns 0, or -1 on a
 * write error (errno set) or a packet too big for IPv4 (EMSGSIZE).
 */
int pcap_write(const struct trace *t, enum pcap_at at, FILE *out);

/*
 * Build the bytes of the packet of event e (a SEND or ARRIVE) into buf,
 * which holds size bytes; returns the length, or 0 if it does not fit.
 * For tests; pcap_write uses it.
 */
struct export_index;
size_t pcap_packet(const struct export_index *x, const struct trace_event *e,
                   uint8_t *buf, size_t size);

/*
 * Byte k of a stream's payload (k = 0 is the byte after the ISN): 16-byte
 * lines of a letter ('c' client, 's' server), the line's offset in 14
 * digits and a newline, so "c00000000000016\n" is bytes 16 to 31.
 */
uint8_t pcap_payload_byte(uint8_t from, uint32_t k);

/* ---- The listing, in listing.c. ---- */

/*
 * Print the exchange as one side sees it, one line per packet in
 * packetdrill/tcpdump notation (">" sent, "<" received, sequence numbers
 * relative to each side's ISN), with drops, state changes and socket calls
 * as "//" comments. side is SIDE_CLIENT or SIDE_SERVER. Returns 0 or -1 on
 * a write error.
 */
int listing_write(const struct trace *t, enum trace_side side, FILE *out);

/* ---- What both need to know about every packet, in index.c. ---- */

struct export_pkt {
    uint32_t send_ev; /* index of its SEND event + 1; 0 = never seen */
    uint16_t ip_id;   /* IPv4 identification */
    bool seq_known;   /* the sender's ISN on this 4-tuple was seen */
    bool ack_known;   /* the peer's ISN was seen */
    uint32_t seq_isn; /* ISN of the direction the packet travels */
    uint32_t ack_isn; /* ISN of the opposite direction */
    uint8_t to;       /* enum trace_side it is going to */
};

struct export_index {
    const struct trace *t;
    struct export_pkt *pkt; /* by packet id */
    uint32_t npkt;          /* highest id + 1 */
};

/*
 * Walk the trace once: number every host's datagrams (a counter per source
 * address, from 1), and remember for every packet id the ISNs of both
 * directions of its 4-tuple as they were when it was sent (the latest SYN
 * each way).
 */
void export_index_build(struct export_index *x, const struct trace *t);
void export_index_free(struct export_index *x);
/* The packet with this id, or NULL. */
const struct export_pkt *export_pkt(const struct export_index *x, uint32_t id);
/* The SEND event of packet id, or NULL. */
const struct trace_event *export_send_event(const struct export_index *x,
                                            uint32_t id);

/* ---- Writing a file safely, in output.c. ---- */

/*
 * Open path for writing. A regular file (or a new one) is written to a
 * fresh temporary file beside it (mkstemp) and renamed over it by
 * output_close, keeping its mode, so a failed run leaves nothing
 * half-written; anything else (/dev/stdout, a pipe) is written in place.
 * Returns NULL with errno set.
 */
struct output;
struct output *output_open(const char *path);
/* Are a and b the same existing file (the scenario read, say)? */
bool output_same_file(const char *a, const char *b);
FILE *output_file(struct output *o);
/* Flush, close and rename. ok = 0 throws the file away instead. Returns 0,
 * or -1 with errno set (the temporary file is removed). */
int output_close(struct output *o, int ok);

#endif
