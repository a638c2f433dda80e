/*
 * Every English string the engine can put in a trace event's why (the rule
 * that fired, a drop's cause) or in an arc of the state diagram has its
 * Chinese in src/ui/narrate_rules.c. The strings are read from the engine's
 * sources: every string literal of the .c files of the engine's folders
 * (src/host, net, tcp, app, world) with a space and a letter in it and no
 * '%' (which
 * leaves out names, timer labels, printf formats), outside comments,
 * #include lines and _Static_assert. The arcs of tcp_arcs() are checked
 * at run time as well. An entry of the table that is no
 * longer in the sources fails too, so the table stays exact.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>

#include "tap.h"
#include "ui/canvas.h"
#include "ui/narrate.h"

struct lit {
    char file[300];
    int line;
    char *s;
};

static struct lit lits[4096];
static size_t nlits;

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Skip blanks and comments from p; counts lines. */
static const char *
skip_space(const char *p, int *line)
{
    for (;;) {
        if (*p == '\n')
            (*line)++;
        if (isspace((unsigned char)*p)) {
            p++;
        } else if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                if (*p == '\n')
                    (*line)++;
            p += *p ? 2 : 0;
        } else {
            return p;
        }
    }
}

/* Decode the string literal at p (at its opening quote) onto out. */
static const char *
read_literal(const char *p, char *out, size_t *n, size_t cap)
{
    for (p++; *p && *p != '"'; p++) {
        char c = *p;
        if (c == '\\') {
            p++;
            switch (*p) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'u': {
                unsigned cp = 0;
                char u[4];
                sscanf(p + 1, "%4x", &cp);
                p += 4;
                int k = canvas_utf8_put(cp, u);
                for (int i = 0; i < k && *n + 1 < cap; i++)
                    out[(*n)++] = u[i];
                continue;
            }
            default: c = *p; break;
            }
        }
        if (*n + 1 < cap)
            out[(*n)++] = c;
    }
    out[*n] = '\0';
    return *p ? p + 1 : p;
}

static bool
shown(const char *s)
{
    bool letter = false;
    for (const char *p = s; *p; p++)
        letter |= isalpha((unsigned char)*p);
    return letter && strchr(s, ' ') && !strchr(s, '%');
}

static void
scan(const char *path, const char *name)
{
    char *src = slurp(path), buf[1024];
    const char *p;
    int line = 1, skip_depth = -1, depth = 0;
    bool bol = true;

    if (!ok(src != NULL, "read %s", name))
        return;
    p = src;
    while (*p) {
        const char *q = skip_space(p, &line);
        if (q != p) {
            for (const char *r = p; r < q; r++)
                if (*r == '\n')
                    bol = true;
            p = q;
            continue;
        }
        if (bol && *p == '#') {
            /* #include "file" is no text; a #define's body is read. */
            q = skip_space(p + 1, &line);
            if (strncmp(q, "include", 7) == 0)
                while (*p && *p != '\n')
                    p++;
            else
                p++;
            continue;
        }
        bol = false;
        if (*p == '\'') {
            for (p++; *p && *p != '\''; p++)
                p += *p == '\\';
            p += *p ? 1 : 0;
        } else if (*p == '"') {
            size_t n = 0;
            int at = line;
            p = read_literal(p, buf, &n, sizeof buf);
            /* Adjacent literals are one string. */
            for (;;) {
                q = skip_space(p, &line);
                if (*q != '"')
                    break;
                p = read_literal(q, buf, &n, sizeof buf);
            }
            if (skip_depth < 0 && shown(buf) &&
                nlits < sizeof lits / sizeof lits[0]) {
                snprintf(lits[nlits].file, sizeof lits[nlits].file, "%s", name);
                lits[nlits].line = at;
                lits[nlits].s = strdup(buf);
                nlits++;
            }
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            q = p;
            while (isalnum((unsigned char)*q) || *q == '_')
                q++;
            if ((q - p == 14 && strncmp(p, "_Static_assert", 14) == 0) ||
                (q - p == 13 && strncmp(p, "static_assert", 13) == 0))
                skip_depth = depth;
            p = q;
        } else {
            if (*p == '(')
                depth++;
            if (*p == ')' && --depth == skip_depth)
                skip_depth = -1;
            p++;
        }
    }
    free(src);
}

