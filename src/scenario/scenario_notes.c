/*
 * The walk over the keys that attach text to a run: "notes" and "quiz",
 * and the "when" pattern both use to pick a trace event. Called by
 * walk_scenario (scenario_walk.c); see docs/scenario-format.md. Like the
 * rest of the walk, it goes on after an error where it can.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenario_private.h"

/* A "kind" that is given but is not a kind: what may go with it cannot be
 * judged, so nothing is said about it. */
#define KIND_BAD (-2)

static const char *const side_names[] = {
    [SIDE_CLIENT] = "client", [SIDE_SERVER] = "server", [SIDE_NET] = "net"};

/* Which kinds a "when" field may go with; the error lists them. */
static bool
kind_allows(struct ctx *c, const struct jpath *q, int kind, const int *kinds,
            size_t n, bool any_ok)
{
    char list[160];
    size_t len = 0;

    if (kind == KIND_BAD || (kind < 0 && any_ok))
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

/* The packet keys of a "when": flags, not_flags and tags. */
static void
v_when_packet(struct ctx *c, const struct jpath *p, int kind,
              struct note_match *w)
{
    static const int k_packet[] = {TRACE_SEND, TRACE_ARRIVE, TRACE_DROP,
                                   TRACE_DISCARD};
    struct jpath q;
    bool flags_ok = true;
    char buf[24];

    if (child(p, "flags", &q) && kind_allows(c, &q, kind, k_packet, 4, true))
        flags_ok = flags_at(c, &q, &w->flags_all);
    if (child(p, "not_flags", &q) &&
        kind_allows(c, &q, kind, k_packet, 4, true) &&
        flags_at(c, &q, &w->flags_none) && flags_ok &&
        (w->flags_all & w->flags_none))
        verr(c, &q, NULL, AT_VALUE,
             "\"%s\" is also in \"flags\" (no packet can match both)",
             tcp_flags_str(w->flags_all & w->flags_none, buf));
    if (child(p, "tags", &q) && kind_allows(c, &q, kind, k_packet, 4, true))
        tags_at(c, &q, &w->tags_all);
}

/*
 * A "when" object into w. Returns the kind the keys that depend on it are
 * judged by: w->kind, -1 for none, or KIND_BAD.
 */
static int
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
    const char *states[TCP__STATE_COUNT], *timers[TIMER__COUNT],
        *calls[CALL__COUNT], *events[EV__COUNT], *kinds[TRACE__KIND_COUNT];
    struct jpath q;
    int kind;

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

    if (!check_object(c, p, keys))
        return KIND_BAD;
    kind = get_enum(c, p, "kind", "kind", kinds, TRACE__KIND_COUNT,
                    trace_kind_parse, &w->kind)
               ? w->kind
               : KIND_BAD;
    get_enum(c, p, "side", "side", side_names, 3, NULL, &w->side);
    if (child(p, "state", &q) && kind_allows(c, &q, kind, k_state, 1, false))
        enum_at(c, &q, "state", states, TCP__STATE_COUNT, tcp_state_parse,
                &w->state);
    if (child(p, "from_state", &q) &&
        kind_allows(c, &q, kind, k_state, 1, false))
        enum_at(c, &q, "state", states, TCP__STATE_COUNT, tcp_state_parse,
                &w->from_state);
    v_when_packet(c, p, kind, w);
    if (child(p, "timer", &q) && kind_allows(c, &q, kind, k_timer, 3, false))
        enum_at(c, &q, "timer", timers, TIMER__COUNT, tcp_timer_parse,
                &w->timer);
    if (child(p, "call", &q) && kind_allows(c, &q, kind, k_call, 1, false))
        enum_at(c, &q, "call", calls, CALL__COUNT, sock_call_parse, &w->call);
    if (child(p, "event", &q) && kind_allows(c, &q, kind, k_app, 1, false))
        enum_at(c, &q, "event", events, EV__COUNT, app_event_parse, &w->app);
    get_u32(c, p, "nth", 1, UINT32_MAX, &w->nth);
    return kind;
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

/* A time claim: a number of ms, or [lo, hi]. */
static bool
v_ms_range(struct ctx *c, const struct jpath *p, uint64_t *lo, uint64_t *hi)
{
    char g[96];
    bool ok;

    if (cJSON_IsArray(p->node)) {
        struct jpath a, b;
        if (cJSON_GetArraySize(p->node) != 2)
            return verr(c, p, NULL, AT_VALUE,
                        "expected a number of milliseconds or [low, high], "
                        "got an array of %d",
                        cJSON_GetArraySize(p->node));
        a = (struct jpath){p, p->node->child, NULL, 0};
        b = (struct jpath){p, p->node->child->next, NULL, 1};
        ok = ms_at(c, &a, false, lo);
        ok &= ms_at(c, &b, false, hi);
        if (ok && *hi < *lo)
            return verr(c, &b, NULL, AT_VALUE, "expected high >= low, got %s",
                        got(b.node, g, sizeof g));
        return ok;
    }
    if (!ms_at(c, p, false, lo))
        return false;
    *hi = *lo;
    return true;
}

/* One element of "count": {"is": N, "of": pattern}; the pattern, if any,
 * into *pat. */
static bool
v_count(struct ctx *c, const struct jpath *mp, struct claim_pattern *cp,
        struct jpath *pat)
{
    static const char *const count_keys[] = {"is", "of", NULL};

    if (!check_object(c, mp, count_keys))
        return false;
    if (require(c, mp, "is"))
        get_u32(c, mp, "is", 0, UINT32_MAX, &cp->count);
    return require(c, mp, "of") && child(mp, "of", pat);
}

/* "same_time": [pattern, ...] and the like; "count": [{"is": N, "of":
 * pattern}, ...]. */
static void
v_patterns(struct ctx *c, const struct jpath *h, const char *key,
           enum claim_how how, struct note_claims *cl)
{
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    if (!child(h, key, &p))
        return;
    if (!cJSON_IsArray(p.node) || cJSON_GetArraySize(p.node) == 0) {
        verr(c, &p, NULL, AT_VALUE, "expected a non-empty array of %s, got %s",
             how == CLAIM_COUNT ? "counts" : "patterns",
             got(p.node, g, sizeof g));
        return;
    }
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath mp = {&p, m, NULL, i}, pat = mp;
        struct claim_pattern *cp;
        if (cl->npat == CLAIM_MAX_PATTERNS) { /* said once for each list */
            verr(c, &mp, NULL, AT_VALUE, "a note may claim at most %d patterns",
                 CLAIM_MAX_PATTERNS);
            return;
        }
        cp = &cl->pat[cl->npat++];
        cp->how = (uint8_t)how;
        when_init(&cp->m);
        if (how == CLAIM_COUNT && !v_count(c, &mp, cp, &pat))
            continue;
        if (!cJSON_IsObject(pat.node)) {
            verr(c, &pat, NULL, AT_VALUE,
                 "expected a pattern (an object like \"when\"), got %s",
                 got(pat.node, g, sizeof g));
            continue;
        }
        if (child(&pat, "nth", &q))
            verr(c, &q, NULL, AT_KEY,
                 "\"nth\" picks the event a note is attached to; a claim's "
                 "pattern matches every event");
        v_when(c, &pat, &cp->m);
    }
}

