/*
 * Quiz mode, the language switch and the scenario picker in the session,
 * with no terminal, on the shipped four-way close: stepping stops at each
 * question, answers are checked against the run, the score adds up,
 * playback and End stop at a question, and a what-if edit makes the
 * questions still ahead answer from the new run. The picker chooses,
 * opens (or says why it cannot) and is back with o. The pace keys (] [ } {)
 * land on the trace's next or previous packet event or state change.
 */
#include "sessiontest.h"
#include "ui/draw_diagram.h"
#include "ui/draw_quiz.h"
#include "ui/narrate.h"

static struct scenario *
load(void)
{
    return load_named("four-way-close");
}

static const struct quiz_item *
shown(const struct session *s)
{
    return s->quiz_show >= 0 ? &s->quiz[s->quiz_show] : NULL;
}

/* Press n until a question shows (at most max times). */
static bool
step_to_question(struct session *s, int max)
{
    for (int i = 0; i < max && s->step < s->nsteps; i++) {
        session_act(s, ACT_NEXT);
        if (s->quiz_show >= 0 &&
            !s->answers[shown(s)->q - s->run->quiz].answered)
            return true;
    }
    return false;
}

static void
type(struct session *s, const char *keys)
{
    for (const char *k = keys; *k; k++)
        session_key(s, *k == '\n' ? KEYS_ENTER : *k);
}

/* The choice key (1-4) of the answer, or of a wrong one. */
static char
choice_key(const struct session *s, bool right)
{
    struct quiz_value c[4];
    int n = quiz_choices(shown(s), c, 4);
    for (int i = 0; i < n; i++)
        if (quiz_equal(&c[i], &shown(s)->answer) == right)
            return (char)('1' + i);
    return '0';
}

