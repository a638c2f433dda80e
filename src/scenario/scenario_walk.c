/*
 * The walk over a scenario's keys: the cJSON tree (already checked for
 * syntax and with the overrides applied) to struct scenario, top-down,
 * filling the C structs as it checks them. The walk goes on after an
 * error wherever the rest still means something (scenario_private.h), and
 * the errors are reported in the order of the file. The keys and values
 * are those of the format document, docs/scenario-format.md: keep the two
 * in step. Reading a value and reporting what is wrong with it is
 * json_read.c's.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "base/xalloc.h"
#include "scenario_private.h"

/* The largest integer below which a double (and so a JSON number in
 * cJSON) holds every integer exactly: 2^53 - 1. 2^53 itself is exact, but
 * 2^53 + 1 reads as 2^53, so allowing 2^53 would round a seed silently. */
#define MAX_EXACT_INT 9007199254740991.0

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

/* --- Validation, top-down. ---------------------------------------------- */

/* rto_min <= rto_initial <= rto_max. The message names rto_initial_ms
 * when the file gives it, else the bound that the file gives. */
static void
v_rto_order(struct ctx *c, const struct jpath *p, bool ini,
            const struct tcp_params *t)
{
    struct jpath q;
    char a[32], b[32];

    fmt_num((double)t->rto_initial_us / 1000, a, sizeof a);
    if (t->rto_min_us > t->rto_initial_us) {
        child(p, ini ? "rto_initial_ms" : "rto_min_ms", &q);
        fmt_num((double)t->rto_min_us / 1000, b, sizeof b);
        if (ini)
            verr(c, &q, NULL, AT_VALUE, "%s is below rto_min_ms (%s)", a, b);
        else
            verr(c, &q, NULL, AT_VALUE, "%s is above rto_initial_ms (%s)", b,
                 a);
    } else if (t->rto_initial_us > t->rto_max_us) {
        child(p, ini ? "rto_initial_ms" : "rto_max_ms", &q);
        fmt_num((double)t->rto_max_us / 1000, b, sizeof b);
        if (ini)
            verr(c, &q, NULL, AT_VALUE, "%s is above rto_max_ms (%s)", a, b);
        else
            verr(c, &q, NULL, AT_VALUE, "%s is below rto_initial_ms (%s)", b,
                 a);
    }
}

static void
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
                                       "early_retrans",
                                       "rfc1337",
                                       "resend_synack",
                                       "abort_ack",
                                       "tw_isn",
                                       "isn_tick_ns",
                                       "timestamps",
                                       "tw_reuse",
                                       "tw_reuse_delay_ms",
                                       "ttl",
                                       "window",
                                       "mss",
                                       NULL};
    struct jpath p;
    bool tw = false, ini = false, rto_ok;
    uint32_t ttl;

    tcp_params_default(t, (enum tcp_profile)profile);
    if (!child(root, "tcp", &p) || !check_object(c, &p, keys))
        return;
    get_ms(c, &p, "msl_ms", true, &t->msl_us, NULL);
    get_ms(c, &p, "time_wait_ms", false, &t->time_wait_us, &tw);
    rto_ok = get_ms(c, &p, "rto_initial_ms", true, &t->rto_initial_us, &ini);
    rto_ok &= get_ms(c, &p, "rto_min_ms", true, &t->rto_min_us, NULL);
    rto_ok &= get_ms(c, &p, "rto_max_ms", true, &t->rto_max_us, NULL);
    get_ms(c, &p, "fin_timeout_ms", false, &t->fin_timeout_us, NULL);
    get_ms(c, &p, "delack_ms", false, &t->delack_us, NULL);
    /* At 0 ms a keepalive re-arms at one instant for ever. */
    get_ms(c, &p, "keepalive_time_ms", true, &t->keepalive_time_us, NULL);
    get_ms(c, &p, "keepalive_intvl_ms", true, &t->keepalive_intvl_us, NULL);
    get_u32(c, &p, "syn_retries", 0, 255, &t->syn_retries);
    get_u32(c, &p, "synack_retries", 0, 255, &t->synack_retries);
    get_u32(c, &p, "retries2", 0, 255, &t->retries2);
    get_u32(c, &p, "orphan_retries", 0, 255, &t->orphan_retries);
    get_u32(c, &p, "keepalive_probes", 1, 255, &t->keepalive_probes);
    get_u32(c, &p, "quick_acks", 0, 255, &t->quick_acks);
    get_u32(c, &p, "syn_linear_timeouts", 0, 255, &t->syn_linear_timeouts);
    get_u32(c, &p, "early_retrans", 0, 4, &t->early_retrans);
    get_bool(c, &p, "rfc1337", &t->rfc1337);
    get_bool(c, &p, "resend_synack", &t->resend_synack);
    get_bool(c, &p, "abort_ack", &t->abort_ack);
    get_bool(c, &p, "tw_isn", &t->tw_isn);
    get_u32(c, &p, "isn_tick_ns", 1, 1000000000, &t->isn_tick_ns);
    get_bool(c, &p, "timestamps", &t->timestamps);
    get_u32(c, &p, "tw_reuse", 0, 2, &t->tw_reuse);
    get_ms(c, &p, "tw_reuse_delay_ms", false, &t->tw_reuse_delay_us, NULL);
    ttl = t->ttl;
    get_u32(c, &p, "ttl", 1, 255, &ttl);
    get_u32(c, &p, "window", 1, 65535, &t->window);
    get_u32(c, &p, "mss", 1, 65495, &t->mss);
    t->ttl = (uint8_t)ttl;
    /* RFC 9293 §3.4.2: TIME-WAIT lasts 2 MSL. Linux fixes it at 60 s. */
    if (profile == PROFILE_RFC && !tw)
        t->time_wait_us = 2 * t->msl_us;
    /* Bounds that are not all readable cannot be compared. */
    if (rto_ok)
        v_rto_order(c, &p, ini, t);
}

