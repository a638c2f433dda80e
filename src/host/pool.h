/*
 * Fixed-size object pools for the engine's TCBs and sockets: objects are
 * carved from large blocks and recycled through a free list, so a run with
 * a million connections makes a few hundred allocations, not millions, and
 * its memory follows the objects alive at once, not the total. Blocks are
 * only returned by pool_destroy.
 */
#ifndef SYNFIN_POOL_H
#define SYNFIN_POOL_H

#include <stddef.h>
#include <stdint.h>

struct pool {
    size_t size;        /* object size, a multiple of the alignment */
    size_t align;       /* object and block alignment */
    void *free;         /* recycled objects, linked through their start */
    char *next, *end;   /* the unused rest of the newest block */
    size_t block_bytes; /* size of the next block */
    void **blocks;
    uint32_t nblocks, cap;
};

/* Objects of size bytes, each aligned to align (a power of two; 0 = the
 * alignment of max_align_t). */
void pool_init(struct pool *p, size_t size, size_t align);
/* An object of p->size bytes, not zeroed. */
void *pool_get(struct pool *p);
void pool_put(struct pool *p, void *obj);
/* Free every block: every object ever got from p goes. */
void pool_destroy(struct pool *p);

/*
 * calloc for big arrays read at random (a host's connection table): from 2 MB
 * on, the array is advised onto huge pages like a pool's blocks. free()
 * frees it.
 */
void *pool_calloc_huge(size_t n, size_t size);

#endif
