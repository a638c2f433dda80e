/*
 * Typed values out of the cJSON tree, and the errors that point at them.
 *
 * Each reader takes a struct jpath (the node and the chain of its parents,
 * on the C stack) and checks the value's type and range: numbers, integers,
 * milliseconds, booleans, strings, English/Chinese text, names from a fixed
 * set, TCP flags and segment tags. A wrong value becomes an error
 * "FILE:LINE:COL: key.path: expected ..., got ..." through verr()
 * (json_errors.c), and the reader returns false.
 */
#include <cjson/cJSON.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "scenario_private.h"

/* Durations are capped at 10^12 ms (about 31.7 years) so that microseconds
 * stay exact in a double and far from overflowing a uint64_t. */
#define MAX_MS      1e12
#define MAX_MS_TEXT "1000000000000"

/* --- Formatting helpers. ------------------------------------------------ */

/*
 * A number as a person wrote it: integers in full, others in the shortest
 * form that reads back the same, with '.' whatever the locale.
 */
void
fmt_num(double v, char *buf, size_t size)
{
    const char *dp;

    if (v == 0) {
        snprintf(buf, size, "0");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e17) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    dp = localeconv()->decimal_point;
    if (dp && strcmp(dp, ".") != 0) {
        char *p = strstr(buf, dp);
        if (p) {
            *p = '.';
            memmove(p + 1, p + strlen(dp), strlen(p + strlen(dp)) + 1);
        }
    }
}

/* s in double quotes, shortened to about 40 bytes on a character boundary. */
static void
quote_str(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    bool cut = false;

    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
        cut = true;
    }
    snprintf(buf, size, "\"%.*s%s\"", (int)n, s, cut ? "..." : "");
}

/* What a value is, for "got ...". */
const char *
got(const cJSON *j, char *buf, size_t size)
{
    if (cJSON_IsNumber(j)) {
        if (!isfinite(j->valuedouble))
            return "a number too large for a double";
        fmt_num(j->valuedouble, buf, size);
        return buf;
    }
    if (cJSON_IsString(j)) {
        char q[64];
        quote_str(j->valuestring, q, sizeof q);
        snprintf(buf, size, "the string %s", q);
        return buf;
    }
    if (cJSON_IsTrue(j))
        return "true";
    if (cJSON_IsFalse(j))
        return "false";
    if (cJSON_IsNull(j))
        return "null";
    if (cJSON_IsArray(j))
        return "an array";
    return "an object";
}

/* "a, b, c" from a NULL-terminated list (or n entries, skipping NULLs). */
void
join(const char *const *names, size_t n, char *buf, size_t size)
{
    size_t len = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && (n != (size_t)-1 || names[i]); i++) {
        if (!names[i])
            continue;
        len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%s",
                                len ? ", " : "", names[i]);
        if (len >= size)
            return;
    }
}

/* --- Reading values. ---------------------------------------------------- */

/* The first member of obj named key; false if there is none. */
bool
child(const struct jpath *obj, const char *key, struct jpath *out)
{
    size_t i = 0;

    for (const cJSON *m = obj->node->child; m; m = m->next, i++) {
        if (m->string && strcmp(m->string, key) == 0) {
            out->up = obj;
            out->node = m;
            out->key = m->string;
            out->index = i;
            return true;
        }
    }
    return false;
}

bool
in_list(const char *const *names, const char *s)
{
    for (; *names; names++)
        if (strcmp(*names, s) == 0)
            return true;
    return false;
}

/* A comment ("//"): a string, or an array of strings for several lines. */
static bool
comment_at(struct ctx *c, const struct jpath *p)
{
    char g[96], what[128];
    const cJSON *bad = NULL;

    if (cJSON_IsString(p->node))
        return true;
    if (cJSON_IsArray(p->node)) {
        for (const cJSON *e = p->node->child; e && !bad; e = e->next)
            if (!cJSON_IsString(e))
                bad = e;
        if (!bad)
            return true;
        snprintf(what, sizeof what, "an array holding %s",
                 got(bad, g, sizeof g));
    } else {
        snprintf(what, sizeof what, "%s", got(p->node, g, sizeof g));
    }
    return verr(c, p, NULL, AT_VALUE,
                "expected a comment: a string or an array of strings, got %s",
                what);
}

