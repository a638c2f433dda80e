/*
 * The pure drawing layer on a hand-written trace (synth.h): the diagram's
 * layout, arrows, drops, packets in flight, relative and absolute numbers,
 * the state boxes and their timers, narration and the key table.
 */
#include <errno.h>

#include "synth.h"
#include "tap.h"
#include "ui/draw_frame.h"
#include "ui/draw_seq.h"
#include "ui/draw_state.h"
#include "ui/keys.h"
#include "ui/narrate.h"

static char text[64 * 1024];

/* The canvas as text. */
static const char *
canvas_str(const struct canvas *c)
{
    FILE *f = fmemopen(text, sizeof text, "w");
    canvas_write_text(c, f);
    fclose(f);
    return text;
}

static void
view_at(struct draw_view *v, const struct trace *t, uint32_t ev)
{
    memset(v, 0, sizeof *v);
    v->trace = t;
    v->ev = ev;
    v->now_us = ev == DRAW_NONE ? 0 : trace_at(t, ev)->t_us;
    v->lang = "en";
}

/* The index of the n-th (1-based) event of a kind. */
static uint32_t
find(const struct trace *t, int kind, int n)
{
    for (size_t i = 0; i < t->len; i++)
        if (trace_at(t, i)->kind == kind && --n == 0)
            return (uint32_t)i;
    return DRAW_NONE;
}

static void
test_layout(void)
{
    struct trace t;
    struct draw_seq_layout l;
    int last = -1, mono = 1, spans = 1;

    synth_build(&t, 1);
    draw_seq_layout_build(&l, &t, 0, 0);
    is_int(l.narrows, 8, "one arrow per packet");
    is_int(l.unit_us, 50000, "the unit is the one-way delay");
    for (size_t i = 0; i < t.len; i++) {
        if (l.ev_row[i] < 0)
            continue;
        mono &= l.ev_row[i] >= last;
        last = l.ev_row[i];
    }
    ok(mono, "rows never go back up");
    for (size_t i = 0; i < l.narrows; i++)
        spans &= l.arrows[i].y1 - l.arrows[i].y0 >= 2;
    ok(spans, "every arrow slopes over at least two rows");
    is_int(l.arrows[5].dropped, 1, "the server's FIN is dropped");
    is_int(l.arrows[5].cut, 500, "and stops halfway");
    is_int(l.ev_arrow[l.arrows[7].send_ev], 7, "events know their arrow");
    ok(l.arrows[1].has_seq && l.arrows[1].base_seq == 5000 &&
           l.arrows[1].base_ack == 1000,
       "ISNs for relative numbers");
    int breaks = 0;
    for (size_t i = 0; i < l.nrows; i++)
        breaks += l.rows[i].kind == SEQ_ROW_BREAK;
    is_int(breaks, 2, "the RTO wait and the 2MSL wait are folded");
    draw_seq_layout_free(&l);
    trace_free(&t);
}

