/* The front end's state and its actions; see session.h. */
#include "ui/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "synfin/world.h"
#include "ui/narrate.h"

/* Playback speeds, percent; index 2 is normal. */
static const int session_speeds[] = {25, 50, 100, 200, 400, 800};
#define SESSION_NSPEEDS                                                        \
    ((int)(sizeof session_speeds / sizeof session_speeds[0]))

/* Wall time a step takes at normal speed: longer when time moves. */
#define SESSION_STEP_US      900000u
#define SESSION_SAME_TIME_US 300000u

static const int session_loss_steps[] = {0, 10, 30, 50};
static const uint64_t session_msl_steps[] = {
    1000000, 2000000, 5000000, 15000000, 30000000, 60000000, 120000000};

static void session_message(struct session *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
session_message(struct session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    canvas_utf8_trim(s->message);
}

/* Messages are pairs of literals, so both formats stay checked. */
#define ZH(s) narrate_is_zh((s)->lang)

/* The run's steps: every event but notes. */
static void
session_build_steps(struct session *s)
{
    free(s->steps);
    s->steps = xcalloc(s->trace.len, sizeof *s->steps);
    s->nsteps = 0;
    for (size_t i = 0; i < s->trace.len; i++)
        if (s->trace.ev[i].kind != TRACE_NOTE)
            s->steps[s->nsteps++] = (uint32_t)i;
}

/* The loss rate the user set, percent, or -1 if none. */
static int
session_user_loss(const struct session *s)
{
    for (size_t i = s->nedits; i-- > 0;)
        if (s->edits[i].kind == EDIT_LOSS)
            return s->edits[i].loss_pct;
    return -1;
}

static void
session_apply(struct session *s, struct scenario *run)
{
    struct tcp_params def;
    char label[64];

    tcp_params_default(&def, s->base->tcp.profile);
    for (size_t i = 0; i < s->nedits; i++) {
        const struct session_edit *e = &s->edits[i];
        struct net_rule r = {
            .from = -1,
            .data = -1,
            .state = -1,
            .nth = 1,
            .probability = 1,
            .action = RULE_DROP,
            .label = label,
        };
        switch (e->kind) {
        case EDIT_DROP:
            snprintf(label, sizeof label, "dropped by you (edit %zu)", i + 1);
            r.seg_id = e->seg_id;
            r.count = 1;
            scenario_add_rule(run, &r);
            break;
        case EDIT_LOSS:
            if (e->loss_pct <= 0)
                break;
            snprintf(label, sizeof label, "random loss %d%% (edit %zu)",
                     e->loss_pct, i + 1);
            r.from_us = e->at_us;
            for (size_t j = i + 1; j < s->nedits; j++)
                if (s->edits[j].kind == EDIT_LOSS) {
                    r.until_us = s->edits[j].at_us;
                    break;
                }
            r.count = 0;
            r.probability = e->loss_pct / 100.0;
            if (r.until_us == 0 || r.until_us > r.from_us)
                scenario_add_rule(run, &r);
            break;
        case EDIT_DELACK:
            run->tcp.delack_us = e->delack_off ? 0
                                 : s->base->tcp.delack_us
                                     ? s->base->tcp.delack_us
                                     : def.delack_us;
            break;
        case EDIT_MSL:
            run->tcp.msl_us = e->msl_us;
            if (run->tcp.profile == PROFILE_RFC)
                run->tcp.time_wait_us = 2 * e->msl_us;
            break;
        }
    }
}

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
static void
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
static int
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
static void
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
static bool
session_quiz_pending(const struct session *s)
{
    return s->quiz_on && s->quiz_show >= 0 &&
           !session_answer_of(s, s->quiz_show)->answered;
}

/* Moving forward from step `from` towards `to`: where a question stops it. */
static size_t
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

/* Do two events record the same thing? */
static bool
session_same_event(const struct trace_event *a, const struct trace_event *b)
{
    return a->t_us == b->t_us && a->kind == b->kind && a->side == b->side &&
           a->a == b->a && a->b == b->b && a->seg.id == b->seg.id &&
           a->seg.flags == b->seg.flags;
}

void
session_rerun(struct session *s)
{
    struct trace old = s->trace;
    uint32_t old_ev = session_event(s);
    size_t old_step = s->step, same = 0;

    scenario_free(s->run);
    s->run = scenario_clone(s->base);
    session_apply(s, s->run);
    trace_init(&s->trace);
    world_run(s->run, &s->trace, NULL);
    draw_seq_layout_free(&s->layout);
    draw_seq_layout_build(&s->layout, &s->trace, s->run->net.routers);
    session_build_steps(s);

    while (same < old.len && same < s->trace.len &&
           session_same_event(&old.ev[same], &s->trace.ev[same]))
        same++;
    if (old_ev == DRAW_NONE) {
        s->step = 0;
    } else if (old_ev < same) {
        s->step = old_step;
    } else {
        /* The edit changed the past (a global setting did): keep the time. */
        uint64_t t = old.ev[old_ev].t_us;
        s->step = 0;
        while (s->step < s->nsteps && s->trace.ev[s->steps[s->step]].t_us <= t)
            s->step++;
    }
    if (s->step > s->nsteps)
        s->step = s->nsteps;
    s->anim_us = 0;
    s->selected = 0;
    trace_free(&old);
    session_quiz_place(s);
    session_quiz_sync(s);
}

int
session_open(struct session *s, struct scenario *scn, const char *lang)
{
    memset(s, 0, sizeof *s);
    s->base = scn;
    s->lang = lang && *lang ? lang : "en";
    s->speed = 2;
    s->quiz_show = -1;
    trace_init(&s->trace);
    session_rerun(s);
    return 0;
}

void
session_close(struct session *s)
{
    trace_free(&s->trace);
    draw_seq_layout_free(&s->layout);
    free(s->steps);
    free(s->edits);
    free(s->quiz);
    free(s->answers);
    scenario_free(s->run);
    scenario_free(s->base);
    memset(s, 0, sizeof *s);
}

uint32_t
session_event(const struct session *s)
{
    return s->step == 0 || !s->steps ? DRAW_NONE : s->steps[s->step - 1];
}

void
session_goto(struct session *s, size_t k)
{
    s->step = k > s->nsteps ? s->nsteps : k;
    s->anim_us = 0;
    session_quiz_sync(s);
}

/* Wall time (us) the current step lasts during playback. */
static uint64_t
session_step_us(const struct session *s)
{
    uint32_t ev = session_event(s);
    uint64_t t0 = ev == DRAW_NONE ? 0 : s->trace.ev[ev].t_us, base;
    if (s->step >= s->nsteps)
        return SESSION_STEP_US;
    base = s->trace.ev[s->steps[s->step]].t_us > t0 ? SESSION_STEP_US
                                                    : SESSION_SAME_TIME_US;
    return base * 100 / (uint64_t)session_speeds[s->speed];
}

static void
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

void
session_view(const struct session *s, struct draw_view *v)
{
    uint32_t ev = session_event(s);
    int loss = session_user_loss(s);

    memset(v, 0, sizeof *v);
    v->trace = &s->trace;
    v->scn = s->run;
    v->ev = ev;
    v->now_us = ev == DRAW_NONE ? 0 : s->trace.ev[ev].t_us;
    if (s->playing && s->step < s->nsteps) {
        uint64_t next = s->trace.ev[s->steps[s->step]].t_us;
        uint64_t dur = session_step_us(s);
        if (next > v->now_us && dur)
            v->now_us += (next - v->now_us) *
                         (s->anim_us < dur ? s->anim_us : dur) / dur;
    }
    v->step = s->step;
    v->nsteps = s->nsteps;
    v->absolute = s->absolute;
    v->playing = s->playing;
    v->speed_pct = session_speeds[s->speed];
    v->lang = s->lang;
    v->selected = s->selected;
    v->edits = (int)s->nedits;
    if (loss < 0 && s->run) {
        double l = s->run->net.dir[0].loss > s->run->net.dir[1].loss
                       ? s->run->net.dir[0].loss
                       : s->run->net.dir[1].loss;
        loss = (int)(l * 100 + 0.5);
    }
    v->loss_pct = loss;
    if (s->run) {
        v->delack_off = s->run->tcp.delack_us == 0;
        v->msl_us = s->run->tcp.msl_us;
    }
    v->message = s->message[0] ? s->message : NULL;
    session_quiz_view(s, &v->quiz);
}

void
session_edit(struct session *s, const struct session_edit *e)
{
    if (s->nedits == s->edits_cap) {
        s->edits_cap = s->edits_cap ? s->edits_cap * 2 : 8;
        s->edits = xreallocarray(s->edits, s->edits_cap, sizeof *s->edits);
    }
    s->edits[s->nedits++] = *e;
    s->playing = false;
    session_rerun(s);
}

/* The label of the packet sent at event i, for messages. */
static char *
session_seg_text(const struct session *s, uint32_t i, char *buf, size_t size)
{
    const struct trace_event *e = &s->trace.ev[i];
    uint32_t a = s->layout.ev_arrow[i];
    char name[24];
    if (a == DRAW_NONE) {
        snprintf(buf, size, "%s", draw_seg_name(&e->seg, name, sizeof name));
        return buf;
    }
    draw_seg_label(&e->seg, s->absolute, s->layout.arrows[a].has_seq,
                   s->layout.arrows[a].base_seq, s->layout.arrows[a].has_ack,
                   s->layout.arrows[a].base_ack, buf, size);
    return buf;
}

static int
session_drop_next(struct session *s)
{
    uint32_t ev = session_event(s);
    size_t from = ev == DRAW_NONE ? 0 : (size_t)ev + 1;
    char label[96];

    for (size_t i = from; i < s->trace.len; i++) {
        const struct trace_event *e = &s->trace.ev[i];
        if (e->kind != TRACE_SEND || (e->seg.tags & (SEG_ICMP | SEG_DUP)) ||
            e->seg.from > SIDE_SERVER)
            continue;
        struct session_edit ed = {.kind = EDIT_DROP, .seg_id = e->seg.id};
        session_seg_text(s, (uint32_t)i, label, sizeof label);
        int side = e->seg.from;
        session_edit(s, &ed);
        session_message(s,
                        ZH(s) ? "第 %zu 处修改：网络将丢失%s的下一个报文（%s）"
                                "。继续单步，看 TCP 如何应对；按 u 撤销。"
                              : "Edit %zu: the network will lose the %s's next "
                                "packet (%s). Step on to see what TCP does "
                                "about it; u undoes.",
                        s->nedits, narrate_side(side, s->lang), label);
        return SESSION_REDRAW;
    }
    session_message(s, ZH(s) ? "这次运行不再发送任何报文：没有可丢弃的报文。"
                             : "Nothing more is sent in this run: no packet "
                               "to drop.");
    return SESSION_REDRAW;
}

static int
session_select(struct session *s)
{
    struct draw_view v;
    uint32_t ids[64];
    size_t n, k = 0;

    session_view(s, &v);
    n = draw_seq_in_flight(&s->layout, &v, ids, 64);
    if (n == 0) {
        s->selected = 0;
        session_message(s, ZH(s) ? "现在没有在途报文：单步前进，直到有报文在路"
                                   "上（箭头上的 \u25cf）。"
                                 : "No packet is in flight right now: step "
                                   "until one is on its way (a \u25cf on an "
                                   "arrow).");
        return SESSION_REDRAW;
    }
    while (k < n && ids[k] != s->selected)
        k++;
    s->selected = ids[k < n ? (k + 1) % n : 0];
    session_message(s,
                    ZH(s) ? "已选中报文 %u（反色的 \u25cf）：按 x 丢弃它。"
                          : "Packet %u selected (reversed \u25cf): x drops it.",
                    s->selected);
    return SESSION_REDRAW;
}

static int
session_drop_selected(struct session *s)
{
    struct draw_view v;
    uint32_t ids[64];
    size_t n;
    bool found = false;

    session_view(s, &v);
    n = draw_seq_in_flight(&s->layout, &v, ids, 64);
    for (size_t i = 0; i < n; i++)
        found |= ids[i] == s->selected;
    if (!s->selected || !found) {
        s->selected = 0;
        session_message(s, ZH(s) ? "请先选中一个在途报文：按 Tab，或点击它的 "
                                   "\u25cf。"
                                 : "Select a packet in flight first: Tab, or "
                                   "click its \u25cf.");
        return SESSION_REDRAW;
    }
    struct session_edit ed = {.kind = EDIT_DROP, .seg_id = s->selected};
    session_edit(s, &ed);
    session_message(s,
                    ZH(s) ? "第 %zu 处修改：这个报文在网络中丢失。按 u 撤销。"
                          : "Edit %zu: that packet is lost in the network. u "
                            "undoes.",
                    s->nedits);
    return SESSION_REDRAW;
}

static int
session_cycle_loss(struct session *s)
{
    uint32_t ev = session_event(s);
    int cur = session_user_loss(s), next = 10;
    if (cur < 0)
        cur = 0;
    for (size_t i = 0; i < sizeof session_loss_steps / sizeof(int); i++)
        if (session_loss_steps[i] == cur)
            next = session_loss_steps[(i + 1) % (sizeof session_loss_steps /
                                                 sizeof(int))];
    struct session_edit ed = {
        .kind = EDIT_LOSS,
        .at_us = ev == DRAW_NONE ? 0 : s->trace.ev[ev].t_us,
        .loss_pct = next,
    };
    session_edit(s, &ed);
    session_message(s,
                    ZH(s) ? "第 %zu 处修改：从现在起随机丢包 %d%%。按 u 撤销。"
                          : "Edit %zu: random loss %d%% from now on. u undoes.",
                    s->nedits, next);
    return SESSION_REDRAW;
}

static int
session_toggle_delack(struct session *s)
{
    struct session_edit ed = {.kind = EDIT_DELACK,
                              .delack_off = s->run->tcp.delack_us != 0};
    session_edit(s, &ed);
    if (ZH(s))
        session_message(s, "第 %zu 处修改：%s。按 u 撤销。", s->nedits,
                        ed.delack_off ? "关闭延迟确认：每个报文段都立即确认"
                                      : "重新开启延迟确认");
    else
        session_message(s, "Edit %zu: delayed ACK %s. u undoes.", s->nedits,
                        ed.delack_off ? "off: every segment is ACKed at once"
                                      : "back on");
    return SESSION_REDRAW;
}

static int
session_cycle_msl(struct session *s)
{
    uint64_t cur = s->run->tcp.msl_us, next = session_msl_steps[0];
    char d[24];
    for (size_t i = 0; i < sizeof session_msl_steps / sizeof(uint64_t); i++)
        if (session_msl_steps[i] > cur) {
            next = session_msl_steps[i];
            break;
        }
    struct session_edit ed = {.kind = EDIT_MSL, .msl_us = next};
    session_edit(s, &ed);
    draw_duration(next, d, sizeof d);
    if (ZH(s))
        session_message(s, "第 %zu 处修改：MSL 现在是 %s%s。按 u 撤销。",
                        s->nedits, d,
                        s->run->tcp.profile == PROFILE_RFC
                            ? "，所以 TIME-WAIT 持续它的两倍"
                            : "（Linux 的 TIME-WAIT 固定为 60 s）");
    else
        session_message(s, "Edit %zu: MSL is now %s%s. u undoes.", s->nedits, d,
                        s->run->tcp.profile == PROFILE_RFC
                            ? ", so TIME-WAIT lasts twice that"
                            : " (Linux keeps TIME-WAIT at its fixed 60 s)");
    return SESSION_REDRAW;
}

static int
session_undo(struct session *s)
{
    if (s->nedits == 0) {
        session_message(s, ZH(s) ? "没有可撤销的修改：这就是场景原本的运行。"
                                 : "Nothing to undo: this is the run as "
                                   "written.");
        return SESSION_REDRAW;
    }
    s->nedits--;
    s->playing = false;
    session_rerun(s);
    if (ZH(s))
        session_message(s, "已撤销。还剩 %zu 处修改。", s->nedits);
    else
        session_message(s, "Undone. %zu edit%s left.", s->nedits,
                        s->nedits == 1 ? "" : "s");
    return SESSION_REDRAW;
}

/* A move forward that a question stops. */
static int
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

static int
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
static int
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

int
session_key(struct session *s, int key)
{
    enum keys_action a = keys_lookup(key);
    if (a == ACT_ANSWER) {
        s->message[0] = '\0';
        return session_quiz_key(s, key);
    }
    return session_act(s, a);
}

static void
session_toggle_mode(struct session *s, enum session_mode m)
{
    s->mode = s->mode == m ? MODE_MAIN : m;
}

/* n: the next question here, or the next step (a question stops it). */
static int
session_next(struct session *s)
{
    int k;

    if (session_quiz_pending(s))
        return session_quiz_wait(s);
    if ((k = session_quiz_due_here(s, s->quiz_show)) >= 0) {
        s->quiz_show = k;
        s->quiz_input[0] = '\0';
    } else if (s->step < s->nsteps) {
        session_goto(s, s->step + 1);
    } else if (s->quiz_on) {
        s->quiz_show = -1; /* the final score */
    }
    return SESSION_REDRAW;
}

int
session_act(struct session *s, enum keys_action a)
{
    if (a != ACT_NONE)
        s->message[0] = '\0';
    switch (a) {
    case ACT_NONE: return 0;
    case ACT_NEXT:
        if (s->mode == MODE_HELP) {
            s->help_page = (s->help_page + 1) % 60; /* 60: 1 to 6 pages */
            break;
        }
        return session_next(s);
    case ACT_PREV:
        if (s->mode == MODE_HELP) {
            s->help_page -= s->help_page > 0;
            break;
        }
        s->playing = false;
        if (s->step > 0)
            session_goto(s, s->step - 1);
        break;
    case ACT_FIRST: session_goto(s, 0); break;
    case ACT_LAST:
        s->playing = false;
        if (session_quiz_pending(s))
            return session_quiz_wait(s);
        session_goto(s, session_quiz_stop(s, s->step, s->nsteps));
        break;
    case ACT_PLAY:
        if (!s->playing && session_quiz_pending(s))
            return session_quiz_wait(s);
        s->playing = !s->playing;
        if (s->playing && s->step >= s->nsteps)
            session_goto(s, 0);
        break;
    case ACT_FASTER:
        if (s->speed + 1 < SESSION_NSPEEDS)
            s->speed++;
        break;
    case ACT_SLOWER:
        if (s->speed > 0)
            s->speed--;
        break;
    case ACT_RESTART:
        session_goto(s, 0);
        s->playing = true;
        break;
    case ACT_DROP_NEXT: return session_drop_next(s);
    case ACT_SELECT: return session_select(s);
    case ACT_DROP_SELECTED: return session_drop_selected(s);
    case ACT_LOSS: return session_cycle_loss(s);
    case ACT_DELACK: return session_toggle_delack(s);
    case ACT_MSL: return session_cycle_msl(s);
    case ACT_UNDO: return session_undo(s);
    case ACT_QUIZ: return session_quiz_toggle(s);
    case ACT_ANSWER: return 0; /* needs the key: session_key() */
    case ACT_ABSOLUTE: s->absolute = !s->absolute; break;
    case ACT_DIAGRAM: session_toggle_mode(s, MODE_DIAGRAM); break;
    case ACT_LOG: session_toggle_mode(s, MODE_LOG); break;
    case ACT_HELP:
        session_toggle_mode(s, MODE_HELP);
        s->help_page = 0;
        break;
    case ACT_LANG:
        if (s->ascii && !narrate_is_zh(s->lang)) {
            session_message(s, "Chinese needs a UTF-8 terminal: this one "
                               "shows ASCII only.");
            break;
        }
        s->lang = narrate_lang_toggle(s->lang);
        break;
    case ACT_PICKER: return SESSION_PICKER | SESSION_REDRAW;
    case ACT_QUIT:
        if (s->mode != MODE_MAIN) {
            s->mode = MODE_MAIN;
            break;
        }
        return SESSION_QUIT;
    case ACT__COUNT: return 0;
    }
    return SESSION_REDRAW;
}

int
session_click(struct session *s, const struct draw_seq_hits *hits, int x, int y)
{
    if (!hits || s->mode != MODE_MAIN)
        return 0;
    for (size_t i = 0; i < hits->n; i++) {
        const struct draw_seq_hit *h = &hits->hit[i];
        if (h->y == y && x >= h->x - 1 && x <= h->x + 1) {
            s->selected = h->seg_id;
            s->playing = false;
            session_message(s,
                            ZH(s) ? "已选中报文 %u：按 x 丢弃它。"
                                  : "Packet %u selected: x drops it.",
                            h->seg_id);
            return SESSION_REDRAW;
        }
    }
    return 0;
}

int
session_tick(struct session *s, int elapsed_ms)
{
    if (!s->playing || elapsed_ms <= 0)
        return 0;
    s->anim_us += (uint64_t)elapsed_ms * 1000;
    for (;;) {
        uint64_t dur = session_step_us(s);
        if (s->step >= s->nsteps) {
            s->playing = false;
            s->anim_us = 0;
            break;
        }
        if (s->anim_us < dur)
            break;
        s->anim_us -= dur;
        s->step++;
        session_quiz_sync(s);
        if (session_quiz_pending(s)) {
            /* A question: playback waits for the answer. */
            s->playing = false;
            s->anim_us = 0;
            break;
        }
    }
    return SESSION_REDRAW;
}

int
session_timeout_ms(const struct session *s)
{
    return s->playing ? 40 : -1;
}
