/* The picker's list of scenarios; see catalog.h. */
#include "ui/catalog.h"

#include "base/xalloc.h"
#include <dirent.h>
#include <limits.h>
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

/* Rank each entry by its line in dir/order.txt ('#' starts a comment). */
static void
catalog_rank(struct catalog *c, const char *dir)
{
    char path[4096], line[256];
    FILE *f;
    int rank = 0;

    for (size_t i = 0; i < c->n; i++)
        c->e[i].rank = INT_MAX;
    snprintf(path, sizeof path, "%s/order.txt", dir);
    if (!(f = fopen(path, "r")))
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n# ")] = '\0';
        if (!line[0])
            continue;
        for (size_t i = 0; i < c->n; i++)
            if (strcmp(c->e[i].name, line) == 0)
                c->e[i].rank = rank;
        rank++;
    }
    fclose(f);
}

/* Load every scenario of dir into c; returns how many loaded. */
static size_t
catalog_scan(struct catalog *c, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t cap = 0;

    if (!d)
        return 0;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        char path[4096];
        struct synfin_err err;
        struct scenario *s;
        struct catalog_entry *e;

        if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0 ||
            de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        s = scenario_load(path, NULL, 0, &err);
        if (!s)
            continue;
        if (c->n == cap) {
            cap = cap ? cap * 2 : 16;
            c->e = xreallocarray(c->e, cap, sizeof *c->e);
        }
        e = &c->e[c->n++];
        e->path = catalog_strdup(path);
        e->name = catalog_strdup(de->d_name);
        e->name[len - 5] = '\0';
        e->title.en = catalog_strdup(s->title.en ? s->title.en : e->name);
        e->title.zh = catalog_strdup(s->title.zh);
        e->description.en = catalog_strdup(s->description.en);
        e->description.zh = catalog_strdup(s->description.zh);
        scenario_free(s);
    }
    closedir(d);
    catalog_rank(c, dir);
    if (c->n)
        qsort(c->e, c->n, sizeof *c->e, catalog_cmp);
    return c->n;
}

size_t
catalog_load(struct catalog *c, const char *const *dirs, size_t ndirs)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < ndirs; i++) {
        if (dirs[i] && catalog_scan(c, dirs[i])) {
            c->dir = dirs[i];
            break;
        }
    }
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
    }
    free(c->e);
    memset(c, 0, sizeof *c);
}
