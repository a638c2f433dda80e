/* Where scenarios are found; see scenario_dirs.h. */
#include "scenario/scenario_dirs.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "config.h"

/* The file beside a synfin in its build directory that names the source
 * tree's scenarios (meson.build writes it; nothing installs it). */
#define SOURCE_MARKER "synfin-source-scenarios"

static int
is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *
join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = xmalloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

static void
add(struct scenario_dirs *dirs, char *path, enum scenario_origin origin)
{
    dirs->d = xreallocarray(dirs->d, dirs->n + 1, sizeof *dirs->d);
    dirs->d[dirs->n].path = path;
    dirs->d[dirs->n].origin = origin;
    dirs->n++;
}

/* The first line of dir/SOURCE_MARKER, if it names a directory. */
static char *
source_scenarios(const char *dir)
{
    char *marker = join(dir, SOURCE_MARKER);
    FILE *f = fopen(marker, "r");
    char line[PATH_MAX + 2];
    char *found = NULL;

    free(marker);
    if (!f)
        return NULL;
    if (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '/' && is_dir(line))
            found = xstrdup(line);
    }
    fclose(f);
    return found;
}

/* The built-in scenarios' directory, as the header says. */
static char *
builtin_dir(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash, *found;

    if (n > 0) {
        exe[n] = '\0';
        if ((slash = strrchr(exe, '/')) != NULL) {
            *slash = '\0';
            if ((found = source_scenarios(exe)) != NULL)
                return found;
            if (SYNFIN_REL_SCENARIOS[0]) {
                char *rel = join(exe, SYNFIN_REL_SCENARIOS);
                char real[PATH_MAX];
                if (is_dir(rel) && realpath(rel, real)) {
                    free(rel);
                    return xstrdup(real);
                }
                free(rel);
            }
        }
    }
    return xstrdup(SYNFIN_DATA_SCENARIOS);
}

void
scenario_dirs_get(struct scenario_dirs *dirs)
{
    const char *sp = getenv("SYNFIN_PATH");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");

    memset(dirs, 0, sizeof *dirs);
    while (sp && *sp) {
        size_t len = strcspn(sp, ":");
        if (len) {
            char *p = xmalloc(len + 1);
            memcpy(p, sp, len);
            p[len] = '\0';
            add(dirs, p, ORIGIN_SYNFIN_PATH);
        }
        sp += len + (sp[len] == ':');
    }
    /* The XDG base directory rules: a relative value is ignored. */
    if (xdg && xdg[0] == '/')
        add(dirs, join(xdg, "synfin/scenarios"), ORIGIN_USER);
    else if (home && home[0] == '/')
        add(dirs, join(home, ".local/share/synfin/scenarios"), ORIGIN_USER);
    add(dirs, builtin_dir(), ORIGIN_BUILTIN);
}

char *
scenario_templates_dir(void)
{
    char *dir = builtin_dir();
    char *t = join(dir, "templates");

    free(dir);
    return t;
}

void
scenario_dirs_free(struct scenario_dirs *dirs)
{
    for (size_t i = 0; i < dirs->n; i++)
        free(dirs->d[i].path);
    free(dirs->d);
    memset(dirs, 0, sizeof *dirs);
}

const char *
scenario_origin_name(enum scenario_origin o)
{
    switch (o) {
    case ORIGIN_SYNFIN_PATH: return "SYNFIN_PATH";
    case ORIGIN_USER: return "XDG_DATA_HOME";
    default: return "built-in";
    }
}

char *
scenario_find(const char *arg, const struct scenario_dirs *dirs)
{
    struct stat st;
    size_t len = strlen(arg);
    char *file;

    if (strchr(arg, '/') || stat(arg, &st) == 0)
        return xstrdup(arg);
    if (len > 5 && strcmp(arg + len - 5, ".json") == 0)
        len -= 5;
    if (len == 0 || arg[0] == '.')
        return NULL;
    file = xmalloc(len + 6);
    memcpy(file, arg, len);
    memcpy(file + len, ".json", 6);
    for (size_t i = 0; i < dirs->n; i++) {
        char *path = join(dirs->d[i].path, file);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            free(file);
            return path;
        }
        free(path);
    }
    free(file);
    return NULL;
}

void
scenario_dirs_print(const struct scenario_dirs *dirs, FILE *out)
{
    for (size_t i = 0; i < dirs->n; i++)
        fprintf(out, "  %s (%s)\n", dirs->d[i].path,
                scenario_origin_name(dirs->d[i].origin));
}
