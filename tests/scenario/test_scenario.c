/*
 * The scenario loader: a complete file read into C data, the defaults of
 * both profiles, --set overrides and their errors, clone and add_rule, and
 * the JSON position scanner. Error messages for bad files are in test_bad.c.
 */
#include "synfin/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/json_locate.h"
#include "tap.h"

static const char full_json[] =
    "{\n"
    "  \"title\": {\"en\": \"Three-way handshake\", \"zh\": \"三次握手\"},\n"
    "  \"description\": \"A SYN is lost once.\",\n"
    "  \"seed\": 42,\n"
    "  \"duration_ms\": 30000,\n"
    "  \"profile\": \"rfc\",\n"
    "  \"tcp\": {\"msl_ms\": 2000.0006, \"rto_initial_ms\": 1500,\n"
    "          \"rto_max_ms\": 60000, \"syn_retries\": 3, \"rfc1337\": false,\n"
    "          \"ttl\": 32, \"window\": 8192, \"mss\": 536,\n"
    "          \"delack_ms\": 0.0006, \"keepalive_probes\": 3},\n"
    "  \"network\": {\n"
    "    \"routers\": 3, \"delay_ms\": 20, \"jitter_ms\": 1.5,\n"
    "    \"loss\": 0.25, \"dup\": 0.125,\n"
    "    \"server_to_client\": {\"delay_ms\": 80, \"loss\": 0},\n"
    "    \"rules\": [\n"
    "      {\"from\": \"client\", \"flags\": \"SYN\", \"not_flags\": \"ACK\",\n"
    "       \"action\": \"drop\", \"label\": \"first SYN lost\"},\n"
    "      {\"from\": \"server\", \"flags\": \"fin|ack\", \"data\": false,\n"
    "       \"state\": \"LAST-ACK\", \"segment\": 9, \"conn\": 2,\n"
    "       \"from_ms\": 100, \"until_ms\": 900.5, \"nth\": 2, \"count\": 0,\n"
    "       \"probability\": 0.5, \"action\": \"hold\", \"hold_ms\": 2500}\n"
    "    ]\n"
    "  },\n"
    "  \"client\": {\n"
    "    \"port\": 40000, \"isn\": 4294967295, \"ttl\": 9, \"cork\": true,\n"
    "    \"linger\": 0, \"autoread\": false, \"count\": 3, \"every_ms\": 250,\n"
    "    \"hosts\": 2,\n"
    "    \"script\": [\n"
    "      {\"at_ms\": 10, \"call\": \"connect\", \"port\": 8080, \"isn\": "
    "0},\n"
    "      {\"on\": \"connected\", \"after_ms\": 5, \"call\": \"send\",\n"
    "       \"bytes\": 1000},\n"
    "      {\"on\": \"eof\", \"call\": \"shutdown\", \"how\": \"both\"},\n"
    "      {\"at_ms\": 500, \"call\": \"setsockopt\", \"option\": "
    "\"SO_LINGER\",\n"
    "       \"value\": 0},\n"
    "      {\"at_ms\": 600, \"call\": \"close\"},\n"
    "      {\"at_ms\": 700, \"call\": \"crash\", \"restart_ms\": 1000}\n"
    "    ]\n"
    "  },\n"
    "  \"server\": {\n"
    "    \"port\": 8080, \"reuseaddr\": true, \"keepalive\": true,\n"
    "    \"script\": [\n"
    "      {\"at_ms\": 0, \"call\": \"bind\", \"port\": 8080},\n"
    "      {\"at_ms\": 0, \"call\": \"listen\"},\n"
    "      {\"on\": \"data\", \"call\": \"recv\"},\n"
    "      {\"on\": \"eof\", \"call\": \"close\", \"socket\": \"listener\"},\n"
    "      {\"on\": \"error\", \"call\": \"setsockopt\",\n"
    "       \"option\": \"TCP_CORK\", \"value\": true}\n"
    "    ]\n"
    "  },\n"
    "  \"notes\": [\n"
    "    {\"text\": \"Watch the SYN.\"},\n"
    "    {\"when\": {\"kind\": \"state\", \"side\": \"client\",\n"
    "               \"state\": \"ESTABLISHED\", \"from_state\": "
    "\"SYN-SENT\"},\n"
    "     \"text\": {\"en\": \"Open.\", \"zh\": \"打开。\"}},\n"
    "    {\"when\": {\"kind\": \"send\", \"flags\": \"SYN,ACK\",\n"
    "               \"tags\": \"retx,dup\", \"nth\": 2},\n"
    "     \"text\": \"Again.\"},\n"
    "    {\"when\": {\"kind\": \"timer_fire\", \"timer\": \"TIME-WAIT\"},\n"
    "     \"text\": \"2MSL.\"},\n"
    "    {\"when\": {\"kind\": \"call\", \"call\": \"close\", \"side\": "
    "\"net\"},\n"
    "     \"text\": \"Bye.\"},\n"
    "    {\"when\": {\"kind\": \"app\", \"event\": \"reset\"},\n"
    "     \"text\": \"Reset.\"}\n"
    "  ]\n"
    "}\n";

static struct scenario *
load_str(const char *text, const char *const *ovr, size_t novr,
         struct synfin_err *err)
{
    return scenario_load_buffer("t/full.json", text, strlen(text), ovr, novr,
                                err);
}