static void
test_quiz(void)
{
    struct session s;
    struct draw_view v;
    size_t at;
    char key[2] = {0};

    session_open(&s, load(), "en");
    ok(strstr(frame(&s, 100, 30), "z quiz") != NULL, "z quiz in the key bar");
    session_act(&s, ACT_QUIZ);
    ok(s.quiz_on, "z turns quiz mode on");
    ok(strstr(frame(&s, 100, 30), "7 questions in this run"),
       "and says how many questions there are");

    /* The first question: the close's segment count, typed in. */
    ok(step_to_question(&s, 200), "stepping stops at a question");
    at = s.step;
    is_int(session_event(&s), shown(&s)->at, "right after its event");
    is_int(shown(&s)->q->ask, QUIZ_CLOSE_SEGMENTS, "the first question");
    session_act(&s, ACT_NEXT);
    is_int(s.step, at, "n waits for the answer");
    ok(strstr(frame(&s, 100, 30), "Answer the question first"), "and says so");
    session_act(&s, ACT_LAST);
    is_int(s.step, at, "End waits too");
    session_act(&s, ACT_PLAY);
    ok(!s.playing, "and so does play");
    ok(strstr(frame(&s, 100, 30), "Quiz \u00b7 question 1 of 7"),
       "the panel numbers the question");
    type(&s, "49");
    session_key(&s, KEYS_BACKSPACE);
    is_str(s.quiz_input, "4", "Backspace takes back a digit");
    ok(strstr(frame(&s, 100, 30), "then Enter: 4"), "the digits show");
    type(&s, "\n");
    session_view(&s, &v);
    ok(v.quiz.answered && v.quiz.right, "4 is right");
    is_int(v.quiz.score, 1, "score 1");
    ok(strstr(frame(&s, 100, 30), "Right: 4.") &&
           strstr(frame_text, "QUIZ \u2713"
                              "1/1"),
       "right, and the score in the header");

    /* The second question at the same moment: answered wrong. */
    session_act(&s, ACT_NEXT);
    is_int(s.step, at, "a second question at the same step");
    is_int(shown(&s)->q->ask, QUIZ_TIME_WAIT, "who goes through TIME-WAIT");
    key[0] = choice_key(&s, false);
    type(&s, key);
    session_view(&s, &v);
    ok(v.quiz.answered && !v.quiz.right, "a wrong choice is wrong");
    ok(strstr(frame(&s, 100, 30), "Not quite") &&
           strstr(frame_text, "QUIZ \u2713"
                              "1/2") &&
           strstr(frame_text, "the active closer"),
       "wrong, the explanation, score 1 of 2");

    /* Stepping back and forth shows the answer again, asks nothing. */
    session_act(&s, ACT_PREV);
    session_act(&s, ACT_NEXT);
    is_int(s.step, at, "back at the question's step");
    session_view(&s, &v);
    ok(v.quiz.item && v.quiz.answered, "its answer shows again");

    /* End stops at the next question. */
    session_act(&s, ACT_NEXT);
    session_act(&s, ACT_LAST);
    ok(s.step < s.nsteps && shown(&s) &&
           !s.answers[shown(&s)->q - s.run->quiz].answered,
       "End stops at the next question");
    is_int(shown(&s)->q->ask, QUIZ_STATE, "the server's state");
    key[0] = choice_key(&s, true);
    type(&s, key);
    session_view(&s, &v);
    is_int(v.quiz.score, 2, "right: 2 of 3");

    /* The ack number, asked at the same moment. */
    session_act(&s, ACT_NEXT);
    is_int(shown(&s)->q->ask, QUIZ_NEXT_ACK, "then the ack number");
    type(&s, "102\n");
    session_view(&s, &v);
    is_int(v.quiz.score, 3, "102 is right: 3 of 4");

    /* Play stops at the next one. */
    session_act(&s, ACT_NEXT);
    session_act(&s, ACT_PLAY);
    ok(s.playing, "playing");
    for (int i = 0; i < 200 && s.playing; i++)
        session_tick(&s, 1000);
    ok(!s.playing && shown(&s) &&
           !s.answers[shown(&s)->q - s.run->quiz].answered,
       "playback stops at a question");

    /* Answer the rest right; the end shows the final score. */
    for (int i = 0; i < 10; i++) {
        if (shown(&s) && !s.answers[shown(&s)->q - s.run->quiz].answered) {
            struct quiz_value c[4];
            if (quiz_choices(shown(&s), c, 4) > 0) {
                key[0] = choice_key(&s, true);
                type(&s, key);
            } else {
                char num[24];
                snprintf(num, sizeof num, "%lld\n",
                         (long long)shown(&s)->answer.v);
                type(&s, num);
            }
        }
        session_act(&s, ACT_LAST);
    }
    is_int(s.step, s.nsteps, "at the end");
    session_view(&s, &v);
    ok(v.quiz.over, "the quiz is over");
    is_int(v.quiz.score, 6, "6 of 7 right");
    is_int(v.quiz.nanswered, 7, "all answered");
    ok(strstr(frame(&s, 100, 30), "You got 6 of 7 right"),
       "the final score shows");

    /* Chinese: the same panel. */
    session_act(&s, ACT_LANG);
    ok(strstr(frame(&s, 100, 30), "答对 6 题，共回答 7 题") &&
           strstr(frame_text, "测验 \u2713"
                              "6/7"),
       "the final score in Chinese");
    session_act(&s, ACT_LANG);

    session_act(&s, ACT_QUIZ);
    ok(!s.quiz_on && strstr(frame(&s, 100, 30), "score so far: 6 of 7"),
       "z again leaves quiz mode with the score");
    session_close(&s);
}

/* Drop the client's last ACK: the close takes one more segment. */
static void
test_quiz_after_edit(void)
{
    struct session s;
    struct session_edit e = {.kind = EDIT_DROP};
    struct draw_view v;
    uint32_t last_ack = 0;

    session_open(&s, load(), "en");
    session_act(&s, ACT_QUIZ);
    ok(step_to_question(&s, 200), "at the first question");
    is_int(shown(&s)->answer.v, 4, "four segments as written");
    for (size_t i = 0; i < s.trace.len; i++) {
        const struct trace_event *t = trace_at(&s.trace, i);
        if (t->kind == TRACE_SEND && t->seg.from == SIDE_CLIENT &&
            t->seg.flags == TCP_ACK && t->seg.len == 0)
            last_ack = t->seg.id;
    }
    ok(last_ack != 0, "the client's last ACK");
    e.seg_id = last_ack;
    session_edit(&s, &e);
    ok(shown(&s) && shown(&s)->q->ask == QUIZ_CLOSE_SEGMENTS,
       "the question is still asked after the edit");
    is_int(shown(&s)->answer.v, 5,
           "its answer now comes from the new run: the ACK goes again");
    type(&s, "5\n");
    session_view(&s, &v);
    ok(v.quiz.right, "5 is right in the edited run");

    /* Answered questions ahead of an edit are asked again; those behind
     * it keep their answers. */
    session_act(&s, ACT_NEXT);
    type(&s, (char[]){choice_key(&s, true), 0});
    size_t q2 = (size_t)(shown(&s)->q - s.run->quiz);
    size_t step2 = s.step;
    session_act(&s, ACT_NEXT);
    ok(step_to_question(&s, 200), "the third question");
    type(&s, (char[]){choice_key(&s, true), 0});
    size_t q3 = (size_t)(shown(&s)->q - s.run->quiz);
    ok(s.answers[q2].answered && s.answers[q3].answered, "both answered");
    session_goto(&s, step2 + 1);
    session_act(&s, ACT_DROP_NEXT);
    ok(s.answers[q2].answered, "the one behind the edit keeps its answer");
    ok(!s.answers[q3].answered, "the one ahead of it is open again");
    session_close(&s);
}

