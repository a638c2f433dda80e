/* The front end's state and its actions; see session.h. */
#include "ui/session_priv.h"

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

void
session_message(struct session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
    canvas_utf8_trim(s->message);
}

/* The run's steps: every event but notes (of the connection followed). */
void
session_lay_out(struct session *s)
{
    draw_seq_layout_free(&s->layout);
    draw_seq_layout_build(&s->layout, &s->trace, s->run->net.routers,
                          s->follow);
    free(s->steps);
    s->steps = xcalloc(s->trace.len, sizeof *s->steps);
    s->nsteps = 0;
    for (size_t i = 0; i < s->trace.len; i++)
        if (trace_at(&s->trace, i)->kind != TRACE_NOTE &&
            (!s->follow || trace_at(&s->trace, i)->conn == s->follow))
            s->steps[s->nsteps++] = (uint32_t)i;
    if (s->follow && s->nsteps == 0) {
        /* An edit left the followed connection out of the run. */
        s->follow = 0;
        session_lay_out(s);
    }
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
    struct world_limits limits;
    uint32_t old_ev = session_event(s);
    size_t old_step = s->step, same = 0;

    scenario_free(s->run);
    s->run = scenario_clone(s->base);
    session_apply(s, s->run);
    trace_init(&s->trace);
    world_limits_of(s->run, &limits);
    /* A trace the viewer can still lay out and step through. */
    limits.trace_bytes = (uint64_t)512 << 20;
    if (s->limits)
        limits = *s->limits;
    s->stopped =
        world_run_limited(s->run, &s->trace, NULL, &limits) != WORLD_DONE;
    s->runs++; /* what the views kept is of the run before */
    session_lay_out(s);

    while (same < old.len && same < s->trace.len &&
           session_same_event(trace_at(&old, same), trace_at(&s->trace, same)))
        same++;
    if (old_ev == DRAW_NONE) {
        s->step = 0;
    } else if (old_ev < same) {
        s->step = old_step;
    } else {
        /* The edit changed the past (a global setting did): keep the time. */
        uint64_t t = trace_at(&old, old_ev)->t_us;
        s->step = 0;
        while (s->step < s->nsteps &&
               trace_at(&s->trace, s->steps[s->step])->t_us <= t)
            s->step++;
    }
    if (s->step > s->nsteps)
        s->step = s->nsteps;
    s->anim_us = 0;
    s->selected = 0;
    trace_free(&old);
    session_quiz_place(s);
    session_quiz_sync(s);
    if (s->stopped)
        session_message(s, ZH(s) ? "这次运行在一个上限处被停下了（见 "
                                   "docs/limits.md）：这里显示的是停下之前"
                                   "发生的一切，它本来不会自己结束。"
                                 : "This run was stopped at one of its limits "
                                   "(docs/limits.md): what you see is what "
                                   "happened until then; it would not have "
                                   "ended by itself.");
}

/* Many connections on one ladder are a tangle: such a run opens on the
 * state counts, and says how to get the ladder or one connection. */
static void
session_choose_layout(struct session *s)
{
    uint32_t conns = trace_conn_max(&s->trace);

    if (conns < TRACE_CROWD_CONNS)
        return;
    s->mode = MODE_CROWD;
    session_message(s,
                    ZH(s) ? "%u 个连接：这里是各状态的连接数随时间的变化。"
                            "c 显示时序图，f 单独跟随一个连接。"
                          : "%u connections: how many are in each state, "
                            "over the run. c shows the ladder; f follows one "
                            "connection alone.",
                    conns);
}

int
session_open(struct session *s, struct scenario *scn, const char *lang)
{
    memset(s, 0, sizeof *s);
    s->base = scn;
    s->lang = lang && *lang ? lang : "en";
    s->speed = 2;
    s->quiz_show = -1;
    s->cache = xcalloc(1, sizeof *s->cache);
    trace_init(&s->trace);
    session_rerun(s);
    session_choose_layout(s);
    return 0;
}

