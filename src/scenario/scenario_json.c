/*
 * The scenario file format: JSON text to struct scenario, with every mistake
 * reported as "FILE:LINE:COL: key.path: what is wrong". The format is
 * documented in docs/scenario-format.md; keep the two in step.
 *
 * The steps: check the bytes and the syntax strictly (json_check.c), parse
 * with cJSON, apply the --set overrides to the cJSON tree, then validate the
 * tree top-down while filling the C structs. Validation stops at the first
 * error. Within an object, the keys are checked first (unknown, duplicate),
 * then required keys, then the values in the order of the format document.
 *
 * Positions: cJSON keeps none, so every validation step carries a struct
 * jpath (a chain of parent links on the C stack) naming the node by its
 * member index at each level; on error, json_locate() walks the same indices
 * through the original text. Nodes that came from an override are recorded
 * in ctx.marks, and an error at or below such a node is reported against
 * "--set KEY" instead of a line and column.
 */
#include "synfin/scenario.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"
#include "json_locate.h"
#include "scenario_private.h"

#define xmalloc  xmalloc
#define xcalloc  xcalloc
#define xrealloc xreallocarray
#define xstrdup  xstrdup

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Durations are capped at 10^12 ms (about 31.7 years) so that microseconds
 * stay exact in a double and far from overflowing a uint64_t. */
#define MAX_MS      1e12
#define MAX_MS_TEXT "1000000000000"

/* Segments in an override's key path. */
#define MAX_KEY_SEGS 32

/* The largest integer a double (and so a JSON number in cJSON) holds
 * exactly: 2^53. */
#define MAX_EXACT_INT 9007199254740992.0

/* A node of the tree that an override put there (or created on its way). */
struct mark {
    const cJSON *node;
    size_t ovr;
};

struct ctx {
    const char *file; /* for messages */
    const char *text; /* the original text, NUL-terminated */
    size_t len;
    const char *const *ovr;
    size_t novr;
    struct mark *marks;
    size_t nmarks, capmarks;
    struct synfin_err *err;
};

/*
 * Where a node is: its parent, its name (NULL for an array element and the
 * root) and its index among the parent's members or elements.
 */
struct jpath {
    const struct jpath *up;
    const cJSON *node;
    const char *key;
    size_t index;
};

enum at {
    AT_VALUE, /* point at the value */
    AT_KEY,   /* point at the key (unknown, duplicate, misplaced keys) */
};

/* --- Formatting helpers. ------------------------------------------------ */

/*
 * A number as a person wrote it: integers in full, others in the shortest
 * form that reads back the same, with '.' whatever the locale.
 */
static void
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
static const char *
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
static void
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

/* --- Errors. ------------------------------------------------------------ */

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
set_where_override(struct ctx *c, size_t ovr)
{
    const char *arg = c->ovr[ovr];
    size_t klen = strcspn(arg, "=");

    snprintf(c->err->where, sizeof c->err->where, "--set %.*s", (int)klen, arg);
    sanitize(c->err->where);
}

static void
set_where_offset(struct ctx *c, size_t off)
{
    size_t line, col;

    json_locate_linecol(c->text, c->len, off, &line, &col);
    snprintf(c->err->where, sizeof c->err->where, "%s:%zu:%zu", c->file, line,
             col);
}

/*
 * Fill the error for the node at p. missing names a key absent from the
 * object at p (the message is about p.missing; the position is p's brace).
 */
PRINTF_LIKE(5, 6)
static bool
verr(struct ctx *c, const struct jpath *p, const char *missing, enum at at,
     const char *fmt, ...)
{
    char path[256];
    size_t n = 0, depth = 0, ovr;
    struct json_path_seg segs[JSON_CHECK_MAX_DEPTH + 2];
    size_t value_off, key_off;
    va_list ap;

    path_str(p, path, sizeof path);
    if (missing) {
        size_t l = strlen(path);
        snprintf(path + l, sizeof path - l, "%s%s", l ? "." : "", missing);
    }
    if (path[0])
        n = (size_t)snprintf(c->err->msg, sizeof c->err->msg, "%s: ", path);
    if (n < sizeof c->err->msg) {
        va_start(ap, fmt);
        vsnprintf(c->err->msg + n, sizeof c->err->msg - n, fmt, ap);
        va_end(ap);
    }
    sanitize(c->err->msg);

    for (const struct jpath *q = p; q; q = q->up) {
        if (marked(c, q->node, &ovr)) {
            set_where_override(c, ovr);
            return false;
        }
    }
    for (const struct jpath *q = p; q && q->up; q = q->up)
        depth++;
    if (depth > JSON_CHECK_MAX_DEPTH + 1)
        depth = JSON_CHECK_MAX_DEPTH + 1;
    n = depth;
    for (const struct jpath *q = p; q && q->up && n > 0; q = q->up) {
        n--;
        segs[n].key = NULL;
        segs[n].index = q->index;
    }
    if (json_locate(c->text, c->len, segs, depth, &value_off, &key_off))
        set_where_offset(c, at == AT_KEY ? key_off : value_off);
    else
        snprintf(c->err->where, sizeof c->err->where, "%s", c->file);
    return false;
}

/* An error at a byte offset of the text, with a complete message. */
static bool
text_err(struct ctx *c, size_t off, const char *msg)
{
    set_where_offset(c, off);
    snprintf(c->err->msg, sizeof c->err->msg, "%s", msg);
    return false;
}

