/*
 * A run as a scenario file of its own (scenario.h, scenario_save_text): the
 * tree the loader reads from the scenario's text and overrides, changed to
 * say what the run did differently, then printed by json_print.c. The
 * changes are read off the run as C data, not from the viewer: its seed,
 * its TCP times where they differ from the file's, and its network rules
 * beyond the file's (a dropped packet is a rule for its segment id, random
 * loss a rule with a probability from a time on). The text is loaded back
 * before it is returned, and must give the run's settings exactly.
 */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenario_private.h"

/*
 * The TCP times, with their keys. time_wait_ms is derived: the walk makes
 * it 2 x msl_ms in the rfc profile when the file does not give it, so it
 * is written only when that is not already right.
 */
static const struct {
    const char *key;
    size_t off;
    bool derived;
} tcp_times[] = {
    {"msl_ms", offsetof(struct tcp_params, msl_us), false},
    {"rto_initial_ms", offsetof(struct tcp_params, rto_initial_us), false},
    {"rto_min_ms", offsetof(struct tcp_params, rto_min_us), false},
    {"rto_max_ms", offsetof(struct tcp_params, rto_max_us), false},
    {"fin_timeout_ms", offsetof(struct tcp_params, fin_timeout_us), false},
    {"delack_ms", offsetof(struct tcp_params, delack_us), false},
    {"keepalive_time_ms", offsetof(struct tcp_params, keepalive_time_us),
     false},
    {"keepalive_intvl_ms", offsetof(struct tcp_params, keepalive_intvl_us),
     false},
    {"time_wait_ms", offsetof(struct tcp_params, time_wait_us), true},
};
#define NTIMES (sizeof tcp_times / sizeof tcp_times[0])

static uint64_t
tcp_time(const struct tcp_params *t, size_t i)
{
    uint64_t v;
    memcpy(&v, (const char *)t + tcp_times[i].off, sizeof v);
    return v;
}

static void
must(cJSON_bool b)
{
    if (!b)
        xalloc_fail();
}

static cJSON *
made(cJSON *j)
{
    if (!j)
        xalloc_fail();
    return j;
}

/* Milliseconds as the loader reads them (ms_at): a whole microsecond count
 * over 1000 reads back as the same count. */
static cJSON *
ms_number(uint64_t us)
{
    return made(cJSON_CreateNumber((double)us / 1000.0));
}

/*
 * obj[key] = v: in place when obj has key; else after the last of `after`
 * that obj has (the format's order), or first if it has none of them; at
 * the end with no `after`.
 */
static void
put_member(cJSON *obj, const char *key, cJSON *v, const char *const *after)
{
    int at = 0, i = 0;
    cJSON *tail;

    if (cJSON_GetObjectItemCaseSensitive(obj, key)) {
        must(cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v));
        return;
    }
    for (const cJSON *m = obj->child; m; m = m->next, i++)
        for (size_t k = 0; after && after[k]; k++)
            if (strcmp(m->string, after[k]) == 0)
                at = i + 1;
    if (!after)
        at = i;
    /* The members from `at` on move aside, and come back after v (cJSON
     * cannot insert into an object). */
    tail = made(cJSON_CreateArray());
    while (cJSON_GetArraySize(obj) > at)
        must(cJSON_AddItemToArray(tail, cJSON_DetachItemFromArray(obj, at)));
    must(cJSON_AddItemToObject(obj, key, v));
    while (tail->child)
        must(cJSON_AddItemToArray(obj, cJSON_DetachItemFromArray(tail, 0)));
    cJSON_Delete(tail);
}

/* obj[key], an object, made (after `after`) if obj has none. */
static cJSON *
object_member(cJSON *obj, const char *key, const char *const *after)
{
    cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsObject(m)) {
        m = made(cJSON_CreateObject());
        put_member(obj, key, m, after);
    }
    return m;
}

static const char *const after_description[] = {"title", NULL};
static const char *const after_seed[] = {"title", "description", NULL};
static const char *const after_tcp[] = {"title",       "description", "seed",
                                        "duration_ms", "profile",     NULL};
static const char *const after_network[] = {
    "title", "description", "seed", "duration_ms", "profile", "tcp", NULL};

