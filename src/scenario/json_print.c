/*
 * A cJSON tree as the scenario files are written: two spaces an indent, one
 * member or element a line, members in the tree's order; an array of plain
 * values ([250, 350], ["fin_no_seq"]) stays on one line. Strings keep their
 * UTF-8 as it is (Chinese stays readable) and escape what JSON requires and
 * what a terminal would act on: C0 controls, DEL and the C1 controls.
 * Numbers are printed so that they read back as the same double: every
 * time in milliseconds then loads as the same microseconds.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenario_private.h"

struct buf {
    char *s;
    size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap)
            b->cap = b->cap ? 2 * b->cap : 4096;
        b->s = xreallocarray(b->s, b->cap, 1);
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void
put_text(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void
put_string(struct buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    char esc[8];

    put_text(b, "\"");
    for (; *p; p++) {
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*p;
            put(b, esc, 2);
        } else if (*p == '\n') {
            put_text(b, "\\n");
        } else if (*p == '\t') {
            put_text(b, "\\t");
        } else if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            put_text(b, esc);
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            snprintf(esc, sizeof esc, "\\u%04x", p[1]);
            put_text(b, esc);
            p++;
        } else {
            put(b, (const char *)p, 1);
        }
    }
    put_text(b, "\"");
}

/* The shortest of %.15g and %.17g that reads back as v; whole numbers as
 * integers. The loader refuses what is not finite, so v always is. */
static void
put_number(struct buf *b, double v)
{
    char s[40];

    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        snprintf(s, sizeof s, "%.0f", v == 0 ? 0.0 : v);
    else if (snprintf(s, sizeof s, "%.15g", v), strtod(s, NULL) != v)
        snprintf(s, sizeof s, "%.17g", v);
    put_text(b, s);
}

static void
indent(struct buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        put_text(b, "  ");
}

static bool
is_container(const cJSON *j)
{
    return cJSON_IsArray(j) || cJSON_IsObject(j);
}

static void put_value(struct buf *b, const cJSON *j, int depth);

static void
put_container(struct buf *b, const cJSON *j, int depth)
{
    bool object = cJSON_IsObject(j), flat = !object;

    if (!j->child) {
        put_text(b, object ? "{}" : "[]");
        return;
    }
    for (const cJSON *m = j->child; m && flat; m = m->next)
        flat = !is_container(m);
    if (flat) {
        put_text(b, "[");
        for (const cJSON *m = j->child; m; m = m->next) {
            put_value(b, m, depth);
            if (m->next)
                put_text(b, ", ");
        }
        put_text(b, "]");
        return;
    }
    put_text(b, object ? "{\n" : "[\n");
    for (const cJSON *m = j->child; m; m = m->next) {
        indent(b, depth + 1);
        if (object) {
            put_string(b, m->string);
            put_text(b, ": ");
        }
        put_value(b, m, depth + 1);
        put_text(b, m->next ? ",\n" : "\n");
    }
    indent(b, depth);
    put_text(b, object ? "}" : "]");
}

static void
put_value(struct buf *b, const cJSON *j, int depth)
{
    if (is_container(j))
        put_container(b, j, depth);
    else if (cJSON_IsString(j))
        put_string(b, j->valuestring);
    else if (cJSON_IsNumber(j))
        put_number(b, j->valuedouble);
    else if (cJSON_IsTrue(j))
        put_text(b, "true");
    else if (cJSON_IsFalse(j))
        put_text(b, "false");
    else
        put_text(b, "null");
}

char *
json_print(const cJSON *root)
{
    struct buf b = {0};

    put_value(&b, root, 0);
    put_text(&b, "\n");
    return b.s;
}
