/*
 * The built-in scenarios for the picker: every *.json in the first scenario
 * directory that has any, with its title and one-line description in both
 * languages, in the order of the directory's order.txt (a teaching order,
 * whose first entry is the default), then by file name.
 */
#ifndef SYNFIN_UI_CATALOG_H
#define SYNFIN_UI_CATALOG_H

#include <stddef.h>

#include "synfin/scenario.h"

struct catalog_entry {
    char *path;
    char *name; /* file name without ".json" */
    struct i18n title, description;
    int rank; /* line in order.txt; INT_MAX when not listed */
};

struct catalog {
    struct catalog_entry *e;
    size_t n;
    const char *dir; /* where they were found, or NULL */
};

/*
 * Fill c from the first of dirs (NULL entries skipped) that holds at least
 * one scenario that loads. Returns the number found.
 */
size_t catalog_load(struct catalog *c, const char *const *dirs, size_t ndirs);
void catalog_free(struct catalog *c);

#endif
