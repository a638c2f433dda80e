/*
 * The --set KEY=VALUE overrides, applied to the cJSON tree before the walk
 * sees it: KEY is a path of names and [N] indices ("client.script[0].at_ms"),
 * VALUE is JSON if it parses as JSON and a string otherwise. Missing objects
 * on the way are created (never arrays or array elements). Every node an
 * override puts in the tree is recorded in ctx.marks, so that an error in
 * it names "--set KEY" rather than a line of the file.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "json_locate.h"
#include "scenario_private.h"

/* Segments in an override's key path. */
#define MAX_KEY_SEGS 32

/* Append to the string in buf, truncating at size. */
PRINTF_LIKE(3, 4)
static void
appendf(char *buf, size_t size, const char *fmt, ...)
{
    size_t n = strlen(buf);
    va_list ap;

    if (n + 1 >= size)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
}

/* --- Overrides (--set KEY=VALUE). --------------------------------------- */

static void
mark_add(struct ctx *c, const cJSON *node, size_t ovr)
{
    if (c->nmarks == c->capmarks) {
        c->capmarks = c->capmarks ? 2 * c->capmarks : 16;
        c->marks = xreallocarray(c->marks, c->capmarks, sizeof *c->marks);
    }
    c->marks[c->nmarks].node = node;
    c->marks[c->nmarks].ovr = ovr;
    c->nmarks++;
}

/* Forget marks on a subtree about to be freed (its addresses get reused). */
static void
mark_purge(struct ctx *c, const cJSON *node)
{
    for (size_t i = 0; i < c->nmarks;) {
        if (c->marks[i].node == node)
            c->marks[i] = c->marks[--c->nmarks];
        else
            i++;
    }
    for (const cJSON *m = node->child; m; m = m->next)
        mark_purge(c, m);
}

struct key_seg {
    const char *name; /* NULL for an index */
    size_t len;
    size_t index;
};

/* "a.b[2].c" into segments; false if malformed. */
static bool
parse_key(const char *key, size_t klen, struct key_seg *segs, size_t *nsegs)
{
    size_t i = 0, n = 0;

    while (i < klen) {
        size_t start = i;

        while (i < klen && key[i] != '.' && key[i] != '[' && key[i] != ']')
            i++;
        if (i == start || n == MAX_KEY_SEGS)
            return false;
        segs[n].name = key + start;
        segs[n].len = i - start;
        n++;
        while (i < klen && key[i] == '[') {
            size_t v = 0, digits = 0;
            for (i++; i < klen && isdigit((unsigned char)key[i]); i++) {
                if (++digits > 9)
                    return false;
                v = v * 10 + (size_t)(key[i] - '0');
            }
            if (digits == 0 || i >= klen || key[i] != ']' || n == MAX_KEY_SEGS)
                return false;
            i++;
            segs[n].name = NULL;
            segs[n].index = v;
            n++;
        }
        if (i < klen) {
            if (key[i] != '.' || i + 1 == klen)
                return false;
            i++;
        }
    }
    *nsegs = n;
    return n > 0;
}

static const char *
type_noun(const cJSON *j)
{
    if (cJSON_IsObject(j))
        return "an object";
    if (cJSON_IsArray(j))
        return "an array";
    if (cJSON_IsString(j))
        return "a string";
    if (cJSON_IsNumber(j))
        return "a number";
    if (cJSON_IsBool(j))
        return "a boolean";
    return "null";
}

/* VALUE: JSON if it is valid JSON, else the string itself. */
static cJSON *
override_value(const char *v)
{
    size_t len = strlen(v), off;
    char msg[160];
    cJSON *j;

    /* json_check skips a byte order mark and cJSON does not: what cJSON
     * cannot read is taken as a string, like any other non-JSON value. */
    j = len > 0 && json_check(v, len, &off, msg, sizeof msg)
            ? cJSON_ParseWithLength(v, len)
            : NULL;
    if (!j)
        j = cJSON_CreateString(v);
    if (!j)
        xalloc_fail();
    return j;
}