static void
test_full(void)
{
    struct synfin_err err;
    struct scenario *s = load_str(full_json, NULL, 0, &err);
    const struct net_rule *r;
    const struct script_step *st;
    const struct scenario_note *n;

    if (!ok(s != NULL, "full scenario loads")) {
        printf("#   %s: %s\n", err.where, err.msg);
        return;
    }
    is_str(s->path, "t/full.json", "path is the name given");
    is_str(s->name, "full", "name drops directory and .json");
    is_str(i18n_get(&s->title, "en"), "Three-way handshake", "title en");
    is_str(i18n_get(&s->title, "zh"), "三次握手", "title zh");
    is_str(i18n_get(&s->description, "zh"), "A SYN is lost once.",
           "description zh falls back to en");
    ok(s->description.zh == NULL, "description has no zh");
    is_int(s->seed, 42, "seed");
    is_int(s->duration_us, 30000000, "duration_ms to us");

    is_int(s->tcp.profile, PROFILE_RFC, "profile rfc");
    is_int(s->tcp.msl_us, 2000001, "msl_ms 2000.0006 rounds to 2000001 us");
    is_int(s->tcp.time_wait_us, 4000002, "rfc: time_wait = 2 * msl");
    is_int(s->tcp.rto_initial_us, 1500000, "rto_initial");
    is_int(s->tcp.rto_min_us, 1000000, "rto_min from the profile");
    is_int(s->tcp.rto_max_us, 60000000, "rto_max");
    is_int(s->tcp.syn_retries, 3, "syn_retries");
    is_int(s->tcp.synack_retries, 5, "synack_retries default");
    ok(!s->tcp.rfc1337, "rfc1337 overridden");
    is_int(s->tcp.ttl, 32, "tcp ttl");
    is_int(s->tcp.window, 8192, "window");
    is_int(s->tcp.mss, 536, "mss");
    is_int(s->tcp.delack_us, 1, "delack 0.0006 ms rounds to 1 us");
    is_int(s->tcp.keepalive_probes, 3, "keepalive_probes");

    is_int(s->net.routers, 3, "routers");
    is_int(s->net.dir[SIDE_CLIENT].delay_us, 20000, "c2s delay");
    is_int(s->net.dir[SIDE_CLIENT].jitter_us, 1500, "c2s jitter 1.5 ms");
    ok(s->net.dir[SIDE_CLIENT].loss == 0.25, "c2s loss");
    ok(s->net.dir[SIDE_CLIENT].dup == 0.125, "c2s dup");
    is_int(s->net.dir[SIDE_SERVER].delay_us, 80000, "s2c delay overridden");
    is_int(s->net.dir[SIDE_SERVER].jitter_us, 1500, "s2c jitter inherited");
    ok(s->net.dir[SIDE_SERVER].loss == 0, "s2c loss overridden");
    ok(s->net.dir[SIDE_SERVER].dup == 0.125, "s2c dup inherited");

    is_int(s->net.nrules, 2, "two rules");
    r = &s->net.rules[0];
    is_int(r->from, SIDE_CLIENT, "rule 0 from");
    is_int(r->flags_all, TCP_SYN, "rule 0 flags");
    is_int(r->flags_none, TCP_ACK, "rule 0 not_flags");
    is_int(r->data, -1, "rule 0 data any");
    is_int(r->state, -1, "rule 0 state any");
    is_int(r->seg_id, 0, "rule 0 segment any");
    is_int(r->conn, 0, "rule 0 conn any");
    is_int(r->from_us, 0, "rule 0 from");
    is_int(r->until_us, 0, "rule 0 forever");
    is_int(r->nth, 1, "rule 0 nth default");
    is_int(r->count, 1, "rule 0 count default");
    ok(r->probability == 1, "rule 0 probability default");
    is_int(r->action, RULE_DROP, "rule 0 drop");
    is_str(r->label, "first SYN lost", "rule 0 label");
    r = &s->net.rules[1];
    is_int(r->from, SIDE_SERVER, "rule 1 from");
    is_int(r->flags_all, TCP_FIN | TCP_ACK, "rule 1 flags fin|ack");
    is_int(r->flags_none, 0, "rule 1 no not_flags");
    is_int(r->data, 0, "rule 1 data false");
    is_int(r->state, TCP_LAST_ACK, "rule 1 state");
    is_int(r->seg_id, 9, "rule 1 segment");
    is_int(r->conn, 2, "rule 1 conn");
    is_int(r->from_us, 100000, "rule 1 from_ms");
    is_int(r->until_us, 900500, "rule 1 until_ms");
    is_int(r->nth, 2, "rule 1 nth");
    is_int(r->count, 0, "rule 1 count 0 = all");
    ok(r->probability == 0.5, "rule 1 probability");
    is_int(r->action, RULE_HOLD, "rule 1 hold");
    is_int(r->hold_us, 2500000, "rule 1 hold_ms");
    ok(r->label == NULL, "rule 1 no label");

    is_int(s->client.port, 40000, "client port");
    ok(s->client.has_isn, "client has isn");
    is_int(s->client.isn, 4294967295u, "client isn max");
    is_int(s->client.ttl, 9, "client ttl");
    ok(!s->client.reuseaddr && !s->client.keepalive, "client bools default");
    ok(s->client.cork, "client cork");
    is_int(s->client.linger, 0, "client linger 0");
    ok(!s->client.autoread, "client autoread false");
    is_int(s->client.count, 3, "client count");
    is_int(s->client.every_us, 250000, "client every_ms");
    is_int(s->client.hosts, 2, "client hosts");
    is_int(s->client.nsteps, 6, "client steps");
    st = &s->client.steps[0];
    is_int(st->on, EV_NONE, "step 0 timed");
    is_int(st->at_us, 10000, "step 0 at");
    is_int(st->call, CALL_CONNECT, "step 0 connect");
    is_int(st->port, 8080, "step 0 port");
    ok(st->has_isn && st->isn == 0, "step 0 isn 0");
    st = &s->client.steps[1];
    is_int(st->on, EV_CONNECTED, "step 1 on connected");
    is_int(st->after_us, 5000, "step 1 after");
    is_int(st->call, CALL_SEND, "step 1 send");
    is_int(st->bytes, 1000, "step 1 bytes");
    st = &s->client.steps[2];
    is_int(st->on, EV_EOF, "step 2 on eof");
    is_int(st->how, SHUT_HOW_RDWR, "step 2 shutdown both");
    st = &s->client.steps[3];
    is_int(st->call, CALL_SETSOCKOPT, "step 3 setsockopt");
    is_int(st->opt, OPT_SO_LINGER, "step 3 SO_LINGER");
    is_int(st->value, 0, "step 3 value 0");
    st = &s->client.steps[4];
    is_int(st->call, CALL_CLOSE, "step 4 close");
    ok(!st->listener, "step 4 closes the connection");
    st = &s->client.steps[5];
    is_int(st->call, CALL_CRASH, "step 5 crash");
    is_int(st->restart_us, 1000000, "step 5 restart");

    is_int(s->server.port, 8080, "server port");
    ok(!s->server.has_isn, "server has no isn");
    is_int(s->server.ttl, 0, "server ttl default 0");
    is_int(s->server.linger, -1, "server linger off");
    ok(s->server.autoread, "server autoread default");
    ok(s->server.reuseaddr && s->server.keepalive, "server bools");
    is_int(s->server.count, 1, "server count default");
    is_int(s->server.hosts, 1, "server hosts default");
    is_int(s->server.nsteps, 5, "server steps");
    is_int(s->server.steps[0].call, CALL_BIND, "bind");
    is_int(s->server.steps[0].port, 8080, "bind port");
    is_int(s->server.steps[1].call, CALL_LISTEN, "listen");
    is_int(s->server.steps[1].port, 0, "listen port default 0");
    is_int(s->server.steps[2].bytes, 0, "recv all");
    ok(s->server.steps[3].listener, "close the listener");
    is_int(s->server.steps[4].on, EV_ERROR, "on error");
    is_int(s->server.steps[4].opt, OPT_TCP_CORK, "TCP_CORK");
    is_int(s->server.steps[4].value, 1, "TCP_CORK true is 1");

    is_int(s->nnotes, 6, "notes");
    n = &s->notes[0];
    ok(n->when.kind == -1 && n->when.side == -1 && n->when.state == -1 &&
           n->when.from_state == -1 && n->when.flags_all == 0 &&
           n->when.timer == -1 && n->when.call == -1 && n->when.app == -1 &&
           n->when.tags_all == 0 && n->when.nth == 1,
       "note without when matches anything, first");
    is_str(i18n_get(&n->text, "zh"), "Watch the SYN.", "note 0 text");
    n = &s->notes[1];
    is_int(n->when.kind, TRACE_STATE, "note 1 kind");
    is_int(n->when.side, SIDE_CLIENT, "note 1 side");
    is_int(n->when.state, TCP_ESTABLISHED, "note 1 state");
    is_int(n->when.from_state, TCP_SYN_SENT, "note 1 from_state");
    is_str(i18n_get(&n->text, "zh"), "打开。", "note 1 zh");
    n = &s->notes[2];
    is_int(n->when.kind, TRACE_SEND, "note 2 kind");
    is_int(n->when.flags_all, TCP_SYN | TCP_ACK, "note 2 flags");
    is_int(n->when.tags_all, SEG_RETX | SEG_DUP, "note 2 tags");
    is_int(n->when.nth, 2, "note 2 nth");
    is_int(s->notes[3].when.timer, TIMER_TIME_WAIT, "note 3 timer");
    is_int(s->notes[4].when.call, CALL_CLOSE, "note 4 call");
    is_int(s->notes[4].when.side, SIDE_NET, "note 4 side net");
    is_int(s->notes[5].when.app, EV_RESET, "note 5 event");
    scenario_free(s);
}