static cJSON *
i18n_json(const char *en, const char *zh)
{
    cJSON *o = made(cJSON_CreateObject());
    must(cJSON_AddItemToObject(o, "en", made(cJSON_CreateString(en))));
    if (zh)
        must(cJSON_AddItemToObject(o, "zh", made(cJSON_CreateString(zh))));
    return o;
}

/* A rule as the walk reads it (v_rule), with only what is not a default. */
static cJSON *
rule_json(const struct net_rule *r)
{
    static const char *const sides[] = {"client", "server"};
    cJSON *o = made(cJSON_CreateObject());
    char flags[24];

    if (r->from == SIDE_CLIENT || r->from == SIDE_SERVER)
        must(cJSON_AddItemToObject(o, "from",
                                   made(cJSON_CreateString(sides[r->from]))));
    if (r->flags_all)
        must(cJSON_AddItemToObject(
            o, "flags",
            made(cJSON_CreateString(tcp_flags_str(r->flags_all, flags)))));
    if (r->flags_none)
        must(cJSON_AddItemToObject(
            o, "not_flags",
            made(cJSON_CreateString(tcp_flags_str(r->flags_none, flags)))));
    if (r->data >= 0)
        must(cJSON_AddItemToObject(o, "data", made(cJSON_CreateBool(r->data))));
    if (r->state >= 0)
        must(cJSON_AddItemToObject(o, "state",
                                   made(cJSON_CreateString(tcp_state_name(
                                       (enum tcp_state)r->state)))));
    if (r->seg_id)
        must(cJSON_AddItemToObject(o, "segment",
                                   made(cJSON_CreateNumber(r->seg_id))));
    if (r->conn)
        must(cJSON_AddItemToObject(o, "conn",
                                   made(cJSON_CreateNumber(r->conn))));
    if (r->from_us)
        must(cJSON_AddItemToObject(o, "from_ms", ms_number(r->from_us)));
    if (r->until_us)
        must(cJSON_AddItemToObject(o, "until_ms", ms_number(r->until_us)));
    if (r->nth != 1)
        must(cJSON_AddItemToObject(o, "nth", made(cJSON_CreateNumber(r->nth))));
    if (r->count != 1)
        must(cJSON_AddItemToObject(o, "count",
                                   made(cJSON_CreateNumber(r->count))));
    if (r->probability != 1)
        must(cJSON_AddItemToObject(o, "probability",
                                   made(cJSON_CreateNumber(r->probability))));
    must(cJSON_AddItemToObject(
        o, "action",
        made(cJSON_CreateString(r->action == RULE_HOLD ? "hold" : "drop"))));
    if (r->action == RULE_HOLD)
        must(cJSON_AddItemToObject(o, "hold_ms", ms_number(r->hold_us)));
    if (r->label && r->label_zh)
        must(cJSON_AddItemToObject(o, "label",
                                   i18n_json(r->label, r->label_zh)));
    else if (r->label)
        must(cJSON_AddItemToObject(o, "label",
                                   made(cJSON_CreateString(r->label))));
    return o;
}

static bool
str_eq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

static bool
rule_eq(const struct net_rule *a, const struct net_rule *b)
{
    return a->from == b->from && a->flags_all == b->flags_all &&
           a->flags_none == b->flags_none && a->data == b->data &&
           a->state == b->state && a->seg_id == b->seg_id &&
           a->conn == b->conn && a->from_us == b->from_us &&
           a->until_us == b->until_us && a->nth == b->nth &&
           a->count == b->count && a->probability == b->probability &&
           a->action == b->action && a->hold_us == b->hold_us &&
           str_eq(a->label, b->label) && str_eq(a->label_zh, b->label_zh);
}

/* "5 s", "1.5 s", "200 ms", "0.25 ms". */
static void
put_duration(FILE *f, uint64_t us)
{
    char s[40];
    size_t n;

    if (us >= 1000000)
        n = (size_t)snprintf(s, sizeof s, "%llu.%06llu",
                             (unsigned long long)(us / 1000000),
                             (unsigned long long)(us % 1000000));
    else
        n = (size_t)snprintf(s, sizeof s, "%llu.%03llu",
                             (unsigned long long)(us / 1000),
                             (unsigned long long)(us % 1000));
    while (s[n - 1] == '0')
        s[--n] = '\0';
    if (s[n - 1] == '.')
        s[--n] = '\0';
    fprintf(f, "%s %s", s, us >= 1000000 ? "s" : "ms");
}