/* An error in the --set argument itself. */
PRINTF_LIKE(3, 4)
static bool
ovr_err(struct ctx *c, const char *where, const char *fmt, ...)
{
    va_list ap;

    snprintf(c->err->where, sizeof c->err->where, "%s", where);
    sanitize(c->err->where);
    va_start(ap, fmt);
    vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
    va_end(ap);
    sanitize(c->err->msg);
    return false;
}

/* --- Reading values. ---------------------------------------------------- */

/* The first member of obj named key; false if there is none. */
static bool
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

static bool
in_list(const char *const *names, const char *s)
{
    for (; *names; names++)
        if (strcmp(*names, s) == 0)
            return true;
    return false;
}

/* p must be an object whose keys are all in keys, each at most once. */
static bool
check_object(struct ctx *c, const struct jpath *p, const char *const *keys)
{
    char g[96], list[320];
    size_t i = 0;

    if (!cJSON_IsObject(p->node))
        return verr(c, p, NULL, AT_VALUE, "expected an object, got %s",
                    got(p->node, g, sizeof g));
    for (const cJSON *m = p->node->child; m; m = m->next, i++) {
        struct jpath k = {p, m, m->string, i};

        for (const cJSON *prev = p->node->child; prev != m; prev = prev->next)
            if (strcmp(prev->string, m->string) == 0)
                return verr(c, &k, NULL, AT_KEY, "duplicate key");
        if (!in_list(keys, m->string)) {
            join(keys, (size_t)-1, list, sizeof list);
            return verr(c, &k, NULL, AT_KEY,
                        "unknown key (expected one of: %s)", list);
        }
    }
    return true;
}

static bool
require(struct ctx *c, const struct jpath *obj, const char *key)
{
    struct jpath p;

    if (child(obj, key, &p))
        return true;
    return verr(c, obj, key, AT_VALUE, "missing required key");
}

struct range {
    double lo, hi;
    bool lo_open; /* (lo, hi] instead of [lo, hi] */
    bool integer;
};

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
static bool
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
static bool
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
static bool
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

static bool
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
static bool
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
    return true;
}

static bool
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

static bool
bool_at(struct ctx *c, const struct jpath *p, bool *out)
{
    char g[96];

    if (!cJSON_IsBool(p->node))
        return verr(c, p, NULL, AT_VALUE, "expected true or false, got %s",
                    got(p->node, g, sizeof g));
    *out = cJSON_IsTrue(p->node);
    return true;
}

static bool
get_bool(struct ctx *c, const struct jpath *obj, const char *key, bool *out)
{
    struct jpath p;

    if (!child(obj, key, &p))
        return true;
    return bool_at(c, &p, out);
}

static bool
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
static bool
i18n_at(struct ctx *c, const struct jpath *p, struct i18n *out)
{
    static const char *const keys[] = {"en", "zh", NULL};
    struct jpath q;
    const char *s;
    char g[96];

    if (cJSON_IsString(p->node)) {
        out->en = xstrdup(p->node->valuestring);
        return true;
    }
    if (!cJSON_IsObject(p->node))
        return verr(c, p, NULL, AT_VALUE,
                    "expected a string or an object {\"en\": ..., \"zh\": "
                    "...}, got %s",
                    got(p->node, g, sizeof g));
    if (!check_object(c, p, keys) || !require(c, p, "en"))
        return false;
    child(p, "en", &q);
    if (!str_at(c, &q, &s))
        return false;
    out->en = xstrdup(s);
    if (child(p, "zh", &q)) {
        if (!str_at(c, &q, &s))
            return false;
        out->zh = xstrdup(s);
    }
    return true;
}

static bool
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
static bool
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

static bool
get_enum(struct ctx *c, const struct jpath *obj, const char *key,
         const char *noun, const char *const *names, size_t n,
         int (*parse)(const char *), int *out)
{
    struct jpath p;

    if (!child(obj, key, &p))
        return true;
    return enum_at(c, &p, noun, names, n, parse, out);
}

/* --- The vocabularies. -------------------------------------------------- */

static const char *const profile_names[] = {
    [PROFILE_RFC] = "rfc", [PROFILE_LINUX] = "linux"};
static const char *const side_names[] = {
    [SIDE_CLIENT] = "client", [SIDE_SERVER] = "server", [SIDE_NET] = "net"};
static const char *const action_names[] = {
    [RULE_DROP] = "drop", [RULE_HOLD] = "hold"};
static const char *const how_names[] = {
    [SHUT_HOW_RD] = "read", [SHUT_HOW_WR] = "write", [SHUT_HOW_RDWR] = "both"};
static const char *const socket_names[] = {"connection", "listener"};