/* Every answer is explained from the run; the scenario's own explanation
 * gives way when an edit makes it false; a concept question's answer
 * offers its demo, one key away. */
static void
test_quiz_explain_and_demo(void)
{
    struct session s;
    struct session_edit e = {.kind = EDIT_DELACK, .delack_off = true};
    struct scenario *demo;
    int r;

    session_open(&s, load_named("three-segment-close"), "en");
    session_edit(&s, &e);
    session_act(&s, ACT_QUIZ);
    ok(step_to_question(&s, 200), "at the close's question");
    r = session_act(&s, ACT_DEMO);
    ok(!(r & SESSION_OPEN) &&
           strstr(frame(&s, 120, 45), "w opens a demo after"),
       "w before an answer: no demo yet, and it says so");
    type(&s, "3\n");
    frame(&s, 120, 45);
    ok(strstr(frame_text,
              "4 segments in this run: client FIN (seq=101), server ACK "
              "(ack=102)"),
       "the computed explanation lists the run's own segments");
    ok(!strstr(frame_text, "Three: the server's application") &&
           strstr(frame_text, "no longer applies after your edit: it expects a "
                              "close of 3 segments"),
       "the scenario's 'Three' is not shown, and the panel says why");
    session_act(&s, ACT_LANG);
    ok(strstr(frame(&s, 120, 45), "本次运行中关闭共 4 个报文段") &&
           strstr(frame_text, "在你修改之后不再适用"),
       "the same in Chinese");
    session_act(&s, ACT_LANG);

    /* The concept question at the end offers four-way-close. */
    for (int i = 0; i < 10 && s.step < s.nsteps; i++) {
        if (shown(&s) && !s.answers[shown(&s)->q - s.run->quiz].answered)
            type(&s, (char[]){choice_key(&s, false), 0});
        if (shown(&s) && shown(&s)->q->ask == QUIZ_CHOICE)
            break;
        session_act(&s, ACT_LAST);
    }
    ok(shown(&s) && shown(&s)->q->ask == QUIZ_CHOICE, "the concept question");
    ok(strstr(frame(&s, 120, 45), "2) When the passive closer's application") &&
           strstr(frame_text, "\u2713"),
       "its choices are sentences, the right one marked");
    ok(strstr(frame_text, "w opens four-way-close: watch it happen."),
       "the answer offers the demo, with the key from the key table");
    r = session_act(&s, ACT_DEMO);
    ok((r & SESSION_OPEN) &&
           strstr(s.open_path, "/scenarios/four-way-close.json"),
       "w asks to open the demo's file, beside this scenario");
    demo = load_named("four-way-close");
    session_open_chosen(&s, demo, NULL);
    ok(s.run && strcmp(s.run->name, "four-way-close") == 0 && !s.open_path[0] &&
           strstr(frame(&s, 120, 45), "The demo, "
                                      "four-way-close"),
       "the demo opens, and says so");
    session_close(&s);
}

