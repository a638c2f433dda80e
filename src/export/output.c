/*
 * Output files that appear whole or not at all: a regular file is written
 * as PATH.tmp and renamed over PATH only when everything was written.
 * Devices and pipes (/dev/stdout, /dev/null, a FIFO) cannot be renamed
 * over, so they are written in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xalloc.h"
#include "export/export.h"

struct output {
    FILE *f;
    char *path; /* the final name */
    char *tmp;  /* NULL: written in place */
};

struct output *
output_open(const char *path)
{
    struct output *o = xcalloc(1, sizeof *o);
    struct stat st;
    size_t n = strlen(path);
    int err;

    o->path = xstrdup(path);
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->f = fopen(path, "w");
    } else {
        o->tmp = xmalloc(n + 5);
        memcpy(o->tmp, path, n);
        memcpy(o->tmp + n, ".tmp", 5);
        o->f = fopen(o->tmp, "w");
    }
    if (o->f)
        return o;
    err = errno;
    free(o->tmp);
    free(o->path);
    free(o);
    errno = err;
    return NULL;
}

FILE *
output_file(struct output *o)
{
    return o->f;
}

int
output_close(struct output *o, int ok)
{
    int rc = 0, err = 0;

    if (fflush(o->f) != 0 || ferror(o->f)) {
        err = errno ? errno : EIO;
        rc = -1;
    }
    if (fclose(o->f) != 0 && rc == 0) {
        err = errno;
        rc = -1;
    }
    if (o->tmp) {
        if (rc == 0 && ok && rename(o->tmp, o->path) != 0) {
            err = errno;
            rc = -1;
        }
        if (rc != 0 || !ok)
            remove(o->tmp);
    }
    free(o->tmp);
    free(o->path);
    free(o);
    if (rc)
        errno = err;
    return rc;
}