static const struct {
    const char *name;
    uint8_t bit;
} tag_names[] = {
    {"retx", SEG_RETX}, {"keepalive", SEG_KEEPALIVE}, {"dup", SEG_DUP},
    {"icmp", SEG_ICMP}, {"held", SEG_HELD},
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
static bool
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

static bool
tags_at(struct ctx *c, const struct jpath *p, uint8_t *out)
{
    char g[96];
    int t = -1;

    if (cJSON_IsString(p->node))
        t = tags_parse(p->node->valuestring);
    if (t <= 0)
        return verr(c, p, NULL, AT_VALUE,
                    "expected tags such as \"retx\" or \"retx,dup\" (names: "
                    "retx, keepalive, dup, icmp, held), got %s",
                    got(p->node, g, sizeof g));
    *out = (uint8_t)t;
    return true;
}

/* --- Validation, top-down. ---------------------------------------------- */

static bool
v_tcp(struct ctx *c, const struct jpath *root, int profile,
      struct tcp_params *t)
{
    static const char *const keys[] = {"msl_ms",
                                       "time_wait_ms",
                                       "rto_initial_ms",
                                       "rto_min_ms",
                                       "rto_max_ms",
                                       "fin_timeout_ms",
                                       "delack_ms",
                                       "keepalive_time_ms",
                                       "keepalive_intvl_ms",
                                       "syn_retries",
                                       "synack_retries",
                                       "retries2",
                                       "orphan_retries",
                                       "keepalive_probes",
                                       "quick_acks",
                                       "syn_linear_timeouts",
                                       "rfc1337",
                                       "ttl",
                                       "window",
                                       "mss",
                                       NULL};
    struct jpath p, q;
    bool tw = false, ini = false;
    uint32_t ttl;
    char a[32], b[32];

    tcp_params_default(t, (enum tcp_profile)profile);
    if (!child(root, "tcp", &p))
        return true;
    if (!check_object(c, &p, keys))
        return false;
    if (!get_ms(c, &p, "msl_ms", true, &t->msl_us, NULL) ||
        !get_ms(c, &p, "time_wait_ms", false, &t->time_wait_us, &tw) ||
        !get_ms(c, &p, "rto_initial_ms", true, &t->rto_initial_us, &ini) ||
        !get_ms(c, &p, "rto_min_ms", true, &t->rto_min_us, NULL) ||
        !get_ms(c, &p, "rto_max_ms", true, &t->rto_max_us, NULL) ||
        !get_ms(c, &p, "fin_timeout_ms", false, &t->fin_timeout_us, NULL) ||
        !get_ms(c, &p, "delack_ms", false, &t->delack_us, NULL) ||
        !get_ms(c, &p, "keepalive_time_ms", false, &t->keepalive_time_us,
                NULL) ||
        !get_ms(c, &p, "keepalive_intvl_ms", false, &t->keepalive_intvl_us,
                NULL))
        return false;
    if (!get_u32(c, &p, "syn_retries", 0, 255, &t->syn_retries) ||
        !get_u32(c, &p, "synack_retries", 0, 255, &t->synack_retries) ||
        !get_u32(c, &p, "retries2", 0, 255, &t->retries2) ||
        !get_u32(c, &p, "orphan_retries", 0, 255, &t->orphan_retries) ||
        !get_u32(c, &p, "keepalive_probes", 1, 255, &t->keepalive_probes) ||
        !get_u32(c, &p, "quick_acks", 0, 255, &t->quick_acks) ||
        !get_u32(c, &p, "syn_linear_timeouts", 0, 255,
                 &t->syn_linear_timeouts) ||
        !get_bool(c, &p, "rfc1337", &t->rfc1337))
        return false;
    ttl = t->ttl;
    if (!get_u32(c, &p, "ttl", 1, 255, &ttl) ||
        !get_u32(c, &p, "window", 1, 65535, &t->window) ||
        !get_u32(c, &p, "mss", 1, 65495, &t->mss))
        return false;
    t->ttl = (uint8_t)ttl;
    /* RFC 9293 §3.4.2: TIME-WAIT lasts 2 MSL. Linux fixes it at 60 s. */
    if (profile == PROFILE_RFC && !tw)
        t->time_wait_us = 2 * t->msl_us;

    /*
     * rto_min <= rto_initial <= rto_max. The message names rto_initial_ms
     * when the file gives it, else the bound that the file gives.
     */
    if (t->rto_min_us > t->rto_initial_us) {
        child(&p, ini ? "rto_initial_ms" : "rto_min_ms", &q);
        fmt_num((double)t->rto_initial_us / 1000, a, sizeof a);
        fmt_num((double)t->rto_min_us / 1000, b, sizeof b);
        if (ini)
            return verr(c, &q, NULL, AT_VALUE, "%s is below rto_min_ms (%s)", a,
                        b);
        return verr(c, &q, NULL, AT_VALUE, "%s is above rto_initial_ms (%s)", b,
                    a);
    }
    if (t->rto_initial_us > t->rto_max_us) {
        child(&p, ini ? "rto_initial_ms" : "rto_max_ms", &q);
        fmt_num((double)t->rto_initial_us / 1000, a, sizeof a);
        fmt_num((double)t->rto_max_us / 1000, b, sizeof b);
        if (ini)
            return verr(c, &q, NULL, AT_VALUE, "%s is above rto_max_ms (%s)", a,
                        b);
        return verr(c, &q, NULL, AT_VALUE, "%s is below rto_initial_ms (%s)", b,
                    a);
    }
    return true;
}

static bool
v_link(struct ctx *c, const struct jpath *p, struct link_params *l)
{
    return get_ms(c, p, "delay_ms", false, &l->delay_us, NULL) &&
           get_ms(c, p, "jitter_ms", false, &l->jitter_us, NULL) &&
           get_num(c, p, "loss", 0, 1, false, &l->loss) &&
           get_num(c, p, "dup", 0, 1, false, &l->dup);
}

static bool
v_rule(struct ctx *c, const struct jpath *p, struct net_rule *r)
{
    static const char *const keys[] = {
        "from",   "flags",   "not_flags", "data", "state", "segment",
        "conn",   "from_ms", "until_ms",  "nth",  "count", "probability",
        "action", "hold_ms", "label",     NULL};
    const char *states[TCP__STATE_COUNT];
    struct jpath q;
    long long v;
    bool has_from = false, has_until = false, b;
    int action = RULE_DROP;
    const char *label;
    char buf[32], g[32];

    for (int i = 0; i < TCP__STATE_COUNT; i++)
        states[i] = tcp_state_name((enum tcp_state)i);
    r->from = -1;
    r->data = -1;
    r->state = -1;
    r->nth = 1;
    r->count = 1;
    r->probability = 1;
    if (!check_object(c, p, keys) || !require(c, p, "action"))
        return false;
    if (!get_enum(c, p, "from", "side", side_names, 2, NULL, &r->from))
        return false;
    if (child(p, "flags", &q) && !flags_at(c, &q, &r->flags_all))
        return false;
    if (child(p, "not_flags", &q)) {
        if (!flags_at(c, &q, &r->flags_none))
            return false;
        if (r->flags_all & r->flags_none) {
            tcp_flags_str(r->flags_all & r->flags_none, buf);
            return verr(c, &q, NULL, AT_VALUE,
                        "\"%s\" is also in \"flags\" (no packet can match "
                        "both)",
                        buf);
        }
    }
    if (child(p, "data", &q)) {
        if (!bool_at(c, &q, &b))
            return false;
        r->data = b;
    }
    if (!get_enum(c, p, "state", "state", states, TCP__STATE_COUNT,
                  tcp_state_parse, &r->state))
        return false;
    v = 0;
    if (!get_int(c, p, "segment", 1, UINT32_MAX, &v, NULL))
        return false;
    r->seg_id = (uint32_t)v;
    v = 0;
    if (!get_int(c, p, "conn", 1, UINT32_MAX, &v, NULL))
        return false;
    r->conn = (uint32_t)v;
    if (!get_ms(c, p, "from_ms", false, &r->from_us, &has_from) ||
        !get_ms(c, p, "until_ms", true, &r->until_us, &has_until))
        return false;
    if (has_from && has_until && r->until_us <= r->from_us) {
        child(p, "until_ms", &q);
        fmt_num((double)r->from_us / 1000, g, sizeof g);
        return verr(c, &q, NULL, AT_VALUE, "must be greater than from_ms (%s)",
                    g);
    }
    if (!get_u32(c, p, "nth", 1, UINT32_MAX, &r->nth) ||
        !get_u32(c, p, "count", 0, UINT32_MAX, &r->count) ||
        !get_num(c, p, "probability", 0, 1, true, &r->probability) ||
        !get_enum(c, p, "action", "action", action_names, 2, NULL, &action))
        return false;
    r->action = (enum rule_action)action;
    if (r->action == RULE_HOLD) {
        if (!child(p, "hold_ms", &q))
            return verr(c, p, "hold_ms", AT_VALUE,
                        "missing required key (needed when \"action\" is "
                        "\"hold\")");
        if (!ms_at(c, &q, true, &r->hold_us))
            return false;
    } else if (child(p, "hold_ms", &q)) {
        return verr(c, &q, NULL, AT_VALUE,
                    "only allowed with \"action\": \"hold\"");
    }
    if (child(p, "label", &q)) {
        struct i18n t = {0};
        /* A string, or {"en": ..., "zh": ...} as for every text shown. */
        if (cJSON_IsString(q.node)) {
            if (!str_at(c, &q, &label))
                return false;
            r->label = xstrdup(label);
        } else if (!i18n_at(c, &q, &t)) {
            return false;
        } else {
            r->label = t.en;
            r->label_zh = t.zh;
        }
    }
    return true;
}

static bool
v_network(struct ctx *c, const struct jpath *root, struct net_params *n)
{
    static const char *const keys[] = {
        "routers",          "delay_ms",         "jitter_ms", "loss", "dup",
        "client_to_server", "server_to_client", "rules",     NULL};
    static const char *const link_keys[] = {"delay_ms", "jitter_ms", "loss",
                                            "dup", NULL};
    static const char *const dir_keys[2] = {
        [SIDE_CLIENT] = "client_to_server", [SIDE_SERVER] = "server_to_client"};
    struct link_params base = {50000, 0, 0, 0};
    struct jpath p, q;
    char g[96];

    n->routers = 2;
    n->dir[SIDE_CLIENT] = n->dir[SIDE_SERVER] = base;
    if (!child(root, "network", &p))
        return true;
    if (!check_object(c, &p, keys) ||
        !get_u32(c, &p, "routers", 0, 64, &n->routers) || !v_link(c, &p, &base))
        return false;
    for (int d = SIDE_CLIENT; d <= SIDE_SERVER; d++) {
        n->dir[d] = base;
        if (!child(&p, dir_keys[d], &q))
            continue;
        if (!check_object(c, &q, link_keys) || !v_link(c, &q, &n->dir[d]))
            return false;
    }
    if (!child(&p, "rules", &q))
        return true;
    if (!cJSON_IsArray(q.node))
        return verr(c, &q, NULL, AT_VALUE, "expected an array, got %s",
                    got(q.node, g, sizeof g));
    n->nrules = (size_t)cJSON_GetArraySize(q.node);
    n->rules = xcalloc(n->nrules, sizeof *n->rules);
    {
        size_t i = 0;
        for (const cJSON *e = q.node->child; e; e = e->next, i++) {
            struct jpath ep = {&q, e, NULL, i};
            if (!v_rule(c, &ep, &n->rules[i]))
                return false;
        }
    }
    return true;
}

/* The arguments each call takes; other argument keys are errors. */
static const char *const args_listen[] = {"port", NULL};
static const char *const args_bind[] = {"port", NULL};
static const char *const args_connect[] = {"port", "isn", NULL};
static const char *const args_send[] = {"bytes", NULL};
static const char *const args_recv[] = {"bytes", NULL};
static const char *const args_shutdown[] = {"how", NULL};
static const char *const args_close[] = {"socket", NULL};
static const char *const args_setsockopt[] = {"option", "value", NULL};
static const char *const args_crash[] = {"restart_ms", NULL};
static const char *const *const call_args[CALL__COUNT] = {
    [CALL_LISTEN] = args_listen,   [CALL_BIND] = args_bind,
    [CALL_CONNECT] = args_connect, [CALL_SEND] = args_send,
    [CALL_RECV] = args_recv,       [CALL_SHUTDOWN] = args_shutdown,
    [CALL_CLOSE] = args_close,     [CALL_SETSOCKOPT] = args_setsockopt,
    [CALL_CRASH] = args_crash,
};

static bool
get_port(struct ctx *c, const struct jpath *p, uint16_t *port)
{
    long long v = *port;

    if (!get_int(c, p, "port", 1, 65535, &v, NULL))
        return false;
    *port = (uint16_t)v;
    return true;
}

static bool
v_step_args(struct ctx *c, const struct jpath *p, struct script_step *st)
{
    const char *opts[OPT__COUNT];
    struct jpath q;
    long long v;
    int how = SHUT_HOW_WR, sock = 0, opt = 0;
    bool b;

    switch (st->call) {
    case CALL_LISTEN:
    case CALL_CONNECT:
        if (!get_port(c, p, &st->port))
            return false;
        if (st->call == CALL_CONNECT) {
            if (!get_int(c, p, "isn", 0, UINT32_MAX, &v, &st->has_isn))
                return false;
            if (st->has_isn)
                st->isn = (uint32_t)v;
        }
        return true;
    case CALL_BIND: return require(c, p, "port") && get_port(c, p, &st->port);
    case CALL_SEND:
        if (!require(c, p, "bytes"))
            return false;
        return get_u32(c, p, "bytes", 1, 1e9, &st->bytes);
    case CALL_RECV: return get_u32(c, p, "bytes", 0, 1e9, &st->bytes);
    case CALL_SHUTDOWN:
        if (!get_enum(c, p, "how", "direction", how_names,
                      sizeof how_names / sizeof how_names[0], NULL, &how))
            return false;
        st->how = how;
        return true;
    case CALL_CLOSE:
        if (!get_enum(c, p, "socket", "socket", socket_names, 2, NULL, &sock))
            return false;
        st->listener = sock == 1;
        return true;
    case CALL_SETSOCKOPT:
        for (int i = 0; i < OPT__COUNT; i++)
            opts[i] = sock_opt_name((enum sock_opt)i);
        if (!require(c, p, "option") ||
            !get_enum(c, p, "option", "option", opts, OPT__COUNT,
                      sock_opt_parse, &opt) ||
            !require(c, p, "value"))
            return false;
        st->opt = opt;
        child(p, "value", &q);
        if (opt == OPT_SO_LINGER) {
            struct range r = {-1, 3600, false, true};
            double d;
            if (!num_at(c, &q, &r, &d))
                return false;
            st->value = (int)d;
        } else {
            if (!bool_at(c, &q, &b))
                return false;
            st->value = b;
        }
        return true;
    case CALL_CRASH:
        return get_ms(c, p, "restart_ms", false, &st->restart_us, NULL);
    case CALL__COUNT: break;
    }
    return true;
}

static bool
v_step(struct ctx *c, const struct jpath *p, int side, struct script_step *st)
{
    static const char *const keys[] = {
        "at_ms", "on",     "after_ms", "call",  "port",       "isn", "bytes",
        "how",   "socket", "option",   "value", "restart_ms", NULL};
    static const char *const timing[] = {"at_ms", "on", "after_ms", "call",
                                         NULL};
    const char *calls[CALL__COUNT], *events[EV__COUNT];
    struct jpath q, at, on;
    bool has_at, has_on;
    int call = 0, ev = 0;
    size_t i = 0;
    char list[128];

    for (int k = 0; k < CALL__COUNT; k++)
        calls[k] = sock_call_name((enum sock_call)k);
    for (int k = 0; k < EV__COUNT; k++)
        events[k] = k == EV_NONE ? NULL : app_event_name((enum app_event)k);
    if (!check_object(c, p, keys) || !require(c, p, "call"))
        return false;
    child(p, "call", &q);
    if (!enum_at(c, &q, "call", calls, CALL__COUNT, sock_call_parse, &call))
        return false;
    st->call = (enum sock_call)call;
    if (call == CALL_LISTEN && side != SIDE_SERVER)
        return verr(c, &q, NULL, AT_VALUE,
                    "\"listen\" is only allowed in the server's script");
    /* A server connects only for a simultaneous open, to a fixed port. */
    if (call == CALL_CONNECT && side != SIDE_CLIENT &&
        !cJSON_GetObjectItemCaseSensitive(p->node, "port"))
        return verr(c, &q, NULL, AT_VALUE,
                    "\"connect\" in the server's script needs \"port\": the "
                    "client's port, for a simultaneous open");
    for (const cJSON *m = p->node->child; m; m = m->next, i++) {
        struct jpath k = {p, m, m->string, i};
        if (in_list(timing, m->string) || in_list(call_args[call], m->string))
            continue;
        join(call_args[call], (size_t)-1, list, sizeof list);
        return verr(c, &k, NULL, AT_KEY,
                    "not an argument of \"%s\" (%s takes: %s)", calls[call],
                    calls[call], list);
    }

    has_at = child(p, "at_ms", &at);
    has_on = child(p, "on", &on);
    if (has_at && has_on)
        return verr(c, &on, NULL, AT_VALUE,
                    "cannot be combined with \"at_ms\" (a step either runs "
                    "at a time or waits for an event)");
    if (!has_at && !has_on)
        return verr(c, p, NULL, AT_VALUE,
                    "missing \"at_ms\" (a time) or \"on\" (an event)");
    st->on = EV_NONE;
    if (has_at && !ms_at(c, &at, false, &st->at_us))
        return false;
    if (has_on) {
        if (!enum_at(c, &on, "event", events, EV__COUNT, app_event_parse, &ev))
            return false;
        st->on = (enum app_event)ev;
        if (!get_ms(c, p, "after_ms", false, &st->after_us, NULL))
            return false;
    } else if (child(p, "after_ms", &q)) {
        return verr(c, &q, NULL, AT_VALUE, "only allowed with \"on\"");
    }
    return v_step_args(c, p, st);
}

static bool
v_endpoint(struct ctx *c, const struct jpath *root, const char *key, int side,
           struct endpoint_cfg *e)
{
    static const char *const keys[] = {
        "port",     "isn",    "ttl",        "reuseaddr", "keepalive",
        "cork",     "linger", "autoread",   "script",    "count",
        "every_ms", "hosts",  "port_range", NULL};
    static const char *const client_only[] = {"count", "every_ms", "hosts",
                                              "port_range", NULL};
    struct jpath p, q;
    long long v;
    size_t i = 0;
    char g[96];

    e->port = side == SIDE_SERVER ? 80 : 0;
    e->linger = -1;
    e->autoread = true;
    e->count = 1;
    e->hosts = 1;
    e->port_lo = 32768; /* Linux's ip_local_port_range */
    e->port_hi = 60999;
    if (!child(root, key, &p))
        return true;
    if (!check_object(c, &p, keys))
        return false;
    if (side == SIDE_SERVER) {
        for (const cJSON *m = p.node->child; m; m = m->next, i++) {
            struct jpath k = {&p, m, m->string, i};
            if (in_list(client_only, m->string))
                return verr(c, &k, NULL, AT_KEY, "only allowed in \"client\"");
        }
    }
    if (!get_port(c, &p, &e->port))
        return false;
    if (!get_int(c, &p, "isn", 0, UINT32_MAX, &v, &e->has_isn))
        return false;
    if (e->has_isn)
        e->isn = (uint32_t)v;
    v = 0;
    if (!get_int(c, &p, "ttl", 1, 255, &v, NULL))
        return false;
    e->ttl = (uint8_t)v;
    v = -1;
    if (!get_bool(c, &p, "reuseaddr", &e->reuseaddr) ||
        !get_bool(c, &p, "keepalive", &e->keepalive) ||
        !get_bool(c, &p, "cork", &e->cork) ||
        !get_int(c, &p, "linger", -1, 3600, &v, NULL) ||
        !get_bool(c, &p, "autoread", &e->autoread))
        return false;
    e->linger = (int)v;
    if (!get_u32(c, &p, "count", 1, 10000000, &e->count) ||
        !get_ms(c, &p, "every_ms", false, &e->every_us, NULL) ||
        !get_u32(c, &p, "hosts", 1, 65536, &e->hosts))
        return false;
    if (child(&p, "port_range", &q)) {
        long long lo, hi;
        if (!cJSON_IsArray(q.node) || cJSON_GetArraySize(q.node) != 2)
            return verr(c, &q, NULL, AT_VALUE,
                        "expected [first, last], two port numbers, got %s",
                        got(q.node, g, sizeof g));
        {
            struct jpath a = {&q, q.node->child, NULL, 0};
            struct jpath b = {&q, q.node->child->next, NULL, 1};
            struct range r = {1, 65535, false, true};
            double x, y;
            if (!num_at(c, &a, &r, &x) || !num_at(c, &b, &r, &y))
                return false;
            lo = (long long)x;
            hi = (long long)y;
            if (hi < lo)
                return verr(c, &b, NULL, AT_VALUE,
                            "the last port is below the first (%lld)", lo);
        }
        e->port_lo = (uint16_t)lo;
        e->port_hi = (uint16_t)hi;
    }
    if (!child(&p, "script", &q))
        return true;
    if (!cJSON_IsArray(q.node))
        return verr(c, &q, NULL, AT_VALUE, "expected an array, got %s",
                    got(q.node, g, sizeof g));
    e->nsteps = (size_t)cJSON_GetArraySize(q.node);
    e->steps = xcalloc(e->nsteps, sizeof *e->steps);
    i = 0;
    for (const cJSON *m = q.node->child; m; m = m->next, i++) {
        struct jpath sp = {&q, m, NULL, i};
        if (!v_step(c, &sp, side, &e->steps[i]))
            return false;
    }
    return true;
}

/* Which kinds a "when" field may go with; the error lists them. */
static bool
kind_allows(struct ctx *c, const struct jpath *q, int kind, const int *kinds,
            size_t n, bool any_ok)
{
    char list[160];
    size_t len = 0;

    if (kind < 0 && any_ok)
        return true;
    for (size_t i = 0; i < n; i++)
        if (kinds[i] == kind)
            return true;
    list[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s\"%s\"",
                                i == 0       ? ""
                                : i + 1 == n ? " or "
                                             : ", ",
                                trace_kind_name((enum trace_kind)kinds[i]));
    return verr(c, q, NULL, AT_VALUE, "only allowed with \"kind\": %s%s", list,
                any_ok ? " (or without \"kind\")" : "");
}

static bool
v_when(struct ctx *c, const struct jpath *p, struct note_match *w)
{
    static const char *const keys[] = {
        "kind",  "side", "state", "from_state", "flags", "not_flags",
        "timer", "call", "event", "tags",       "nth",   NULL};
    static const int k_state[] = {TRACE_STATE};
    static const int k_timer[] = {TRACE_TIMER_SET, TRACE_TIMER_FIRE,
                                  TRACE_TIMER_CANCEL};
    static const int k_call[] = {TRACE_CALL};
    static const int k_app[] = {TRACE_APP};
    static const int k_packet[] = {TRACE_SEND, TRACE_ARRIVE, TRACE_DROP,
                                   TRACE_DISCARD};
    const char *states[TCP__STATE_COUNT], *timers[TIMER__COUNT],
        *calls[CALL__COUNT], *events[EV__COUNT], *kinds[TRACE__KIND_COUNT];
    struct jpath q;

    for (int i = 0; i < TRACE__KIND_COUNT; i++)
        kinds[i] = trace_kind_name((enum trace_kind)i);

    for (int i = 0; i < TCP__STATE_COUNT; i++)
        states[i] = tcp_state_name((enum tcp_state)i);
    for (int i = 0; i < TIMER__COUNT; i++)
        timers[i] = tcp_timer_name((enum tcp_timer_kind)i);
    for (int i = 0; i < CALL__COUNT; i++)
        calls[i] = sock_call_name((enum sock_call)i);
    for (int i = 0; i < EV__COUNT; i++)
        events[i] = i == EV_NONE ? NULL : app_event_name((enum app_event)i);

    if (!check_object(c, p, keys) ||
        !get_enum(c, p, "kind", "kind", kinds, TRACE__KIND_COUNT,
                  trace_kind_parse, &w->kind) ||
        !get_enum(c, p, "side", "side", side_names, 3, NULL, &w->side))
        return false;
    if (child(p, "state", &q) &&
        (!kind_allows(c, &q, w->kind, k_state, 1, false) ||
         !enum_at(c, &q, "state", states, TCP__STATE_COUNT, tcp_state_parse,
                  &w->state)))
        return false;
    if (child(p, "from_state", &q) &&
        (!kind_allows(c, &q, w->kind, k_state, 1, false) ||
         !enum_at(c, &q, "state", states, TCP__STATE_COUNT, tcp_state_parse,
                  &w->from_state)))
        return false;
    if (child(p, "flags", &q) &&
        (!kind_allows(c, &q, w->kind, k_packet, 4, true) ||
         !flags_at(c, &q, &w->flags_all)))
        return false;
    if (child(p, "not_flags", &q)) {
        char buf[24];
        if (!kind_allows(c, &q, w->kind, k_packet, 4, true) ||
            !flags_at(c, &q, &w->flags_none))
            return false;
        if (w->flags_all & w->flags_none)
            return verr(c, &q, NULL, AT_VALUE,
                        "\"%s\" is also in \"flags\" (no packet can match "
                        "both)",
                        tcp_flags_str(w->flags_all & w->flags_none, buf));
    }
    if (child(p, "timer", &q) &&
        (!kind_allows(c, &q, w->kind, k_timer, 3, false) ||
         !enum_at(c, &q, "timer", timers, TIMER__COUNT, tcp_timer_parse,
                  &w->timer)))
        return false;
    if (child(p, "call", &q) &&
        (!kind_allows(c, &q, w->kind, k_call, 1, false) ||
         !enum_at(c, &q, "call", calls, CALL__COUNT, sock_call_parse,
                  &w->call)))
        return false;
    if (child(p, "event", &q) &&
        (!kind_allows(c, &q, w->kind, k_app, 1, false) ||
         !enum_at(c, &q, "event", events, EV__COUNT, app_event_parse, &w->app)))
        return false;
    if (child(p, "tags", &q) &&
        (!kind_allows(c, &q, w->kind, k_packet, 4, true) ||
         !tags_at(c, &q, &w->tags_all)))
        return false;
    return get_u32(c, p, "nth", 1, UINT32_MAX, &w->nth);
}

static void
when_init(struct note_match *w)
{
    memset(w, 0, sizeof *w);
    w->kind = w->side = w->state = -1;
    w->from_state = w->timer = w->call = -1;
    w->app = -1;
    w->nth = 1;
}

static bool
v_notes(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {"when", "text", NULL};
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    if (!child(root, "notes", &p))
        return true;
    if (!cJSON_IsArray(p.node))
        return verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
                    got(p.node, g, sizeof g));
    s->nnotes = (size_t)cJSON_GetArraySize(p.node);
    s->notes = xcalloc(s->nnotes, sizeof *s->notes);
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath np = {&p, m, NULL, i};
        struct scenario_note *n = &s->notes[i];

        when_init(&n->when);
        if (!check_object(c, &np, keys) || !require(c, &np, "text"))
            return false;
        if (child(&np, "when", &q) && !v_when(c, &q, &n->when))
            return false;
        child(&np, "text", &q);
        if (!i18n_at(c, &q, &n->text))
            return false;
    }
    return true;
}

