/* SipHash-2-4 of 12 bytes, in the shape of Linux's lib/siphash.c. */
#include "base/siphash.h"

static inline uint64_t
rol64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

#define SIPROUND                                                               \
    do {                                                                       \
        v0 += v1;                                                              \
        v1 = rol64(v1, 13);                                                    \
        v1 ^= v0;                                                              \
        v0 = rol64(v0, 32);                                                    \
        v2 += v3;                                                              \
        v3 = rol64(v3, 16);                                                    \
        v3 ^= v2;                                                              \
        v0 += v3;                                                              \
        v3 = rol64(v3, 21);                                                    \
        v3 ^= v0;                                                              \
        v2 += v1;                                                              \
        v1 = rol64(v1, 17);                                                    \
        v1 ^= v2;                                                              \
        v2 = rol64(v2, 32);                                                    \
    } while (0)

uint64_t
siphash_3u32(uint32_t first, uint32_t second, uint32_t third,
             const uint64_t key[2])
{
    uint64_t v0 = 0x736f6d6570736575ull ^ key[0];
    uint64_t v1 = 0x646f72616e646f6dull ^ key[1];
    uint64_t v2 = 0x6c7967656e657261ull ^ key[0];
    uint64_t v3 = 0x7465646279746573ull ^ key[1];
    uint64_t b = (uint64_t)12 << 56; /* the message's length, in bytes */
    uint64_t m = (uint64_t)second << 32 | first;

    /* The first 8 bytes: one compression. */
    v3 ^= m;
    SIPROUND;
    SIPROUND;
    v0 ^= m;
    /* The last 4, with the length in the top byte. */
    b |= third;
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    /* Finalization. */
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return (v0 ^ v1) ^ (v2 ^ v3);
}
