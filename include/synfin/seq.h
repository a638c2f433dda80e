/* Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4). */
#ifndef SYNFIN_SEQ_H
#define SYNFIN_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* "a < b" on the sequence circle: true when b is less than 2^31 ahead. */
static inline bool
seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline bool
seq_leq(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

static inline bool
seq_gt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

static inline bool
seq_geq(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) >= 0;
}

/* lo <= x < hi on the circle; empty when lo == hi. */
static inline bool
seq_in(uint32_t x, uint32_t lo, uint32_t hi)
{
    return seq_leq(lo, x) && seq_lt(x, hi);
}

#endif