/* "quiz": questions whose answers the run itself gives. */
static bool
v_quiz(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {"when",     "ask",     "side",
                                       "question", "explain", NULL};
    static const char *const sides[] = {"client", "server"};
    const char *asks[QUIZ__COUNT];
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    for (int k = 0; k < QUIZ__COUNT; k++)
        asks[k] = quiz_ask_name((enum quiz_ask)k);
    if (!child(root, "quiz", &p))
        return true;
    if (!cJSON_IsArray(p.node))
        return verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
                    got(p.node, g, sizeof g));
    s->nquiz = (size_t)cJSON_GetArraySize(p.node);
    s->quiz = xcalloc(s->nquiz, sizeof *s->quiz);
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath qp = {&p, m, NULL, i};
        struct quiz_question *k = &s->quiz[i];
        int ask = -1;
        bool sided;

        when_init(&k->when);
        k->side = -1;
        if (!check_object(c, &qp, keys) || !require(c, &qp, "when") ||
            !require(c, &qp, "ask") || !require(c, &qp, "question") ||
            !require(c, &qp, "explain"))
            return false;
        child(&qp, "when", &q);
        if (!v_when(c, &q, &k->when) ||
            !get_enum(c, &qp, "ask", "question kind", asks, QUIZ__COUNT, NULL,
                      &ask))
            return false;
        k->ask = (enum quiz_ask)ask;
        sided = k->ask != QUIZ_TIME_WAIT && k->ask != QUIZ_CLOSE_SEGMENTS;
        if (sided && !require(c, &qp, "side"))
            return false;
        if (child(&qp, "side", &q)) {
            if (!sided)
                return verr(c, &q, NULL, AT_KEY,
                            "not used by \"ask\": \"%s\" (it asks about "
                            "both sides)",
                            asks[ask]);
            if (!enum_at(c, &q, "side", sides, 2, NULL, &k->side))
                return false;
        }
        if (!get_i18n(c, &qp, "question", true, &k->question) ||
            !get_i18n(c, &qp, "explain", true, &k->explain))
            return false;
    }
    return true;
}

