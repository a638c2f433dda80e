/* Quiz answers come from the run: change the run and they change. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "synfin/quiz.h"
#include "synfin/world.h"
#include "tap.h"

static struct scenario *
load(const char *const *sets, size_t nsets)
{
    char path[4096];
    struct synfin_err err;
    struct scenario *s;

    snprintf(path, sizeof path, "%s/scenarios/four-way-close.json",
             getenv("SRCDIR") ? getenv("SRCDIR") : ".");
    s = scenario_load(path, sets, nsets, &err);
    if (!s) {
        char msg[1024];
        printf("# %s\n", synfin_err_str(&err, msg, sizeof msg));
        exit(1);
    }
    return s;
}

/* The answer to the question with this ask (and side, -1 for any). */
static const struct quiz_item *
find(const struct quiz_item *it, size_t n, enum quiz_ask ask, int side)
{
    for (size_t i = 0; i < n; i++)
        if (it[i].q->ask == ask && (side < 0 || it[i].q->side == side))
            return &it[i];
    return NULL;
}

static void
check(const char *name, const char *const *sets, size_t nsets, int segs,
      int server_state, int ack, int tw_sides)
{
    struct scenario *s = load(sets, nsets);
    struct trace t;
    struct quiz_item items[16];
    const struct quiz_item *it;
    size_t n;

    trace_init(&t);
    world_run(s, &t, NULL);
    n = quiz_prepare(s, &t, items);
    is_int(n, s->nquiz, "%s: every question is placed", name);
    for (size_t i = 1; i < n; i++)
        ok(items[i - 1].at <= items[i].at, "%s: questions in trace order",
           name);
    it = find(items, n, QUIZ_CLOSE_SEGMENTS, -1);
    ok(it && it->known, "%s: close_segments answered", name);
    if (it)
        is_int(it->answer.v, segs, "%s: the close takes %d segments", name,
               segs);
    it = find(items, n, QUIZ_STATE, SIDE_SERVER);
    if (ok(it != NULL, "%s: state question", name))
        is_int(it->answer.v, server_state, "%s: server state after the FIN",
               name);
    it = find(items, n, QUIZ_NEXT_ACK, SIDE_SERVER);
    if (ok(it != NULL, "%s: ack question", name))
        is_int(it->answer.v, ack, "%s: relative ack of the FIN", name);
    it = find(items, n, QUIZ_TIME_WAIT, -1);
    if (ok(it != NULL, "%s: TIME-WAIT question", name))
        is_int(it->answer.v, tw_sides, "%s: who enters TIME-WAIT", name);
    trace_free(&t);
    scenario_free(s);
}

