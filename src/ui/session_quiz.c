/*
 * The session's quiz mode: placing the scenario's questions in each run,
 * stopping at them, and checking the answers; see session.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "ui/narrate.h"
#include "ui/session_priv.h"

/* The question of item it, as an index into the scenario's questions. */
static size_t
session_qi(const struct session *s, const struct quiz_item *it)
{
    return (size_t)(it->q - s->run->quiz);
}

static const struct session_answer *
session_answer_of(const struct session *s, int k)
{
    return &s->answers[session_qi(s, &s->quiz[k])];
}

/*
 * Place the questions in the run just made and work out their answers;
 * forget what was said to those still ahead of the cursor: they will be
 * asked again, about this run.
 */
void
session_quiz_place(struct session *s)
{
    uint32_t ev = session_event(s);

    free(s->quiz);
    s->quiz = xcalloc(s->run->nquiz + 1, sizeof *s->quiz);
    if (!s->answers)
        s->answers = xcalloc(s->run->nquiz + 1, sizeof *s->answers);
    s->nquiz = quiz_prepare(s->run, &s->trace, s->quiz);
    for (size_t k = 0; k < s->nquiz; k++)
        if (ev == DRAW_NONE || s->quiz[k].at > ev)
            s->answers[session_qi(s, &s->quiz[k])] = (struct session_answer){0};
}

/* The step (1-based) whose event is ev, or 0. */
static size_t
session_step_of(const struct session *s, size_t ev)
{
    size_t lo = 0, hi = s->nsteps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->steps[mid] < ev)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nsteps && s->steps[lo] == ev ? lo + 1 : 0;
}

/* A question at the current step not yet answered, other than skip; -1. */
int
session_quiz_due_here(const struct session *s, int skip)
{
    uint32_t ev = session_event(s);
    if (!s->quiz_on || ev == DRAW_NONE)
        return -1;
    for (size_t k = 0; k < s->nquiz; k++)
        if ((int)k != skip && s->quiz[k].known && s->quiz[k].at == ev &&
            !session_answer_of(s, (int)k)->answered)
            return (int)k;
    return -1;
}

/* The question to show at the current step: the first one due, else the
 * first one asked here (to show its answer again). */
void
session_quiz_sync(struct session *s)
{
    uint32_t ev = session_event(s);

    s->quiz_show = -1;
    s->quiz_input[0] = '\0';
    if (!s->quiz_on || ev == DRAW_NONE)
        return;
    s->quiz_show = session_quiz_due_here(s, -1);
    for (size_t k = 0; k < s->nquiz && s->quiz_show < 0; k++)
        if (s->quiz[k].known && s->quiz[k].at == ev)
            s->quiz_show = (int)k;
}

/* Is the question shown waiting for an answer? */
bool
session_quiz_pending(const struct session *s)
{
    return s->quiz_on && s->quiz_show >= 0 &&
           !session_answer_of(s, s->quiz_show)->answered;
}

/* Moving forward from step `from` towards `to`: where a question stops it. */
size_t
session_quiz_stop(const struct session *s, size_t from, size_t to)
{
    if (!s->quiz_on)
        return to;
    for (size_t k = 0; k < s->nquiz; k++) {
        size_t at;
        if (!s->quiz[k].known || session_answer_of(s, (int)k)->answered)
            continue;
        at = session_step_of(s, s->quiz[k].at);
        if (at > from && at < to)
            to = at;
    }
    return to;
}

void
session_quiz_view(const struct session *s, struct draw_quiz *q)
{
    memset(q, 0, sizeof *q);
    q->on = s->quiz_on;
    if (!s->quiz_on)
        return;
    for (size_t i = 0; s->answers && s->run && i < s->run->nquiz; i++) {
        q->nanswered += s->answers[i].answered;
        q->score += s->answers[i].right;
    }
    for (size_t k = 0; k < s->nquiz; k++) {
        if (!s->quiz[k].known)
            continue;
        q->total++;
        if ((int)k <= s->quiz_show)
            q->number = q->total;
        if (!session_answer_of(s, (int)k)->answered)
            q->unanswered++;
    }
    if (s->quiz_show >= 0) {
        const struct session_answer *a = session_answer_of(s, s->quiz_show);
        q->item = &s->quiz[s->quiz_show];
        q->answered = a->answered;
        q->right = a->right;
        q->given = a->given;
        q->input = s->quiz_input;
    }
    q->over = !q->item && s->step >= s->nsteps;
}

/* A move forward that a question stops. */
int
session_quiz_wait(struct session *s)
{
    int nc;
    struct quiz_value c[4];

    s->playing = false;
    nc = quiz_choices(&s->quiz[s->quiz_show], c, 4);
    if (nc > 0)
        session_message(s,
                        ZH(s) ? "请先回答问题：按 1 到 %d。按 z 退出测验模式。"
                              : "Answer the question first: press 1 to %d. z "
                                "leaves quiz mode.",
                        nc);
    else
        session_message(s, ZH(s) ? "请先回答问题：输入一个数字，再按 Enter。按 "
                                   "z 退出测验模式。"
                                 : "Answer the question first: type a number "
                                   "and press Enter. z leaves quiz mode.");
    return SESSION_REDRAW;
}

