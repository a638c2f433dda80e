/*
 * The picker's list of scenarios: every *.json of every scenario directory
 * (src/scenario/scenario_dirs.h), directory by directory in lookup order
 * (a teacher's own first, the built-in ones last), each in the order of
 * its directory's order.txt (a teaching order, whose first entry is the
 * default), then by file name. Each entry has its title and one-line
 * description in both languages, and where it comes from; a file that does
 * not load is listed too, with its error, rather than hidden.
 */
#ifndef SYNFIN_UI_CATALOG_H
#define SYNFIN_UI_CATALOG_H

#include <stddef.h>

#include "scenario/scenario_dirs.h"
#include "synfin/scenario.h"

struct catalog_entry {
    char *path;
    char *name; /* file name without ".json" */
    struct i18n title, description;
    enum scenario_origin origin;
    char *error; /* why the file does not load, or NULL */
    int rank;    /* line in order.txt; INT_MAX when not listed */
};

struct catalog {
    struct catalog_entry *e;
    size_t n, cap;
};

/* Fill c from dirs, in order (missing ones are skipped). Returns the number
 * of entries. */
size_t catalog_load(struct catalog *c, const struct scenario_dir *dirs,
                    size_t ndirs);
void catalog_free(struct catalog *c);

#endif