static void
test_defaults(void)
{
    struct synfin_err err;
    struct scenario *s = load_str("{\"title\": \"t\"}", NULL, 0, &err);
    struct tcp_params rfc;

    if (!ok(s != NULL, "minimal scenario loads"))
        return;
    tcp_params_default(&rfc, PROFILE_RFC);
    ok(memcmp(&s->tcp, &rfc, sizeof rfc) == 0, "tcp is the rfc profile");
    is_int(s->tcp.time_wait_us, 240000000, "rfc time_wait 2 * 120 s");
    is_int(s->seed, 1, "seed default 1");
    is_int(s->duration_us, 3600000000ull, "duration default 1 h");
    ok(s->title.zh == NULL, "string title has no zh");
    is_str(i18n_get(&s->title, "zh"), "t", "zh falls back to en");
    is_str(i18n_get(&s->description, "en"), "", "no description: empty");
    ok(s->description.en == NULL, "description en NULL");
    is_int(s->net.routers, 2, "routers default");
    for (int d = 0; d < 2; d++) {
        is_int(s->net.dir[d].delay_us, 50000, "delay default 50 ms");
        is_int(s->net.dir[d].jitter_us, 0, "jitter default");
        ok(s->net.dir[d].loss == 0 && s->net.dir[d].dup == 0, "no loss/dup");
    }
    ok(s->net.nrules == 0 && s->net.rules == NULL, "no rules");
    is_int(s->client.port, 0, "client port ephemeral");
    is_int(s->server.port, 80, "server port 80");
    is_int(s->client.linger, -1, "linger off");
    ok(s->client.autoread && s->server.autoread, "autoread on");
    is_int(s->client.count, 1, "client count 1");
    is_int(s->client.every_us, 0, "client every 0");
    is_int(s->client.hosts, 1, "client hosts 1");
    ok(s->client.nsteps == 0 && s->server.nsteps == 0, "no scripts");
    ok(s->nnotes == 0, "no notes");
    scenario_free(s);
}

