/*
 * Every error message of the scenario loader, one bad file each. The files
 * are tests/scenario/bad/NAME.json; expected.txt holds, one per line, the
 * exact error line each must give, "bad/NAME.json:LINE:COL: key: message"
 * (the test runs in tests/scenario/, so FILE is "bad/NAME.json"). Blank
 * lines and lines starting with '#' are ignored. A file without a line, or
 * a line without a file, fails the test. Each file holds one mistake, so the
 * loader, which reports every error it finds, must report that one only.
 */
#include "synfin/scenario.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#define MAX_CASES 256

struct expect {
    char file[128]; /* "bad/NAME.json" */
    char line[1200];
    int seen;
};

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(void)
{
    static struct expect ex[MAX_CASES];
    static char *files[MAX_CASES];
    const char *srcdir = getenv("SRCDIR");
    char dir[1024], line[1200];
    size_t nex = 0, nfiles = 0;
    FILE *f;
    DIR *d;
    struct dirent *de;

    snprintf(dir, sizeof dir, "%s/tests/scenario", srcdir ? srcdir : ".");
    if (chdir(dir) != 0) {
        printf("Bail out! cannot enter %s\n", dir);
        return 1;
    }
    f = fopen("bad/expected.txt", "r");
    if (!f) {
        printf("Bail out! cannot open bad/expected.txt\n");
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        char *colon;
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        colon = strstr(line, ".json:");
        if (!colon || nex == MAX_CASES ||
            (size_t)(colon - line) + 6 > sizeof ex[0].file) {
            ok(0, "malformed expectation: %s", line);
            continue;
        }
        snprintf(ex[nex].file, sizeof ex[nex].file, "%.*s",
                 (int)(colon - line) + 5, line);
        snprintf(ex[nex].line, sizeof ex[nex].line, "%s", line);
        for (size_t i = 0; i < nex; i++)
            if (strcmp(ex[i].file, ex[nex].file) == 0)
                ok(0, "%s expected twice", ex[nex].file);
        nex++;
    }
    fclose(f);

    d = opendir("bad");
    if (!d) {
        printf("Bail out! cannot open bad/\n");
        return 1;
    }
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 5 && strcmp(de->d_name + n - 5, ".json") == 0 &&
            nfiles < MAX_CASES) {
            files[nfiles] = malloc(n + 5);
            if (!files[nfiles])
                abort();
            snprintf(files[nfiles], n + 5, "bad/%s", de->d_name);
            nfiles++;
        }
    }
    closedir(d);
    qsort(files, nfiles, sizeof files[0], cmp_str);

    for (size_t i = 0; i < nfiles; i++) {
        struct expect *e = NULL;
        struct scenario_errors errs;
        struct scenario *s;
        char got[1024];

        for (size_t k = 0; k < nex; k++)
            if (strcmp(ex[k].file, files[i]) == 0)
                e = &ex[k];
        s = scenario_load_all_errors(files[i], NULL, 0, &errs);
        if (!ok(s == NULL, "%s fails to load", files[i])) {
            scenario_free(s);
            scenario_errors_free(&errs);
            free(files[i]);
            continue;
        }
        /* Each file has one mistake: going on after it finds no other. */
        is_int(errs.n + errs.more, 1, "%s gives one error", files[i]);
        for (size_t k = 1; k < errs.n; k++)
            printf("#   and: %s\n",
                   synfin_err_str(&errs.list[k], got, sizeof got));
        synfin_err_str(&errs.list[0], got, sizeof got);
        scenario_errors_free(&errs);
        if (!e) {
            ok(0, "%s has no line in expected.txt", files[i]);
            printf("#   it gives: %s\n", got);
        } else {
            e->seen = 1;
            is_str(got, e->line, "%s message", files[i]);
        }
        free(files[i]);
    }
    for (size_t k = 0; k < nex; k++)
        if (!ex[k].seen)
            ok(0, "expected.txt names %s, which does not exist", ex[k].file);
    ok(nfiles >= 40, "%zu bad files", nfiles);
    return done_testing();
}