void
session_close(struct session *s)
{
    trace_free(&s->trace);
    if (s->cache)
        trace_crowd_free(&s->cache->crowd);
    free(s->cache);
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
    uint64_t t0 = ev == DRAW_NONE ? 0 : trace_at(&s->trace, ev)->t_us, base;
    if (s->step >= s->nsteps)
        return SESSION_STEP_US;
    base = trace_at(&s->trace, s->steps[s->step])->t_us > t0
               ? SESSION_STEP_US
               : SESSION_SAME_TIME_US;
    return base * 100 / (uint64_t)session_speeds[s->speed];
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
    v->now_us = ev == DRAW_NONE ? 0 : trace_at(&s->trace, ev)->t_us;
    if (s->playing && s->step < s->nsteps) {
        uint64_t next = trace_at(&s->trace, s->steps[s->step])->t_us;
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
    v->follow = s->follow;
    v->cache = s->cache;
    v->run = s->runs;
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
session_frame(const struct session *s, struct frame_view *f)
{
    memset(f, 0, sizeof *f);
    f->mode = s->mode;
    session_view(s, &f->v);
    f->layout = &s->layout;
    f->conn_pick = s->conn_pick;
    f->conn_input = s->conn_input;
    f->help_page = s->help_page;
    f->cat = s->cat;
    f->pick = s->pick;
}

int
session_key(struct session *s, int key)
{
    enum keys_action a;

    if (s->mode == MODE_PICKER)
        return session_picker_key(s, key);
    if (s->mode == MODE_CONNS) {
        int r = session_conns_key(s, key);
        if (r >= 0)
            return r;
    }
    a = keys_lookup(KEYS_VIEWER, key);
    if (a == ACT_ANSWER) {
        s->message[0] = '\0';
        return session_quiz_key(s, key);
    }
    return session_act(s, a);
}

static void
session_toggle_mode(struct session *s, enum frame_mode m)
{
    s->mode = s->mode == m ? MODE_MAIN : m;
}

/* Before a move forward: a question at the cursor comes first. Shows the
 * next one asked here, or says to answer the one shown; 0 if none. */
static int
session_question_first(struct session *s)
{
    int k;

    if (session_quiz_pending(s))
        return session_quiz_wait(s);
    if ((k = session_quiz_due_here(s, s->quiz_show)) >= 0) {
        s->quiz_show = k;
        s->quiz_input[0] = '\0';
        return SESSION_REDRAW;
    }
    return 0;
}

/* n: the next question here, or the next step (a question stops it). */
static int
session_next(struct session *s)
{
    int r;

    if ((r = session_question_first(s)))
        return r;
    if (s->step < s->nsteps)
        session_goto(s, s->step + 1);
    else if (s->quiz_on)
        s->quiz_show = -1; /* the final score */
    return SESSION_REDRAW;
}

/* Is step k (1-based) an event that a pace key stops at? */
static bool
session_pace_stop(const struct session *s, size_t k, bool state)
{
    uint8_t kind = trace_at(&s->trace, s->steps[k - 1])->kind;
    return state ? kind == TRACE_STATE
                 : kind == TRACE_SEND || kind == TRACE_ARRIVE ||
                       kind == TRACE_DROP;
}

/*
 * ] [ } {: to the next or previous packet event (SEND, ARRIVE, DROP) or
 * state change, like n and p in every other way: playback stops, and going
 * forward stops at a question not yet answered. With none that way the
 * cursor stays, and the message says so.
 */
static int
session_pace(struct session *s, bool forward, bool state)
{
    size_t to = 0; /* the step to go to; 0: none */
    int r;

    s->playing = false;
    if (forward && (r = session_question_first(s)))
        return r;
    if (forward) {
        for (size_t k = s->step + 1; k <= s->nsteps && !to; k++)
            if (session_pace_stop(s, k, state))
                to = k;
    } else {
        for (size_t k = s->step; k-- > 1 && !to;)
            if (session_pace_stop(s, k, state))
                to = k;
    }
    if (!to) {
        static const char *const none[2][2][2] = {
            {{"No packet sent, arriving or lost before this step.",
              "这一步之前没有报文的发送、到达或丢失。"},
             {"No packet sent, arriving or lost after this step.",
              "这一步之后没有报文的发送、到达或丢失。"}},
            {{"No state change before this step.", "这一步之前没有状态变化。"},
             {"No state change after this step.", "这一步之后没有状态变化。"}},
        };
        session_message(s, "%s", none[state][forward][ZH(s)]);
        return SESSION_REDRAW;
    }
    session_goto(s, forward ? session_quiz_stop(s, s->step, to) : to);
    return SESSION_REDRAW;
}

int
session_lang(struct session *s)
{
    if (s->ascii && !narrate_is_zh(s->lang)) {
        session_message(s, ZH(s) ? "显示中文需要 UTF-8 终端：这个终端只能显示 "
                                   "ASCII。"
                                 : "Chinese needs a UTF-8 terminal: this one "
                                   "shows ASCII only.");
        return SESSION_REDRAW;
    }
    s->lang = narrate_lang_toggle(s->lang);
    return SESSION_REDRAW;
}

int
session_act(struct session *s, enum keys_action a)
{
    if (a != ACT_NONE)
        s->message[0] = '\0';
    if (s->mode == MODE_PICKER)
        return session_picker_act(s, a);
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
    case ACT_NEXT_SEG:
    case ACT_PREV_SEG:
    case ACT_NEXT_STATE:
    case ACT_PREV_STATE:
        if (s->mode == MODE_HELP)
            return 0;
        return session_pace(s, a == ACT_NEXT_SEG || a == ACT_NEXT_STATE,
                            a == ACT_NEXT_STATE || a == ACT_PREV_STATE);
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
    case ACT_DROP_NEXT:
    case ACT_SELECT:
    case ACT_DROP_SELECTED:
    case ACT_LOSS:
    case ACT_DELACK:
    case ACT_MSL:
    case ACT_UNDO:
    case ACT_SAVE: return session_edit_act(s, a);
    case ACT_QUIZ: return session_quiz_toggle(s);
    case ACT_ANSWER: return 0; /* needs the key: session_key() */
    case ACT_DEMO: return session_quiz_demo(s);
    case ACT_ABSOLUTE: s->absolute = !s->absolute; break;
    case ACT_DIAGRAM: session_toggle_mode(s, MODE_DIAGRAM); break;
    case ACT_LOG: session_toggle_mode(s, MODE_LOG); break;
    case ACT_CROWD: session_toggle_mode(s, MODE_CROWD); break;
    case ACT_FOLLOW: return session_follow_act(s);
    case ACT_HELP:
        session_toggle_mode(s, MODE_HELP);
        s->help_page = 0;
        break;
    case ACT_LANG: return session_lang(s);
    case ACT_PICKER: return session_to_picker(s);
    case ACT_QUIT:
        if (s->mode != MODE_MAIN) {
            s->mode = MODE_MAIN;
            break;
        }
        return SESSION_QUIT;
    case ACT_BACK:
        if (s->mode == MODE_MAIN)
            return 0;
        s->mode = MODE_MAIN;
        break;
    case ACT_CHOOSE:
    case ACT_OPEN:
    case ACT__COUNT: return 0; /* the picker's */
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
