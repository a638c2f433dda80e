/*
 * The errors of a load: each reader of json_read.c and the walk report a
 * mistake with verr() and go on, so that one load finds them all. The
 * first SCENARIO_MAX_ERRORS in file order are kept and the rest counted.
 * cJSON keeps no positions, so a kept error's member indices go to
 * json_locate(), which walks the same indices through the original text,
 * once, at the end of the load. A node that a --set override put in the
 * tree (ctx.marks) is reported against "--set KEY" instead of a line and
 * column.
 */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "json_locate.h"
#include "scenario_private.h"

/*
 * Where an error is, as the member indices from the root down: comparing
 * two such paths orders errors as the file does, without scanning the text
 * (a node's key, then its value, then what is inside it). Only the errors
 * kept are located in the text, once, at the end of the load.
 */
struct place {
    size_t idx[JSON_CHECK_MAX_DEPTH + 2];
    size_t depth;
    enum at at;
};

/* An error kept for the report. */
struct found_err {
    struct place place;
    bool located; /* e.where is final: a --set, or a place in the text */
    struct synfin_err e;
};

static void
place_of(const struct jpath *p, enum at at, struct place *pl)
{
    size_t depth = 0, n;

    for (const struct jpath *q = p; q && q->up; q = q->up)
        depth++;
    /* Only a --set can make a path deeper than the text's limit, and the
     * walk never goes that deep: the cap only keeps the array safe. */
    if (depth > JSON_CHECK_MAX_DEPTH + 2)
        depth = JSON_CHECK_MAX_DEPTH + 2;
    n = depth;
    for (const struct jpath *q = p; q && q->up && n > 0; q = q->up)
        pl->idx[--n] = q->index;
    pl->depth = depth;
    pl->at = at;
}

/* <0, 0, >0 as a comes before, at, or after b in the file. */
static int
place_cmp(const struct place *a, const struct place *b)
{
    size_t n = a->depth < b->depth ? a->depth : b->depth;

    for (size_t i = 0; i < n; i++)
        if (a->idx[i] != b->idx[i])
            return a->idx[i] < b->idx[i] ? -1 : 1;
    if (a->depth != b->depth)
        return a->depth < b->depth ? -1
                                   : 1; /* a container before its insides */
    if (a->at != b->at)
        return a->at == AT_KEY ? -1 : 1; /* a key before its value */
    return 0;
}

/*
 * A slot for an error at pl among the first SCENARIO_MAX_ERRORS in file
 * order (after those at the same place), or NULL when that many come before
 * it: then it is only counted.
 */