static void
v_link(struct ctx *c, const struct jpath *p, struct link_params *l)
{
    get_ms(c, p, "delay_ms", false, &l->delay_us, NULL);
    get_ms(c, p, "jitter_ms", false, &l->jitter_us, NULL);
    get_num(c, p, "loss", 0, 1, false, &l->loss);
    get_num(c, p, "dup", 0, 1, false, &l->dup);
}

/* The keys of a rule that say which packets it takes. */
static void
v_rule_match(struct ctx *c, const struct jpath *p, struct net_rule *r)
{
    const char *states[TCP__STATE_COUNT];
    struct jpath q, nq;
    long long v;
    bool has_from = false, has_until = false, times_ok, b;
    bool flags_ok = true, has_not = child(p, "not_flags", &nq);
    char buf[32], g[32];

    for (int i = 0; i < TCP__STATE_COUNT; i++)
        states[i] = tcp_state_name((enum tcp_state)i);
    get_enum(c, p, "from", "side", side_names, 2, NULL, &r->from);
    if (child(p, "flags", &q))
        flags_ok = flags_at(c, &q, &r->flags_all);
    if (has_not && flags_at(c, &nq, &r->flags_none) && flags_ok &&
        (r->flags_all & r->flags_none)) {
        tcp_flags_str(r->flags_all & r->flags_none, buf);
        verr(c, &nq, NULL, AT_VALUE,
             "\"%s\" is also in \"flags\" (no packet can match both)", buf);
    }
    if (child(p, "data", &q) && bool_at(c, &q, &b))
        r->data = b;
    get_enum(c, p, "state", "state", states, TCP__STATE_COUNT, tcp_state_parse,
             &r->state);
    v = 0;
    if (get_int(c, p, "segment", 1, UINT32_MAX, &v, NULL))
        r->seg_id = (uint32_t)v;
    v = 0;
    if (get_int(c, p, "conn", 1, UINT32_MAX, &v, NULL))
        r->conn = (uint32_t)v;
    times_ok = get_ms(c, p, "from_ms", false, &r->from_us, &has_from);
    times_ok &= get_ms(c, p, "until_ms", true, &r->until_us, &has_until);
    if (times_ok && has_from && has_until && r->until_us <= r->from_us) {
        child(p, "until_ms", &q);
        fmt_num((double)r->from_us / 1000, g, sizeof g);
        verr(c, &q, NULL, AT_VALUE, "must be greater than from_ms (%s)", g);
    }
}