/* The claims of "holds" about here's segment or call: retx, acks_fin, seq,
 * ack and errno. */
static void
v_holds_event(struct ctx *c, const struct jpath *h, int kind,
              struct note_claims *cl)
{
    static const int k_err[] = {TRACE_CALL, TRACE_APP};
    static const int k_packet[] = {TRACE_SEND, TRACE_ARRIVE, TRACE_DROP,
                                   TRACE_DISCARD};
    static const int errnos[] = {
        0,         EADDRINUSE, EADDRNOTAVAIL, ECONNREFUSED, ECONNRESET,
        ETIMEDOUT, EPIPE,      ENOTCONN,      EISCONN,      EINVAL,
        ENOBUFS,   EHOSTDOWN,  EALREADY,      ECONNABORTED};
    enum { NERR = sizeof errnos / sizeof errnos[0] };
    const char *errs[NERR];
    struct jpath q;
    long long num;
    bool b;

    for (int i = 0; i < NERR; i++)
        errs[i] = trace_errno_name(errnos[i]);
    if (child(h, "retx", &q) && kind_allows(c, &q, kind, k_packet, 4, false) &&
        get_int(c, h, "retx", 0, 255, &num, NULL)) {
        cl->retx = (int)num;
        cl->given |= 1u << CLAIM_RETX;
    }
    if (child(h, "acks_fin", &q) &&
        kind_allows(c, &q, kind, k_packet, 4, false) && bool_at(c, &q, &b)) {
        cl->acks_fin = b;
        cl->given |= 1u << CLAIM_ACKS_FIN;
    }
    if (child(h, "seq", &q) && kind_allows(c, &q, kind, k_packet, 4, false) &&
        get_int(c, h, "seq", 0, UINT32_MAX, &num, NULL)) {
        cl->seq = (uint32_t)num;
        cl->given |= 1u << CLAIM_SEQ;
    }
    if (child(h, "ack", &q) && kind_allows(c, &q, kind, k_packet, 4, false) &&
        get_int(c, h, "ack", 0, UINT32_MAX, &num, NULL)) {
        cl->ack = (uint32_t)num;
        cl->given |= 1u << CLAIM_ACK;
    }
    if (child(h, "errno", &q) && kind_allows(c, &q, kind, k_err, 2, false)) {
        int k = -1;
        if (enum_at(c, &q, "errno", errs, NERR, NULL, &k)) {
            cl->err = errnos[k];
            cl->given |= 1u << CLAIM_ERRNO;
        }
    }
}

