/*
 * Shared by the files of src/scenario/ and nothing else.
 */
#ifndef SYNFIN_SCENARIO_PRIVATE_H
#define SYNFIN_SCENARIO_PRIVATE_H

#include <stddef.h>

/* A scenario file larger than this is refused: 4 MiB. */
#define SCENARIO_MAX_BYTES ((size_t)4 << 20)

/* Allocation that aborts on out of memory, as everywhere in the core. */
void *scenario__xmalloc(size_t size);
void *scenario__xcalloc(size_t n, size_t size);
void *scenario__xrealloc(void *p, size_t n, size_t size);
char *scenario__xstrdup(const char *s);

#endif