static void
test_profiles(void)
{
    struct synfin_err err;
    struct scenario *s;

    s = load_str("{\"title\": \"t\", \"profile\": \"linux\"}", NULL, 0, &err);
    if (ok(s != NULL, "linux profile loads")) {
        is_int(s->tcp.profile, PROFILE_LINUX, "linux");
        is_int(s->tcp.time_wait_us, 60000000, "linux time_wait 60 s");
        is_int(s->tcp.rto_min_us, 200000, "linux rto_min 200 ms");
        is_int(s->tcp.fin_timeout_us, 60000000, "linux fin_timeout");
        is_int(s->tcp.delack_us, 40000, "linux delack");
        is_int(s->tcp.orphan_retries, 8, "linux orphan_retries");
        ok(!s->tcp.rfc1337, "linux rfc1337 off");
        scenario_free(s);
    }
    s = load_str("{\"title\": \"t\", \"profile\": \"linux\","
                 " \"tcp\": {\"msl_ms\": 500}}",
                 NULL, 0, &err);
    if (ok(s != NULL, "linux with msl")) {
        is_int(s->tcp.msl_us, 500000, "linux msl set");
        is_int(s->tcp.time_wait_us, 60000000, "linux time_wait ignores msl");
        scenario_free(s);
    }
    s = load_str("{\"title\": \"t\", \"tcp\": {\"msl_ms\": 500}}", NULL, 0,
                 &err);
    if (ok(s != NULL, "rfc with msl")) {
        is_int(s->tcp.time_wait_us, 1000000, "rfc time_wait follows msl");
        scenario_free(s);
    }
    s = load_str("{\"title\": \"t\", \"tcp\": {\"msl_ms\": 500,"
                 " \"time_wait_ms\": 300}}",
                 NULL, 0, &err);
    if (ok(s != NULL, "rfc with msl and time_wait")) {
        is_int(s->tcp.time_wait_us, 300000, "rfc time_wait given wins");
        scenario_free(s);
    }
    s = load_str("{\"title\": \"t\", \"profile\": \"linux\","
                 " \"tcp\": {\"time_wait_ms\": 1.5, \"rto_min_ms\": 0.2,"
                 " \"rto_initial_ms\": 0.2, \"rto_max_ms\": 0.2}}",
                 NULL, 0, &err);
    if (ok(s != NULL, "rto_min = rto_initial = rto_max is allowed")) {
        is_int(s->tcp.time_wait_us, 1500, "linux time_wait given");
        is_int(s->tcp.rto_initial_us, 200, "0.2 ms");
        scenario_free(s);
    }
    s = load_str("{\"title\": \"t\", \"seed\": 9007199254740991,"
                 " \"duration_ms\": 0.001}",
                 NULL, 0, &err);
    if (ok(s != NULL, "largest seed, 1 us duration")) {
        ok(s->seed == 9007199254740991ull, "seed 2^53 - 1");
        is_int(s->duration_us, 1, "duration 1 us");
        scenario_free(s);
    }
    s = load_str("\xef\xbb\xbf{\"title\": {\"en\": \"\\u00e9\\ud83d\\ude00\"}}",
                 NULL, 0, &err);
    if (ok(s != NULL, "byte order mark and escapes")) {
        is_str(s->title.en, "é😀", "escapes decoded");
        scenario_free(s);
    }
}

/* Load full_json with overrides and expect an error. */
static void
expect_set_err(const char *const *ovr, size_t n, const char *want,
               const char *name)
{
    struct synfin_err err;
    struct scenario *s = load_str(full_json, ovr, n, &err);
    char buf[1024];

    if (!ok(s == NULL, "%s: fails", name)) {
        scenario_free(s);
        return;
    }
    is_str(synfin_err_str(&err, buf, sizeof buf), want, "%s: message", name);
}