/* The two descriptions being written, and whether a change was named. */
struct words {
    FILE *en, *zh;
    int changes;
};

static void
next_change(struct words *w)
{
    fputs(w->changes++ ? "; " : ", with these changes: ", w->en);
    fputs(w->changes > 1 ? "；" : "，改动：", w->zh);
}

/* The packet a rule for segment id drops, in words. */
static void
describe_segment(struct words *w, const struct trace *t, uint32_t id)
{
    static const char *const zh_side[] = {"客户端", "服务器"};
    char flags[24];

    for (size_t i = 0; t && i < t->len; i++) {
        const struct trace_event *e = trace_at(t, i);
        if (e->kind != TRACE_SEND || e->seg.id != id ||
            e->seg.from > SIDE_SERVER)
            continue;
        tcp_flags_str(e->seg.flags, flags);
        fprintf(w->en, "the %s's %s (segment %u) is lost",
                trace_side_name((enum trace_side)e->seg.from), flags, id);
        fprintf(w->zh, "%s的 %s（报文 %u）丢失", zh_side[e->seg.from], flags,
                id);
        return;
    }
    fprintf(w->en, "segment %u is lost (this run never sends it)", id);
    fprintf(w->zh, "报文 %u 丢失（这次运行不发送它）", id);
}

static void
describe_rule(struct words *w, const struct net_rule *r, const struct trace *t)
{
    next_change(w);
    if (r->seg_id && r->action == RULE_DROP) {
        describe_segment(w, t, r->seg_id);
    } else if (r->probability < 1 && r->action == RULE_DROP) {
        fprintf(w->en, "random loss %g%% from t=", r->probability * 100);
        put_duration(w->en, r->from_us);
        fputs("从 t=", w->zh);
        put_duration(w->zh, r->from_us);
        if (r->until_us) {
            fputs(" to t=", w->en);
            put_duration(w->en, r->until_us);
            fputs(" 到 t=", w->zh);
            put_duration(w->zh, r->until_us);
        }
        fprintf(w->zh, "%s随机丢包 %g%%", r->until_us ? "" : "起",
                r->probability * 100);
    } else {
        fprintf(w->en, "a network rule%s%s", r->label ? ": " : "",
                r->label ? r->label : "");
        fprintf(w->zh, "一条网络规则%s%s", r->label ? "：" : "",
                r->label_zh ? r->label_zh
                : r->label  ? r->label
                            : "");
    }
}

static void
describe_time(struct words *w, size_t i, uint64_t us)
{
    const char *key = tcp_times[i].key;

    next_change(w);
    if (strcmp(key, "delack_ms") == 0 && us == 0) {
        fputs("delayed ACK off", w->en);
        fputs("关闭延迟确认", w->zh);
        return;
    }
    if (strcmp(key, "delack_ms") == 0) {
        fputs("delayed ACK ", w->en);
        fputs("延迟确认 ", w->zh);
    } else if (strcmp(key, "msl_ms") == 0) {
        fputs("MSL ", w->en);
        fputs("MSL ", w->zh);
    } else if (strcmp(key, "time_wait_ms") == 0) {
        fputs("TIME-WAIT ", w->en);
        fputs("TIME-WAIT ", w->zh);
    } else {
        fprintf(w->en, "%.*s ", (int)(strlen(key) - 3), key);
        fprintf(w->zh, "%.*s ", (int)(strlen(key) - 3), key);
    }
    put_duration(w->en, us);
    put_duration(w->zh, us);
}

/* Close f and take its text. */
static char *
words_text(FILE *f, char **text)
{
    if (fclose(f) != 0 || !*text)
        xalloc_fail();
    return *text;
}

/*
 * The description of the saved file: what it is a variant of, each change
 * (the --set overrides, the seed, the rules and TCP times the run adds),
 * what was left out, the notes that do not hold in this run, then the
 * scenario's own description.
 */