bool
check_object(struct ctx *c, const struct jpath *p, const char *const *keys)
{
    char g[96], list[320];
    /* Which keys were seen, by their index in keys; the last bit is "//".
     * No object of the format has 63 keys. */
    uint64_t seen = 0;
    size_t i = 0;

    if (!cJSON_IsObject(p->node))
        return verr(c, p, NULL, AT_VALUE, "expected an object, got %s",
                    got(p->node, g, sizeof g));
    for (const cJSON *m = p->node->child; m; m = m->next, i++) {
        struct jpath k = {p, m, m->string, i};
        unsigned bit = 63;

        if (strcmp(m->string, COMMENT_KEY) == 0) {
            comment_at(c, &k);
        } else {
            for (bit = 0; keys[bit] && strcmp(keys[bit], m->string); bit++)
                ;
            if (!keys[bit]) {
                join(keys, (size_t)-1, list, sizeof list);
                verr(c, &k, NULL, AT_KEY, "unknown key (expected one of: %s)",
                     list);
                continue;
            }
        }
        if (seen & (uint64_t)1 << bit)
            verr(c, &k, NULL, AT_KEY, "duplicate key");
        seen |= (uint64_t)1 << bit;
    }
    return true;
}

bool
require(struct ctx *c, const struct jpath *obj, const char *key)
{
    struct jpath p;

    if (child(obj, key, &p))
        return true;
    return verr(c, obj, key, AT_VALUE, "missing required key");
}

static bool
range_has(const struct range *r, double v)
{
    if (!isfinite(v))
        return false;
    if (r->integer && v != floor(v))
        return false;
    if (r->lo_open ? v <= r->lo : v < r->lo)
        return false;
    return v <= r->hi;
}

/* A number in r at p; the error says what was expected. */
bool
num_at(struct ctx *c, const struct jpath *p, const struct range *r, double *out)
{
    char lo[32], hi[32], g[96];

    if (cJSON_IsNumber(p->node) && range_has(r, p->node->valuedouble)) {
        *out = p->node->valuedouble;
        return true;
    }
    fmt_num(r->lo, lo, sizeof lo);
    fmt_num(r->hi, hi, sizeof hi);
    return verr(c, p, NULL, AT_VALUE, "expected %s in %c%s, %s], got %s",
                r->integer ? "an integer" : "a number", r->lo_open ? '(' : '[',
                lo, hi, got(p->node, g, sizeof g));
}

/* Optional number member; *out keeps its default when absent. */
bool
get_num(struct ctx *c, const struct jpath *obj, const char *key, double lo,
        double hi, bool lo_open, double *out)
{
    struct range r = {lo, hi, lo_open, false};
    struct jpath p;

    if (!child(obj, key, &p))
        return true;
    return num_at(c, &p, &r, out);
}

/* Optional integer member in [lo, hi]. given, if not NULL, says if present. */
bool
get_int(struct ctx *c, const struct jpath *obj, const char *key, double lo,
        double hi, long long *out, bool *given)
{
    struct range r = {lo, hi, false, true};
    struct jpath p;
    double v;

    if (given)
        *given = false;
    if (!child(obj, key, &p))
        return true;
    if (!num_at(c, &p, &r, &v))
        return false;
    *out = (long long)v;
    if (given)
        *given = true;
    return true;
}

bool
get_u32(struct ctx *c, const struct jpath *obj, const char *key, double lo,
        double hi, uint32_t *out)
{
    long long v = *out;

    if (!get_int(c, obj, key, lo, hi, &v, NULL))
        return false;
    *out = (uint32_t)v;
    return true;
}