static void
test_choices_and_parse(void)
{
    struct scenario *s = load(NULL, 0);
    struct trace t;
    struct quiz_item items[16];
    struct quiz_value c[4], v;
    size_t n;
    int nc, found = 0;

    trace_init(&t);
    world_run(s, &t, NULL);
    n = quiz_prepare(s, &t, items);
    for (size_t i = 0; i < n; i++) {
        nc = quiz_choices(&items[i], c, 4);
        if (items[i].answer.kind == QV_NUMBER) {
            is_int(nc, 0, "numbers are typed, not chosen");
            continue;
        }
        is_int(nc, 4, "four choices");
        found = 0;
        for (int k = 0; k < nc; k++)
            found += quiz_equal(&c[k], &items[i].answer);
        is_int(found, 1, "the answer is among the choices exactly once");
        for (int k = 0; k < nc; k++) {
            ok(quiz_parse(&items[i], (const char[]){(char)('1' + k), 0}, c, nc,
                          &v) &&
                   quiz_equal(&v, &c[k]),
               "choice %d reads back", k + 1);
        }
        ok(!quiz_parse(&items[i], "9", c, nc, &v), "out-of-range choice");
        ok(!quiz_parse(&items[i], "banana", c, nc, &v), "nonsense refused");
    }
    for (size_t i = 0; i < n; i++) {
        if (items[i].answer.kind == QV_STATE) {
            ok(quiz_parse(&items[i], " close_wait\n", c, 0, &v) &&
                   v.v == TCP_CLOSE_WAIT,
               "states read in any spelling");
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (items[i].answer.kind == QV_FLAGS) {
            ok(quiz_parse(&items[i], "fin+ack", c, 0, &v) &&
                   v.v == (TCP_FIN | TCP_ACK),
               "flags read in any spelling");
            break;
        }
    }
    trace_free(&t);
    scenario_free(s);
}

/* Every shipped question is asked, answered by its run, and bilingual. */
static void
test_shipped(void)
{
    const char *src = getenv("SRCDIR") ? getenv("SRCDIR") : ".";
    char dir[4096], path[4352];
    struct dirent *d;
    DIR *dp;
    int with_quiz = 0;

    snprintf(dir, sizeof dir, "%s/scenarios", src);
    if (!ok((dp = opendir(dir)) != NULL, "the scenarios directory opens"))
        return;
    while ((d = readdir(dp))) {
        struct synfin_err err;
        struct scenario *s;
        struct quiz_item *items;
        struct trace t;
        size_t n, known = 0, len = strlen(d->d_name);

        if (len < 6 || strcmp(d->d_name + len - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, d->d_name);
        if (!(s = scenario_load(path, NULL, 0, &err)) || s->nquiz == 0) {
            scenario_free(s);
            continue;
        }
        with_quiz++;
        items = calloc(s->nquiz, sizeof *items);
        trace_init(&t);
        world_run(s, &t, NULL);
        n = quiz_prepare(s, &t, items);
        for (size_t i = 0; i < n; i++)
            known += items[i].known;
        is_int(n, s->nquiz, "%s: every question is asked", d->d_name);
        is_int(known, s->nquiz, "%s: the run answers every question",
               d->d_name);
        for (size_t i = 0; i < s->nquiz; i++) {
            bool zh = s->quiz[i].question.zh && s->quiz[i].explain.zh;
            for (int k = 0; k < s->quiz[i].nchoices; k++)
                zh = zh && s->quiz[i].choices[k].zh;
            ok(zh, "%s: question %zu in Chinese too", d->d_name, i + 1);
        }
        trace_free(&t);
        free(items);
        scenario_free(s);
    }
    closedir(dp);
    ok(with_quiz >= 6, "%d scenarios have quiz questions (at least six)",
       with_quiz);
}

/* The explanation of the first question with this ask (and side), in lang,
 * from a run of NAME with the overrides. */
static const char *
explained(const char *name, const char *set, enum quiz_ask ask, int side,
          const char *lang)
{
    static char buf[4096];
    char path[4096];
    const char *sets[] = {set};
    struct synfin_err err;
    struct scenario *s;
    struct trace t;
    struct quiz_item items[16];
    const struct quiz_item *it;
    size_t n;

    snprintf(path, sizeof path, "%s/scenarios/%s.json",
             getenv("SRCDIR") ? getenv("SRCDIR") : ".", name);
    if (!(s = scenario_load(path, sets, set ? 1 : 0, &err)))
        return "";
    trace_init(&t);
    world_run(s, &t, NULL);
    n = quiz_prepare(s, &t, items);
    it = find(items, n, ask, side);
    buf[0] = '\0';
    if (it)
        quiz_explain(s, &t, it, lang, buf, sizeof buf);
    trace_free(&t);
    scenario_free(s);
    return buf;
}

#define has(text, want, ...) ok(strstr((text), (want)) != NULL, __VA_ARGS__)

/* Explanations computed from the run name its own segments, numbers,
 * states and times, and change when the run does. */
static void
test_explain(void)
{
    const char *e;

    e = explained("four-way-close", NULL, QUIZ_CLOSE_SEGMENTS, -1, "en");
    has(e,
        "4 segments in this run: client FIN (seq=101), server ACK "
        "(ack=102), server FIN (seq=201), client ACK (ack=202).",
        "four-way-close: the close's segments, with their numbers");
    has(e,
        "left at 0.860 s, when its delayed-ACK timer fired, before it "
        "sent its own FIN at 1.160 s",
        "and why the ACK went alone");
    e = explained("three-segment-close", NULL, QUIZ_CLOSE_SEGMENTS, -1, "en");
    has(e,
        "3 segments in this run: client FIN (seq=101), server FIN (seq=201, "
        "with the ACK of the client's FIN: ack=102), client ACK (ack=202).",
        "three-segment-close: three, the ACK on the FIN");
    has(e, "(its delayed ACK was due at 0.860 s), so the ACK rode on the FIN",
        "and why it rode there");
    e = explained("three-segment-close", "tcp.delack_ms=0", QUIZ_CLOSE_SEGMENTS,
                  -1, "en");
    has(e, "4 segments in this run", "delayed ACK off: four");
    has(e, "server ACK (ack=102), server FIN (seq=201)",
        "the ACK alone, and the FIN no longer claims to carry it");
    e = explained("three-segment-close", "tcp.delack_ms=0", QUIZ_STATE,
                  SIDE_CLIENT, "en");
    has(e, "TIME-WAIT, since 0.760 s: the server's FIN arrived",
        "delayed ACK off: the state, when and why");
    has(e, "went from FIN-WAIT-2 to TIME-WAIT", "from FIN-WAIT-2");
    e = explained("three-segment-close", NULL, QUIZ_STATE, SIDE_CLIENT, "en");
    has(e, "went from FIN-WAIT-1 straight to TIME-WAIT",
        "as shipped: straight from FIN-WAIT-1");
    e = explained("three-segment-close", NULL, QUIZ_STATE, SIDE_CLIENT, "zh");
    has(e, "客户端从 FIN-WAIT-1 直接进入 TIME-WAIT", "in Chinese");
    e = explained("four-way-close", NULL, QUIZ_NEXT_ACK, SIDE_SERVER, "en");
    has(e, "102: at 0.860 s, when the server's delayed-ACK timer fired",
        "next_ack: the number first, then when and why");
    has(e,
        "the SYN took 0, 100 data bytes took 1 to 100, and the FIN took "
        "101",
        "and how it is made up");
    e = explained("four-way-close", "client.script[1].bytes=300", QUIZ_NEXT_ACK,
                  SIDE_SERVER, "zh");
    has(e, "302：", "300 bytes: the ack moves (Chinese)");
    has(e, "300 字节数据占用 1 到 300，FIN 占用 301", "and its make-up");
    e = explained("four-way-close", NULL, QUIZ_NEXT_STATE, SIDE_CLIENT, "en");
    has(e,
        "CLOSED, at 5.210 s: the client's TIME-WAIT timer ran out after "
        "4.000 s (2 × MSL)",
        "next_state: the 2MSL timer");
    e = explained("four-way-close", "tcp.msl_ms=500", QUIZ_NEXT_STATE,
                  SIDE_CLIENT, "en");
    has(e, "after 1.000 s (2 × MSL)", "a shorter MSL, a shorter wait");
    e = explained("four-way-close", NULL, QUIZ_TIME_WAIT, -1, "en");
    has(e, "The client. The client closed first (its FIN left at 0.610 s",
        "time_wait: who closed first");
    has(e, "never enters TIME-WAIT: its last change is LAST-ACK -> CLOSED",
        "and what the server does instead");
    e = explained("simultaneous-close", NULL, QUIZ_TIME_WAIT, -1, "zh");
    has(e, "双方都会。", "simultaneous close: both (Chinese)");
    e = explained("lost-final-ack", NULL, QUIZ_NEXT_FLAGS, SIDE_CLIENT, "en");
    has(e, "when the server's retransmitted FIN arrived", "the retransmission");
    has(e, "Its TIME-WAIT timer starts again.", "and 2MSL restarted");
    e = explained("old-duplicate-syn", NULL, QUIZ_NEXT_FLAGS, SIDE_CLIENT,
                  "en");
    has(e, "RST: at 2.100 s, when the server's SYN,ACK arrived",
        "old duplicate: the RST");
    has(e, "It has no connection the segment belongs to", "and why");
    e = explained("handshake", NULL, QUIZ_CHOICE, -1, "en");
    is_str(e, "", "a concept question has no computed explanation");
}

int
main(void)
{
    /* As shipped: four segments, CLOSE-WAIT, ack 102, client waits. */
    check("as shipped", NULL, 0, 4, TCP_CLOSE_WAIT, 102, 1);

    /* The server closes at once: its ACK rides on its FIN. */
    {
        const char *sets[] = {"server.script[2].after_ms=0"};
        check("server closes at once", sets, 1, 3, TCP_LAST_ACK, 102, 1);
    }
    /* More data: the ack moves with it. */
    {
        const char *sets[] = {"client.script[1].bytes=300"};
        check("300 bytes", sets, 1, 4, TCP_CLOSE_WAIT, 302, 1);
    }
    /* Both close at the same moment: both wait. */
    {
        const char *sets[] = {
            "client.script[2]={\"at_ms\": 1000, \"call\": \"close\"}",
            "server.script[2]={\"at_ms\": 1000, \"call\": \"close\"}"};
        check("simultaneous", sets, 2, 4, TCP_CLOSING, 102, 3);
    }
    test_choices_and_parse();
    test_shipped();
    test_explain();
    return done_testing();
}