/* The time claims of "holds": at_ms, timer, timer_ms and timer_msl. */
static void
v_holds_time(struct ctx *c, const struct jpath *h, int kind,
             struct note_claims *cl)
{
    static const int k_timer[] = {TRACE_TIMER_SET, TRACE_TIMER_FIRE};
    struct jpath q;
    bool has_timer = child(h, "timer", &q);

    if (child(h, "at_ms", &q)) {
        cl->given |= 1u << CLAIM_AT;
        v_ms_range(c, &q, &cl->at_lo, &cl->at_hi);
    }
    if (has_timer) {
        const char *timers[TIMER__COUNT];
        int k = -1;
        child(h, "timer", &q);
        for (int i = 0; i < TIMER__COUNT; i++)
            timers[i] = tcp_timer_name((enum tcp_timer_kind)i);
        if (enum_at(c, &q, "timer", timers, TIMER__COUNT, tcp_timer_parse, &k))
            cl->timer = k + 1;
        if (!child(h, "timer_ms", &q) && !child(h, "timer_msl", &q))
            verr(c, h, "timer_ms", AT_VALUE,
                 "\"timer\" names the timer that \"timer_ms\" or "
                 "\"timer_msl\" measures: give one of them");
    }
    /* With "timer" the claim measures that timer, whatever here is. */
    if (child(h, "timer_ms", &q)) {
        cl->given |= 1u << CLAIM_TIMER;
        if (has_timer || kind_allows(c, &q, kind, k_timer, 2, false))
            v_ms_range(c, &q, &cl->timer_lo, &cl->timer_hi);
    }
    if (child(h, "timer_msl", &q)) {
        cl->given |= 1u << CLAIM_TIMER_MSL;
        if (has_timer || kind_allows(c, &q, kind, k_timer, 2, false))
            get_u32(c, h, "timer_msl", 1, 1000, &cl->timer_msl);
    }
}

/* "holds": what the text says about the run, checked on it. kind is that
 * of the event the text is attached to (v_when): a claim about its segment
 * or timer needs an event that has one. */
static void
v_holds(struct ctx *c, const struct jpath *owner, int kind,
        struct note_claims *cl)
{
    static const char *const keys[] = {
        "at_ms", "timer_ms",       "retx",      "acks_fin",  "seq",   "ack",
        "errno", "state",          "same_time", "earlier",   "later", "never",
        "count", "close_segments", "timer",     "timer_msl", "scope", NULL};
    static const char *const side_keys[] = {"client", "server", NULL};
    const char *states[TCP__STATE_COUNT];
    struct jpath h, q;

