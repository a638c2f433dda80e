/* The picker's list of scenarios; see catalog.h. */
#include "ui/catalog.h"

#include "base/xalloc.h"
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
catalog_strdup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int
catalog_cmp(const void *a, const void *b)
{
    const struct catalog_entry *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Rank entries e[from..n) by their line in dir/order.txt ('#' starts a
 * comment). */
static void
catalog_rank(struct catalog *c, size_t from, const char *dir)
{
    char path[4096], line[256];
    FILE *f;
    int rank = 0;

    for (size_t i = from; i < c->n; i++)
        c->e[i].rank = INT_MAX;
    snprintf(path, sizeof path, "%s/order.txt", dir);
    if (!(f = fopen(path, "r")))
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n# ")] = '\0';
        if (!line[0])
            continue;
        for (size_t i = from; i < c->n; i++)
            if (strcmp(c->e[i].name, line) == 0)
                c->e[i].rank = rank;
        rank++;
    }
    fclose(f);
}

static struct catalog_entry *
catalog_add(struct catalog *c)
{
    struct catalog_entry *e;

    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->e = xreallocarray(c->e, c->cap, sizeof *c->e);
    }
    e = &c->e[c->n++];
    memset(e, 0, sizeof *e);
    return e;
}

/* Add every scenario of dir to c, those that load and those that do not. */
static void
catalog_scan(struct catalog *c, const struct scenario_dir *dir)
{
    DIR *d = opendir(dir->path);
    struct dirent *de;
    size_t from = c->n;

    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        char path[4096], msg[1024];
        struct synfin_err err;
        struct scenario *s;
        struct catalog_entry *e;

        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 ||
            de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir->path, de->d_name);
        s = scenario_load(path, NULL, 0, &err);
        e = catalog_add(c);
        e->path = catalog_strdup(path);
        e->name = catalog_strdup(de->d_name);
        e->name[len - 5] = '\0';
        e->origin = dir->origin;
        if (!s) {
            e->error = catalog_strdup(synfin_err_str(&err, msg, sizeof msg));
            e->title.en = catalog_strdup(de->d_name);
            continue;
        }
        e->title.en = catalog_strdup(s->title.en ? s->title.en : e->name);
        e->title.zh = catalog_strdup(s->title.zh);
        e->description.en = catalog_strdup(s->description.en);
        e->description.zh = catalog_strdup(s->description.zh);
        scenario_free(s);
    }
    closedir(d);
    catalog_rank(c, from, dir->path);
    if (c->n > from)
        qsort(c->e + from, c->n - from, sizeof *c->e, catalog_cmp);
}

size_t
catalog_load(struct catalog *c, const struct scenario_dir *dirs, size_t ndirs)
{
    char **real = xcalloc(ndirs + 1, sizeof *real);

    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < ndirs; i++) {
        bool seen = false;
        /* A directory named twice (in SYNFIN_PATH and built in) once. */
        real[i] = realpath(dirs[i].path, NULL);
        for (size_t j = 0; j < i && real[i]; j++)
            seen = seen || (real[j] && strcmp(real[i], real[j]) == 0);
        if (real[i] && !seen)
            catalog_scan(c, &dirs[i]);
    }
    for (size_t i = 0; i < ndirs; i++)
        free(real[i]);
    free(real);
    return c->n;
}

void
catalog_free(struct catalog *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].path);
        free(c->e[i].name);
        free(c->e[i].title.en);
        free(c->e[i].title.zh);
        free(c->e[i].description.en);
        free(c->e[i].description.zh);
        free(c->e[i].error);
    }
    free(c->e);
    memset(c, 0, sizeof *c);
}
