/*
 * Allocation for the whole tree. synfin cannot do anything useful once
 * memory runs out, so these never return NULL: they run the one cleanup
 * hook (the viewer sets it to give the terminal back), say
 * "synfin: out of memory" on stderr and exit with status 2. One place, so
 * no caller can forget the message or leave a terminal broken.
 */
#ifndef SYNFIN_XALLOC_H
#define SYNFIN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
/* Zeroed; n * size is checked for overflow. */
void *xcalloc(size_t n, size_t size);
/* Room for n objects of size bytes; n * size is checked for overflow. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);

/* Report out of memory (with the hook) and exit(2). For allocations made
 * by a library on synfin's behalf, such as cJSON's. */
_Noreturn void xalloc_fail(void);

/* Run fn before the message when memory runs out; NULL removes it. */
void xalloc_set_cleanup(void (*fn)(void));

#endif
