/* The trace container and the names its readers print. */
#include "synfin/trace.h"

#include "base/xalloc.h"
#include "trace_private.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
trace_init(struct trace *t)
{
    memset(t, 0, sizeof *t);
}

void
trace_free(struct trace *t)
{
    for (size_t i = 0; i < t->nchunks; i++)
        free(t->chunk[i]);
    free(t->chunk);
    trace_views_free(&t->views);
    memset(t, 0, sizeof *t);
}

/* Chunks rather than one array grown by doubling: nothing is copied, and
 * the memory a long run asks for grows by one chunk at a time. */
struct trace_event *
trace_push(struct trace *t)
{
    struct trace_event *e;

    if (t->len == t->nchunks * TRACE_CHUNK_EVENTS) {
        if (t->nchunks == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 16;
            t->chunk = xreallocarray(t->chunk, t->cap, sizeof *t->chunk);
        }
        t->chunk[t->nchunks++] =
            xreallocarray(NULL, TRACE_CHUNK_EVENTS, sizeof **t->chunk);
    }
    e = trace_at_mut(t, t->len);
    *e = (struct trace_event){.idx = (uint32_t)t->len++};
    return e;
}

size_t
trace_bytes(const struct trace *t)
{
    return t->nchunks * TRACE_CHUNK_EVENTS * sizeof **t->chunk +
           trace_views_bytes(&t->views);
}

static const char *const kind_names[TRACE__KIND_COUNT] = {
    [TRACE_CALL] = "call",
    [TRACE_APP] = "app",
    [TRACE_SEND] = "send",
    [TRACE_ARRIVE] = "arrive",
    [TRACE_DROP] = "drop",
    [TRACE_DISCARD] = "discard",
    [TRACE_STATE] = "state",
    [TRACE_TIMER_SET] = "timer_set",
    [TRACE_TIMER_FIRE] = "timer_fire",
    [TRACE_TIMER_CANCEL] = "timer_cancel",
    [TRACE_NOTE] = "note",
};

const char *
trace_kind_name(enum trace_kind k)
{
    return (unsigned)k < TRACE__KIND_COUNT ? kind_names[k] : "?";
}

int
trace_kind_parse(const char *name)
{
    for (int i = 0; i < TRACE__KIND_COUNT; i++)
        if (strcmp(kind_names[i], name) == 0)
            return i;
    return -1;
}

const char *
trace_side_name(enum trace_side s)
{
    switch (s) {
    case SIDE_CLIENT: return "client";
    case SIDE_SERVER: return "server";
    case SIDE_NET: return "net";
    }
    return "?";
}

const char *
trace_errno_name(int err)
{
    switch (err) {
    case 0: return "0";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ECONNRESET: return "ECONNRESET";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EPIPE: return "EPIPE";
    case ENOTCONN: return "ENOTCONN";
    case EISCONN: return "EISCONN";
    case EINVAL: return "EINVAL";
    case ENOBUFS: return "ENOBUFS";
    case EHOSTDOWN: return "EHOSTDOWN";
    case EALREADY: return "EALREADY";
    case ECONNABORTED: return "ECONNABORTED";
    }
    return "EIO";
}
