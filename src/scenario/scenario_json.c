/*
 * The scenario file format: JSON text to struct scenario, with every mistake
 * reported as "FILE:LINE:COL: key.path: what is wrong". The format is
 * documented in docs/scenario-format.md.
 *
 * The steps, here: check the bytes and the syntax strictly (json_check.c),
 * parse with cJSON, apply the --set overrides to the cJSON tree
 * (scenario_override.c), then walk the tree top-down while filling the C
 * structs (scenario_walk.c, reading values with json_read.c). The first
 * error ends the load.
 */
#include "synfin/scenario.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "json_locate.h"
#include "scenario_private.h"

/* --- Entry point. ------------------------------------------------------- */

/* "dir/handshake.json" -> "handshake". */
static char *
base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    size_t n;
    char *s;

    b = b ? b + 1 : path;
    n = strlen(b);
    if (n > 5 && strcmp(b + n - 5, ".json") == 0)
        n -= 5;
    s = xmalloc(n + 1);
    memcpy(s, b, n);
    s[n] = '\0';
    return s;
}

cJSON *
scenario_tree(struct ctx *c)
{
    char msg[sizeof((struct synfin_err *)0)->msg];
    size_t off, start = 0;
    const char *end = NULL;
    cJSON *root;
    struct jpath rp = {NULL, NULL, NULL, 0};
    char g[96];

    /* An error in the text itself ends the check: what follows it cannot
     * be read as JSON. */
    if (!json_check_bytes(c->text, c->len, &off, msg, sizeof msg)) {
        c->not_json = true;
        text_err(c, off, msg);
        return NULL;
    }
    if (c->len >= 3 && memcmp(c->text, "\xef\xbb\xbf", 3) == 0)
        start = 3;
    off = start + strspn(c->text + start, " \t\r\n");
    if (off == c->len) {
        text_err(c, off, "empty file (expected a JSON object)");
        return NULL;
    }
    if (!json_check(c->text, c->len, &off, msg, sizeof msg)) {
        c->not_json = true;
        text_err(c, off, msg);
        return NULL;
    }
    root =
        cJSON_ParseWithLengthOpts(c->text + start, c->len - start, &end, false);
    if (!root) {
        /* json_check() accepted it, so this is not expected; say where. */
        c->not_json = true;
        text_err(c, end ? (size_t)(end - c->text) : 0, "syntax error");
        return NULL;
    }
    rp.node = root;
    if (!cJSON_IsObject(root)) {
        verr(c, &rp, NULL, AT_VALUE,
             "expected a JSON object at the top level, got %s",
             got(root, g, sizeof g));
        cJSON_Delete(root);
        return NULL;
    }
    /* Every override is tried, so that each bad one is reported. */
    for (size_t i = 0; i < c->novr; i++)
        apply_override(c, root, i);
    if (has_errors(c)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* The file is walked only when the text and every override were good. */
static struct scenario *
load(struct ctx *c)
{
    cJSON *root = scenario_tree(c);
    struct jpath rp = {NULL, root, NULL, 0};
    struct scenario *s;

    if (!root)
        return NULL;
    s = xcalloc(1, sizeof *s);
    s->changed = c->novr > 0;
    walk_scenario(c, &rp, s);
    if (has_errors(c)) {
        scenario_free(s);
        s = NULL;
    }
    cJSON_Delete(root);
    return s;
}

struct scenario *
load_text(const char *name, const char *text, size_t len,
          const char *const *overrides, size_t noverrides,
          struct scenario_errors *errs)
{
    struct ctx c = {0};
    struct scenario *s;
    char *copy;

    if (!name)
        name = "<buffer>";
    if (len > SCENARIO_MAX_BYTES) {
        errors_one(errs, name, "file too large (the limit is 4 MiB)");
        return NULL;
    }
    copy = xmalloc(len + 1);
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    c.file = name;
    c.text = copy;
    c.len = len;
    c.ovr = overrides;
    c.novr = overrides ? noverrides : 0;
    s = load(&c);
    take_errors(&c, errs);
    if (s) {
        s->path = xstrdup(name);
        s->name = base_name(name);
        s->source = copy;
        s->source_len = len;
        s->noverrides = c.novr;
        s->overrides = c.novr ? xcalloc(c.novr, sizeof *s->overrides) : NULL;
        for (size_t i = 0; i < c.novr; i++)
            s->overrides[i] = xstrdup(overrides[i]);
    } else {
        free(copy);
    }
    free(c.marks);
    return s;
}