static void
test_lang(void)
{
    struct session s;

    session_open(&s, load(), "en");
    for (int i = 0; i < 40; i++)
        session_act(&s, ACT_NEXT);
    ok(strstr(frame(&s, 100, 30), "sent FIN, waiting for it to be ACKed"),
       "English state meaning");
    session_act(&s, ACT_LANG);
    ok(strstr(frame(&s, 100, 30), "已发送 FIN，等待对端确认"),
       "L: Chinese state meaning");
    ok(strstr(frame_text, "第 40/") && strstr(frame_text, "讲解"),
       "Chinese header and narration title");
    ok(!strstr(frame_text, "\xef\xbf\xbd"), "nothing undecodable");
    s.ascii = true;
    session_act(&s, ACT_LANG);
    is_str(s.lang, "en", "back to English is always allowed");
    session_close(&s);

    /* An ASCII terminal cannot show Chinese: L says so. */
    session_open(&s, load(), "en");
    s.ascii = true;
    session_act(&s, ACT_LANG);
    is_str(s.lang, "en", "ASCII keeps English");
    ok(strstr(frame(&s, 100, 30), "needs a UTF-8 terminal"), "and says why");
    session_close(&s);
}

static void
test_picker(void)
{
    char dir[4096];
    struct scenario_dir dirs[1] = {{dir, ORIGIN_BUILTIN}};
    struct catalog cat;
    struct session s;
    int res;

    snprintf(dir, sizeof dir, "%s/scenarios",
             getenv("SRCDIR") ? getenv("SRCDIR") : ".");
    ok(catalog_load(&cat, dirs, 1) > 3, "the shipped scenarios");
    session_open_picker(&s, &cat, "en");
    is_int(s.mode, MODE_PICKER, "the picker is a mode");
    ok(strstr(frame(&s, 100, 30), "Pick a scenario"), "drawn by draw_frame");
    ok(strstr(frame_text,
              "\u2191 \u2193 choose  Enter open  L English/中文  q quit"),
       "its key bar, from the key table");
    session_key(&s, 'j');
    session_key(&s, KEYS_DOWN);
    is_int(s.pick, 2, "j and Down choose the next");
    session_key(&s, 'k');
    is_int(s.pick, 1, "k the one above");
    for (int i = 0; i < 5; i++)
        session_key(&s, KEYS_UP);
    is_int(s.pick, 0, "not above the first");
    is_int(session_act(&s, ACT_NEXT), 0, "the viewer's actions do nothing");
    session_key(&s, 'L');
    ok(strstr(frame(&s, 100, 30), "选择一个场景"), "L: Chinese");
    session_key(&s, 'L');

    /* A file that does not load: the picker says why, until the next key. */
    res = session_key(&s, KEYS_ENTER);
    ok(res & SESSION_OPEN, "Enter asks for the choice to be opened");
    session_open_chosen(&s, NULL, "x.json:1:1: bad");
    is_int(s.mode, MODE_PICKER, "a file that fails keeps the picker");
    ok(strstr(frame(&s, 100, 30), "x.json:1:1: bad"), "and shows why");
    session_key(&s, 'Z');
    ok(!strstr(frame(&s, 100, 30), "x.json"), "a key clears it");

    session_key(&s, 'j');
    session_open_chosen(&s, load(), NULL);
    is_int(s.mode, MODE_MAIN, "opened");
    ok(strstr(frame(&s, 100, 30), "step 0/"), "at the start");
    session_act(&s, ACT_NEXT);
    is_int(s.step, 1, "n steps again");
    session_act(&s, ACT_PICKER);
    is_int(s.mode, MODE_PICKER, "o: back to the picker");
    is_int(s.pick, 1, "with the same choice");
    ok(s.base == NULL, "and the scenario closed");
    ok(session_key(&s, 'q') & SESSION_QUIT, "q quits from the picker");

    /* ASCII: the picker stays English and says why, as the viewer does. */
    s.ascii = true;
    session_key(&s, 'L');
    is_str(s.lang, "en", "ASCII keeps English");
    ok(strstr(frame(&s, 100, 30), "needs a UTF-8 terminal"), "and says why");
    session_close(&s);
    catalog_free(&cat);
}

/*
 * A run stopped by a limit is shown up to where it stopped, and the
 * narration says so in both languages. The limits are small here so that
 * a scenario that keeps probing for a simulated day reaches one at once.
 */
