/* A run saved as a scenario file; see save.h. */
#include "save/save.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "scenario/scenario_dirs.h"
#include "synfin/quiz.h"

char *
save_run_text(const struct scenario *loaded, const struct scenario *run,
              const struct trace *t, struct synfin_err *err)
{
    bool *keep_note = xcalloc(loaded->nnotes + 1, sizeof *keep_note);
    bool *keep_question = xcalloc(loaded->nquiz + 1, sizeof *keep_question);
    struct quiz_item *items = xcalloc(run->nquiz + 1, sizeof *items);
    struct scenario_save sv = {run, t, keep_note, keep_question};
    size_t placed;
    char *text;

    /* A note stays if the run shows it, true or not: the saved run's trace
     * is then the edited run's byte for byte, and a note that does not hold
     * is shown as such at home as it was in class. A question stays if it
     * is asked. */
    for (size_t i = 0; i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (e->kind == TRACE_NOTE && e->a >= 0 && (size_t)e->a < loaded->nnotes)
            keep_note[e->a] = true;
    }
    placed = quiz_prepare(run, t, items);
    for (size_t k = 0; k < placed; k++)
        if ((size_t)(items[k].q - run->quiz) < loaded->nquiz)
            keep_question[items[k].q - run->quiz] = true;
    text = scenario_save_text(loaded, &sv, err);
    free(items);
    free(keep_question);
    free(keep_note);
    return text;
}

/* mkdir -p: make dir and every directory above it that is missing. */
static int
make_dirs(char *dir)
{
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        int rc = mkdir(dir, 0777);
        *p = c;
        if (rc != 0 && errno != EEXIST)
            return -1;
        if (c == '\0')
            break;
    }
    return 0;
}

/* text into a new temporary file in dir; its name in *tmp. */
static int
write_temp(const char *dir, const char *text, char **tmp)
{
    size_t len = strlen(text), n = strlen(dir) + 32;
    mode_t mask = umask(0);
    FILE *f;
    int fd, err;

    umask(mask);
    *tmp = xmalloc(n);
    snprintf(*tmp, n, "%s/.synfin-save.XXXXXX", dir);
    fd = mkstemp(*tmp);
    if (fd < 0)
        return -1;
    /* As fopen would make it: 0666 less the umask, not mkstemp's 0600. */
    if (fchmod(fd, 0666 & ~mask) != 0 || !(f = fdopen(fd, "w"))) {
        err = errno;
        close(fd);
        unlink(*tmp);
        errno = err;
        return -1;
    }
    if (fwrite(text, 1, len, f) != len || fflush(f) != 0 || fsync(fd) != 0) {
        err = errno ? errno : EIO;
        fclose(f);
        unlink(*tmp);
        errno = err;
        return -1;
    }
    if (fclose(f) != 0) {
        err = errno;
        unlink(*tmp);
        errno = err;
        return -1;
    }
    return 0;
}

/* The name without a "-N" a save added ("lost-final-ack-2" ->
 * "lost-final-ack"); "saved" for one that cannot be a scenario's name. */
static char *
base_of(const char *name)
{
    size_t n = strlen(name), d = n;

    while (d > 0 && isdigit((unsigned char)name[d - 1]))
        d--;
    if (d < n && d > 1 && name[d - 1] == '-')
        n = d - 1;
    /* A name must not look like an option or a hidden file. */
    if (n == 0 || name[0] == '.' || name[0] == '-' || strchr(name, '/'))
        return xstrdup("saved");
    char *b = xmalloc(n + 1);
    memcpy(b, name, n);
    b[n] = '\0';
    return b;
}

int
save_new(const char *name, const char *text, char **where)
{
    struct scenario_dirs dirs;
    char *dir = NULL, *tmp = NULL, *base = base_of(name), *path = NULL;
    int rc = -1, err = 0;

    *where = NULL;
    scenario_dirs_get(&dirs);
    for (size_t i = 0; i < dirs.n; i++)
        if (dirs.d[i].origin == ORIGIN_USER)
            dir = xstrdup(dirs.d[i].path);
    if (!dir) {
        err = ENOENT;
    } else if (make_dirs(dir) != 0 || write_temp(dir, text, &tmp) != 0) {
        err = errno;
        *where = dir;
        dir = NULL;
    } else {
        char cand[512];
        for (unsigned k = 2; k < 100000 && rc != 0; k++) {
            char *found;
            snprintf(cand, sizeof cand, "%s-%u", base, k);
            /* Another scenario of that name would open instead. */
            if ((found = scenario_find(cand, &dirs)) != NULL) {
                free(found);
                continue;
            }
            size_t n = strlen(dir) + strlen(cand) + 8;
            free(path);
            path = xmalloc(n);
            snprintf(path, n, "%s/%s.json", dir, cand);
            /* link, unlike rename, never replaces a file. */
            if (link(tmp, path) == 0)
                rc = 0;
            else if ((err = errno) != EEXIST)
                break;
        }
        unlink(tmp);
        *where = path;
        path = NULL;
    }
    free(path);
    free(tmp);
    free(dir);
    free(base);
    scenario_dirs_free(&dirs);
    errno = err;
    return rc;
}