static void
test_seq_draw(void)
{
    struct trace t;
    struct draw_seq_layout l;
    struct canvas c;
    struct draw_view v;
    struct draw_seq_hits hits;
    uint32_t ids[8];

    synth_build(&t, 1);
    draw_seq_layout_build(&l, &t, 0, 0);
    canvas_init(&c, 100, 40, false);

    view_at(&v, &t, (uint32_t)t.len - 1);
    draw_seq_draw(&c, 0, 0, 100, 40, &l, &v, &hits);
    canvas_str(&c);
    ok(strstr(text, "SYN,ACK seq=0 ack=1"), "relative SYN,ACK");
    ok(strstr(text, "FIN seq=1 ack=2"), "the server's FIN, relative");
    ok(strstr(text, "lost: rule 1 (drop the server's FIN)"),
       "the drop and its cause");
    ok(strstr(text, "\u2717"), "a cross where it was lost");
    ok(strstr(text, "\u21bb"), "the retransmission stands out");
    ok(strstr(text, "\u22ee 4.0 s"), "the 2MSL gap is folded");
    ok(strstr(text, "TIME-WAIT"), "state changes on the lifeline");
    ok(strstr(text, "RTO fires"), "the timer that fired");
    is_int(hits.n, 0, "nothing in flight at the end");

    v.absolute = true;
    canvas_clear(&c);
    draw_seq_draw(&c, 0, 0, 100, 40, &l, &v, NULL);
    ok(strstr(canvas_str(&c), "SYN,ACK seq=5000 ack=1001"),
       "absolute numbers on a key");

    /* Halfway through the SYN's flight: a moving packet. */
    view_at(&v, &t, find(&t, TRACE_SEND, 1));
    v.now_us = 25000;
    canvas_clear(&c);
    draw_seq_draw(&c, 0, 0, 100, 40, &l, &v, &hits);
    is_int(hits.n, 1, "the SYN is in flight");
    is_int(draw_seq_in_flight(&l, &v, ids, 8), 1, "in flight, listed");
    ok(hits.n == 1 && hits.hit[0].x > 40 && hits.hit[0].x < 60,
       "drawn halfway across");
    ok(strstr(canvas_str(&c), "\u25cf"), "as a dot");

    /* Before the first event: lifelines only, dotted. */
    view_at(&v, &t, DRAW_NONE);
    canvas_clear(&c);
    draw_seq_draw(&c, 0, 0, 100, 10, &l, &v, NULL);
    ok(strstr(canvas_str(&c), "\u2506") && !strstr(text, "SYN"),
       "the start shows no packets");

    /* Narrow: still no line wider than the canvas, labels clipped. */
    canvas_free(&c);
    canvas_init(&c, 64, 20, false);
    view_at(&v, &t, (uint32_t)t.len - 1);
    draw_seq_draw(&c, 0, 0, 64, 20, &l, &v, NULL);
    ok(strstr(canvas_str(&c), "CLOSED"), "narrow diagram still drawn");
    canvas_free(&c);
    draw_seq_layout_free(&l);
    trace_free(&t);
}

static void
test_state_box(void)
{
    struct trace t;
    struct canvas c;
    struct draw_view v;

    synth_build(&t, 0);
    canvas_init(&c, 50, 12, false);
    /* Just after the client entered TIME-WAIT and armed 2MSL. */
    uint32_t tw = DRAW_NONE;
    for (int k = 1; tw == DRAW_NONE && k < 10; k++) {
        uint32_t i = find(&t, TRACE_TIMER_SET, k);
        if (i != DRAW_NONE && trace_at(&t, i)->a == TIMER_TIME_WAIT)
            tw = i;
    }
    ok(tw != DRAW_NONE, "the 2MSL timer is set");
    if (tw == DRAW_NONE)
        tw = (uint32_t)t.len - 1;
    view_at(&v, &t, tw);
    v.now_us += 1000000;
    draw_state_box(&c, 0, 0, 50, 12, SIDE_CLIENT, &v);
    canvas_str(&c);
    ok(strstr(text, "T I M E - W A I T"), "big state name");
    ok(strstr(text, "waiting for old segments"), "what it means");
    ok(strstr(text, "SND.UNA 2  SND.NXT 2  RCV.NXT 2"), "relative variables");
    ok(strstr(text, "send shut   recv shut"), "both directions shut");
    ok(strstr(text, "2MSL") && strstr(text, " 3 s"), "the countdown");
    ok(strstr(text, "\u2588") && strstr(text, "\u2591"), "a bar, part gone");

    canvas_clear(&c);
    v.absolute = true;
    draw_state_box(&c, 0, 0, 50, 10, SIDE_SERVER, &v);
    ok(strstr(canvas_str(&c), "SND.UNA 5001"), "absolute variables");
    ok(strstr(text, "RTO"), "the server's retransmission timer");

    canvas_clear(&c);
    view_at(&v, &t, DRAW_NONE);
    v.lang = "zh";
    draw_state_box(&c, 0, 0, 50, 10, SIDE_SERVER, &v);
    ok(strstr(canvas_str(&c), "服务器") && strstr(text, "没有连接"), "Chinese");
    canvas_free(&c);
    trace_free(&t);
}