/* "variants": ["two_way_handshake", ...]: what-if protocols. */
static bool
v_variants(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const names[] = {"two_way_handshake", "fin_no_seq",
                                        "no_time_wait"};
    struct jpath p;
    size_t i = 0;
    char g[96];

    if (!child(root, "variants", &p))
        return true;
    if (!cJSON_IsArray(p.node))
        return verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
                    got(p.node, g, sizeof g));
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath vp = {&p, m, NULL, i};
        int v = -1;
        if (!enum_at(c, &vp, "variant", names, 3, NULL, &v))
            return false;
        s->variants |= 1u << v;
    }
    return true;
}

static bool
v_top(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {
        "title",    "description", "seed",   "duration_ms", "profile",
        "tcp",      "network",     "client", "server",      "notes",
        "variants", "quiz",        NULL};
    long long seed = 1;
    int profile = PROFILE_RFC;

    s->duration_us = 3600ull * 1000 * 1000;
    if (!check_object(c, root, keys) ||
        !get_i18n(c, root, "title", true, &s->title) ||
        !get_i18n(c, root, "description", false, &s->description) ||
        !get_int(c, root, "seed", 0, MAX_EXACT_INT, &seed, NULL) ||
        !get_ms(c, root, "duration_ms", true, &s->duration_us, NULL) ||
        !get_enum(c, root, "profile", "profile", profile_names, 2, NULL,
                  &profile))
        return false;
    s->seed = (uint64_t)seed;
    return v_tcp(c, root, profile, &s->tcp) && v_network(c, root, &s->net) &&
           v_endpoint(c, root, "client", SIDE_CLIENT, &s->client) &&
           v_endpoint(c, root, "server", SIDE_SERVER, &s->server) &&
           v_notes(c, root, s) && v_variants(c, root, s) && v_quiz(c, root, s);
}

