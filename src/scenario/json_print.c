/*
 * A cJSON tree as the scenario files are written: two spaces an indent, one
 * member or element a line, members in the tree's order; an array of plain
 * values ([250, 350], ["fin_no_seq"]) stays on one line. Strings are
 * written as every JSON writer of synfin writes them (base/json_string.h):
 * UTF-8 kept, controls escaped. Numbers are printed so that they read back
 * as the same double: every time in milliseconds then loads as the same
 * microseconds.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/json_string.h"
#include "base/xalloc.h"
#include "scenario_private.h"

/* The shortest of %.15g and %.17g that reads back as v; whole numbers as
 * integers. The loader refuses what is not finite, so v always is. */
static void
put_number(FILE *out, double v)
{
    char s[40];

    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        snprintf(s, sizeof s, "%.0f", v == 0 ? 0.0 : v);
    else if (snprintf(s, sizeof s, "%.15g", v), strtod(s, NULL) != v)
        snprintf(s, sizeof s, "%.17g", v);
    fputs(s, out);
}

static void
indent(FILE *out, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", out);
}

static bool
is_container(const cJSON *j)
{
    return cJSON_IsArray(j) || cJSON_IsObject(j);
}

static void put_value(FILE *out, const cJSON *j, int depth);

static void
put_container(FILE *out, const cJSON *j, int depth)
{
    bool object = cJSON_IsObject(j), flat = !object;

    if (!j->child) {
        fputs(object ? "{}" : "[]", out);
        return;
    }
    for (const cJSON *m = j->child; m && flat; m = m->next)
        flat = !is_container(m);
    if (flat) {
        fputc('[', out);
        for (const cJSON *m = j->child; m; m = m->next) {
            put_value(out, m, depth);
            if (m->next)
                fputs(", ", out);
        }
        fputc(']', out);
        return;
    }
    fputs(object ? "{\n" : "[\n", out);
    for (const cJSON *m = j->child; m; m = m->next) {
        indent(out, depth + 1);
        if (object) {
            json_put_string(out, m->string);
            fputs(": ", out);
        }
        put_value(out, m, depth + 1);
        fputs(m->next ? ",\n" : "\n", out);
    }
    indent(out, depth);
    fputc(object ? '}' : ']', out);
}

static void
put_value(FILE *out, const cJSON *j, int depth)
{
    if (is_container(j))
        put_container(out, j, depth);
    else if (cJSON_IsString(j))
        json_put_string(out, j->valuestring);
    else if (cJSON_IsNumber(j))
        put_number(out, j->valuedouble);
    else if (cJSON_IsTrue(j))
        fputs("true", out);
    else if (cJSON_IsFalse(j))
        fputs("false", out);
    else
        fputs("null", out);
}

char *
json_print(const cJSON *root)
{
    char *text = NULL;
    size_t len;
    FILE *out = open_memstream(&text, &len);

    if (!out)
        xalloc_fail();
    put_value(out, root, 0);
    fputc('\n', out);
    if (fclose(out) != 0 || !text)
        xalloc_fail();
    return text;
}
