/*
 * Scenarios as C data: reading the file, freeing, copying, and the small
 * helpers around them. The JSON side is scenario_json.c and the files its
 * header comment names.
 */
#include "synfin/scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenario_private.h"

static char *
xstrdup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/*
 * A place in a file reads as the compilers write it ("f.json:3:7: msg"); a
 * flag as synfin's other flag errors ("synfin: --set KEY: msg"), without
 * the key path again where it is the flag's KEY.
 */
char *
synfin_err_str(const struct synfin_err *err, char *buf, unsigned size)
{
    const char *msg = err->msg;
    bool flag = strncmp(err->where, "--", 2) == 0;

    if (size == 0)
        return buf;
    if (strncmp(err->where, "--set ", 6) == 0) {
        size_t k = strlen(err->where + 6);
        if (strncmp(msg, err->where + 6, k) == 0 &&
            strncmp(msg + k, ": ", 2) == 0)
            msg += k + 2;
    }
    if (err->where[0])
        snprintf(buf, size, "%s%s: %s", flag ? "synfin: " : "", err->where,
                 msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

const char *
i18n_get(const struct i18n *t, const char *lang)
{
    if (!t)
        return "";
    if (lang && strncmp(lang, "zh", 2) == 0 && t->zh)
        return t->zh;
    return t->en ? t->en : "";
}

void
errors_one(struct scenario_errors *errs, const char *where, const char *msg)
{
    memset(errs, 0, sizeof *errs);
    errs->list = xcalloc(1, sizeof *errs->list);
    errs->n = 1;
    snprintf(errs->list[0].where, sizeof errs->list[0].where, "%s", where);
    snprintf(errs->list[0].msg, sizeof errs->list[0].msg, "%s", msg);
}

void
scenario_errors_free(struct scenario_errors *errs)
{
    free(errs->list);
    memset(errs, 0, sizeof *errs);
}

void
scenario_errors_print(const struct scenario_errors *errs, const char *path,
                      FILE *out)
{
    char line[sizeof errs->list[0].where + sizeof errs->list[0].msg + 2];

    for (size_t i = 0; i < errs->n; i++)
        fprintf(out, "%s\n", synfin_err_str(&errs->list[i], line, sizeof line));
    if (errs->more)
        fprintf(
            out, "%s: ... and %zu more error%s (synfin reports the first %d)\n",
            path, errs->more, errs->more == 1 ? "" : "s", SCENARIO_MAX_ERRORS);
    if (errs->not_json)
        fprintf(out,
                "%s: the file is not valid JSON, so nothing after this error "
                "was checked\n",
                path);
}

/* The first error, the one a caller of scenario_load() gets. */
static void
first_error(const struct scenario_errors *errs, struct synfin_err *err)
{
    memset(err, 0, sizeof *err);
    if (errs->n)
        *err = errs->list[0];
}

/*
 * Read the whole file, binary-safe, refusing more than SCENARIO_MAX_BYTES
 * without reading all of a huge file. The checks for size, NUL bytes, UTF-8
 * and syntax happen in load_text() for files and buffers alike.
 */
struct scenario *
scenario_load_all_errors(const char *path, const char *const *overrides,
                         size_t noverrides, struct scenario_errors *errs)
{
    FILE *f;
    char *buf;
    size_t len = 0, cap = 64 * 1024;
    struct scenario *s;

    memset(errs, 0, sizeof *errs);
    f = fopen(path, "rb");
    if (!f) {
        errors_one(errs, path, strerror(errno));
        return NULL;
    }
    buf = xmalloc(cap);
    errno = 0;
    for (;;) {
        size_t n;

        if (len == cap) {
            if (cap > SCENARIO_MAX_BYTES)
                break;
            cap *= 2;
            buf = xreallocarray(buf, cap, 1);
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        free(buf);
        errors_one(errs, path, strerror(e ? e : EIO));
        return NULL;
    }
    fclose(f);
    s = load_text(path, buf, len, overrides, noverrides, errs);
    free(buf);
    return s;
}

struct scenario *
scenario_load(const char *path, const char *const *overrides, size_t noverrides,
              struct synfin_err *err)
{
    struct scenario_errors errs;
    struct scenario *s =
        scenario_load_all_errors(path, overrides, noverrides, &errs);

    first_error(&errs, err);
    scenario_errors_free(&errs);
    return s;
}

struct scenario *
scenario_load_buffer(const char *name, const char *text, size_t len,
                     const char *const *overrides, size_t noverrides,
                     struct synfin_err *err)
{
    struct scenario_errors errs;
    struct scenario *s =
        load_text(name, text, len, overrides, noverrides, &errs);

    first_error(&errs, err);
    scenario_errors_free(&errs);
    return s;
}

static void
endpoint_free(struct endpoint_cfg *e)
{
    free(e->steps);
    e->steps = NULL;
    e->nsteps = 0;
}

void
scenario_free(struct scenario *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->name);
    free(s->title.en);
    free(s->title.zh);
    free(s->description.en);
    free(s->description.zh);
    for (size_t i = 0; i < s->net.nrules; i++) {
        free(s->net.rules[i].label);
        free(s->net.rules[i].label_zh);
    }
    free(s->net.rules);
    free(s->net.injects);
    endpoint_free(&s->client);
    endpoint_free(&s->server);
    for (size_t i = 0; i < s->nclients; i++)
        endpoint_free(&s->clients[i]);
    free(s->clients);
    for (size_t i = 0; i < s->nnotes; i++) {
        free(s->notes[i].text.en);
        free(s->notes[i].text.zh);
    }
    free(s->notes);
    for (size_t i = 0; i < s->nquiz; i++) {
        free(s->quiz[i].question.en);
        free(s->quiz[i].question.zh);
        free(s->quiz[i].explain.en);
        free(s->quiz[i].explain.zh);
        for (int k = 0; k < s->quiz[i].nchoices; k++) {
            free(s->quiz[i].choices[k].en);
            free(s->quiz[i].choices[k].zh);
        }
        free(s->quiz[i].demo);
    }
    free(s->quiz);
    free(s->source);
    for (size_t i = 0; i < s->noverrides; i++)
        free(s->overrides[i]);
    free(s->overrides);
    free(s);
}

static void
i18n_copy(struct i18n *dst, const struct i18n *src)
{
    dst->en = xstrdup_or_null(src->en);
    dst->zh = xstrdup_or_null(src->zh);
}

/* n elements of size bytes, or NULL for none. */
static void *
array_copy(const void *src, size_t n, size_t size)
{
    void *p;

    if (n == 0 || !src)
        return NULL;
    p = xcalloc(n, size);
    memcpy(p, src, n * size);
    return p;
}

struct scenario *
scenario_clone(const struct scenario *s)
{
    struct scenario *c = xmalloc(sizeof *c);

    *c = *s;
    c->path = xstrdup_or_null(s->path);
    c->name = xstrdup_or_null(s->name);
    i18n_copy(&c->title, &s->title);
    i18n_copy(&c->description, &s->description);
    c->net.rules =
        array_copy(s->net.rules, s->net.nrules, sizeof *s->net.rules);
    for (size_t i = 0; i < c->net.nrules; i++) {
        c->net.rules[i].label = xstrdup_or_null(s->net.rules[i].label);
        c->net.rules[i].label_zh = xstrdup_or_null(s->net.rules[i].label_zh);
    }
    c->client.steps =
        array_copy(s->client.steps, s->client.nsteps, sizeof *s->client.steps);
    c->server.steps =
        array_copy(s->server.steps, s->server.nsteps, sizeof *s->server.steps);
    c->net.injects =
        array_copy(s->net.injects, s->net.ninjects, sizeof *s->net.injects);
    c->clients = array_copy(s->clients, s->nclients, sizeof *s->clients);
    for (size_t i = 0; i < c->nclients; i++)
        c->clients[i].steps =
            array_copy(s->clients[i].steps, s->clients[i].nsteps,
                       sizeof *s->clients[i].steps);
    c->notes = array_copy(s->notes, s->nnotes, sizeof *s->notes);
    for (size_t i = 0; i < c->nnotes; i++)
        i18n_copy(&c->notes[i].text, &s->notes[i].text);
    c->quiz = array_copy(s->quiz, s->nquiz, sizeof *s->quiz);
    for (size_t i = 0; i < c->nquiz; i++) {
        i18n_copy(&c->quiz[i].question, &s->quiz[i].question);
        i18n_copy(&c->quiz[i].explain, &s->quiz[i].explain);
        for (int k = 0; k < c->quiz[i].nchoices; k++)
            i18n_copy(&c->quiz[i].choices[k], &s->quiz[i].choices[k]);
        c->quiz[i].demo = xstrdup_or_null(s->quiz[i].demo);
    }
    c->source = array_copy(s->source, s->source_len + 1, 1);
    c->overrides = array_copy(s->overrides, s->noverrides, sizeof(char *));
    for (size_t i = 0; i < c->noverrides; i++)
        c->overrides[i] = xstrdup(s->overrides[i]);
    return c;
}

void
scenario_add_rule(struct scenario *s, const struct net_rule *r)
{
    struct net_rule *n;

    s->net.rules = xreallocarray(s->net.rules, s->net.nrules + 1, sizeof *r);
    n = &s->net.rules[s->net.nrules++];
    *n = *r;
    n->label = xstrdup_or_null(r->label);
    n->label_zh = xstrdup_or_null(r->label_zh);
}

void
scenario_set_seed(struct scenario *s, uint64_t seed)
{
    if (seed != s->seed)
        s->changed = true;
    s->seed = seed;
}

const char *
scenario_variant_name(unsigned variant)
{
    switch (variant) {
    case VARIANT_TWO_WAY_HANDSHAKE: return "two_way_handshake";
    case VARIANT_FIN_NO_SEQ: return "fin_no_seq";
    case VARIANT_NO_TIME_WAIT: return "no_time_wait";
    }
    return "?";
}

unsigned
scenario_variant_parse(const char *name)
{
    for (unsigned v = 1; v <= VARIANT_NO_TIME_WAIT; v <<= 1)
        if (strcmp(scenario_variant_name(v), name) == 0)
            return v;
    return 0;
}

static const char *const quiz_names[QUIZ__COUNT] = {
    [QUIZ_STATE] = "state",
    [QUIZ_NEXT_STATE] = "next_state",
    [QUIZ_NEXT_FLAGS] = "next_flags",
    [QUIZ_NEXT_SEQ] = "next_seq",
    [QUIZ_NEXT_ACK] = "next_ack",
    [QUIZ_TIME_WAIT] = "time_wait",
    [QUIZ_CLOSE_SEGMENTS] = "close_segments",
    [QUIZ_CHOICE] = "choice",
};

const char *
quiz_ask_name(enum quiz_ask a)
{
    return (unsigned)a < QUIZ__COUNT ? quiz_names[a] : "?";
}