static cJSON *
description(const struct scenario *loaded, const struct scenario_save *sv,
            uint64_t file_seed, size_t notes_out, size_t questions_out)
{
    const struct scenario *run = sv->run;
    struct words w = {0};
    char *en = NULL, *zh = NULL;
    size_t en_len, zh_len, untrue;
    cJSON *d;

    w.en = open_memstream(&en, &en_len);
    w.zh = open_memstream(&zh, &zh_len);
    if (!w.en || !w.zh)
        xalloc_fail();
    fprintf(w.en, "A saved variant of %s, seed %llu", loaded->name,
            (unsigned long long)run->seed);
    fprintf(w.zh, "%s 的保存变体，随机种子 %llu", loaded->name,
            (unsigned long long)run->seed);
    for (size_t i = 0; i < loaded->noverrides; i++) {
        next_change(&w);
        fprintf(w.en, "--set %s", loaded->overrides[i]);
        fprintf(w.zh, "--set %s", loaded->overrides[i]);
    }
    if (run->seed != file_seed) {
        next_change(&w);
        fprintf(w.en, "seed %llu instead of %llu",
                (unsigned long long)run->seed, (unsigned long long)file_seed);
        fprintf(w.zh, "随机种子 %llu（原为 %llu）",
                (unsigned long long)run->seed, (unsigned long long)file_seed);
    }
    for (size_t i = loaded->net.nrules; i < run->net.nrules; i++)
        describe_rule(&w, &run->net.rules[i], sv->trace);
    for (size_t i = 0; i < NTIMES; i++)
        if (tcp_time(&run->tcp, i) != tcp_time(&loaded->tcp, i))
            describe_time(&w, i, tcp_time(&run->tcp, i));
    fputs(w.changes ? "." : ", unchanged.", w.en);
    fputs(w.changes ? "。" : "，没有改动。", w.zh);
    if (notes_out || questions_out) {
        char en_n[48] = "", en_q[48] = "", zh_n[48] = "", zh_q[48] = "";
        if (notes_out) {
            snprintf(en_n, sizeof en_n, "%zu note%s", notes_out,
                     notes_out == 1 ? "" : "s");
            snprintf(zh_n, sizeof zh_n, "%zu 条说明", notes_out);
        }
        if (questions_out) {
            snprintf(en_q, sizeof en_q, "%zu question%s", questions_out,
                     questions_out == 1 ? "" : "s");
            snprintf(zh_q, sizeof zh_q, "%zu 道题", questions_out);
        }
        fprintf(w.en, " Left out: %s%s%s that this run never reaches.", en_n,
                notes_out && questions_out ? " and " : "", en_q);
        fprintf(w.zh, "略去了这次运行中不会出现的 %s%s%s。", zh_n,
                notes_out && questions_out ? "和 " : "", zh_q);
    }
    if ((untrue = trace_untrue_notes(sv->trace)) > 0) {
        fprintf(w.en,
                " %zu note%s written for the original run do%s not hold in "
                "this one: the viewer says so where %s, and tells what "
                "happened instead.",
                untrue, untrue == 1 ? "" : "s", untrue == 1 ? "es" : "",
                untrue == 1 ? "it comes" : "they come");
        fprintf(w.zh,
                "有 %zu 条为原场景写的说明在这次运行中不成立：查看器在它们出现"
                "时会指出，并说明实际发生了什么。",
                untrue);
    }
    if (loaded->description.en && *loaded->description.en) {
        fprintf(w.en, " The original: %s", loaded->description.en);
        fprintf(w.zh, "原场景：%s", i18n_get(&loaded->description, "zh"));
    }
    words_text(w.en, &en);
    words_text(w.zh, &zh);
    d = i18n_json(en, zh);
    free(en);
    free(zh);
    return d;
}

/* Remove the elements of root[key] that keep says not to; the key too if
 * none is left. False if the array is not the one the scenario has. */
static bool
drop_elements(cJSON *root, const char *key, const bool *keep, size_t n,
              size_t *dropped)
{
    cJSON *a = cJSON_GetObjectItemCaseSensitive(root, key);

    *dropped = 0;
    if (n == 0)
        return true;
    if (!cJSON_IsArray(a) || (size_t)cJSON_GetArraySize(a) != n)
        return false;
    for (size_t i = n; i-- > 0;)
        if (!keep[i]) {
            cJSON_DeleteItemFromArray(a, (int)i);
            ++*dropped;
        }
    if (!a->child)
        cJSON_DeleteItemFromObjectCaseSensitive(root, key);
    return true;
}

static void
set_err(struct synfin_err *err, const char *where, const char *msg)
{
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    snprintf(err->msg, sizeof err->msg, "%s", msg);
}

/* The TCP times of s that are not run's: written into root's "tcp"; only
 * the derived ones if derived. Returns how many. */
