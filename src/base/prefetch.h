/*
 * The one prefetch helper. A prefetch is a hint to start loading a cache
 * line that will be needed soon; it is never needed for correctness, and
 * a NULL or stale pointer is fine (the hint does not fault).
 */
#ifndef SYNFIN_PREFETCH_H
#define SYNFIN_PREFETCH_H

/* For reading. */
static inline void
prefetch_read(const void *p)
{
#if defined(__GNUC__)
    __builtin_prefetch(p, 0);
#else
    (void)p;
#endif
}

/* For a line about to be written: fetched for ownership, so the store does
 * not wait for a second trip. */
static inline void
prefetch_write(const void *p)
{
#if defined(__GNUC__)
    __builtin_prefetch(p, 1);
#else
    (void)p;
#endif
}

#endif