static void
test_limit(void)
{
    static const char json[] =
        "{\"title\": \"t\", \"duration_ms\": 500,"
        " \"network\": {\"delay_ms\": 0.1},"
        " \"tcp\": {\"keepalive_time_ms\": 1, \"keepalive_intvl_ms\": 1},"
        " \"client\": {\"keepalive\": true,"
        "  \"script\": [{\"at_ms\": 0, \"call\": \"connect\"}]},"
        " \"server\": {\"script\": [{\"at_ms\": 0, \"call\": \"listen\"}]}}";
    const struct world_limits small = {
        .events = 5000, .same_instant = 5000, .trace_bytes = 1 << 30};
    struct synfin_err err;
    struct scenario *scn =
        scenario_load_buffer("t.json", json, sizeof json - 1, NULL, 0, &err);
    struct session s;

    if (!ok(scn != NULL, "limit: the scenario loads"))
        return;
    session_open(&s, scn, "en");
    ok(!s.stopped && s.message[0] == '\0',
       "limit: half a second of probing ends by itself");
    /* A simulated day of it would not, before a limit. */
    scn->duration_us = 86400000000ull;
    s.limits = &small;
    session_rerun(&s);
    ok(s.stopped, "limit: 5,000 events stop the run");
    ok(s.nsteps > 100, "limit: what ran until then is there to step through");
    ok(strstr(s.message, "stopped at one of its limits") != NULL,
       "limit: the narration says so");
    s.lang = "zh";
    session_rerun(&s);
    ok(strstr(s.message, "上限") != NULL, "limit: in Chinese too");
    session_close(&s);
}

/* Is trace event i one that the pace keys stop at? */
static bool
pace_kind(const struct trace_event *e, bool state)
{
    return state ? e->kind == TRACE_STATE
                 : e->kind == TRACE_SEND || e->kind == TRACE_ARRIVE ||
                       e->kind == TRACE_DROP;
}

/* The event the trace says a pace key should land on from event ev
 * (DRAW_NONE: the start), DRAW_NONE if none that way. */
static uint32_t
pace_want(const struct trace *t, uint32_t ev, bool forward, bool state)
{
    if (forward) {
        for (size_t i = ev == DRAW_NONE ? 0 : ev + 1; i < t->len; i++)
            if (pace_kind(trace_at(t, i), state))
                return (uint32_t)i;
    } else {
        for (size_t i = ev == DRAW_NONE ? 0 : ev; i-- > 0;)
            if (pace_kind(trace_at(t, i), state))
                return (uint32_t)i;
    }
    return DRAW_NONE;
}

/*
 * ] [ } {: from every step, the cursor lands on exactly the next or
 * previous packet event or state change of the trace, or stays put at the
 * ends and says so; playback stops; a question stops the move forward; the
 * four-way close's last state change is a few presses away.
 */
static const struct {
    enum keys_action a;
    const char *name;
    bool forward, state;
    const char *none;
} pace_acts[] = {
    {ACT_NEXT_SEG, "]", true, false, "No packet sent, arriving or lost after"},
    {ACT_PREV_SEG, "[", false, false,
     "No packet sent, arriving or lost before"},
    {ACT_NEXT_STATE, "}", true, true, "No state change after"},
    {ACT_PREV_STATE, "{", false, true, "No state change before"},
};

/* Each pace key from every step of s: where the trace says, or put. */
static void
pace_sweep(struct session *s, const char *scn)
{
    for (size_t a = 0; a < 4; a++) {
        int bad = 0, moved = 0, ends = 0;
        for (size_t k = 0; k <= s->nsteps; k++) {
            uint32_t want;
            session_goto(s, k);
            want = pace_want(&s->trace, session_event(s), pace_acts[a].forward,
                             pace_acts[a].state);
            session_act(s, pace_acts[a].a);
            if (want == DRAW_NONE) {
                ends++;
                bad += s->step != k || !strstr(s->message, pace_acts[a].none);
            } else {
                moved++;
                bad += session_event(s) != want || s->message[0];
            }
        }
        is_int(bad, 0,
               "%s: %s from each of %zu steps: on the trace's next event of "
               "its kinds that way, or put with a message (%d moves, %d at "
               "an end)",
               scn, pace_acts[a].name, s->nsteps + 1, moved, ends);
        ok(moved > 0 && ends > 0, "%s: %s: both cases seen", scn,
           pace_acts[a].name);
    }
}

