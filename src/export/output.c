/*
 * Output files that appear whole or not at all. A regular file (or a new
 * one) is written to a fresh temporary file beside it, made by mkstemp so
 * that nothing planted under a guessable name is followed or clobbered,
 * and renamed over it only when everything was written; it keeps the mode
 * of the file it replaces (a new one gets 0666 less the umask, as fopen
 * would). Devices and pipes (/dev/stdout, /dev/null, a FIFO) cannot be
 * renamed over, so they are written in place. A path that is a symbolic
 * link is written where the link points, so the link stays.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "export/export.h"

struct output {
    FILE *f;
    char *path; /* the final name */
    char *tmp;  /* NULL: written in place */
};

/* A temporary file in path's directory, with mode; NULL with errno. */
static FILE *
open_beside(const char *path, mode_t mode, char **tmp)
{
    const char *slash = strrchr(path, '/');
    size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = path + dir;
    char *name = xmalloc(dir + strlen(base) + 16);
    FILE *f = NULL;
    int fd, err;

    memcpy(name, path, dir);
    sprintf(name + dir, ".%s.XXXXXX", base);
    fd = mkstemp(name);
    if (fd >= 0 && fchmod(fd, mode) == 0)
        f = fdopen(fd, "w");
    if (f) {
        *tmp = name;
        return f;
    }
    err = errno;
    if (fd >= 0) {
        close(fd);
        unlink(name);
    }
    free(name);
    errno = err;
    return NULL;
}

struct output *
output_open(const char *path)
{
    struct output *o = xcalloc(1, sizeof *o);
    struct stat st;
    char *real = NULL;
    int err;

    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        o->path = xstrdup(path);
        o->f = fopen(path, "w");
    } else {
        mode_t mode;
        if (stat(path, &st) == 0) {
            mode = st.st_mode & 07777;
            real = realpath(path, NULL); /* through a symbolic link */
        } else {
            mode_t mask = umask(0);
            umask(mask);
            mode = 0666 & ~mask;
        }
        o->path = real ? real : xstrdup(path);
        o->f = open_beside(o->path, mode, &o->tmp);
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

bool
output_same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