static void
v_rule(struct ctx *c, const struct jpath *p, struct net_rule *r)
{
    static const char *const keys[] = {
        "from",   "flags",   "not_flags", "data", "state", "segment",
        "conn",   "from_ms", "until_ms",  "nth",  "count", "probability",
        "action", "hold_ms", "label",     NULL};
    struct jpath q;
    int action = RULE_DROP;

    r->from = -1;
    r->data = -1;
    r->state = -1;
    r->nth = 1;
    r->count = 1;
    r->probability = 1;
    if (!check_object(c, p, keys))
        return;
    v_rule_match(c, p, r);
    get_u32(c, p, "nth", 1, UINT32_MAX, &r->nth);
    get_u32(c, p, "count", 0, UINT32_MAX, &r->count);
    get_num(c, p, "probability", 0, 1, true, &r->probability);
    /* hold_ms depends on the action: with none, it cannot be judged. */
    if (require(c, p, "action") &&
        get_enum(c, p, "action", "action", action_names, 2, NULL, &action)) {
        r->action = (enum rule_action)action;
        if (r->action == RULE_HOLD && !child(p, "hold_ms", &q))
            verr(c, p, "hold_ms", AT_VALUE,
                 "missing required key (needed when \"action\" is \"hold\")");
        else if (r->action == RULE_HOLD)
            ms_at(c, &q, true, &r->hold_us);
        else if (child(p, "hold_ms", &q))
            verr(c, &q, NULL, AT_VALUE,
                 "only allowed with \"action\": \"hold\"");
    }
    /* A string, or {"en": ..., "zh": ...} as for every text shown. */
    if (child(p, "label", &q)) {
        struct i18n t = {0};
        i18n_at(c, &q, &t);
        r->label = t.en;
        r->label_zh = t.zh;
    }
}