static void
test_pace(void)
{
    struct session s;
    int presses = 0;
    uint32_t last_state = DRAW_NONE;
    size_t at;

    /* A drop is a stop: the lost final ACK. */
    session_open(&s, load_named("lost-final-ack"), "en");
    pace_sweep(&s, "lost-final-ack");
    session_goto(&s, 0);
    do
        session_act(&s, ACT_NEXT_SEG);
    while (s.step < s.nsteps && presses++ < 100 &&
           trace_at(&s.trace, session_event(&s))->kind != TRACE_DROP);
    is_int(trace_at(&s.trace, session_event(&s))->kind, TRACE_DROP,
           "lost-final-ack: ] stops at the drop");
    session_close(&s);

    presses = 0;
    session_open(&s, load(), "en");
    pace_sweep(&s, "four-way-close");
    /* The ends, and the keys. */
    session_goto(&s, 0);
    session_key(&s, '[');
    is_int(s.step, 0, "[ at the start stays there");
    session_key(&s, ']');
    is_int(trace_at(&s.trace, session_event(&s))->kind, TRACE_SEND,
           "] to the SYN");
    session_key(&s, 0x3011);
    ok(s.step > 1, "】 (Chinese punctuation) is ] too");
    session_goto(&s, s.nsteps);
    s.lang = "zh";
    session_key(&s, '}');
    is_int(s.step, s.nsteps, "} at the end stays there");
    is_str(s.message, "这一步之后没有状态变化。", "and says so in Chinese");
    session_key(&s, ']');
    is_str(s.message, "这一步之后没有报文的发送、到达或丢失。", "] too");
    s.lang = "en";
    /* The teacher's pace: the close's last state change in a dozen. */
    for (size_t i = 0; i < s.trace.len; i++)
        if (trace_at(&s.trace, i)->kind == TRACE_STATE)
            last_state = (uint32_t)i;
    session_goto(&s, 0);
    while (session_event(&s) != last_state && presses < 100) {
        session_act(&s, ACT_NEXT_STATE);
        presses++;
    }
    ok(presses <= 12, "} reaches the last state change in %d presses (n: %zu)",
       presses, s.step);
    /* Playback stops; help pages are n and p's, not these keys'. */
    session_goto(&s, 3);
    s.playing = true;
    session_act(&s, ACT_NEXT_SEG);
    ok(!s.playing, "] stops playback");
    s.playing = true;
    session_act(&s, ACT_PREV_STATE);
    ok(!s.playing, "{ stops playback");
    at = s.step;
    session_act(&s, ACT_HELP);
    session_act(&s, ACT_NEXT_STATE);
    is_int(s.step, at, "} does nothing in the help");
    session_act(&s, ACT_HELP);
    /* A question stops the move forward, as it stops n. */
    session_goto(&s, 0);
    session_act(&s, ACT_QUIZ);
    ok(step_to_question(&s, 200), "quiz: n stops at the first question");
    at = s.step;
    session_goto(&s, 0);
    for (int i = 0; i < 200 && s.step < at; i++)
        session_act(&s, ACT_NEXT_STATE);
    is_int(s.step, at, "quiz: } stops at the same question");
    ok(shown(&s) && !s.answers[shown(&s)->q - s.run->quiz].answered,
       "and asks it");
    session_act(&s, ACT_NEXT_SEG);
    is_int(s.step, at, "] waits for the answer");
    ok(strstr(s.message, "Answer the question first") != NULL, "and says so");
    session_act(&s, ACT_PREV_SEG);
    ok(s.step < at, "[ goes back, as p does");
    session_close(&s);
}

/*
 * Words on screen come from the run (issue 10): a retransmitted FIN that
 * TIME-WAIT answers is "re-ACKed", not "discarded", and its narration says
 * so; the end of a TIME-WAIT that lasted 2 x MSL is "2MSL over", and of
 * Linux's fixed-length one "TIME-WAIT over".
 */