int
session_quiz_toggle(struct session *s)
{
    struct draw_quiz q;

    if (s->quiz_on) {
        session_quiz_view(s, &q);
        s->quiz_on = false;
        s->quiz_show = -1;
        session_message(s,
                        ZH(s) ? "测验模式已关闭。目前得分：%d / %d。"
                              : "Quiz mode off. Your score so far: %d of %d.",
                        q.score, q.nanswered);
        return SESSION_REDRAW;
    }
    s->quiz_on = true;
    session_quiz_view(s, &q);
    if (q.total == 0) {
        s->quiz_on = false;
        session_message(s, ZH(s) ? "这个场景没有测验题。"
                                 : "This scenario has no quiz questions.");
        return SESSION_REDRAW;
    }
    s->playing = false;
    session_quiz_sync(s);
    if (ZH(s))
        session_message(s,
                        "测验模式：本次运行共有 %d 道题，单步前进时会在每道题处"
                        "停下。%s",
                        q.total, s->step ? "按 g 可回到开头。" : "");
    else
        session_message(s,
                        "Quiz mode: %d questions in this run; stepping forward "
                        "stops at each.%s",
                        q.total, s->step ? " g goes back to the start." : "");
    return SESSION_REDRAW;
}

/* Record the answer given to the question shown. */
static int
session_quiz_answer(struct session *s, const struct quiz_value *given)
{
    const struct quiz_item *it = &s->quiz[s->quiz_show];
    struct session_answer *a = &s->answers[session_qi(s, it)];

    a->answered = true;
    a->given = *given;
    a->right = quiz_equal(given, &it->answer);
    s->quiz_input[0] = '\0';
    return SESSION_REDRAW;
}

/* A digit, Enter or Backspace for the question shown. */
int
session_quiz_key(struct session *s, int key)
{
    struct quiz_value c[4], given;
    size_t len = strlen(s->quiz_input);
    int nc;

    if (s->mode != MODE_MAIN)
        return 0;
    if (!session_quiz_pending(s)) {
        if (!s->quiz_on && key >= '0' && key <= '9') {
            session_message(s, ZH(s)
                                   ? "现在没有要回答的问题：按 z 进入测验模式。"
                                   : "No question to answer: z turns quiz "
                                     "mode on.");
            return SESSION_REDRAW;
        }
        return 0;
    }
    nc = quiz_choices(&s->quiz[s->quiz_show], c, 4);
    if (nc > 0) {
        if (key >= '1' && key < '1' + nc)
            return session_quiz_answer(s, &c[key - '1']);
        if (key >= '0' && key <= '9')
            session_message(s, ZH(s) ? "请按 1 到 %d。" : "Press 1 to %d.", nc);
        return SESSION_REDRAW;
    }
    if (key >= '0' && key <= '9' && len + 1 < sizeof s->quiz_input) {
        s->quiz_input[len] = (char)key;
        s->quiz_input[len + 1] = '\0';
    } else if (key == KEYS_BACKSPACE && len > 0) {
        s->quiz_input[len - 1] = '\0';
    } else if (key == KEYS_ENTER && len > 0 &&
               quiz_parse(&s->quiz[s->quiz_show], s->quiz_input, NULL, 0,
                          &given)) {
        return session_quiz_answer(s, &given);
    }
    return SESSION_REDRAW;
}

/* w: open the scenario that demonstrates the answer shown: the file of that
 * name beside this scenario's, else the picker's entry of that name. */
int
session_quiz_demo(struct session *s)
{
    const char *demo, *path = s->base ? s->base->path : NULL;
    const char *slash = path ? strrchr(path, '/') : NULL;

    if (!s->quiz_on || s->quiz_show < 0 ||
        !session_answer_of(s, s->quiz_show)->answered ||
        !(demo = s->quiz[s->quiz_show].q->demo)) {
        session_message(s, ZH(s)
                               ? "w 在答题之后打开演示场景，前提是这道题提供了"
                                 "演示。"
                               : "w opens a demo after a quiz answer that "
                                 "offers one.");
        return SESSION_REDRAW;
    }
    if (slash)
        snprintf(s->open_path, sizeof s->open_path, "%.*s/%s.json",
                 (int)(slash - path), path, demo);
    else
        snprintf(s->open_path, sizeof s->open_path, "%s.json", demo);
    if (access(s->open_path, R_OK) != 0) {
        s->open_path[0] = '\0';
        for (size_t i = 0; s->cat && i < s->cat->n; i++)
            if (strcmp(s->cat->e[i].name, demo) == 0)
                snprintf(s->open_path, sizeof s->open_path, "%s",
                         s->cat->e[i].path);
    }
    if (!s->open_path[0]) {
        session_message(s,
                        ZH(s) ? "找不到演示场景 %s。"
                              : "The demo %s is not "
                                "found.",
                        demo);
        return SESSION_REDRAW;
    }
    s->playing = false;
    return SESSION_OPEN | SESSION_REDRAW;
}