static void
test_narrate(void)
{
    struct trace t;
    struct draw_view v;
    char buf[1024];

    synth_build(&t, 1);
    /* The client's FIN is followed by a note. */
    view_at(&v, &t, find(&t, TRACE_TIMER_SET, 3));
    is_str(narrate_event(&v, buf, sizeof buf),
           "The client is done sending: its FIN says so.", "the note wins");
    v.lang = "zh";
    ok(strncmp(narrate_event(&v, buf, sizeof buf), "客户端", 9) == 0,
       "the note in Chinese");
    v.lang = "en";
    view_at(&v, &t, find(&t, TRACE_DROP, 1));
    ok(strstr(narrate_event(&v, buf, sizeof buf), "loses the server's FIN"),
       "a drop explained");
    view_at(&v, &t, find(&t, TRACE_STATE, 2));
    ok(strstr(narrate_event(&v, buf, sizeof buf), "Rule: §3.10.1"),
       "the rule that fired");
    narrate_waiting(&v, buf, sizeof buf);
    is_str(buf, "client waits for a SYN,ACK; server waits for a SYN.",
           "what each side waits for");
    /* A failed call says which errno this run gave, and what it means. */
    {
        uint32_t c = find(&t, TRACE_CALL, 1);
        ok(c != DRAW_NONE, "the trace has a call");
        if (c != DRAW_NONE) {
            trace_at_mut(&t, c)->b = ECONNRESET;
            view_at(&v, &t, c);
            ok(strstr(narrate_event(&v, buf, sizeof buf),
                      "It fails with ECONNRESET: the peer reset the "
                      "connection."),
               "a failed call: %s", buf);
            v.lang = "zh";
            ok(strstr(narrate_event(&v, buf, sizeof buf),
                      "调用失败，ECONNRESET：对端重置了连接。"),
               "a failed call, in Chinese: %s", buf);
            trace_at_mut(&t, c)->b = 0;
            v.lang = "en";
            ok(!strstr(narrate_event(&v, buf, sizeof buf), "fails"),
               "a call that succeeds does not fail: %s", buf);
        }
    }
    trace_free(&t);
}

static void
test_keys(void)
{
    size_t n;
    const struct keys_entry *k = keys_table(&n);
    int seen[2][ACT__COUNT] = {{0}}, dup = 0;

    is_int(keys_lookup(KEYS_VIEWER, 'n'), ACT_NEXT, "n");
    is_int(keys_lookup(KEYS_VIEWER, KEYS_RIGHT), ACT_NEXT, "right arrow");
    is_int(keys_lookup(KEYS_VIEWER, KEYS_LEFT), ACT_PREV, "left arrow");
    is_int(keys_lookup(KEYS_VIEWER, ' '), ACT_PLAY, "space");
    is_int(keys_lookup(KEYS_VIEWER, 'd'), ACT_DROP_NEXT, "d");
    is_int(keys_lookup(KEYS_VIEWER, 'Z'), ACT_NONE, "unbound");
    /* The picker binds some of the same keys to its own actions. */
    is_int(keys_lookup(KEYS_PICKER, 'j'), ACT_CHOOSE, "picker: j");
    is_int(keys_lookup(KEYS_PICKER, KEYS_UP), ACT_CHOOSE, "picker: up");
    is_int(keys_lookup(KEYS_PICKER, KEYS_ENTER), ACT_OPEN, "picker: Enter");
    is_int(keys_lookup(KEYS_PICKER, 'n'), ACT_OPEN, "picker: n");
    is_int(keys_lookup(KEYS_PICKER, 'L'), ACT_LANG, "picker: L");
    is_int(keys_lookup(KEYS_PICKER, 'q'), ACT_QUIT, "picker: q quits");
    /* Escape never quits (a mistaken press in a lecture, or the start of a
     * key the terminal cannot name). */
    is_int(keys_lookup(KEYS_PICKER, KEYS_ESC), ACT_NONE, "picker: Esc");
    is_int(keys_lookup(KEYS_VIEWER, KEYS_ESC), ACT_BACK, "viewer: Esc is back");
    is_int(keys_lookup(KEYS_VIEWER, 'q'), ACT_QUIT, "viewer: q quits");
    is_int(keys_lookup(KEYS_PICKER, 'd'), ACT_NONE, "picker: d unbound");
    for (size_t i = 0; i < n; i++)
        dup += seen[keys_group_scope(k[i].group)][k[i].action]++;
    is_int(dup, 0, "each action once in the table, per scope");
    for (int a = ACT_NEXT; a < ACT__COUNT; a++)
        ok(seen[KEYS_VIEWER][a] || seen[KEYS_PICKER][a], "action %d has a key",
           a);
}