static void
test_derived_words(void)
{
    struct session s;
    struct draw_view v;
    char buf[2048];
    uint32_t disc = 0, fire = 0;

    session_open(&s, load_named("lost-final-ack"), "en");
    for (uint32_t i = 0; i < s.trace.len; i++) {
        if (trace_at(&s.trace, i)->kind == TRACE_DISCARD && !disc)
            disc = i;
        if (trace_at(&s.trace, i)->kind == TRACE_TIMER_FIRE &&
            trace_at(&s.trace, i)->a == TIMER_TIME_WAIT)
            fire = i;
    }
    ok(disc && narrate_discard_reply(&s.trace, disc) == REPLY_ACK_RESTART,
       "lost-final-ack: the client re-ACKs the FIN and restarts TIME-WAIT");
    session_close(&s);
    /* The same run without its notes: the generated narration. */
    {
        static const char *const no_notes[] = {"notes=[]"};
        char path[4096];
        struct synfin_err err;
        snprintf(path, sizeof path, "%s/scenarios/lost-final-ack.json",
                 getenv("SRCDIR") ? getenv("SRCDIR") : ".");
        session_open(&s, scenario_load(path, no_notes, 1, &err), "en");
    }
    disc = fire = 0;
    for (uint32_t i = 0; i < s.trace.len; i++) {
        if (trace_at(&s.trace, i)->kind == TRACE_DISCARD && !disc)
            disc = i;
        if (trace_at(&s.trace, i)->kind == TRACE_TIMER_FIRE &&
            trace_at(&s.trace, i)->a == TIMER_TIME_WAIT)
            fire = i;
    }
    session_view(&s, &v);
    v.ev = disc;
    narrate_event(&v, buf, sizeof buf);
    ok(strstr(buf, "answers with an ACK and starts its TIME-WAIT timer "
                   "again") != NULL &&
           strstr(buf, "discards") == NULL,
       "the narration says it answers, not that it discards (%s)", buf);
    ok(fire && narrate_time_wait_is_2msl(&v, fire),
       "rfc: TIME-WAIT ran for 2 x MSL");
    session_close(&s);

    session_open(&s, load_named("delayed-ack-fin-retransmit"), "en");
    session_view(&s, &v);
    for (uint32_t i = 0; i < s.trace.len; i++)
        if (trace_at(&s.trace, i)->kind == TRACE_TIMER_FIRE &&
            trace_at(&s.trace, i)->a == TIMER_TIME_WAIT)
            fire = i;
    ok(!narrate_time_wait_is_2msl(&v, fire),
       "linux: TIME-WAIT is not 2 x MSL (time_wait_ms 4 s, MSL %llu us)",
       (unsigned long long)v.msl_us);
    session_close(&s);
}

/*
 * The state diagram draws an arc that a straight line would pass through
 * other states around them: at the end of the four-way close, nothing of
 * TIME-WAIT -> CLOSED or LAST-ACK -> CLOSED touches the cells right above
 * or below LISTEN, ESTABLISHED, CLOSING or CLOSE-WAIT.
 */
static void
test_diagram_arcs(void)
{
    static const char *const between[] = {"LISTEN", "ESTABLISHED", "CLOSING",
                                          "CLOSE-WAIT"};
    static const int sizes[][2] = {{100, 30}, {80, 24}, {160, 45}};
    struct session s;
    struct draw_view v;

    session_open(&s, load(), "en");
    session_view(&s, &v);
    v.ev = (uint32_t)s.trace.len - 1;
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        struct canvas c;
        int bad = 0;
        canvas_init(&c, sizes[z][0], sizes[z][1], false);
        draw_diagram(&c, 0, 0, c.w, c.h, &v);
        for (int y = 1; y + 1 < c.h; y++)
            for (int x = 0; x + 12 < c.w / 2; x++)
                for (size_t k = 0; k < 4; k++) {
                    const char *name = between[k];
                    int len = (int)strlen(name), j = 0;
                    while (j < len && canvas_cell_const(&c, x + j, y)->ch ==
                                          (uint32_t)name[j])
                        j++;
                    if (j < len)
                        continue;
                    for (int dx = -2; dx < len + 2; dx++)
                        bad +=
                            canvas_cell_const(&c, x + dx, y - 1)->ch == 0xB7 ||
                            canvas_cell_const(&c, x + dx, y + 1)->ch == 0xB7;
                }
        ok(bad == 0, "state diagram at %dx%d: no arc through another state",
           c.w, c.h);
        canvas_free(&c);
    }
    session_close(&s);
}

int
main(void)
{
    test_quiz();
    test_quiz_after_edit();
    test_quiz_explain_and_demo();
    test_lang();
    test_picker();
    test_limit();
    test_derived_words();
    test_diagram_arcs();
    test_pace();
    return done_testing();
}
