/*
 * The internet checksum of RFC 1071: the one's-complement sum of the data
 * as big-endian 16-bit words, complemented. IPv4 headers, ICMP messages and
 * TCP segments (with the pseudo-header of RFC 9293 §3.1) all use it.
 */
#include "export/export.h"

uint32_t
inet_sum(uint32_t sum, const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t acc = sum;

    for (; len >= 2; p += 2, len -= 2)
        acc += (uint32_t)p[0] << 8 | p[1];
    if (len)
        acc += (uint32_t)p[0] << 8;
    /* Fold the carries back in so the running sum stays in 32 bits. */
    while (acc >> 32)
        acc = (acc & 0xffffffffu) + (acc >> 32);
    return (uint32_t)acc;
}

uint16_t
inet_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

uint16_t
inet_cksum(const void *data, size_t len)
{
    return inet_fold(inet_sum(0, data, len));
}

uint16_t
tcp_cksum(uint32_t saddr, uint32_t daddr, const void *seg, size_t len)
{
    uint8_t ph[12] = {
        (uint8_t)(saddr >> 24),
        (uint8_t)(saddr >> 16),
        (uint8_t)(saddr >> 8),
        (uint8_t)saddr,
        (uint8_t)(daddr >> 24),
        (uint8_t)(daddr >> 16),
        (uint8_t)(daddr >> 8),
        (uint8_t)daddr,
        0,
        6, /* zero, protocol TCP */
        (uint8_t)(len >> 8),
        (uint8_t)len,
    };

    return inet_fold(inet_sum(inet_sum(0, ph, sizeof ph), seg, len));
}