    memset(cl, 0, sizeof *cl);
    if (!child(owner, "holds", &h) || !check_object(c, &h, keys))
        return;
    for (int i = 0; i < TCP__STATE_COUNT; i++)
        states[i] = tcp_state_name((enum tcp_state)i);
    v_holds_time(c, &h, kind, cl);
    if (child(&h, "scope", &q)) {
        static const char *const scopes[] = {"connection", "run"};
        int k = 0;
        if (enum_at(c, &q, "scope", scopes, 2, NULL, &k))
            cl->whole_run = k == 1;
    }
    v_holds_event(c, &h, kind, cl);
    if (child(&h, "state", &q) && check_object(c, &q, side_keys)) {
        struct jpath sp;
        for (int side = 0; side < 2; side++) {
            if (child(&q, side_keys[side], &sp) &&
                enum_at(c, &sp, "state", states, TCP__STATE_COUNT,
                        tcp_state_parse, &cl->state[side]))
                cl->given |= 1u << (CLAIM_STATE_CLIENT + side);
        }
    }
    if (child(&h, "close_segments", &q) &&
        get_u32(c, &h, "close_segments", 0, UINT32_MAX, &cl->close_segments))
        cl->given |= 1u << CLAIM_CLOSE_SEGMENTS;
    v_patterns(c, &h, "same_time", CLAIM_SAME_TIME, cl);
    v_patterns(c, &h, "earlier", CLAIM_EARLIER, cl);
    v_patterns(c, &h, "later", CLAIM_LATER, cl);
    v_patterns(c, &h, "never", CLAIM_NEVER, cl);
    v_patterns(c, &h, "count", CLAIM_COUNT, cl);
}

void
walk_notes(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {"when", "holds", "text", NULL};
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    if (!child(root, "notes", &p))
        return;
    if (!cJSON_IsArray(p.node)) {
        verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
             got(p.node, g, sizeof g));
        return;
    }
    s->nnotes = (size_t)cJSON_GetArraySize(p.node);
    s->notes = xcalloc(s->nnotes, sizeof *s->notes);
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath np = {&p, m, NULL, i};
        struct scenario_note *n = &s->notes[i];
        int kind = -1;

        when_init(&n->when);
        if (!check_object(c, &np, keys))
            continue;
        /* Its place, for --validate's warnings; only a good file needs it,
         * and finding it costs a pass over the text. */
        if (!has_errors(c))
            line_col_of(c, &np, &n->when.line, &n->when.col);
        if (child(&np, "when", &q))
            kind = v_when(c, &q, &n->when);
        v_holds(c, &np, kind, &n->holds);
        if (require(c, &np, "text")) {
            child(&np, "text", &q);
            i18n_at(c, &q, &n->text);
        }
    }
}

/* "choices" and "answer" of a question that asks "choice". */
static void
v_choices(struct ctx *c, const struct jpath *qp, struct quiz_question *k)
{
    struct jpath p;
    long long num;
    size_t i = 0;
    char g[96];

    child(qp, "choices", &p);
    if (cJSON_IsArray(p.node))
        snprintf(g, sizeof g, "an array of %d", cJSON_GetArraySize(p.node));
    else
        got(p.node, g, sizeof g);
    if (!cJSON_IsArray(p.node) || cJSON_GetArraySize(p.node) < 2 ||
        cJSON_GetArraySize(p.node) > QUIZ_MAX_CHOICES) {
        verr(c, &p, NULL, AT_VALUE,
             "expected an array of 2 to %d choices, each a string or "
             "{\"en\": ..., \"zh\": ...}, got %s",
             QUIZ_MAX_CHOICES, g);
        return; /* and "answer" has no range to be in */
    }
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath mp = {&p, m, NULL, i};
        i18n_at(c, &mp, &k->choices[k->nchoices]);
        k->nchoices++;
    }
    if (get_int(c, qp, "answer", 1, k->nchoices, &num, NULL))
        k->answer = (int)num - 1;
}