static int
cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scan every .c file of root/dir, in name order. False if dir is missing. */
static bool
scan_dir(const char *root, const char *dir)
{
    char path[4096], *names[256];
    size_t nnames = 0;
    struct dirent *de;
    DIR *d;

    snprintf(path, sizeof path, "%s/%s", root, dir);
    d = opendir(path);
    if (!d)
        return false;
    while ((de = readdir(d)) != NULL && nnames < 256) {
        size_t len = strlen(de->d_name);
        if (len > 2 && strcmp(de->d_name + len - 2, ".c") == 0)
            names[nnames++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, nnames, sizeof *names, cmp_str);
    for (size_t i = 0; i < nnames; i++) {
        char rel[300];
        snprintf(rel, sizeof rel, "%s/%s", dir, names[i]);
        snprintf(path, sizeof path, "%s/%s", root, rel);
        scan(path, rel);
        free(names[i]);
    }
    return true;
}

int
main(void)
{
    const char *root = getenv("SRCDIR");
    static const char *const engine_dirs[] = {
        "src/host", "src/net", "src/tcp", "src/app", "src/world",
    };
    size_t n, missing = 0, stale = 0, bad = 0;
    const struct narrate_rule_entry *t = narrate_rules(&n);
    bool found_fin = false;

    if (!root)
        root = ".";
    for (size_t i = 0; i < sizeof engine_dirs / sizeof *engine_dirs; i++)
        if (!ok(scan_dir(root, engine_dirs[i]), "read %s", engine_dirs[i]))
            return done_testing();

    /* The scan sees the engine's strings at all. */
    for (size_t i = 0; i < nlits; i++)
        found_fin |= strcmp(lits[i].s, "§3.10.7.4 eighth: FIN received: enter "
                                       "CLOSE-WAIT, the peer will send no "
                                       "more") == 0;
    ok(nlits > 50, "%zu strings found in the engine's sources", nlits);
    ok(found_fin, "the rule of the FIN that enters CLOSE-WAIT is among them");

    for (size_t i = 0; i < nlits; i++)
        if (!narrate_rule_zh(lits[i].s)) {
            printf("# %s:%d: no Chinese for \"%s\"\n", lits[i].file,
                   lits[i].line, lits[i].s);
            missing++;
        }
    if (!ok(missing == 0, "every why string of the engine has its Chinese"))
        printf("# add each to src/ui/narrate_rules.c\n");

    for (size_t k = 0; k < n; k++) {
        bool used = false;
        for (size_t i = 0; i < nlits && !used; i++)
            used = strcmp(lits[i].s, t[k].en) == 0;
        if (!used) {
            printf("# not in the engine any more: \"%s\"\n", t[k].en);
            stale++;
        }
        for (size_t j = 0; j < k; j++)
            if (strcmp(t[j].en, t[k].en) == 0) {
                printf("# twice in the table: \"%s\"\n", t[k].en);
                bad++;
            }
        /* Sound UTF-8, and some Chinese in it. */
        const char *s = t[k].zh;
        bool wide = false;
        while (*s) {
            uint32_t ch = canvas_utf8_next(&s);
            bad += ch == 0xFFFD;
            wide |= canvas_char_width(ch) == 2;
        }
        if (!wide) {
            printf("# no Chinese in the translation of \"%s\"\n", t[k].en);
            bad++;
        }
    }
    /* The arcs as the engine serves them, whatever its source looks like. */
    size_t narcs;
    const struct tcp_arc *arcs = tcp_arcs(&narcs);
    missing = 0;
    for (size_t i = 0; i < narcs; i++) {
        const char *txt[2] = {arcs[i].event, arcs[i].action};
        for (int k = 0; k < 2; k++)
            if (txt[k] && shown(txt[k]) && !narrate_rule_zh(txt[k])) {
                printf("# arc %s -> %s: no Chinese for \"%s\"\n",
                       tcp_state_name(arcs[i].from), tcp_state_name(arcs[i].to),
                       txt[k]);
                missing++;
            }
    }
    ok(missing == 0, "every arc of the state diagram has its Chinese");
    ok(stale == 0, "every entry of the table is still used by the engine");
    ok(bad == 0, "the table's translations are sound, one per string");

    char buf[96];
    const char *en = "random loss";
    ok(narrate_rule(en, "en", buf, sizeof buf) == en, "English is untouched");
    is_str(narrate_rule(en, "zh", buf, sizeof buf), "随机丢包", "Chinese");
    is_str(narrate_rule("no such rule", "zh", buf, sizeof buf), "no such rule",
           "unknown text stays English");
    ok(narrate_rule(NULL, "zh", buf, sizeof buf) == NULL, "NULL stays NULL");
    is_str(narrate_rule("dropped by you (edit 3)", "zh", buf, sizeof buf),
           "被你丢弃（第 3 处修改）", "the viewer's own drop label");
    is_str(narrate_rule("random loss 30% (edit 2)", "zh", buf, sizeof buf),
           "随机丢包 30%（第 2 处修改）", "the viewer's own loss label");
    is_str(
        narrate_rule("dropped by you (edit 3) and more", "zh", buf, sizeof buf),
        "dropped by you (edit 3) and more", "only the exact label");
    for (size_t i = 0; i < nlits; i++)
        free(lits[i].s);
    return done_testing();
}
