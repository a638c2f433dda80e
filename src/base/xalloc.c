#include "base/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The only writable global outside main: set once by the viewer. */
static void (*cleanup)(void);

void
xalloc_set_cleanup(void (*fn)(void))
{
    cleanup = fn;
}

_Noreturn void
xalloc_fail(void)
{
    static const char msg[] = "synfin: out of memory\n";

    if (cleanup)
        cleanup();
    /* write(2), not stdio: stdio itself may need memory. */
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more can be said */
    }
    exit(2);
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (!p)
        xalloc_fail();
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        xalloc_fail();
    p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        xalloc_fail();
    return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
    size_t bytes;

    if (size && n > SIZE_MAX / size)
        xalloc_fail();
    bytes = n * size;
    p = realloc(p, bytes ? bytes : 1);
    if (!p)
        xalloc_fail();
    return p;
}

char *
xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xmalloc(n), s, n);
}
