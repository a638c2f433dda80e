/*
 * The built-in scenarios for the picker: every *.json in the first scenario
 * directory that has any, with its title and one-line description in both
 * languages, sorted by file name.
 */
#ifndef SYNFIN_UI_CATALOG_H
#define SYNFIN_UI_CATALOG_H

#include <stddef.h>

#include "synfin/scenario.h"

struct catalog_entry {
    char *path;
    char *name; /* file name without ".json" */
    struct i18n title, description;
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
