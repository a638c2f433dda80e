/* Quiz answers read from the trace; see include/synfin/quiz.h. */
#include "synfin/quiz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "synfin/trace.h"

enum { FLAG_MASK = TCP_SYN | TCP_FIN | TCP_RST | TCP_ACK };

static bool
is_segment(const struct trace_event *e)
{
    return e->kind == TRACE_SEND && !(e->seg.tags & (SEG_ICMP | SEG_DUP)) &&
           e->side != SIDE_NET;
}

/* The first segment side sends after event at, or NULL. */
static const struct trace_event *
next_send(const struct trace *t, size_t at, int side)
{
    for (size_t i = at + 1; i < t->len; i++)
        if (is_segment(trace_at(t, i)) && trace_at(t, i)->side == side)
            return trace_at(t, i);
    return NULL;
}

static bool
answer(const struct trace *t, size_t at, const struct quiz_question *q,
       struct quiz_value *out)
{
    const struct trace_event *e = trace_at(t, at), *s;
    int64_t n;

    switch (q->ask) {
    case QUIZ_STATE:
        *out = (struct quiz_value){QV_STATE,
                                   trace_state_after_instant(t, at, q->side)};
        return true;
    case QUIZ_NEXT_STATE:
        for (size_t i = at + 1; i < t->len; i++)
            if (trace_at(t, i)->kind == TRACE_STATE &&
                trace_at(t, i)->side == q->side) {
                *out = (struct quiz_value){QV_STATE, trace_at(t, i)->b};
                return true;
            }
        return false;
    case QUIZ_NEXT_FLAGS:
    case QUIZ_NEXT_SEQ:
    case QUIZ_NEXT_ACK:
        if (!(s = next_send(t, at, q->side)))
            return false;
        if (q->ask == QUIZ_NEXT_FLAGS)
            *out = (struct quiz_value){QV_FLAGS, s->seg.flags & FLAG_MASK};
        else if (q->ask == QUIZ_NEXT_SEQ)
            *out = (struct quiz_value){
                QV_NUMBER,
                (uint32_t)(s->seg.seq - trace_view(t, s, q->side).iss)};
        else
            *out = (struct quiz_value){
                QV_NUMBER,
                (uint32_t)(s->seg.ack - trace_view(t, s, q->side).irs)};
        return true;
    case QUIZ_TIME_WAIT:
        *out = (struct quiz_value){QV_SIDES, 0};
        for (size_t i = at + 1; i < t->len; i++)
            if (trace_at(t, i)->kind == TRACE_STATE &&
                trace_at(t, i)->b == TCP_TIME_WAIT &&
                trace_at(t, i)->side <= SIDE_SERVER)
                out->v |= 1 << trace_at(t, i)->side;
        return true;
    case QUIZ_CLOSE_SEGMENTS:
        n = trace_close_segments(t, e->conn);
        *out = (struct quiz_value){QV_NUMBER, n};
        return n >= 0;
    case QUIZ_CHOICE:
        *out = (struct quiz_value){QV_CHOICE, q->answer};
        return q->answer >= 0 && q->answer < q->nchoices;
    case QUIZ__COUNT: break;
    }
    return false;
}

size_t
quiz_prepare(const struct scenario *s, const struct trace *t,
             struct quiz_item *items)
{
    size_t n = 0;

    for (size_t k = 0; k < s->nquiz; k++) {
        const struct quiz_question *q = &s->quiz[k];
        uint32_t hits = 0;

        for (size_t i = 0; i < t->len; i++) {
            if (trace_at(t, i)->kind == TRACE_NOTE ||
                !trace_event_matches(&q->when, trace_at(t, i)) ||
                ++hits != q->when.nth)
                continue;
            items[n].q = q;
            items[n].at = i;
            items[n].known = answer(t, i, q, &items[n].answer);
            items[n].untrue =
                trace_claims_check(t, i, &q->holds, s->tcp.msl_us);
            n++;
            break;
        }
    }
    /* In the order they come up (insertion sort: quizzes are short). */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && items[j - 1].at > items[j].at; j--) {
            struct quiz_item tmp = items[j];
            items[j] = items[j - 1];
            items[j - 1] = tmp;
        }
    return n;
}

