/*
 * SipHash-2-4 (Aumasson and Bernstein) of three 32-bit words, as Linux's
 * siphash_3u32() computes it: the keyed hash its secure_tcp_seq() gives a
 * connection's 4-tuple (RFC 6528's F). Here it only has to spread 4-tuples
 * evenly and repeatably; the key comes from the scenario's seed.
 */
#ifndef SYNFIN_BASE_SIPHASH_H
#define SYNFIN_BASE_SIPHASH_H

#include <stdint.h>

uint64_t siphash_3u32(uint32_t first, uint32_t second, uint32_t third,
                      const uint64_t key[2]);

#endif