/*
 * Milliseconds at p, as microseconds rounded to nearest. positive: > 0
 * instead of >= 0.
 */
bool
ms_at(struct ctx *c, const struct jpath *p, bool positive, uint64_t *us)
{
    char g[96];
    double v;

    if (!cJSON_IsNumber(p->node) || !isfinite(p->node->valuedouble) ||
        (positive ? p->node->valuedouble <= 0 : p->node->valuedouble < 0))
        return verr(c, p, NULL, AT_VALUE,
                    "expected a number of milliseconds %s 0, got %s",
                    positive ? ">" : ">=", got(p->node, g, sizeof g));
    v = p->node->valuedouble;
    if (v > MAX_MS)
        return verr(c, p, NULL, AT_VALUE,
                    "expected at most " MAX_MS_TEXT
                    " milliseconds (about 31 years), got %s",
                    got(p->node, g, sizeof g));
    *us = (uint64_t)llround(v * 1000.0);
    /* The clock counts whole microseconds: a time that is not zero must
     * not become zero (an RTO of 0.0001 ms would fire at once, for ever). */
    if (*us == 0 && v != 0)
        return verr(c, p, NULL, AT_VALUE,
                    "expected 0 or at least 0.001 milliseconds (synfin's "
                    "clock counts whole microseconds), got %s",
                    got(p->node, g, sizeof g));
    return true;
}

bool
get_ms(struct ctx *c, const struct jpath *obj, const char *key, bool positive,
       uint64_t *us, bool *given)
{
    struct jpath p;

    if (given)
        *given = false;
    if (!child(obj, key, &p))
        return true;
    if (!ms_at(c, &p, positive, us))
        return false;
    if (given)
        *given = true;
    return true;
}

bool
bool_at(struct ctx *c, const struct jpath *p, bool *out)
{
    char g[96];

    if (!cJSON_IsBool(p->node))
        return verr(c, p, NULL, AT_VALUE, "expected true or false, got %s",
                    got(p->node, g, sizeof g));
    *out = cJSON_IsTrue(p->node);
    return true;
}

bool
get_bool(struct ctx *c, const struct jpath *obj, const char *key, bool *out)
{
    struct jpath p;

    if (!child(obj, key, &p))
        return true;
    return bool_at(c, &p, out);
}

bool
str_at(struct ctx *c, const struct jpath *p, const char **out)
{
    char g[96];

    if (!cJSON_IsString(p->node))
        return verr(c, p, NULL, AT_VALUE, "expected a string, got %s",
                    got(p->node, g, sizeof g));
    *out = p->node->valuestring;
    return true;
}

/* A string or {"en": ..., "zh": ...}. */
bool
i18n_at(struct ctx *c, const struct jpath *p, struct i18n *out)
{
    static const char *const keys[] = {"en", "zh", NULL};
    struct jpath q;
    const char *s;
    char g[96];
    bool ok = true;

    if (cJSON_IsString(p->node)) {
        out->en = xstrdup(p->node->valuestring);
        return true;
    }
    if (!cJSON_IsObject(p->node))
        return verr(c, p, NULL, AT_VALUE,
                    "expected a string or an object {\"en\": ..., \"zh\": "
                    "...}, got %s",
                    got(p->node, g, sizeof g));
    check_object(c, p, keys);
    if (!child(p, "en", &q))
        ok = require(c, p, "en");
    else if (str_at(c, &q, &s))
        out->en = xstrdup(s);
    else
        ok = false;
    if (child(p, "zh", &q)) {
        if (str_at(c, &q, &s))
            out->zh = xstrdup(s);
        else
            ok = false;
    }
    return ok;
}

bool
get_i18n(struct ctx *c, const struct jpath *obj, const char *key, bool required,
         struct i18n *out)
{
    struct jpath p;