static void
test_overrides(void)
{
    struct synfin_err err;
    struct scenario *s;
    const char *set1[] = {
        "network.loss=0.5",
        "tcp.msl_ms=100",
        "network.client_to_server.delay_ms=7",
        "title=Hello, world",
        "description={\"en\": \"E\", \"zh\": \"Z\"}",
        "client.script[1].bytes=77",
        "server.port=81",
        "server.port=82",
        "client.script[4]={\"at_ms\": 1, \"call\": \"recv\", \"bytes\": 3}",
        "notes[0].text=\"42\"",
        "network.rules[0].label=",
        "profile=linux",
    };
    const char *set2[] = {"tcp.ttl=7", "network.delay_ms=1",
                          "network.server_to_client.jitter_ms=2",
                          "client.linger=5"};

    s = load_str(full_json, set1, sizeof set1 / sizeof set1[0], &err);
    if (ok(s != NULL, "overrides apply")) {
        ok(s->net.dir[SIDE_CLIENT].loss == 0.5, "plain number");
        is_int(s->tcp.msl_us, 100000, "into an existing object");
        is_int(s->tcp.time_wait_us, 60000000, "profile linux via --set");
        is_int(s->net.dir[SIDE_CLIENT].delay_us, 7000, "created an object");
        is_int(s->net.dir[SIDE_SERVER].delay_us, 80000, "other dir kept");
        is_str(s->title.en, "Hello, world", "non-JSON value is a string");
        is_str(s->description.zh, "Z", "JSON object value");
        is_int(s->client.steps[1].bytes, 77, "array element member");
        is_int(s->server.port, 82, "the last --set wins");
        is_int(s->client.steps[4].call, CALL_RECV, "replaced array element");
        is_int(s->client.steps[4].bytes, 3, "replaced element bytes");
        is_str(s->notes[0].text.en, "42", "quoted JSON string stays string");
        is_str(s->net.rules[0].label, "", "empty value is empty string");
        scenario_free(s);
    }
    s = load_str("{\"title\": \"t\"}", set2, sizeof set2 / sizeof set2[0],
                 &err);
    if (ok(s != NULL, "overrides create tcp, network, client")) {
        is_int(s->tcp.ttl, 7, "tcp created");
        is_int(s->net.dir[SIDE_CLIENT].delay_us, 1000, "network created");
        is_int(s->net.dir[SIDE_SERVER].jitter_us, 2000, "nested created");
        is_int(s->client.linger, 5, "client created");
        scenario_free(s);
    } else {
        printf("#   %s: %s\n", err.where, err.msg);
    }
    {
        const char *o[] = {"title.zh=x"};
        s = load_str("{\"title\": {\"en\": \"a\"}}", o, 1, &err);
        ok(s && strcmp(s->title.zh, "x") == 0, "set a member of an object");
        scenario_free(s);
    }

    /* Errors in the override itself. */
    {
        const char *o[] = {"network.loss"};
        expect_set_err(
            o, 1,
            "synfin: --set: missing '=' in \"network.loss\" (expected "
            "--set KEY=VALUE)",
            "no '='");
    }
    {
        const char *o[] = {"=3"};
        expect_set_err(
            o, 1,
            "synfin: --set: empty key in \"=3\" (expected --set KEY=VALUE)",
            "empty key");
    }
    {
        static const char *const bad[] = {
            "a..b", ".a",    "a.",  "a[x]", "a[]",
            "a[1",  "a[1]b", "[0]", "a]",   "a[1234567890]"};
        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            char arg[64], want[256];
            const char *o[1] = {arg};
            snprintf(arg, sizeof arg, "%s=1", bad[i]);
            snprintf(
                want, sizeof want,
                "synfin: --set %s: bad key (expected names separated by '.', "
                "each optionally followed by [N], as in "
                "client.script[0].at_ms)",
                bad[i]);
            expect_set_err(o, 1, want, bad[i]);
        }
    }
    {
        const char *o[] = {"description.en=x"};
        expect_set_err(
            o, 1,
            "synfin: --set description.en: description: is a string, not "
            "an object",
            "into a string");
    }
    {
        const char *o[] = {"network[0]=x"};
        expect_set_err(
            o, 1,
            "synfin: --set network[0]: network: is an object, not an array",
            "index into an object");
    }
    {
        const char *o[] = {"client.script[6].at_ms=1"};
        expect_set_err(
            o, 1,
            "synfin: --set client.script[6].at_ms: client.script[6]: index "
            "out of range (the array has 6 elements)",
            "index out of range");
    }
    {
        const char *o[] = {"notes[0].when.x[0]=1"};
        expect_set_err(
            o, 1,
            "synfin: --set notes[0].when.x[0]: notes[0].when.x: does not "
            "exist (--set creates missing objects, not arrays)",
            "no array to index");
    }
    {
        const char *o[] = {"title=\xff"};
        expect_set_err(o, 1,
                       "synfin: --set title: the value is not valid UTF-8",
                       "value not UTF-8");
    }

    /* Validation errors in values that came from --set. */
    {
        const char *o[] = {"network.loss=1.5"};
        expect_set_err(o, 1,
                       "synfin: --set network.loss: expected a number "
                       "in [0, 1], got 1.5",
                       "bad value");
    }
    {
        const char *o[] = {"profile=bsd"};
        expect_set_err(o, 1,
                       "synfin: --set profile: unknown profile \"bsd\" "
                       "(expected one of: rfc, linux)",
                       "bad profile");
    }
    {
        const char *o[] = {"seed=\"5\""};
        expect_set_err(o, 1,
                       "synfin: --set seed: expected an integer in [0, "
                       "9007199254740991], got the string \"5\"",
                       "JSON string where a number is wanted");
    }
    {
        const char *o[] = {"seed=five"};
        expect_set_err(o, 1,
                       "synfin: --set seed: expected an integer in [0, "
                       "9007199254740991], got the string \"five\"",
                       "plain string where a number is wanted");
    }
    {
        const char *o[] = {"server={\"port\": 80, \"count\": 2}"};
        expect_set_err(
            o, 1,
            "synfin: --set server: server.count: only allowed in \"client\"",
            "error inside an object from --set");
    }
    {
        const char *o[] = {"client.script[0]={\"at_ms\": 1}"};
        expect_set_err(o, 1,
                       "synfin: --set client.script[0]: client.script[0].call: "
                       "missing required key",
                       "missing key in an object from --set");
    }
    {
        const char *o[] = {"tcp.rto_max_ms=100"};
        expect_set_err(o, 1,
                       "t/full.json:7:50: tcp.rto_initial_ms: 1500 is above "
                       "rto_max_ms (100)",
                       "a file value blamed after --set changes another");
    }
    {
        const char *o[] = {"tcp.rto_initial_ms=100"};
        expect_set_err(o, 1,
                       "synfin: --set tcp.rto_initial_ms: 100 is "
                       "below rto_min_ms (1000)",
                       "the --set value is blamed");
    }
    {
        const char *o[] = {"network={\"loss\": 2}", "network.dup=0.5"};
        expect_set_err(
            o, 2,
            "synfin: --set network: network.loss: expected a number in "
            "[0, 1], got 2",
            "an inner value from an earlier --set");
    }
    {
        const char *o[] = {"network.loss=2", "network.loss=0.5",
                           "network.dup=3"};
        expect_set_err(o, 3,
                       "synfin: --set network.dup: expected a number in "
                       "[0, 1], got 3",
                       "replaced --set values are forgotten");
    }
    {
        const char *o[] = {"network.loss=0.5"};
        s = load_str("{\"title\": \"t\", \"network\": {\"loss\": 1, \"loss\": "
                     "2}}",
                     o, 1, &err);
        ok(s == NULL, "duplicate key still found after --set");
        is_str(err.where, "t/full.json:1:39", "duplicate key position");
        is_str(err.msg, "network.loss: duplicate key", "duplicate key msg");
        scenario_free(s);
    }
    {
        const char *o[] = {"client.script[1].call=conect"};
        expect_set_err(o, 1,
                       "synfin: --set client.script[1].call: "
                       "unknown call \"conect\" (expected one of: listen, "
                       "bind, connect, send, recv, shutdown, close, "
                       "setsockopt, crash)",
                       "unknown call via --set");
    }
    {
        const char *o[] = {"client.script[1].call=close"};
        expect_set_err(o, 1,
                       "t/full.json:31:8: client.script[1].bytes: not an "
                       "argument of \"close\" (close takes: socket)",
                       "changing the call makes a file key wrong");
    }
}