/*
 * The too-small message at any size: its words, read row by row, are the
 * three sentences in order (or the first of them that fit), never written
 * over each other.
 */
static void
test_too_small(void)
{
    static const int sizes[][2] = {{10, 5}, {12, 6}, {40, 12},
                                   {1, 1},  {30, 3}, {63, 17}};

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct canvas c;
        char full[256], got[4096];
        size_t n = 0;
        const char *p;

        canvas_init(&c, sizes[i][0], sizes[i][1], false);
        draw_frame_too_small(&c, "en");
        snprintf(full, sizeof full,
                 "The terminal is too small. synfin needs 64x18; this is "
                 "%dx%d. Enlarge it, or press q to quit.",
                 sizes[i][0], sizes[i][1]);
        /* The rows' words, with single spaces; a word cut at the end of a
         * row (a long word) continues on the next. */
        for (p = canvas_str(&c); *p && n + 2 < sizeof got; p++) {
            if (*p == ' ' || *p == '\n') {
                if (n && got[n - 1] != ' ' && (*p == ' ' || p[-1] == '.'))
                    got[n++] = ' ';
                continue;
            }
            got[n++] = *p;
        }
        while (n && got[n - 1] == ' ')
            n--;
        got[n] = '\0';
        ok(n > 0 && strncmp(full, got, n) == 0,
           "too small at %dx%d: the words in order, none over another (%s)",
           sizes[i][0], sizes[i][1], got);
        canvas_free(&c);
    }
}

/*
 * The key bar at every width from 64 columns: quit is always there; the
 * pace keys (spare) only when everything else fits, so at 80 and 100 the
 * bar is what it was.
 */
static void
test_bar(void)
{
    /* Per language: quit, the last two others, and the pace keys. */
    static const char *const want[2][5] = {
        {"q quit", "s states", "e log", "] packet", "} state change"},
        {"q \u9000\u51fa", "s \u72b6\u6001\u56fe", "e \u65e5\u5fd7",
         "] \u62a5\u6587", "} \u72b6\u6001\u53d8\u5316"},
    };
    int bad = 0, with[2] = {0};

    for (int l = 0; l < 2; l++)
        for (int w = 64; w <= 200; w++) {
            struct canvas c;
            const char *t;
            canvas_init(&c, w, 1, false);
            keys_draw_bar(&c, 0, 0, w, l ? "zh" : "en", KEYS_VIEWER);
            t = canvas_str(&c);
            bad += !strstr(t, want[l][0]);
            /* The spare ones in the room the others leave. */
            if (strstr(t, want[l][3]) || strstr(t, want[l][4])) {
                with[l]++;
                bad += !strstr(t, want[l][1]) || !strstr(t, want[l][2]);
            }
            if (w == 80 || w == 100)
                bad += strstr(t, want[l][3]) != NULL;
            canvas_free(&c);
        }
    is_int(bad, 0,
           "key bar: quit at every width; ] and } only when all else fits");
    ok(with[0] > 0 && with[1] > 0,
       "key bar: ] and } are shown when there is room (%d and %d widths)",
       with[0], with[1]);
}

int
main(void)
{
    test_layout();
    test_seq_draw();
    test_state_box();
    test_narrate();
    test_keys();
    test_bar();
    test_too_small();
    return done_testing();
}
