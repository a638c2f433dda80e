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
        for (size_t i = 0; i < s->nquiz; i++)
            ok(s->quiz[i].question.zh && s->quiz[i].explain.zh,
               "%s: question %zu in Chinese too", d->d_name, i + 1);
        trace_free(&t);
        free(items);
        scenario_free(s);
    }
    closedir(dp);
    ok(with_quiz >= 6, "%d scenarios have quiz questions (at least six)",
       with_quiz);
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
    return done_testing();
}