static void
cjson_ok(cJSON_bool ok)
{
    if (!ok)
        xalloc_fail();
}

/*
 * Apply overrides[oi] to the tree: walk the key path, creating missing
 * objects (never arrays or array elements), and put the value at its end.
 */
bool
apply_override(struct ctx *c, cJSON *root, size_t oi)
{
    const char *arg = c->ovr[oi], *eq = strchr(arg, '=');
    struct key_seg segs[MAX_KEY_SEGS];
    size_t nsegs, klen, off;
    char where[320], path[256] = "", name[256], msg[160];
    cJSON *cur = root, *val;

    if (!eq)
        return ovr_err(c, "--set",
                       "missing '=' in \"%s\" (expected --set KEY=VALUE)", arg);
    klen = (size_t)(eq - arg);
    if (klen == 0)
        return ovr_err(c, "--set",
                       "empty key in \"%s\" (expected --set KEY=VALUE)", arg);
    snprintf(where, sizeof where, "--set %.*s", (int)klen, arg);
    if (!parse_key(arg, klen, segs, &nsegs))
        return ovr_err(c, where,
                       "bad key (expected names separated by '.', each "
                       "optionally followed by [N], as in "
                       "client.script[0].at_ms)");
    if (!json_check_bytes(eq + 1, strlen(eq + 1), &off, msg, sizeof msg))
        return ovr_err(c, where, "%.*s: the value is not valid UTF-8",
                       (int)klen, arg);

    for (size_t i = 0; i < nsegs; i++) {
        const struct key_seg *sg = &segs[i];
        bool last = i + 1 == nsegs;
        size_t pl = strlen(path);
        cJSON *next = NULL;

        if (sg->name) {
            if (!cJSON_IsObject(cur))
                return ovr_err(c, where, "%s: is %s, not an object", path,
                               type_noun(cur));
            snprintf(name, sizeof name, "%.*s", (int)sg->len, sg->name);
            appendf(path, sizeof path, "%s%s", pl ? "." : "", name);
            for (cJSON *m = cur->child; m; m = m->next)
                if (strcmp(m->string, name) == 0) {
                    next = m;
                    break;
                }
            if (last) {
                val = override_value(eq + 1);
                if (next) {
                    mark_purge(c, next);
                    cjson_ok(
                        cJSON_ReplaceItemInObjectCaseSensitive(cur, name, val));
                } else {
                    cjson_ok(cJSON_AddItemToObject(cur, name, val));
                }
                mark_add(c, val, oi);
                return true;
            }
            if (!next) {
                if (!segs[i + 1].name)
                    return ovr_err(c, where,
                                   "%s: does not exist (--set creates "
                                   "missing objects, not arrays)",
                                   path);
                next = cJSON_CreateObject();
                cjson_ok(next != NULL);
                cjson_ok(cJSON_AddItemToObject(cur, name, next));
                mark_add(c, next, oi);
            }
        } else {
            int size;

            if (!cJSON_IsArray(cur))
                return ovr_err(c, where, "%s: is %s, not an array", path,
                               type_noun(cur));
            size = cJSON_GetArraySize(cur);
            appendf(path, sizeof path, "[%zu]", sg->index);
            if (sg->index >= (size_t)size)
                return ovr_err(c, where,
                               "%s: index out of range (the array has %d "
                               "element%s)",
                               path, size, size == 1 ? "" : "s");
            next = cJSON_GetArrayItem(cur, (int)sg->index);
            if (last) {
                val = override_value(eq + 1);
                mark_purge(c, next);
                cjson_ok(cJSON_ReplaceItemInArray(cur, (int)sg->index, val));
                mark_add(c, val, oi);
                return true;
            }
        }
        cur = next;
    }
    return true;
}