/*
 * Wrong answers a student is likely to give, for each state: its
 * neighbours in the diagram and the states people mix it up with.
 */
static const uint8_t confusable[TCP__STATE_COUNT][3] = {
    [TCP_CLOSED] = {TCP_TIME_WAIT, TCP_LISTEN, TCP_LAST_ACK},
    [TCP_LISTEN] = {TCP_CLOSED, TCP_SYN_RECEIVED, TCP_SYN_SENT},
    [TCP_SYN_SENT] = {TCP_SYN_RECEIVED, TCP_ESTABLISHED, TCP_LISTEN},
    [TCP_SYN_RECEIVED] = {TCP_SYN_SENT, TCP_ESTABLISHED, TCP_LISTEN},
    [TCP_ESTABLISHED] = {TCP_SYN_RECEIVED, TCP_CLOSE_WAIT, TCP_FIN_WAIT_1},
    [TCP_FIN_WAIT_1] = {TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING},
    [TCP_FIN_WAIT_2] = {TCP_FIN_WAIT_1, TCP_CLOSE_WAIT, TCP_TIME_WAIT},
    [TCP_CLOSE_WAIT] = {TCP_FIN_WAIT_2, TCP_LAST_ACK, TCP_TIME_WAIT},
    [TCP_CLOSING] = {TCP_FIN_WAIT_2, TCP_TIME_WAIT, TCP_LAST_ACK},
    [TCP_LAST_ACK] = {TCP_CLOSE_WAIT, TCP_TIME_WAIT, TCP_CLOSED},
    [TCP_TIME_WAIT] = {TCP_CLOSED, TCP_FIN_WAIT_2, TCP_LAST_ACK},
};

static const uint8_t flag_choices[4] = {
    TCP_ACK,
    TCP_FIN | TCP_ACK,
    TCP_SYN | TCP_ACK,
    TCP_RST | TCP_ACK,
};

int
quiz_choices(const struct quiz_item *it, struct quiz_value *c, int max)
{
    int n = 0;

    if (it->answer.kind == QV_CHOICE) {
        for (; n < it->q->nchoices && n < max; n++)
            c[n] = (struct quiz_value){QV_CHOICE, n};
        return n;
    }
    if (max < 4)
        return 0;
    switch (it->answer.kind) {
    case QV_STATE: {
        /* The answer and its three look-alikes, in diagram order. */
        bool pick[TCP__STATE_COUNT] = {false};
        pick[it->answer.v] = true;
        for (int i = 0; i < 3; i++)
            pick[confusable[it->answer.v][i]] = true;
        for (int s = 0; s < TCP__STATE_COUNT; s++)
            if (pick[s])
                c[n++] = (struct quiz_value){QV_STATE, s};
        return n;
    }
    case QV_FLAGS:
        /* The four usual suspects; an unusual answer replaces the last. */
        for (int i = 0; i < 4; i++)
            c[n++] = (struct quiz_value){QV_FLAGS, flag_choices[i]};
        for (int i = 0; i < n; i++)
            if (quiz_equal(&c[i], &it->answer))
                return n;
        c[n - 1] = it->answer;
        return n;
    case QV_SIDES:
        for (int v = 1; v <= 4; v++)
            c[n++] = (struct quiz_value){QV_SIDES, v & 3};
        return n;
    case QV_NUMBER:
    case QV_CHOICE: break;
    }
    return 0;
}

bool
quiz_equal(const struct quiz_value *a, const struct quiz_value *b)
{
    return a->kind == b->kind && a->v == b->v;
}