static int
put_times(cJSON *root, const struct scenario *s, const struct scenario *run,
          bool derived)
{
    int n = 0;

    for (size_t i = 0; i < NTIMES; i++) {
        uint64_t v = tcp_time(&run->tcp, i);
        if (tcp_times[i].derived != derived || tcp_time(&s->tcp, i) == v)
            continue;
        put_member(object_member(root, "tcp", after_tcp), tcp_times[i].key,
                   ms_number(v), NULL);
        n++;
    }
    return n;
}

/* Does s, loaded from the text, run with run's settings? */
static bool
same_settings(const struct scenario *s, const struct scenario *run)
{
    if (s->seed != run->seed || s->net.nrules != run->net.nrules)
        return false;
    for (size_t i = 0; i < NTIMES; i++)
        if (tcp_time(&s->tcp, i) != tcp_time(&run->tcp, i))
            return false;
    for (size_t i = 0; i < s->net.nrules; i++)
        if (!rule_eq(&s->net.rules[i], &run->net.rules[i]))
            return false;
    return true;
}

/* root as text, loaded back; NULL (with err) if it does not load. */
static struct scenario *
reload(const cJSON *root, const struct scenario *loaded, char **text,
       struct synfin_err *err)
{
    free(*text);
    *text = json_print(root);
    return scenario_load_buffer(loaded->path, *text, strlen(*text), NULL, 0,
                                err);
}

char *
scenario_save_text(const struct scenario *loaded,
                   const struct scenario_save *sv, struct synfin_err *err)
{
    const struct scenario *run = sv->run;
    struct ctx c = {0};
    struct scenario_errors errs;
    cJSON *root, *rules, *seed;
    struct scenario *back = NULL;
    size_t notes_out, questions_out;
    uint64_t file_seed = 1;
    char *text = NULL;

    memset(err, 0, sizeof *err);
    if (!loaded->source) {
        set_err(err, loaded->path, "its text was not kept: cannot save it");
        return NULL;
    }
    c.file = loaded->path;
    c.text = loaded->source;
    c.len = loaded->source_len;
    c.ovr = (const char *const *)loaded->overrides;
    c.novr = loaded->noverrides;
    root = scenario_tree(&c);
    take_errors(&c, &errs);
    free(c.marks);
    if (!root) {
        /* It loaded once, so this is not expected: say why. */
        if (errs.n)
            *err = errs.list[0];
        scenario_errors_free(&errs);
        return NULL;
    }
    scenario_errors_free(&errs);

    seed = cJSON_GetObjectItemCaseSensitive(root, "seed");
    if (cJSON_IsNumber(seed))
        file_seed = (uint64_t)seed->valuedouble;
    put_member(root, "seed", made(cJSON_CreateNumber((double)run->seed)),
               after_seed);
    put_times(root, loaded, run, false);
    if (run->net.nrules > loaded->net.nrules) {
        cJSON *net = object_member(root, "network", after_network);
        rules = cJSON_GetObjectItemCaseSensitive(net, "rules");
        if (!rules) {
            rules = made(cJSON_CreateArray());
            must(cJSON_AddItemToObject(net, "rules", rules));
        }
        for (size_t i = loaded->net.nrules; i < run->net.nrules; i++)
            must(cJSON_AddItemToArray(rules, rule_json(&run->net.rules[i])));
    }
    if (!drop_elements(root, "notes", sv->keep_note, loaded->nnotes,
                       &notes_out) ||
        !drop_elements(root, "quiz", sv->keep_question, loaded->nquiz,
                       &questions_out)) {
        set_err(err, loaded->path, "its notes or quiz changed since it loaded");
        cJSON_Delete(root);
        return NULL;
    }
    put_member(root, "description",
               description(loaded, sv, file_seed, notes_out, questions_out),
               after_description);

    /* The derived times, where the walk does not derive the run's. */
    back = reload(root, loaded, &text, err);
    if (back && put_times(root, back, run, true)) {
        scenario_free(back);
        back = reload(root, loaded, &text, err);
    }
    cJSON_Delete(root);
    if (back && !same_settings(back, run))
        set_err(err, loaded->path,
                "the saved text would not give this run (a bug in synfin)");
    if (!back || err->msg[0]) {
        scenario_free(back);
        free(text);
        return NULL;
    }
    scenario_free(back);
    return text;
}