/* Compare every field of two scenarios; strings by content. */
static int
str_eq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

static int
i18n_eq(const struct i18n *a, const struct i18n *b)
{
    return str_eq(a->en, b->en) && str_eq(a->zh, b->zh);
}

static int
endpoint_eq(const struct endpoint_cfg *a, const struct endpoint_cfg *b)
{
    if (a->port != b->port || a->has_isn != b->has_isn || a->isn != b->isn ||
        a->ttl != b->ttl || a->reuseaddr != b->reuseaddr ||
        a->keepalive != b->keepalive || a->cork != b->cork ||
        a->linger != b->linger || a->autoread != b->autoread ||
        a->count != b->count || a->every_us != b->every_us ||
        a->hosts != b->hosts || a->nsteps != b->nsteps)
        return 0;
    return a->nsteps == 0 ||
           memcmp(a->steps, b->steps, a->nsteps * sizeof *a->steps) == 0;
}

static int
scenario_eq(const struct scenario *a, const struct scenario *b)
{
    if (!str_eq(a->path, b->path) || !str_eq(a->name, b->name) ||
        !i18n_eq(&a->title, &b->title) ||
        !i18n_eq(&a->description, &b->description) || a->seed != b->seed ||
        a->duration_us != b->duration_us ||
        memcmp(&a->tcp, &b->tcp, sizeof a->tcp) != 0 ||
        a->net.routers != b->net.routers ||
        memcmp(a->net.dir, b->net.dir, sizeof a->net.dir) != 0 ||
        a->net.nrules != b->net.nrules || a->nnotes != b->nnotes ||
        !endpoint_eq(&a->client, &b->client) ||
        !endpoint_eq(&a->server, &b->server))
        return 0;
    for (size_t i = 0; i < a->net.nrules; i++) {
        struct net_rule ra = a->net.rules[i], rb = b->net.rules[i];
        if (!str_eq(ra.label, rb.label))
            return 0;
        ra.label = rb.label = NULL;
        if (memcmp(&ra, &rb, sizeof ra) != 0)
            return 0;
    }
    for (size_t i = 0; i < a->nnotes; i++)
        if (memcmp(&a->notes[i].when, &b->notes[i].when,
                   sizeof a->notes[i].when) != 0 ||
            !i18n_eq(&a->notes[i].text, &b->notes[i].text))
            return 0;
    return 1;
}