char *
quiz_value_str(const struct quiz_value *v, char *buf, size_t size)
{
    static const char *const sides[4] = {"neither", "client", "server", "both"};
    char flags[24];

    switch (v->kind) {
    case QV_STATE:
        snprintf(buf, size, "%s", tcp_state_name((enum tcp_state)v->v));
        break;
    case QV_FLAGS:
        snprintf(buf, size, "%s", tcp_flags_str((uint8_t)v->v, flags));
        break;
    case QV_NUMBER: snprintf(buf, size, "%lld", (long long)v->v); break;
    case QV_SIDES: snprintf(buf, size, "%s", sides[v->v & 3]); break;
    case QV_CHOICE: snprintf(buf, size, "%lld", (long long)v->v + 1); break;
    }
    return buf;
}

char *
quiz_value_text(const struct quiz_item *it, const struct quiz_value *v,
                const char *lang, char *buf, size_t size)
{
    static const char *const sides_zh[4] = {"都不会", "客户端", "服务器",
                                            "双方都会"};
    bool zh = lang && strncmp(lang, "zh", 2) == 0;

    if (v->kind == QV_CHOICE && it && v->v >= 0 && v->v < it->q->nchoices)
        snprintf(buf, size, "%s", i18n_get(&it->q->choices[v->v], lang));
    else if (v->kind == QV_SIDES && zh)
        snprintf(buf, size, "%s", sides_zh[v->v & 3]);
    else
        quiz_value_str(v, buf, size);
    return buf;
}

bool
quiz_parse(const struct quiz_item *it, const char *text,
           const struct quiz_value *choices, int nchoices,
           struct quiz_value *out)
{
    static const char *const sides[4] = {"neither", "client", "server", "both"};
    char buf[64], *end;
    size_t len;
    long long n;
    int v;

    while (isspace((unsigned char)*text))
        text++;
    len = strcspn(text, "\r\n");
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    out->kind = it->answer.kind;
    n = strtoll(buf, &end, 10);
    if (*end == '\0') {
        if (nchoices > 0) {
            if (n < 1 || n > nchoices)
                return false;
            *out = choices[n - 1];
            return true;
        }
        out->v = n;
        return true;
    }
    switch (it->answer.kind) {
    case QV_STATE:
        if ((v = tcp_state_parse(buf)) < 0)
            return false;
        out->v = v;
        return true;
    case QV_FLAGS:
        if ((v = tcp_flags_parse(buf)) < 0)
            return false;
        out->v = v & FLAG_MASK;
        return true;
    case QV_SIDES:
        for (int i = 0; i < 4; i++)
            if (strcasecmp(buf, sides[i]) == 0) {
                out->v = i;
                return true;
            }
        return false;
    case QV_NUMBER:
    case QV_CHOICE: break;
    }
    return false;
}

/* The words around the explanations: see quiz.h. */
const char *
quiz_untrue_line(const char *lang, bool edited)
{
    bool zh = lang && strncmp(lang, "zh", 2) == 0;

    if (edited)
        return zh ? "（场景为这道题写的解释在你修改之后不再适用。）"
                  : "(The scenario's own explanation no longer applies after "
                    "your edit.)";
    return zh ? "（场景为这道题写的解释不适用于本次运行。）"
              : "(The scenario's own explanation does not apply to this run.)";
}

char *
quiz_demo_command(const struct quiz_item *it, const char *path,
                  const char *lang, char *buf, size_t size)
{
    bool zh = lang && strncmp(lang, "zh", 2) == 0;
    const char *slash = path ? strrchr(path, '/') : NULL;

    buf[0] = '\0';
    if (!it->q->demo)
        return buf;
    if (slash)
        snprintf(buf, size,
                 zh ? "运行一次看看：synfin %.*s/%s.json"
                    : "See it happen: synfin %.*s/%s.json",
                 (int)(slash - path), path, it->q->demo);
    else
        snprintf(buf, size,
                 zh ? "运行一次看看：synfin %s.json"
                    : "See it happen: synfin %s.json",
                 it->q->demo);
    return buf;
}
