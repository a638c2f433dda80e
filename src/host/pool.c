/*
 * Object pools. The first block holds a few objects, and each next block
 * is twice as large up to 2 MB, so a teaching scenario with two TCBs
 * stays small. From 2 MB on, blocks are 2 MB aligned and, where the system
 * has them, advised to be backed by transparent huge pages: a million TCBs
 * then sit on a few hundred pages instead of 80,000, which saves page
 * faults and TLB misses when a TCB that slept through TIME-WAIT is touched
 * again. The advice changes nothing but speed.
 */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "host/pool.h"

#include "base/xalloc.h"
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum {
    BLOCK_FIRST = 4096,
    BLOCK_HUGE = 2 * 1024 * 1024,
};

void
pool_init(struct pool *p, size_t size, size_t align)
{
    size_t a = align > alignof(max_align_t) ? align : alignof(max_align_t);

    memset(p, 0, sizeof *p);
    if (size < sizeof(void *))
        size = sizeof(void *);
    p->align = a;
    p->size = (size + a - 1) / a * a;
    p->block_bytes = BLOCK_FIRST;
    while (p->block_bytes < 4 * p->size)
        p->block_bytes *= 2;
}

static void
pool_grow(struct pool *p)
{
    size_t bytes = p->block_bytes;
    char *b;

    if (p->nblocks == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 16;
        p->blocks = xreallocarray(p->blocks, cap, sizeof *p->blocks);
        p->cap = cap;
    }
    if (bytes >= BLOCK_HUGE) {
        b = aligned_alloc(BLOCK_HUGE, bytes);
#ifdef MADV_HUGEPAGE
        if (b)
            madvise(b, bytes, MADV_HUGEPAGE);
#endif
    } else {
        /* bytes is a power of two, so a multiple of the alignment. */
        b = aligned_alloc(p->align, bytes);
        p->block_bytes *= 2;
    }
    if (!b)
        xalloc_fail();
    p->blocks[p->nblocks++] = b;
    p->next = b;
    p->end = b + bytes / p->size * p->size;
}

void *
pool_get(struct pool *p)
{
    void *obj = p->free;

    if (obj) {
        memcpy(&p->free, obj, sizeof p->free);
        return obj;
    }
    if (p->next == p->end)
        pool_grow(p);
    obj = p->next;
    p->next += p->size;
    return obj;
}

void
pool_put(struct pool *p, void *obj)
{
    memcpy(obj, &p->free, sizeof p->free);
    p->free = obj;
}

void *
pool_calloc_huge(size_t n, size_t size)
{
    size_t bytes = n * size;
    void *b;

    if (size && bytes / size != n)
        xalloc_fail();
    if (bytes < BLOCK_HUGE) {
        b = calloc(n, size);
    } else {
        bytes = (bytes + BLOCK_HUGE - 1) / BLOCK_HUGE * BLOCK_HUGE;
        b = aligned_alloc(BLOCK_HUGE, bytes);
#ifdef MADV_HUGEPAGE
        if (b)
            madvise(b, bytes, MADV_HUGEPAGE);
#endif
        if (b)
            memset(b, 0, bytes);
    }
    if (!b)
        xalloc_fail();
    return b;
}

void
pool_destroy(struct pool *p)
{
    for (uint32_t i = 0; i < p->nblocks; i++)
        free(p->blocks[i]);
    free(p->blocks);
    memset(p, 0, sizeof *p);
}