static void
test_clone(void)
{
    struct synfin_err err;
    struct scenario *s = load_str(full_json, NULL, 0, &err), *c;
    struct net_rule r = {0};
    char label[16] = "added";

    if (!ok(s != NULL, "load for clone"))
        return;
    c = scenario_clone(s);
    ok(scenario_eq(s, c), "clone equals the original");
    ok(c->title.en != s->title.en && c->net.rules != s->net.rules &&
           c->net.rules[0].label != s->net.rules[0].label &&
           c->client.steps != s->client.steps && c->notes != s->notes &&
           c->notes[1].text.zh != s->notes[1].text.zh,
       "clone shares no memory");
    c->net.rules[0].label[0] = 'X';
    c->client.steps[0].port = 1;
    c->notes[0].text.en[0] = 'X';
    c->title.en[0] = 'X';
    ok(!scenario_eq(s, c), "changing the clone makes them differ");
    is_str(s->net.rules[0].label, "first SYN lost", "original label intact");
    is_int(s->client.steps[0].port, 8080, "original step intact");
    is_str(s->notes[0].text.en, "Watch the SYN.", "original note intact");
    is_str(s->title.en, "Three-way handshake", "original title intact");

    r.from = SIDE_SERVER;
    r.flags_all = TCP_FIN;
    r.data = -1;
    r.state = -1;
    r.nth = 1;
    r.count = 1;
    r.probability = 1;
    r.action = RULE_DROP;
    r.label = label;
    scenario_add_rule(c, &r);
    label[0] = 'Z';
    is_int(c->net.nrules, 3, "add_rule appends");
    is_int(s->net.nrules, 2, "original keeps its rules");
    is_str(c->net.rules[2].label, "added", "label is copied");
    is_int(c->net.rules[2].flags_all, TCP_FIN, "rule fields copied");
    r.label = NULL;
    scenario_add_rule(c, &r);
    ok(c->net.rules[3].label == NULL, "NULL label stays NULL");
    scenario_free(c);
    scenario_free(s);

    s = load_str("{\"title\": \"t\"}", NULL, 0, &err);
    c = scenario_clone(s);
    ok(scenario_eq(s, c), "clone of a minimal scenario");
    scenario_add_rule(c, &r);
    is_int(c->net.nrules, 1, "add_rule to no rules");
    scenario_free(c);
    scenario_free(s);
    scenario_free(NULL);
    ok(1, "scenario_free(NULL) is fine");
}

static void
locate_is(const char *text, const struct json_path_seg *path, size_t depth,
          size_t want_line, size_t want_col, size_t want_kline,
          size_t want_kcol, const char *name)
{
    size_t v, k, line, col, kline, kcol;
    size_t len = strlen(text);

    if (!ok(json_locate(text, len, path, depth, &v, &k), "%s: found", name))
        return;
    json_locate_linecol(text, len, v, &line, &col);
    json_locate_linecol(text, len, k, &kline, &kcol);
    ok(line == want_line && col == want_col && kline == want_kline &&
           kcol == want_kcol,
       "%s: value %zu:%zu key %zu:%zu", name, line, col, kline, kcol);
}

static void
test_locate(void)
{
    const char *t1 =
        "{\"a\\\"}\": {\"x\": 1}, \"b\": [[1, [2, \"]\"]], {\"c\": "
        "\"\\\\\"}, 3]}";
    const char *t2 = "{\n\t\"é\": \"ü\",\n  \"k\": {\"ключ\": [10, 20]},\n"
                     "  \"k\": true}";
    const struct json_path_seg p_b2[] = {{"b", 0}, {NULL, 2}};
    const struct json_path_seg p_b1c[] = {{"b", 0}, {NULL, 1}, {"c", 0}};
    const struct json_path_seg p_b012[] = {
        {"b", 0}, {NULL, 0}, {NULL, 1}, {NULL, 1}};
    const struct json_path_seg p_esc[] = {{"a\"}", 0}, {"x", 0}};
    const struct json_path_seg p_idx[] = {{NULL, 1}, {NULL, 1}};
    const struct json_path_seg p_uni[] = {{"k", 0}, {"ключ", 0}, {NULL, 1}};
    const struct json_path_seg p_dup[] = {{"k", 1}};
    const struct json_path_seg p_e[] = {{"é", 0}};
    const struct json_path_seg p_none[] = {{"zz", 0}};
    const struct json_path_seg p_deep[] = {{"k", 0}, {"ключ", 0}, {NULL, 2}};
    const struct json_path_seg p_notarr[] = {{"k", 1}, {NULL, 0}};
    const struct json_path_seg p_keyarr[] = {{"b", 0}, {"x", 0}};
    size_t v, k, line, col;

    locate_is(t1, NULL, 0, 1, 1, 1, 1, "root");
    locate_is(t1, p_esc, 2, 1, 16, 1, 11, "key with escaped quote");
    locate_is(t1, p_b2, 2, 1, 54, 1, 54, "array element after nested");
    locate_is(t1, p_b1c, 3, 1, 47, 1, 42, "object in array");
    locate_is(t1, p_b012, 4, 1, 34, 1, 34, "nested arrays, \"]\" in string");
    locate_is(t1, p_idx, 2, 1, 41, 1, 41, "member by index");
    locate_is(t2, p_e, 1, 2, 7, 2, 2, "tab and é are one column each");
    locate_is(t2, p_uni, 3, 3, 22, 3, 22, "cyrillic key, columns in chars");
    locate_is(t2, p_dup, 1, 4, 8, 4, 3, "second of a duplicate key");
    ok(!json_locate(t2, strlen(t2), p_none, 1, &v, &k), "missing key");
    ok(!json_locate(t2, strlen(t2), p_deep, 3, &v, &k), "index past end");
    ok(!json_locate(t2, strlen(t2), p_notarr, 2, &v, &k), "index a scalar");
    ok(!json_locate(t1, strlen(t1), p_keyarr, 2, &v, &k), "key in an array");
    json_locate_linecol(t2, strlen(t2), strlen(t2), &line, &col);
    ok(line == 4 && col == 13, "end of text is 4:13 (%zu:%zu)", line, col);
    json_locate_linecol("\xef\xbb\xbf{}", 5, 3, &line, &col);
    ok(line == 1 && col == 1, "byte order mark is not a column");
}