/* "demo": the name of a shipped scenario, looked up beside this one. */
static void
v_demo(struct ctx *c, const struct jpath *qp, struct quiz_question *k)
{
    struct jpath p;
    const char *name;
    char g[96];

    if (!child(qp, "demo", &p) || !str_at(c, &p, &name))
        return;
    for (const char *s = name; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
            name = "";
    if (!*name || strlen(name) > 64) {
        verr(c, &p, NULL, AT_VALUE,
             "expected a scenario's name (1 to 64 letters, digits, '-' and "
             "'_', without a directory or \".json\"), got %s",
             got(p.node, g, sizeof g));
        return;
    }
    k->demo = xstrdup(name);
}

/* "side", "choices" and "answer", which must fit the question's "ask". */
static void
v_ask_keys(struct ctx *c, const struct jpath *qp, struct quiz_question *k)
{
    static const char *const sides[] = {"client", "server"};
    const char *ask = quiz_ask_name(k->ask);
    bool choice = k->ask == QUIZ_CHOICE;
    bool sided =
        k->ask != QUIZ_TIME_WAIT && k->ask != QUIZ_CLOSE_SEGMENTS && !choice;
    struct jpath q;

    if (sided)
        require(c, qp, "side");
    if (child(qp, "side", &q)) {
        if (!sided)
            verr(c, &q, NULL, AT_KEY, "not used by \"ask\": \"%s\" (%s)", ask,
                 choice ? "it asks about a concept"
                        : "it asks about both sides");
        else
            enum_at(c, &q, "side", sides, 2, NULL, &k->side);
    }
    if (choice) {
        if (require(c, qp, "choices"))
            v_choices(c, qp, k);
        require(c, qp, "answer");
        return;
    }
    if (child(qp, "choices", &q))
        verr(c, &q, NULL, AT_KEY,
             "only allowed with \"ask\": \"choice\" (the run itself answers "
             "\"%s\")",
             ask);
    if (child(qp, "answer", &q))
        verr(c, &q, NULL, AT_KEY,
             "only allowed with \"ask\": \"choice\" (the run itself answers "
             "\"%s\")",
             ask);
}

/* "quiz": questions whose answers the run itself gives. */
void
walk_quiz(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {
        "when",   "ask",     "side",  "question", "choices",
        "answer", "explain", "holds", "demo",     NULL};
    const char *asks[QUIZ__COUNT];
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    for (int k = 0; k < QUIZ__COUNT; k++)
        asks[k] = quiz_ask_name((enum quiz_ask)k);
    if (!child(root, "quiz", &p))
        return;
    if (!cJSON_IsArray(p.node)) {
        verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
             got(p.node, g, sizeof g));
        return;
    }
    s->nquiz = (size_t)cJSON_GetArraySize(p.node);
    s->quiz = xcalloc(s->nquiz, sizeof *s->quiz);
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath qp = {&p, m, NULL, i};
        struct quiz_question *k = &s->quiz[i];
        int ask = -1, kind = -1;

        when_init(&k->when);
        k->side = -1;
        if (!check_object(c, &qp, keys))
            continue;
        if (!has_errors(c)) /* as for a note */
            line_col_of(c, &qp, &k->when.line, &k->when.col);
        if (require(c, &qp, "when") && child(&qp, "when", &q))
            kind = v_when(c, &q, &k->when);
        /* Which other keys belong depends on what is asked. */
        if (require(c, &qp, "ask") && get_enum(c, &qp, "ask", "question kind",
                                               asks, QUIZ__COUNT, NULL, &ask)) {
            k->ask = (enum quiz_ask)ask;
            v_ask_keys(c, &qp, k);
        }
        get_i18n(c, &qp, "question", true, &k->question);
        get_i18n(c, &qp, "explain", true, &k->explain);
        v_holds(c, &qp, kind, &k->holds);
        v_demo(c, &qp, k);
    }
}
