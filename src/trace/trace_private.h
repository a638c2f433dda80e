/* Inside the trace: the snapshot pool, for trace.c. */
#ifndef SYNFIN_TRACE_PRIVATE_H
#define SYNFIN_TRACE_PRIVATE_H

#include "synfin/trace.h"

void trace_views_free(struct trace_views *p);
size_t trace_views_bytes(const struct trace_views *p);

#endif