static void
test_files(void)
{
    struct synfin_err err;
    struct scenario *s;
    char path[] = "/tmp/synfin-scn-XXXXXX";
    char fpath[64], buf[1024];
    int fd = mkstemp(path);
    FILE *f;
    char *big;

    if (!ok(fd >= 0, "temp file"))
        return;
    f = fdopen(fd, "wb");
    fputs("{\"title\": \"from a file\"}\n", f);
    fclose(f);
    snprintf(fpath, sizeof fpath, "%s.json", path);
    ok(rename(path, fpath) == 0, "rename to .json");
    s = scenario_load(fpath, NULL, 0, &err);
    if (ok(s != NULL, "load a file")) {
        is_str(s->path, fpath, "path copied");
        is_str(s->name, strrchr(path, '/') + 1, "name");
        is_str(s->title.en, "from a file", "title");
        scenario_free(s);
    }
    unlink(fpath);

    s = scenario_load("/nonexistent/x.json", NULL, 0, &err);
    ok(s == NULL, "missing file fails");
    is_str(synfin_err_str(&err, buf, sizeof buf),
           "/nonexistent/x.json: No such file or directory", "strerror");
    s = scenario_load("/tmp", NULL, 0, &err);
    ok(s == NULL, "a directory fails");
    is_str(err.where, "/tmp", "directory: where is the path");
    is_str(err.msg, "Is a directory", "directory: strerror");

    big = malloc((4u << 20) + 2);
    if (big) {
        memset(big, ' ', (4u << 20) + 2);
        memcpy(big, "{\"title\": \"t\"}", 14);
        s = scenario_load_buffer("big.json", big, 4u << 20, NULL, 0, &err);
        ok(s != NULL, "exactly 4 MiB loads");
        scenario_free(s);
        s = scenario_load_buffer("big.json", big, (4u << 20) + 1, NULL, 0,
                                 &err);
        ok(s == NULL, "4 MiB + 1 fails");
        is_str(synfin_err_str(&err, buf, sizeof buf),
               "big.json: file too large (the limit is 4 MiB)", "too large");
        free(big);
    }
    s = scenario_load_buffer("nul.json", "{\"title\": \"a\0b\"}", 16, NULL, 0,
                             &err);
    ok(s == NULL, "NUL in a buffer");
    is_str(synfin_err_str(&err, buf, sizeof buf),
           "nul.json:1:13: NUL byte in the file (a scenario is UTF-8 text)",
           "NUL message");
    s = scenario_load_buffer(NULL, "", 0, NULL, 0, &err);
    ok(s == NULL, "empty buffer without a name");
    is_str(synfin_err_str(&err, buf, sizeof buf),
           "<buffer>:1:1: empty file (expected a JSON object)", "empty");

    memset(&err, 0, sizeof err);
    snprintf(err.msg, sizeof err.msg, "only a message");
    is_str(synfin_err_str(&err, buf, sizeof buf), "only a message",
           "err_str without where");
    snprintf(err.where, sizeof err.where, "w");
    synfin_err_str(&err, buf, 5);
    is_str(buf, "w: o", "err_str truncates");
}

/* The complete example in docs/scenario-format.md must load. */
static void
test_doc_example(void)
{
    const char *srcdir = getenv("SRCDIR");
    char path[1024], *text, *start, *end;
    struct synfin_err err;
    struct scenario *s;
    size_t len;
    FILE *f;

    snprintf(path, sizeof path, "%s/docs/scenario-format.md",
             srcdir ? srcdir : ".");
    f = fopen(path, "rb");
    if (!ok(f != NULL, "open %s", path))
        return;
    text = calloc(1, 256 * 1024);
    if (!text)
        abort();
    len = fread(text, 1, 256 * 1024 - 1, f);
    text[len] = '\0';
    fclose(f);
    start = strstr(text, "```json\n");
    end = start ? strstr(start + 8, "\n```") : NULL;
    if (ok(start && end, "the doc has a json example")) {
        start += 8;
        s = scenario_load_buffer("example.json", start,
                                 (size_t)(end - start) + 1, NULL, 0, &err);
        if (!ok(s != NULL, "the doc example loads"))
            printf("#   %s: %s\n", err.where, err.msg);
        if (s) {
            is_int(s->net.nrules, 2, "example rules");
            is_int(s->tcp.time_wait_us, 4000000, "example time_wait");
            is_int(s->nnotes, 4, "example notes");
        }
        scenario_free(s);
    }
    free(text);
}

int
main(void)
{
    test_full();
    test_defaults();
    test_profiles();
    test_overrides();
    test_clone();
    test_locate();
    test_files();
    test_doc_example();
    return done_testing();
}