    if (!child(obj, key, &p))
        return required ? require(c, obj, key) : true;
    return i18n_at(c, &p, out);
}

/*
 * A name from a fixed set. names[i] is the name of value i (NULL entries
 * are not allowed). parse, if given, is a lenient parser (any case, '_' for
 * '-'); otherwise the match is exact. noun names the thing in messages.
 */
bool
enum_at(struct ctx *c, const struct jpath *p, const char *noun,
        const char *const *names, size_t n, int (*parse)(const char *),
        int *out)
{
    char list[320], q[64], g[96];
    int v = -1;

    join(names, n, list, sizeof list);
    if (!cJSON_IsString(p->node))
        return verr(c, p, NULL, AT_VALUE,
                    "expected a string naming a %s (one of: %s), got %s", noun,
                    list, got(p->node, g, sizeof g));
    if (parse) {
        v = parse(p->node->valuestring);
    } else {
        for (size_t i = 0; i < n; i++)
            if (names[i] && strcmp(names[i], p->node->valuestring) == 0)
                v = (int)i;
    }
    if (v < 0 || (size_t)v >= n || !names[v]) {
        quote_str(p->node->valuestring, q, sizeof q);
        return verr(c, p, NULL, AT_VALUE, "unknown %s %s (expected one of: %s)",
                    noun, q, list);
    }
    *out = v;
    return true;
}

bool
get_enum(struct ctx *c, const struct jpath *obj, const char *key,
         const char *noun, const char *const *names, size_t n,
         int (*parse)(const char *), int *out)
{
    struct jpath p;

    if (!child(obj, key, &p))
        return true;
    return enum_at(c, &p, noun, names, n, parse, out);
}

static const struct {
    const char *name;
    uint8_t bit;
} tag_names[] = {
    {"retx", SEG_RETX},         {"keepalive", SEG_KEEPALIVE}, {"dup", SEG_DUP},
    {"icmp", SEG_ICMP},         {"held", SEG_HELD},           {"tlp", SEG_TLP},
    {"injected", SEG_INJECTED},
};

/* "retx,dup" (any case; ',', '|', '+' or ' ' between) to SEG_* bits; -1
 * if a name is unknown. */
static int
tags_parse(const char *s)
{
    int tags = 0;

    while (*s) {
        size_t n = strcspn(s, ",|+ ");
        if (n > 0) {
            int bit = -1;
            for (size_t i = 0; i < sizeof tag_names / sizeof tag_names[0]; i++)
                if (strlen(tag_names[i].name) == n &&
                    strncasecmp(s, tag_names[i].name, n) == 0)
                    bit = tag_names[i].bit;
            if (bit < 0)
                return -1;
            tags |= bit;
        }
        s += n;
        if (*s)
            s++;
    }
    return tags;
}

/* TCP flags as "SYN,ACK"; at least one name. */
bool
flags_at(struct ctx *c, const struct jpath *p, uint8_t *out)
{
    char g[96];
    int f = -1;

    if (cJSON_IsString(p->node))
        f = tcp_flags_parse(p->node->valuestring);
    if (f <= 0)
        return verr(c, p, NULL, AT_VALUE,
                    "expected TCP flags such as \"SYN\" or \"SYN,ACK\" "
                    "(names: SYN, FIN, RST, PSH, ACK), got %s",
                    got(p->node, g, sizeof g));
    *out = (uint8_t)f;
    return true;
}

bool
tags_at(struct ctx *c, const struct jpath *p, uint8_t *out)
{
    char g[96];
    int t = -1;

    if (cJSON_IsString(p->node))
        t = tags_parse(p->node->valuestring);
    if (t <= 0)
        return verr(c, p, NULL, AT_VALUE,
                    "expected tags such as \"retx\" or \"retx,dup\" (names: "
                    "retx, keepalive, dup, icmp, held, tlp), got %s",
                    got(p->node, g, sizeof g));
    *out = (uint8_t)t;
    return true;
}
