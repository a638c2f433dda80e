/*
 * Where scenarios are found, in the order a name is looked up:
 *
 *   1. $SYNFIN_PATH, a colon-separated list of directories;
 *   2. $XDG_DATA_HOME/synfin/scenarios (by default
 *      ~/.local/share/synfin/scenarios): a teacher's own folder;
 *   3. the built-in scenarios: the source tree's scenarios/ when synfin
 *      runs from its build directory (which holds a file naming it, so no
 *      build path is compiled into the binary), else the data directory
 *      beside the binary (../share/synfin/scenarios from bin/, so a copy of
 *      the installed tree, or a DESTDIR install, finds its own), else the
 *      data directory of the configured prefix.
 *
 * `synfin lost-final-ack` is a name: lost-final-ack.json in the first of
 * them that has it.
 */
#ifndef SYNFIN_SCENARIO_DIRS_H
#define SYNFIN_SCENARIO_DIRS_H

#include <stddef.h>
#include <stdio.h>

enum scenario_origin {
    ORIGIN_SYNFIN_PATH, /* a directory of $SYNFIN_PATH */
    ORIGIN_USER,        /* $XDG_DATA_HOME/synfin/scenarios */
    ORIGIN_BUILTIN,     /* the scenarios that ship with synfin */
};

struct scenario_dir {
    char *path;
    enum scenario_origin origin;
};

struct scenario_dirs {
    struct scenario_dir *d;
    size_t n;
};

/* The directories from the environment and the binary's place, in lookup
 * order; they need not exist. Free with scenario_dirs_free(). */
void scenario_dirs_get(struct scenario_dirs *dirs);
void scenario_dirs_free(struct scenario_dirs *dirs);

/* "SYNFIN_PATH", "XDG_DATA_HOME" or "built-in". */
const char *scenario_origin_name(enum scenario_origin o);

/*
 * The file a scenario argument means, as a new string: the argument itself
 * when it names a file that exists or holds a '/'; else a name, with or
 * without ".json", looked up in dirs. NULL if no directory has it.
 */
char *scenario_find(const char *arg, const struct scenario_dirs *dirs);

/* The templates of synfin --new: the built-in scenarios' templates/
 * directory, as a new string. */
char *scenario_templates_dir(void);

/* One line per directory, "  PATH (ORIGIN)", for a message. */
void scenario_dirs_print(const struct scenario_dirs *dirs, FILE *out);

#endif
