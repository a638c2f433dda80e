/*
 * Shared by the files of src/scenario/ and nothing else.
 */
#ifndef SYNFIN_SCENARIO_PRIVATE_H
#define SYNFIN_SCENARIO_PRIVATE_H

#include <stddef.h>

/* A scenario file larger than this is refused: 4 MiB. */
#define SCENARIO_MAX_BYTES ((size_t)4 << 20)

#endif