static void
v_network(struct ctx *c, const struct jpath *root, struct net_params *n)
{
    static const char *const keys[] = {
        "routers",          "delay_ms",         "jitter_ms", "loss",   "dup",
        "client_to_server", "server_to_client", "rules",     "inject", NULL};
    static const char *const link_keys[] = {"delay_ms", "jitter_ms", "loss",
                                            "dup", NULL};
    static const char *const dir_keys[2] = {
        [SIDE_CLIENT] = "client_to_server", [SIDE_SERVER] = "server_to_client"};
    struct link_params base = {50000, 0, 0, 0};
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    n->routers = 2;
    n->dir[SIDE_CLIENT] = n->dir[SIDE_SERVER] = base;
    if (!child(root, "network", &p) || !check_object(c, &p, keys))
        return;
    get_u32(c, &p, "routers", 0, 64, &n->routers);
    v_link(c, &p, &base);
    for (int d = SIDE_CLIENT; d <= SIDE_SERVER; d++) {
        n->dir[d] = base;
        if (child(&p, dir_keys[d], &q) && check_object(c, &q, link_keys))
            v_link(c, &q, &n->dir[d]);
    }
    walk_injects(c, &p, n);
    if (!child(&p, "rules", &q))
        return;
    if (!cJSON_IsArray(q.node)) {
        verr(c, &q, NULL, AT_VALUE, "expected an array, got %s",
             got(q.node, g, sizeof g));
        return;
    }
    n->nrules = (size_t)cJSON_GetArraySize(q.node);
    n->rules = xcalloc(n->nrules, sizeof *n->rules);
    for (const cJSON *e = q.node->child; e; e = e->next, i++) {
        struct jpath ep = {&q, e, NULL, i};
        v_rule(c, &ep, &n->rules[i]);
    }
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
static const char *const args_set[] = {"set", "value", NULL};
static const char *const *const call_args[CALL__COUNT] = {
    [CALL_LISTEN] = args_listen,   [CALL_BIND] = args_bind,
    [CALL_CONNECT] = args_connect, [CALL_SEND] = args_send,
    [CALL_RECV] = args_recv,       [CALL_SHUTDOWN] = args_shutdown,
    [CALL_CLOSE] = args_close,     [CALL_SETSOCKOPT] = args_setsockopt,
    [CALL_CRASH] = args_crash,     [CALL_SET] = args_set,
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

static void
v_setsockopt(struct ctx *c, const struct jpath *p, struct script_step *st)
{
    const char *opts[OPT__COUNT];
    struct jpath q;
    int opt = 0;
    bool opt_ok, b;

    for (int i = 0; i < OPT__COUNT; i++)
        opts[i] = sock_opt_name((enum sock_opt)i);
    opt_ok =
        require(c, p, "option") && get_enum(c, p, "option", "option", opts,
                                            OPT__COUNT, sock_opt_parse, &opt);
    /* What a value must be depends on the option. */
    if (!require(c, p, "value") || !opt_ok)
        return;
    st->opt = opt;
    child(p, "value", &q);
    if (opt == OPT_SO_LINGER) {
        struct range r = {-1, 3600, false, true};
        double d;
        if (num_at(c, &q, &r, &d))
            st->value = (int)d;
    } else if (bool_at(c, &q, &b)) {
        st->value = b;
    }
}

/* "set": KEY, "value": V: a TCP setting from now on (src/tcp/tcp_settings.c
 * lists the keys; their values are checked as in "tcp"). */
static void
v_set(struct ctx *c, const struct jpath *p, struct script_step *st)
{
    const char *keys[SET__COUNT];
    const struct tcp_setting_info *info;
    struct jpath q;
    int set = 0;
    bool b;

    for (int i = 0; i < SET__COUNT; i++)
        keys[i] = tcp_setting_info((enum tcp_setting)i)->key;
    if (!child(p, "set", &q) ||
        !enum_at(c, &q, "setting that can change during a run", keys,
                 SET__COUNT, tcp_setting_parse, &set) ||
        !require(c, p, "value"))
        return;
    st->setting = set;
    info = tcp_setting_info((enum tcp_setting)set);
    child(p, "value", &q);
    if (info->kind == SETTING_MS) {
        ms_at(c, &q, info->lo_open, &st->set_value);
    } else if (info->kind == SETTING_BOOL) {
        if (bool_at(c, &q, &b))
            st->set_value = b;
    } else {
        struct range r = {info->lo, info->hi, info->lo_open, true};
        double d;
        if (num_at(c, &q, &r, &d))
            st->set_value = (uint64_t)d;
    }
}

static void
v_step_args(struct ctx *c, const struct jpath *p, struct script_step *st)
{
    long long v;
    int how = SHUT_HOW_WR, sock = 0;

    switch (st->call) {
    case CALL_LISTEN:
    case CALL_CONNECT:
        get_port(c, p, &st->port);
        if (st->call == CALL_CONNECT &&
            get_int(c, p, "isn", 0, UINT32_MAX, &v, &st->has_isn) &&
            st->has_isn)
            st->isn = (uint32_t)v;
        return;
    case CALL_BIND:
        if (require(c, p, "port"))
            get_port(c, p, &st->port);
        return;
    case CALL_SEND:
        if (require(c, p, "bytes"))
            get_u32(c, p, "bytes", 1, 1e9, &st->bytes);
        return;
    case CALL_RECV: get_u32(c, p, "bytes", 0, 1e9, &st->bytes); return;
    case CALL_SHUTDOWN:
        get_enum(c, p, "how", "direction", how_names,
                 sizeof how_names / sizeof how_names[0], NULL, &how);
        st->how = how;
        return;
    case CALL_CLOSE:
        get_enum(c, p, "socket", "socket", socket_names, 2, NULL, &sock);
        st->listener = sock == 1;
        return;
    case CALL_SETSOCKOPT: v_setsockopt(c, p, st); return;
    case CALL_CRASH:
        get_ms(c, p, "restart_ms", false, &st->restart_us, NULL);
        return;
    case CALL_SET: v_set(c, p, st); return;
    case CALL__COUNT: break;
    }
}

/* A call's name, but not "set", which is a key of its own. */
static int
call_parse(const char *name)
{
    int call = sock_call_parse(name);
    return call == CALL_SET ? -1 : call;
}

/* The call, and the keys that must fit it. False when there is no call to
 * judge its arguments by. */
static bool
v_step_call(struct ctx *c, const struct jpath *p, const char *const *keys,
            int side, struct script_step *st)
{
    static const char *const timing[] = {"at_ms", "on", "after_ms", "call",
                                         NULL};
    const char *calls[CALL__COUNT];
    struct jpath q;
    int call = 0;
    size_t i = 0;
    char list[128];

    /* A "set" step changes a setting: it makes no socket call. */
    for (int k = 0; k < CALL__COUNT; k++)
        calls[k] = k == CALL_SET ? NULL : sock_call_name((enum sock_call)k);
    if (child(p, "set", &q)) {
        call = CALL_SET;
        if (child(p, "call", &q))
            verr(c, &q, NULL, AT_KEY,
                 "cannot be combined with \"set\" (a step either makes a "
                 "call or changes a setting)");
    } else if (!require(c, p, "call") || !child(p, "call", &q) ||
               !enum_at(c, &q, "call", calls, CALL__COUNT, call_parse, &call)) {
        return false;
    }
    st->call = (enum sock_call)call;
    if (call == CALL_LISTEN && side != SIDE_SERVER)
        verr(c, &q, NULL, AT_VALUE,
             "\"listen\" is only allowed in the server's script");
    /* A server connects only for a simultaneous open, to a fixed port. */
    if (call == CALL_CONNECT && side != SIDE_CLIENT &&
        !cJSON_GetObjectItemCaseSensitive(p->node, "port"))
        verr(c, &q, NULL, AT_VALUE,
             "\"connect\" in the server's script needs \"port\": the "
             "client's port, for a simultaneous open");
    /* Unknown and repeated keys are check_object's to report. */
    for (const cJSON *m = p->node->child; m; m = m->next, i++) {
        struct jpath k = {p, m, m->string, i};
        if (!in_list(keys, m->string) || in_list(timing, m->string) ||
            in_list(call_args[call], m->string) ||
            cJSON_GetObjectItemCaseSensitive(p->node, m->string) != m)
            continue;
        join(call_args[call], (size_t)-1, list, sizeof list);
        verr(c, &k, NULL, AT_KEY, "not an argument of \"%s\" (%s takes: %s)",
             calls[call], calls[call], list);
    }
    return true;
}

static void
v_step(struct ctx *c, const struct jpath *p, int side, struct script_step *st)
{
    static const char *const keys[] = {
        "at_ms", "on",     "after_ms", "call",  "port",       "isn", "bytes",
        "how",   "socket", "option",   "value", "restart_ms", "set", NULL};
    const char *events[EV__COUNT];
    struct jpath q, at, on;
    bool has_at, has_on, call_ok;
    int ev = 0;

    for (int k = 0; k < EV__COUNT; k++)
        events[k] = k == EV_NONE ? NULL : app_event_name((enum app_event)k);
    if (!check_object(c, p, keys))
        return;
    call_ok = v_step_call(c, p, keys, side, st);

    has_at = child(p, "at_ms", &at);
    has_on = child(p, "on", &on);
    if (has_at && has_on)
        verr(c, &on, NULL, AT_VALUE,
             "cannot be combined with \"at_ms\" (a step either runs at a "
             "time or waits for an event)");
    if (!has_at && !has_on)
        verr(c, p, NULL, AT_VALUE,
             "missing \"at_ms\" (a time) or \"on\" (an event)");
    st->on = EV_NONE;
    if (has_at)
        ms_at(c, &at, false, &st->at_us);
    if (has_on) {
        if (enum_at(c, &on, "event", events, EV__COUNT, app_event_parse, &ev))
            st->on = (enum app_event)ev;
        get_ms(c, p, "after_ms", false, &st->after_us, NULL);
    } else if (child(p, "after_ms", &q)) {
        verr(c, &q, NULL, AT_VALUE, "only allowed with \"on\"");
    }
    if (call_ok)
        v_step_args(c, p, st);
}

/* "port_range": [first, last]. */
static void
v_port_range(struct ctx *c, const struct jpath *q, struct endpoint_cfg *e)
{
    struct range r = {1, 65535, false, true};
    struct jpath a, b;
    double x, y;
    bool ok;
    char g[96];

    if (!cJSON_IsArray(q->node) || cJSON_GetArraySize(q->node) != 2) {
        verr(c, q, NULL, AT_VALUE,
             "expected [first, last], two port numbers, got %s",
             got(q->node, g, sizeof g));
        return;
    }
    a = (struct jpath){q, q->node->child, NULL, 0};
    b = (struct jpath){q, q->node->child->next, NULL, 1};
    ok = num_at(c, &a, &r, &x);
    ok &= num_at(c, &b, &r, &y);
    if (!ok)
        return;
    if (y < x) {
        verr(c, &b, NULL, AT_VALUE, "the last port is below the first (%.0f)",
             x);
        return;
    }
    e->port_lo = (uint16_t)x;
    e->port_hi = (uint16_t)y;
}

/* Which object an endpoint's keys come from. */
enum endpoint_kind {
    EP_SERVER,
    EP_CLIENT,       /* "client": a template, run count times */
    EP_CLIENT_ENTRY, /* an element of "clients": one socket */
};

static void
endpoint_defaults(struct endpoint_cfg *e, int side)
{
    e->port = side == SIDE_SERVER ? 80 : 0;
    e->linger = -1;
    e->autoread = true;
    e->count = 1;
    e->hosts = 1;
    e->port_lo = 32768; /* Linux's ip_local_port_range */
    e->port_hi = 60999;
}

/* A "clients" entry's "address": one of the client host's, 192.0.2.1 and
 * up (as "hosts" numbers them), kept as its distance from the first. */
static void
v_client_address(struct ctx *c, const struct jpath *p, struct endpoint_cfg *e)
{
    struct jpath q;
    const char *str;
    unsigned a, b, d, h;
    char tail;

    if (!child(p, "address", &q) || !str_at(c, &q, &str))
        return;
    if (sscanf(str, "%u.%u.%u.%u%c", &a, &b, &d, &h, &tail) != 4 || a != 192 ||
        b != 0 || d != 2 || h < 1 || h > 254) {
        verr(c, &q, NULL, AT_VALUE,
             "\"%s\" is not a client address (expected 192.0.2.1 to "
             "192.0.2.254)",
             str);
        return;
    }
    e->addr_index = h - 1;
}

static void
v_endpoint_at(struct ctx *c, const struct jpath *p, enum endpoint_kind kind,
              struct endpoint_cfg *e)
{
    static const char *const keys[] = {
        "port",     "isn",    "ttl",        "reuseaddr", "keepalive",
        "cork",     "linger", "autoread",   "script",    "count",
        "every_ms", "hosts",  "port_range", "address",   NULL};
    static const char *const template_only[] = {"count", "every_ms", "hosts",
                                                NULL};
    static const char *const client_only[] = {"count",      "every_ms", "hosts",
                                              "port_range", "address",  NULL};
    int side = kind == EP_SERVER ? SIDE_SERVER : SIDE_CLIENT;
    struct jpath q;
    long long v;
    size_t i = 0;
    char g[96];

    endpoint_defaults(e, side);
    if (!check_object(c, p, keys))
        return;
    for (const cJSON *m = p->node->child; m; m = m->next, i++) {
        struct jpath k = {p, m, m->string, i};
        if (kind == EP_SERVER && in_list(client_only, m->string))
            verr(c, &k, NULL, AT_KEY, "only allowed in %s",
                 !strcmp(m->string, "address") ? "an entry of \"clients\""
                 : !strcmp(m->string, "port_range")
                     ? "\"client\" and \"clients\""
                     : "\"client\"");
        else if (kind == EP_CLIENT_ENTRY && in_list(template_only, m->string))
            verr(c, &k, NULL, AT_KEY,
                 "only allowed in \"client\" (an entry of \"clients\" is "
                 "one socket)");
        else if (kind == EP_CLIENT && !strcmp(m->string, "address"))
            verr(c, &k, NULL, AT_KEY,
                 "only allowed in an entry of \"clients\" (\"client\" "
                 "spreads over \"hosts\" addresses)");
    }
    get_port(c, p, &e->port);
    if (get_int(c, p, "isn", 0, UINT32_MAX, &v, &e->has_isn) && e->has_isn)
        e->isn = (uint32_t)v;
    v = 0;
    get_int(c, p, "ttl", 1, 255, &v, NULL);
    e->ttl = (uint8_t)v;
    get_bool(c, p, "reuseaddr", &e->reuseaddr);
    get_bool(c, p, "keepalive", &e->keepalive);
    get_bool(c, p, "cork", &e->cork);
    v = -1;
    get_int(c, p, "linger", -1, 3600, &v, NULL);
    e->linger = (int)v;
    get_bool(c, p, "autoread", &e->autoread);
    /* Elsewhere these are errors already; their values do not matter. */
    if (kind == EP_CLIENT) {
        get_u32(c, p, "count", 1, 10000000, &e->count);
        get_ms(c, p, "every_ms", false, &e->every_us, NULL);
        get_u32(c, p, "hosts", 1, 65536, &e->hosts);
    }
    if (kind == EP_CLIENT_ENTRY)
        v_client_address(c, p, e);
    if (kind != EP_SERVER && child(p, "port_range", &q))
        v_port_range(c, &q, e);
    if (!child(p, "script", &q))
        return;
    if (!cJSON_IsArray(q.node)) {
        verr(c, &q, NULL, AT_VALUE, "expected an array, got %s",
             got(q.node, g, sizeof g));
        return;
    }
    e->nsteps = (size_t)cJSON_GetArraySize(q.node);
    e->steps = xcalloc(e->nsteps, sizeof *e->steps);
    i = 0;
    for (const cJSON *m = q.node->child; m; m = m->next, i++) {
        struct jpath sp = {&q, m, NULL, i};
        v_step(c, &sp, side, &e->steps[i]);
    }
}

/*
 * "client" (a template: count sockets, every_ms apart) or "clients" (a
 * list of sockets, each with its own settings), not both. Without either
 * there is one client that does nothing.
 */
static void
v_clients(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    struct jpath p, q;
    size_t i = 0;
    char g[96];

    if (child(root, "client", &p))
        v_endpoint_at(c, &p, EP_CLIENT, &s->client);
    else
        endpoint_defaults(&s->client, SIDE_CLIENT);
    if (!child(root, "clients", &q))
        return;
    if (child(root, "client", &p)) {
        verr(c, &q, NULL, AT_KEY,
             "cannot be combined with \"client\" (give one template or a "
             "list of sockets)");
        return;
    }
    if (!cJSON_IsArray(q.node)) {
        verr(c, &q, NULL, AT_VALUE,
             "expected an array of client sockets, got %s",
             got(q.node, g, sizeof g));
        return;
    }
    if (cJSON_GetArraySize(q.node) == 0) {
        verr(c, &q, NULL, AT_VALUE,
             "expected at least one client socket, got an empty array");
        return;
    }
    s->client.count = 0;
    s->nclients = (size_t)cJSON_GetArraySize(q.node);
    s->clients = xcalloc(s->nclients, sizeof *s->clients);
    for (const cJSON *m = q.node->child; m; m = m->next, i++) {
        struct jpath ep = {&q, m, NULL, i};
        v_endpoint_at(c, &ep, EP_CLIENT_ENTRY, &s->clients[i]);
    }
}

/* "variants": ["two_way_handshake", ...]: what-if protocols. */
static void
v_variants(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const names[] = {"two_way_handshake", "fin_no_seq",
                                        "no_time_wait"};
    struct jpath p;
    size_t i = 0;
    char g[96];

    if (!child(root, "variants", &p))
        return;
    if (!cJSON_IsArray(p.node)) {
        verr(c, &p, NULL, AT_VALUE, "expected an array, got %s",
             got(p.node, g, sizeof g));
        return;
    }
    for (const cJSON *m = p.node->child; m; m = m->next, i++) {
        struct jpath vp = {&p, m, NULL, i};
        int v = -1;
        if (enum_at(c, &vp, "variant", names, 3, NULL, &v))
            s->variants |= 1u << v;
    }
}

void
walk_scenario(struct ctx *c, const struct jpath *root, struct scenario *s)
{
    static const char *const keys[] = {
        "title", "description", "seed",   "duration_ms", "profile",
        "tcp",   "network",     "client", "clients",     "server",
        "notes", "variants",    "quiz",   "$schema",     NULL};
    struct jpath q;
    long long seed = 1;
    int profile = PROFILE_RFC;
    const char *ignored;

    s->duration_us = 3600ull * 1000 * 1000;
    check_object(c, root, keys);
    get_i18n(c, root, "title", true, &s->title);
    get_i18n(c, root, "description", false, &s->description);
    get_int(c, root, "seed", 0, MAX_EXACT_INT, &seed, NULL);
    get_ms(c, root, "duration_ms", true, &s->duration_us, NULL);
    get_enum(c, root, "profile", "profile", profile_names, 2, NULL, &profile);
    /* For editors: the file's JSON Schema (docs/scenario.schema.json). */
    if (child(root, "$schema", &q))
        str_at(c, &q, &ignored);
    s->seed = (uint64_t)seed;
    v_tcp(c, root, profile, &s->tcp);
    v_network(c, root, &s->net);
    v_clients(c, root, s);
    if (child(root, "server", &q))
        v_endpoint_at(c, &q, EP_SERVER, &s->server);
    else
        endpoint_defaults(&s->server, SIDE_SERVER);
    walk_notes(c, root, s);
    v_variants(c, root, s);
    walk_quiz(c, root, s);
}