/* --- Overrides (--set KEY=VALUE). --------------------------------------- */

static void
mark_add(struct ctx *c, const cJSON *node, size_t ovr)
{
    if (c->nmarks == c->capmarks) {
        c->capmarks = c->capmarks ? 2 * c->capmarks : 16;
        c->marks = xrealloc(c->marks, c->capmarks, sizeof *c->marks);
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
static bool
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

static struct scenario *
load(struct ctx *c)
{
    char msg[sizeof c->err->msg];
    size_t off, start = 0;
    const char *end = NULL;
    cJSON *root;
    struct scenario *s = NULL;
    struct jpath rp = {NULL, NULL, NULL, 0};
    char g[96];

    if (!json_check_bytes(c->text, c->len, &off, msg, sizeof msg)) {
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
        text_err(c, off, msg);
        return NULL;
    }
    root =
        cJSON_ParseWithLengthOpts(c->text + start, c->len - start, &end, false);
    if (!root) {
        /* json_check() accepted it, so this is not expected; say where. */
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
    for (size_t i = 0; i < c->novr; i++) {
        if (!apply_override(c, root, i)) {
            cJSON_Delete(root);
            return NULL;
        }
    }
    s = xcalloc(1, sizeof *s);
    if (!v_top(c, &rp, s)) {
        scenario_free(s);
        s = NULL;
    }
    cJSON_Delete(root);
    return s;
}

struct scenario *
scenario_load_buffer(const char *name, const char *text, size_t len,
                     const char *const *overrides, size_t noverrides,
                     struct synfin_err *err)
{
    struct ctx c = {0};
    struct scenario *s;
    char *copy;

    memset(err, 0, sizeof *err);
    if (!name)
        name = "<buffer>";
    if (len > SCENARIO_MAX_BYTES) {
        snprintf(err->where, sizeof err->where, "%s", name);
        snprintf(err->msg, sizeof err->msg,
                 "file too large (the limit is 4 MiB)");
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
    c.err = err;
    s = load(&c);
    if (s) {
        s->path = xstrdup(name);
        s->name = base_name(name);
    }
    free(c.marks);
    free(copy);
    return s;
}