static struct found_err *
keep(struct ctx *c, const struct place *pl)
{
    size_t lo = 0, hi = c->nerrs;
    struct found_err *f;

    if (!c->errs) {
        c->errs = xcalloc(SCENARIO_MAX_ERRORS, sizeof *c->errs);
        c->order = xcalloc(SCENARIO_MAX_ERRORS, sizeof *c->order);
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (place_cmp(&c->order[mid]->place, pl) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == SCENARIO_MAX_ERRORS) {
        c->more++;
        return NULL;
    }
    if (c->nerrs == SCENARIO_MAX_ERRORS) { /* the last one makes room */
        f = c->order[--c->nerrs];
        c->more++;
    } else {
        f = &c->errs[c->nerrs];
    }
    memmove(&c->order[lo + 1], &c->order[lo],
            (c->nerrs - lo) * sizeof *c->order);
    c->order[lo] = f;
    c->nerrs++;
    memset(f, 0, sizeof *f);
    f->place = *pl;
    return f;
}

bool
has_errors(const struct ctx *c)
{
    return c->nerrs > 0;
}

static void
path_str(const struct jpath *p, char *buf, size_t size)
{
    size_t n;

    if (!p || !p->up) {
        buf[0] = '\0';
        return;
    }
    path_str(p->up, buf, size);
    n = strlen(buf);
    if (p->key)
        snprintf(buf + n, size - n, "%s%s", n ? "." : "", p->key);
    else
        snprintf(buf + n, size - n, "[%zu]", p->index);
}

/* Control characters would break the one-line message. */
static void
sanitize(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

static bool
marked(const struct ctx *c, const cJSON *node, size_t *ovr)
{
    for (size_t i = 0; i < c->nmarks; i++) {
        if (c->marks[i].node == node) {
            *ovr = c->marks[i].ovr;
            return true;
        }
    }
    return false;
}

static void
set_where_override(const struct ctx *c, size_t ovr, struct synfin_err *e)
{
    const char *arg = c->ovr[ovr];
    size_t klen = strcspn(arg, "=");

    snprintf(e->where, sizeof e->where, "--set %.*s", (int)klen, arg);
    sanitize(e->where);
}

static void
set_where_offset(const struct ctx *c, size_t off, struct synfin_err *e)
{
    size_t line, col;

    json_locate_linecol(c->text, c->len, off, &line, &col);
    snprintf(e->where, sizeof e->where, "%s:%zu:%zu", c->file, line, col);
}

/* The byte offset of what pl names (its key with AT_KEY) in the text. */
static bool
offset_of(const struct ctx *c, const struct place *pl, size_t *off)
{
    struct json_path_seg segs[JSON_CHECK_MAX_DEPTH + 2];
    size_t value_off, key_off;

    for (size_t i = 0; i < pl->depth; i++) {
        segs[i].key = NULL;
        segs[i].index = pl->idx[i];
    }
    if (!json_locate(c->text, c->len, segs, pl->depth, &value_off, &key_off))
        return false;
    *off = pl->at == AT_KEY ? key_off : value_off;
    return true;
}

void
line_col_of(const struct ctx *c, const struct jpath *p, uint32_t *line,
            uint32_t *col)
{
    struct place pl;
    size_t off, l, k;

    *line = *col = 0;
    for (const struct jpath *q = p; q; q = q->up)
        if (marked(c, q->node, &off))
            return; /* made by --set: no place in the file */
    place_of(p, AT_VALUE, &pl);
    if (!offset_of(c, &pl, &off))
        return;
    json_locate_linecol(c->text, c->len, off, &l, &k);
    *line = (uint32_t)l;
    *col = (uint32_t)k;
}

/*
 * Record an error at the node at p. missing names a key absent from the
 * object at p (the message is about p.missing; the position is p's brace).
 * Returns false, for the reader that found it to return.
 */
PRINTF_LIKE(5, 6)
bool
verr(struct ctx *c, const struct jpath *p, const char *missing, enum at at,
     const char *fmt, ...)
{
    struct place pl;
    struct found_err *f;
    char path[256];
    size_t n = 0, ovr;
    va_list ap;

    place_of(p, at, &pl);
    if (!(f = keep(c, &pl)))
        return false;
    path_str(p, path, sizeof path);
    if (missing) {
        size_t l = strlen(path);
        snprintf(path + l, sizeof path - l, "%s%s", l ? "." : "", missing);
    }
    if (path[0])
        n = (size_t)snprintf(f->e.msg, sizeof f->e.msg, "%s: ", path);
    if (n < sizeof f->e.msg) {
        va_start(ap, fmt);
        vsnprintf(f->e.msg + n, sizeof f->e.msg - n, fmt, ap);
        va_end(ap);
    }
    sanitize(f->e.msg);
    for (const struct jpath *q = p; q; q = q->up) {
        if (marked(c, q->node, &ovr)) {
            set_where_override(c, ovr, &f->e);
            f->located = true;
            break;
        }
    }
    return false;
}

/* An error at a byte offset of the text, with a complete message. */
bool
text_err(struct ctx *c, size_t off, const char *msg)
{
    struct place pl = {.depth = 0, .at = AT_VALUE};
    struct found_err *f = keep(c, &pl);

    if (f) {
        set_where_offset(c, off, &f->e);
        snprintf(f->e.msg, sizeof f->e.msg, "%s", msg);
        f->located = true;
    }
    return false;
}

/* An error in the --set argument itself. */
PRINTF_LIKE(3, 4)
bool
ovr_err(struct ctx *c, const char *where, const char *fmt, ...)
{
    struct place pl = {.depth = 0, .at = AT_VALUE};
    struct found_err *f = keep(c, &pl);
    va_list ap;

    if (!f)
        return false;
    snprintf(f->e.where, sizeof f->e.where, "%s", where);
    sanitize(f->e.where);
    va_start(ap, fmt);
    vsnprintf(f->e.msg, sizeof f->e.msg, fmt, ap);
    va_end(ap);
    sanitize(f->e.msg);
    f->located = true;
    return false;
}

void
take_errors(struct ctx *c, struct scenario_errors *errs)
{
    memset(errs, 0, sizeof *errs);
    if (c->nerrs)
        errs->list = xcalloc(c->nerrs, sizeof *errs->list);
    for (size_t i = 0; i < c->nerrs; i++) {
        struct found_err *f = c->order[i];
        size_t off;

        if (!f->located) {
            if (offset_of(c, &f->place, &off))
                set_where_offset(c, off, &f->e);
            else
                snprintf(f->e.where, sizeof f->e.where, "%s", c->file);
        }
        errs->list[i] = f->e;
    }
    errs->n = c->nerrs;
    errs->more = c->more;
    errs->not_json = c->not_json;
    free(c->errs);
    free(c->order);
    c->errs = NULL;
    c->order = NULL;
    c->nerrs = c->more = 0;
}
