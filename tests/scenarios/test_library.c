/*
 * The scenario library: every file in scenarios/ is loaded, run with a
 * trace, and checked twice.
 *
 * First, as teaching material, the same for all: a title, a description
 * and every note in English and Chinese; every note fires (a TRACE_NOTE
 * with its index); no two notes on one event (the viewer shows only the
 * first); and the texts fit the viewer at 110x34, measured with the UI's
 * own canvas_wrap: a note in the three rows of the narration pane, the
 * description with the viewer's "press n" hint in the same pane, the title
 * in the header.
 *
 * Second, its teaching moment, on the trace data and never on its text:
 * the state changes, segments, timers, call results and event marks
 * (TRACE_F_WHATIF, TRACE_F_STALE) that the scenario exists to show, and
 * for what-ifs the failure itself (end states, missing retransmissions).
 * Every scenario must have such a check: a new file in scenarios/ without
 * one fails here, and so does a check whose scenario is gone.
 *
 * Also: tests/scenarios/pending/ holds scenarios the engine cannot run yet;
 * each is a TAP TODO until it loads, then its check runs like any other.
 * And the TIME-WAIT pile-up is run once more, unrecorded, with enough
 * clients to use up the ephemeral port range.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "synfin/scenario.h"
#include "synfin/tcp.h"
#include "synfin/trace.h"
#include "synfin/world.h"
#include "tap.h"
#include "ui/canvas.h"

#define ANY (-1)
#define SEC 1000000ll
#define MS  1000ll

/* The viewer at 110x34: the narration pane has 3 rows of 106 columns. */
enum { PANE_W = 106, PANE_ROWS = 3, TITLE_W = 40 };

struct run {
    const char *name;
    struct scenario *s;
    struct trace tr;
    struct world_stats st;
};

/* ---- finding events ---------------------------------------------------- */

static const struct trace_event *
ev(const struct run *r, long i)
{
    return i >= 0 && (size_t)i < r->tr.len ? trace_at(&r->tr, i) : NULL;
}

/* side's TCB as it was after event i. */
static struct tcb_view
view(const struct run *r, long i, int side)
{
    return trace_view(&r->tr, trace_at(&r->tr, (size_t)i), side);
}

/* The first event at or after from of this kind and side (ANY) whose a and
 * b match (ANY for either); -1 if none. */
static long
find(const struct run *r, long from, int kind, int side, int a, int b)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < r->tr.len; i++) {
        const struct trace_event *e = trace_at(&r->tr, i);
        if (e->kind == kind && (side == ANY || e->side == side) &&
            (a == ANY || e->a == a) && (b == ANY || e->b == b))
            return (long)i;
    }
    return -1;
}

/* A state change of side from fs (ANY) to ts. */
static long
state(const struct run *r, long from, int side, int fs, int ts)
{
    return find(r, from, TRACE_STATE, side, fs, ts);
}

/* A packet event (send, arrive, drop, discard) of side with all of flags
 * set, none of noflags, and all of tags. For a drop, side is SIDE_NET and
 * the sender is checked with seg.from when from_side is not ANY. */
static long
pkt(const struct run *r, long from, int kind, int side, uint8_t flags,
    uint8_t noflags, uint8_t tags)
{
    for (size_t i = from < 0 ? 0 : (size_t)from; i < r->tr.len; i++) {
        const struct trace_event *e = trace_at(&r->tr, i);
        if (e->kind != kind || (side != ANY && e->side != side))
            continue;
        if ((e->seg.flags & flags) != flags || (e->seg.flags & noflags) ||
            (e->seg.tags & tags) != tags)
            continue;
        return (long)i;
    }
    return -1;
}

/* A TCP segment sent by side (not ICMP, not a network copy). */
static long
sent(const struct run *r, long from, int side, uint8_t flags, uint8_t noflags,
     uint8_t tags)
{
    for (long i = from;; i++) {
        i = pkt(r, i, TRACE_SEND, side, flags, noflags, tags);
        if (i < 0 || !(ev(r, i)->seg.tags & (SEG_ICMP | SEG_DUP)))
            return i;
    }
}

/* A drop of a packet that side sent. */
static long
dropped(const struct run *r, long from, int sender, uint8_t flags, uint8_t tags)
{
    for (long i = from;; i++) {
        i = pkt(r, i, TRACE_DROP, SIDE_NET, flags, 0, tags);
        if (i < 0 || sender == ANY || ev(r, i)->seg.from == sender)
            return i;
    }
}

static int
count_sent(const struct run *r, int side, uint8_t flags, uint8_t noflags,
           uint8_t tags)
{
    int n = 0;
    for (long i = sent(r, 0, side, flags, noflags, tags); i >= 0;
         i = sent(r, i + 1, side, flags, noflags, tags))
        n++;
    return n;
}

static int
count(const struct run *r, int kind, int side, int a, int b)
{
    int n = 0;
    for (long i = find(r, 0, kind, side, a, b); i >= 0;
         i = find(r, i + 1, kind, side, a, b))
        n++;
    return n;
}

/* The nth (1-based) socket call of this kind by side; its result is b. */
static long
call(const struct run *r, int side, int c, int nth)
{
    long i = -1;
    while (nth-- > 0 && (i = find(r, i + 1, TRACE_CALL, side, c, ANY)) >= 0) {
    }
    return i;
}

static int64_t
t_of(const struct run *r, long i)
{
    return i >= 0 ? (int64_t)trace_at(&r->tr, i)->t_us : -1;
}

/* Both indexes found and in this order. */
static bool
before(long a, long b)
{
    return a >= 0 && b >= 0 && a < b;
}

static uint64_t
ends(const struct run *r, int side, enum conn_end e)
{
    return r->st.ends[side][e];
}

/* ---- generic checks ---------------------------------------------------- */

static const char hint_en[] = "Press n or \u2192 to step through it.";
static const char hint_zh[] = "按 n 或 → 逐步观看。";

static int
rows(const char *s)
{
    return canvas_wrap(NULL, 0, 0, PANE_W, 0, s, 0, 0);
}

static void
check_text(const struct run *r)
{
    const struct scenario *s = r->s;
    char buf[2048];
    bool both = true, fit = true;

    ok(s->title.en && *s->title.en && s->title.zh && *s->title.zh,
       "%s: title in English and Chinese", r->name);
    ok(s->description.en && *s->description.en && s->description.zh &&
           *s->description.zh,
       "%s: description in English and Chinese", r->name);
    for (size_t i = 0; i < s->nnotes; i++) {
        const struct i18n *t = &s->notes[i].text;
        if (!(t->en && *t->en && t->zh && *t->zh)) {
            both = false;
            printf("# note %zu lacks a language\n", i);
        }
    }
    ok(both, "%s: all %zu notes in English and Chinese", r->name, s->nnotes);

    ok(canvas_str_width(i18n_get(&s->title, "en")) <= TITLE_W &&
           canvas_str_width(i18n_get(&s->title, "zh")) <= TITLE_W,
       "%s: the title fits the header (%d columns)", r->name, TITLE_W);
    snprintf(buf, sizeof buf, "%s  %s", i18n_get(&s->description, "en"),
             hint_en);
    ok(rows(buf) <= PANE_ROWS, "%s: the English description fits the pane",
       r->name);
    snprintf(buf, sizeof buf, "%s  %s", i18n_get(&s->description, "zh"),
             hint_zh);
    ok(rows(buf) <= PANE_ROWS, "%s: the Chinese description fits the pane",
       r->name);
    for (size_t i = 0; i < s->nnotes; i++) {
        for (int l = 0; l < 2; l++) {
            const char *txt = i18n_get(&s->notes[i].text, l ? "zh" : "en");
            if (rows(txt) > PANE_ROWS) {
                fit = false;
                printf("# note %zu (%s) needs %d rows\n", i, l ? "zh" : "en",
                       rows(txt));
            }
        }
    }
    ok(fit, "%s: every note fits the pane (%d rows of %d columns)", r->name,
       PANE_ROWS, PANE_W);
}

static void
check_notes_fire(const struct run *r)
{
    bool all = true, single = true;

    for (size_t i = 0; i < r->s->nnotes; i++) {
        if (find(r, 0, TRACE_NOTE, ANY, (int)i, ANY) < 0) {
            all = false;
            printf("# note %zu never fires: %s\n", i,
                   i18n_get(&r->s->notes[i].text, "en"));
        }
    }
    ok(all, "%s: every note fires at least once", r->name);
    for (size_t i = 1; i < r->tr.len; i++) {
        if (trace_at(&r->tr, i)->kind == TRACE_NOTE &&
            trace_at(&r->tr, i - 1)->kind == TRACE_NOTE) {
            single = false;
            printf("# notes %d and %d share an event at %.6f s\n",
                   trace_at(&r->tr, i - 1)->a, trace_at(&r->tr, i)->a,
                   (double)trace_at(&r->tr, i)->t_us / 1e6);
        }
    }
    ok(single, "%s: at most one note per event", r->name);
}

/* ---- the teaching moments ---------------------------------------------- */

static void
t_handshake(const struct run *r)
{
    long syn = sent(r, 0, SIDE_CLIENT, TCP_SYN, TCP_ACK, 0);
    long sa = sent(r, 0, SIDE_SERVER, TCP_SYN | TCP_ACK, 0, 0);
    long est_c = state(r, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_ESTABLISHED);
    long ack = sent(r, est_c, SIDE_CLIENT, TCP_ACK, TCP_SYN | TCP_FIN, 0);
    long est_s = state(r, 0, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_ESTABLISHED);
    long data = sent(r, 0, SIDE_CLIENT, 0, TCP_SYN, 0);

    ok(syn >= 0 && ev(r, syn)->seg.seq == 1000,
       "handshake: the SYN carries the client's ISN");
    ok(before(syn, sa) && ev(r, sa)->seg.seq == 5000 &&
           ev(r, sa)->seg.ack == 1001,
       "handshake: SYN,ACK = the server's ISN and ack = client ISN + 1");
    ok(before(sa, ack) && ev(r, ack)->seg.ack == 5001 &&
           ev(r, ack)->seg.len == 0,
       "handshake: the third segment is a pure ACK of the server's SYN");
    ok(before(ack, est_s),
       "handshake: the server is ESTABLISHED only after the third segment");
    while (data >= 0 && ev(r, data)->seg.len == 0)
        data = sent(r, data + 1, SIDE_CLIENT, 0, TCP_SYN, 0);
    ok(data >= 0 && ev(r, data)->seg.seq == 1001,
       "handshake: the first data byte is ISN + 1");
}

static void
t_old_duplicate_syn(const struct run *r)
{
    long gone = state(r, 0, SIDE_CLIENT, TCP_SYN_SENT, TCP_CLOSED);
    long srcv = state(r, 0, SIDE_SERVER, TCP_LISTEN, TCP_SYN_RECEIVED);
    long rst = sent(r, srcv, SIDE_CLIENT, TCP_RST, 0, 0);
    long back = state(r, rst, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_LISTEN);
    long arr = pkt(r, rst, TRACE_ARRIVE, SIDE_SERVER, TCP_RST, 0, 0);

    ok(before(gone, srcv),
       "old-duplicate-syn: the SYN lands after the client gave up");
    ok(before(pkt(r, 0, TRACE_ARRIVE, SIDE_SERVER, TCP_SYN, 0, SEG_HELD), srcv),
       "old-duplicate-syn: the server's SYN-RECEIVED comes from the held "
       "SYN");
    ok(before(srcv, rst) && ev(r, rst)->seg.seq == 1001,
       "old-duplicate-syn: the client answers the SYN,ACK with RST "
       "seq = SEG.ACK");
    ok(before(arr, back),
       "old-duplicate-syn: the RST sends the server from SYN-RECEIVED "
       "back to LISTEN");
    ok(find(r, 0, TRACE_APP, SIDE_SERVER, EV_CONNECTED, ANY) < 0,
       "old-duplicate-syn: the server's application never sees it");
}

static void
t_old_duplicate_syn_crash(const struct run *r)
{
    long srcv = state(r, 0, SIDE_SERVER, TCP_LISTEN, TCP_SYN_RECEIVED);
    long end = state(r, srcv, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_CLOSED);
    int retx = count_sent(r, SIDE_SERVER, TCP_SYN | TCP_ACK, 0, SEG_RETX);

    is_int(retx, r->s->tcp.synack_retries,
           "old-duplicate-syn-crash: the SYN,ACK is retried synack_retries "
           "times");
    ok(before(srcv, end) && ends(r, SIDE_SERVER, END_TIMEOUT) == 1,
       "old-duplicate-syn-crash: then the half-open connection is dropped");
    ok(find(r, 0, TRACE_APP, SIDE_SERVER, EV_CONNECTED, ANY) < 0,
       "old-duplicate-syn-crash: never ESTABLISHED, never accepted");
}

static void
t_whatif_two_way(const struct run *r)
{
    long est = state(r, 0, SIDE_SERVER, TCP_SYN_RECEIVED, TCP_ESTABLISHED);

    ok(est >= 0 && (ev(r, est)->flags & TRACE_F_WHATIF),
       "whatif-two-way-handshake: ESTABLISHED on sending SYN,ACK, marked "
       "what-if");
    ok(find(r, 0, TRACE_APP, SIDE_SERVER, EV_CONNECTED, ANY) > est,
       "whatif-two-way-handshake: the application accepts it");
    is_int(count_sent(r, SIDE_SERVER, 0, 0, SEG_RETX), 0,
           "whatif-two-way-handshake: no SYN,ACK retransmission");
    is_int(r->st.open[SIDE_SERVER][TCP_ESTABLISHED], 1,
           "whatif-two-way-handshake: the server ends still ESTABLISHED");
    is_int(ends(r, SIDE_CLIENT, END_CRASHED), 1,
           "whatif-two-way-handshake: for a client that crashed");
}

static void
t_four_way_close(const struct run *r)
{
    long fin = sent(r, 0, SIDE_CLIENT, TCP_FIN, 0, 0);
    long ack = sent(r, fin, SIDE_SERVER, TCP_ACK, TCP_FIN, 0);
    long fin2 = sent(r, fin, SIDE_SERVER, TCP_FIN, 0, 0);

    ok(before(fin, ack) && before(ack, fin2),
       "four-way-close: FIN, ACK, then the server's FIN separately");
    ok(state(r, 0, SIDE_SERVER, TCP_CLOSE_WAIT, TCP_LAST_ACK) >= 0 &&
           state(r, 0, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_TIME_WAIT) >= 0,
       "four-way-close: LAST-ACK on the server, TIME-WAIT on the client");
}

static void
t_half_close(const struct run *r)
{
    long sh = call(r, SIDE_CLIENT, CALL_SHUTDOWN, 1);
    long fin = sent(r, sh, SIDE_CLIENT, TCP_FIN, 0, 0);
    long cw = state(r, fin, SIDE_SERVER, TCP_ESTABLISHED, TCP_CLOSE_WAIT);
    long la = state(r, cw, SIDE_SERVER, TCP_CLOSE_WAIT, TCP_LAST_ACK);
    int from_cw = 0, in_fw2 = 0;

    ok(before(sh, fin), "half-close: shutdown(SHUT_WR) sends the FIN");
    for (long i = sent(r, cw, SIDE_SERVER, 0, 0, 0); i >= 0 && i < la;
         i = sent(r, i + 1, SIDE_SERVER, 0, 0, 0))
        if (ev(r, i)->seg.len > 0 &&
            view(r, i, SIDE_SERVER).state == TCP_CLOSE_WAIT)
            from_cw++;
    ok(from_cw >= 2, "half-close: the server sends data from CLOSE-WAIT (%d)",
       from_cw);
    for (long i = find(r, cw, TRACE_APP, SIDE_CLIENT, EV_DATA, ANY); i >= 0;
         i = find(r, i + 1, TRACE_APP, SIDE_CLIENT, EV_DATA, ANY))
        if (view(r, i, SIDE_CLIENT).state == TCP_FIN_WAIT_2)
            in_fw2++;
    ok(in_fw2 >= 2, "half-close: the client reads it in FIN-WAIT-2");
    ok(before(cw, la) &&
           state(r, la, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_TIME_WAIT) > la,
       "half-close: then LAST-ACK, and TIME-WAIT for the client");
}

static void
t_three_segment_close(const struct run *r)
{
    long fin = sent(r, 0, SIDE_CLIENT, TCP_FIN, 0, 0);
    long sfin = sent(r, fin, SIDE_SERVER, TCP_FIN | TCP_ACK, 0, 0);
    long pure = sent(r, fin, SIDE_SERVER, TCP_ACK, TCP_FIN, 0);
    int n = 0;

    ok(sfin >= 0 && ev(r, sfin)->seg.ack == ev(r, fin)->seg.seq + 1,
       "three-segment-close: the server's FIN acknowledges the client's");
    ok(pure < 0 || pure > sfin,
       "three-segment-close: no separate ACK before it");
    ok(state(r, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_TIME_WAIT) >= 0 &&
           state(r, 0, SIDE_CLIENT, ANY, TCP_FIN_WAIT_2) < 0,
       "three-segment-close: FIN-WAIT-1 straight to TIME-WAIT");
    for (long i = sent(r, fin, ANY, 0, 0, 0); i >= 0;
         i = sent(r, i + 1, ANY, 0, 0, 0))
        n++;
    is_int(n, 3, "three-segment-close: three segments from the first FIN on");
}

static void
t_delayed_ack_fin(const struct run *r)
{
    long fin = sent(r, 0, SIDE_CLIENT, TCP_FIN, 0, 0);
    long retx = sent(r, fin, SIDE_CLIENT, TCP_FIN, 0, SEG_RETX);
    long ack = sent(r, fin, SIDE_SERVER, TCP_ACK, 0, 0);

    ok(find(r, 0, TRACE_DROP, ANY, ANY, ANY) < 0,
       "delayed-ack-fin-retransmit: nothing is lost");
    ok(before(retx, ack) && ev(r, ack)->seg.ack == ev(r, fin)->seg.seq + 1,
       "delayed-ack-fin-retransmit: the FIN is resent before the first "
       "ACK of it");
    ok((int64_t)r->s->tcp.delack_us > t_of(r, retx) - t_of(r, fin),
       "delayed-ack-fin-retransmit: because the delayed ACK outlasts the "
       "RTO");
    ok(pkt(r, retx, TRACE_DISCARD, SIDE_SERVER, TCP_FIN, 0, SEG_RETX) > retx,
       "delayed-ack-fin-retransmit: the server drops the copy as a "
       "duplicate");
}

static void
t_fin_on_data(const struct run *r)
{
    long snd = call(r, SIDE_CLIENT, CALL_SEND, 1);
    long cls = call(r, SIDE_CLIENT, CALL_CLOSE, 1);
    long seg = sent(r, snd, SIDE_CLIENT, 0, 0, 0);
    long ack = sent(r, seg, SIDE_SERVER, TCP_ACK, 0, 0);

    ok(before(cls, seg), "fin-on-data: nothing leaves before close()");
    ok(seg >= 0 && (ev(r, seg)->seg.flags & TCP_FIN) &&
           ev(r, seg)->seg.len == 100,
       "fin-on-data: one segment carries 100 bytes and the FIN");
    ok(ack >= 0 && ev(r, ack)->seg.ack == ev(r, seg)->seg.seq + 101,
       "fin-on-data: its ACK is seq + 100 + 1");
}

/* Shared by fin-sequence-number and its what-if. */
static void
fin_lost_after_data(const struct run *r, long *fin, long *ack_data)
{
    *fin = sent(r, 0, SIDE_CLIENT, TCP_FIN, 0, 0);
    *ack_data = sent(r, *fin, SIDE_SERVER, TCP_ACK, 0, 0);
    ok(dropped(r, *fin, SIDE_CLIENT, TCP_FIN, 0) > *fin,
       "%s: the first FIN is lost", r->name);
    ok(*ack_data >= 0 && ev(r, *ack_data)->seg.ack == 1101,
       "%s: the server ACKs the data: ack = 1101", r->name);
}

static void
t_fin_seq(const struct run *r)
{
    long fin, ack, retx, fw2, ack2;

    fin_lost_after_data(r, &fin, &ack);
    retx = sent(r, fin, SIDE_CLIENT, TCP_FIN, 0, SEG_RETX);
    fw2 = state(r, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, ANY);
    ok(fw2 < 0 || fw2 > retx,
       "fin-sequence-number: ack = 1101 leaves the client in FIN-WAIT-1");
    ok(before(ack, retx) && ev(r, retx)->seg.seq == 1101,
       "fin-sequence-number: the FIN is resent with seq = 1101");
    ack2 = sent(r, retx, SIDE_SERVER, TCP_ACK, 0, 0);
    ok(ack2 >= 0 && ev(r, ack2)->seg.ack == 1102,
       "fin-sequence-number: then ack = 1102 covers the FIN");
}

static void
t_whatif_fin_no_seq(const struct run *r)
{
    long fin, ack, fw2;

    fin_lost_after_data(r, &fin, &ack);
    fw2 = state(r, ack, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2);
    ok(fw2 >= 0 && (ev(r, fw2)->flags & TRACE_F_WHATIF),
       "whatif-fin-no-seq: the ACK of the data moves the client to "
       "FIN-WAIT-2 (what-if)");
    is_int(count_sent(r, SIDE_CLIENT, TCP_FIN, 0, SEG_RETX), 0,
           "whatif-fin-no-seq: the lost FIN is never retransmitted");
    ok(state(r, 0, SIDE_SERVER, ANY, TCP_CLOSE_WAIT) < 0 &&
           find(r, 0, TRACE_APP, SIDE_SERVER, EV_EOF, ANY) < 0,
       "whatif-fin-no-seq: the server never learns of the close");
    ok(r->st.open[SIDE_SERVER][TCP_ESTABLISHED] == 1 &&
           r->st.open[SIDE_CLIENT][TCP_FIN_WAIT_2] == 1,
       "whatif-fin-no-seq: the run ends ESTABLISHED / FIN-WAIT-2");
}

static void
t_simultaneous_close(const struct run *r)
{
    long f1 = sent(r, 0, ANY, TCP_FIN, 0, 0);
    long f2 = sent(r, f1 + 1, ANY, TCP_FIN, 0, 0);
    long a1 = pkt(r, 0, TRACE_ARRIVE, ANY, TCP_FIN, 0, 0);

    ok(before(f2, a1) && ev(r, f1)->side != ev(r, f2)->side,
       "simultaneous-close: both FINs leave before either arrives");
    for (int side = 0; side < 2; side++)
        ok(state(r, 0, side, TCP_FIN_WAIT_1, TCP_CLOSING) >= 0 &&
               state(r, 0, side, TCP_CLOSING, TCP_TIME_WAIT) >= 0 &&
               state(r, 0, side, ANY, TCP_LAST_ACK) < 0,
           "simultaneous-close: %s goes CLOSING, TIME-WAIT, never LAST-ACK",
           side == SIDE_CLIENT ? "client" : "server");
}

static void
t_lost_final_ack(const struct run *r)
{
    long drop = dropped(r, 0, SIDE_CLIENT, TCP_ACK, 0);
    long retx = sent(r, drop, SIDE_SERVER, TCP_FIN, 0, SEG_RETX);
    long disc = pkt(r, retx, TRACE_DISCARD, SIDE_CLIENT, TCP_FIN, 0, 0);
    long tw = find(r, disc, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_TIME_WAIT, ANY);

    ok(before(drop, retx) && view(r, retx, SIDE_SERVER).state == TCP_LAST_ACK,
       "lost-final-ack: the server resends its FIN from LAST-ACK");
    ok(before(disc, tw),
       "lost-final-ack: TIME-WAIT ACKs it and restarts the 2MSL timer");
    is_int(ends(r, SIDE_SERVER, END_CLOSED), 1,
           "lost-final-ack: the server closes cleanly");
}

static void
t_lost_fin(const struct run *r, int side)
{
    int peer = !side;
    long drop = dropped(r, 0, side, TCP_FIN, 0);
    long retx = sent(r, drop, side, TCP_FIN, 0, SEG_RETX);
    long got = pkt(r, retx, TRACE_ARRIVE, peer, TCP_FIN, 0, SEG_RETX);

    ok(before(drop, retx) && ev(r, retx)->seg.seq == ev(r, drop)->seg.seq,
       "%s: the same FIN is resent", r->name);
    ok(got > retx &&
           state(r, 0, peer, ANY,
                 side == SIDE_CLIENT ? TCP_CLOSE_WAIT : TCP_TIME_WAIT) > got,
       "%s: the peer acts on the copy", r->name);
    ok(ends(r, SIDE_CLIENT, END_CLOSED) == 1 &&
           ends(r, SIDE_SERVER, END_CLOSED) == 1,
       "%s: both ends close cleanly", r->name);
}

static void
t_lost_fin_client(const struct run *r)
{
    t_lost_fin(r, SIDE_CLIENT);
}

static void
t_lost_fin_server(const struct run *r)
{
    t_lost_fin(r, SIDE_SERVER);
}

static void
t_fin_retry_limit(const struct run *r)
{
    long fin = sent(r, 0, SIDE_CLIENT, TCP_FIN, 0, 0), i = fin;
    long end = state(r, fin, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_CLOSED);
    int64_t gap = 1 * SEC;
    bool doubling = true;

    is_int(count_sent(r, SIDE_CLIENT, TCP_FIN, 0, SEG_RETX),
           r->s->tcp.orphan_retries,
           "fin-retry-limit: orphan_retries retransmissions");
    for (uint32_t k = 0; k < r->s->tcp.orphan_retries; k++, gap *= 2) {
        long next = sent(r, i + 1, SIDE_CLIENT, TCP_FIN, 0, SEG_RETX);
        doubling = doubling && t_of(r, next) - t_of(r, i) == gap;
        i = next;
    }
    ok(doubling, "fin-retry-limit: 1, 2, 4 s apart (backoff)");
    is_int(t_of(r, end) - t_of(r, i), gap,
           "fin-retry-limit: one more doubled wait, then the end");
    is_int(ends(r, SIDE_CLIENT, END_TIMEOUT), 1,
           "fin-retry-limit: the client gives up (timeout)");
    ok(find(r, end, TRACE_APP, SIDE_SERVER, EV_RESET, ECONNRESET) > end,
       "fin-retry-limit: the server meets a RST later: ECONNRESET");
}

static void
t_fin_wait_2_timeout(const struct run *r)
{
    long fire =
        find(r, 0, TRACE_TIMER_FIRE, SIDE_CLIENT, TIMER_FIN_WAIT_2, ANY);
    long gone = state(r, fire, SIDE_CLIENT, TCP_FIN_WAIT_2, TCP_CLOSED);
    long sfin = sent(r, gone, SIDE_SERVER, TCP_FIN, 0, 0);
    long rst = sent(r, sfin, SIDE_CLIENT, TCP_RST, 0, 0);

    ok(before(fire, gone) && ends(r, SIDE_CLIENT, END_ORPHAN) == 1,
       "fin-wait-2-timeout: tcp_fin_timeout drops the orphan");
    ok(before(gone, rst) && sent(r, fire, SIDE_CLIENT, 0, 0, 0) == rst,
       "fin-wait-2-timeout: silently: the client's next segment is the "
       "RST");
    ok(before(sfin, rst) && ends(r, SIDE_SERVER, END_RESET) == 1,
       "fin-wait-2-timeout: the late FIN meets a RST");
    ok(state(r, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT) < 0,
       "fin-wait-2-timeout: the client never reaches TIME-WAIT");
}

static long
stale_data(const struct run *r)
{
    for (long i = find(r, 0, TRACE_APP, ANY, EV_DATA, ANY); i >= 0;
         i = find(r, i + 1, TRACE_APP, ANY, EV_DATA, ANY))
        if (ev(r, i)->flags & TRACE_F_STALE)
            return i;
    return -1;
}

static void
t_time_wait_too_short(const struct run *r)
{
    long st = stale_data(r);
    long disc = st >= 0 ? pkt(r, st, TRACE_DISCARD, SIDE_SERVER, 0, 0, 0) : -1;

    ok(st >= 0 && ev(r, st)->side == SIDE_SERVER && ev(r, st)->conn == 2,
       "time-wait-too-short: connection 2 takes old bytes as its own "
       "(stale)");
    ok(st >= 0 && ev(r, st - 1)->kind == TRACE_ARRIVE &&
           (ev(r, st - 1)->seg.tags & SEG_HELD) && ev(r, st - 1)->conn == 1,
       "time-wait-too-short: the bytes are connection 1's delayed copy");
    ok(disc > st && ev(r, disc)->conn == 2 && ev(r, disc)->seg.len > 0,
       "time-wait-too-short: its real request is then dropped as a "
       "duplicate");
    ok(before(state(r, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED),
              call(r, SIDE_CLIENT, CALL_CONNECT, 2)),
       "time-wait-too-short: reuse came after a (too short) TIME-WAIT");
}

static void
t_time_wait_2msl(const struct run *r)
{
    long held = pkt(r, 0, TRACE_ARRIVE, SIDE_SERVER, 0, 0, SEG_HELD);
    long end = state(r, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED);
    long c2 = call(r, SIDE_CLIENT, CALL_CONNECT, 2);
    long c3 = call(r, SIDE_CLIENT, CALL_CONNECT, 3);

    ok(stale_data(r) < 0, "time-wait-2msl: no stale data");
    ok(before(held, end),
       "time-wait-2msl: the old copy arrives while TIME-WAIT holds the "
       "ports");
    ok(c2 >= 0 && c2 < end && ev(r, c2)->b == EADDRNOTAVAIL,
       "time-wait-2msl: reuse during TIME-WAIT: EADDRNOTAVAIL");
    ok(before(end, c3) && ev(r, c3)->b == 0 &&
           find(r, c3, TRACE_APP, SIDE_SERVER, EV_DATA, ANY) > c3,
       "time-wait-2msl: reuse after 2MSL works and carries its own data");
    is_int(t_of(r, end) - t_of(r, state(r, 0, SIDE_CLIENT, ANY, TCP_TIME_WAIT)),
           2 * (int64_t)r->s->tcp.msl_us, "time-wait-2msl: TIME-WAIT = 2MSL");
}

static void
t_whatif_no_time_wait(const struct run *r)
{
    long gone = state(r, 0, SIDE_CLIENT, TCP_FIN_WAIT_1, TCP_CLOSED);
    long retx = sent(r, gone, SIDE_SERVER, TCP_FIN, 0, SEG_RETX);
    long rst = sent(r, retx, SIDE_CLIENT, TCP_RST, 0, 0);
    long st = stale_data(r);

    ok(gone >= 0 && (ev(r, gone)->flags & TRACE_F_WHATIF),
       "whatif-no-time-wait: the closer skips TIME-WAIT (what-if)");
    ok(state(r, 0, ANY, ANY, TCP_TIME_WAIT) < 0,
       "whatif-no-time-wait: nobody ever enters TIME-WAIT");
    ok(before(retx, rst) && ends(r, SIDE_SERVER, END_RESET) >= 1,
       "whatif-no-time-wait: the retransmitted FIN meets a RST");
    ok(st > rst && ev(r, st)->conn == 2,
       "whatif-no-time-wait: connection 2 takes stale data");
}

static void
t_msl_vs_ttl(const struct run *r)
{
    bool ttl = false, msl = false;

    for (long i = find(r, 0, TRACE_DROP, ANY, ANY, ANY); i >= 0;
         i = find(r, i + 1, TRACE_DROP, ANY, ANY, ANY)) {
        const struct trace_event *d = ev(r, i);
        long icmp = pkt(r, i, TRACE_SEND, SIDE_NET, 0, 0, SEG_ICMP);
        if (d->seg.from == SIDE_SERVER && d->seg.ttl <= r->s->net.routers &&
            d->seg.hops == d->seg.ttl && icmp > i &&
            ev(r, icmp)->seg.orig_id == d->seg.id &&
            pkt(r, icmp, TRACE_ARRIVE, SIDE_SERVER, 0, 0, SEG_ICMP) > icmp)
            ttl = true;
        if ((d->seg.tags & SEG_HELD) &&
            d->t_us - d->seg.sent_us == r->s->tcp.msl_us)
            msl = true;
    }
    ok(ttl, "msl-vs-ttl: a packet dies when its TTL runs out at a router, "
            "and ICMP goes back to its sender");
    ok(msl, "msl-vs-ttl: a held packet dies at age MSL");
    ok(find(r, 0, TRACE_APP, SIDE_CLIENT, EV_ERROR, ETIMEDOUT) >= 0,
       "msl-vs-ttl: the client times out");
}

static void
t_reuseaddr_off(const struct run *r)
{
    long tw = state(r, 0, SIDE_SERVER, ANY, TCP_TIME_WAIT);
    long end = state(r, tw, SIDE_SERVER, TCP_TIME_WAIT, TCP_CLOSED);
    long l2 = call(r, SIDE_SERVER, CALL_LISTEN, 2);
    long l3 = call(r, SIDE_SERVER, CALL_LISTEN, 3);
    long l4 = call(r, SIDE_SERVER, CALL_LISTEN, 4);

    ok(before(tw, l2) && l2 < end && ev(r, l2)->b == EADDRINUSE,
       "reuseaddr-off: listen() during the server's TIME-WAIT: EADDRINUSE");
    ok(l3 < end && ev(r, l3)->b == EADDRINUSE &&
           find(r, l2, TRACE_CALL, SIDE_SERVER, CALL_SETSOCKOPT, 0) < l3,
       "reuseaddr-off: SO_REUSEADDR on the new socket alone: EADDRINUSE");
    ok(before(end, l4) && ev(r, l4)->b == 0,
       "reuseaddr-off: listen() works once TIME-WAIT is over");
    ok(find(r, 0, TRACE_APP, SIDE_CLIENT, EV_RESET, ECONNREFUSED) < end,
       "reuseaddr-off: a client is refused meanwhile");
}

static void
t_reuseaddr_on(const struct run *r)
{
    long tw = state(r, 0, SIDE_SERVER, ANY, TCP_TIME_WAIT);
    long end = state(r, tw, SIDE_SERVER, TCP_TIME_WAIT, TCP_CLOSED);
    long l2 = call(r, SIDE_SERVER, CALL_LISTEN, 2);
    long acc = find(r, l2, TRACE_APP, SIDE_SERVER, EV_CONNECTED, ANY);

    ok(before(tw, l2) && l2 < end && ev(r, l2)->b == 0,
       "reuseaddr-on: listen() succeeds during the server's TIME-WAIT");
    ok(acc > l2 && acc < end,
       "reuseaddr-on: the next client is served during it");
    is_int(t_of(r, end) - t_of(r, tw), r->s->tcp.time_wait_us,
           "reuseaddr-on: TIME-WAIT still runs its full length");
}

/* Four ports, six connects: the last two find every 4-tuple in TIME-WAIT. */
static void
t_port_exhaustion(const struct run *r)
{
    is_int(count(r, TRACE_CALL, SIDE_CLIENT, CALL_CONNECT, 0), 4,
           "port-exhaustion: four connects get a port");
    is_int(count(r, TRACE_CALL, SIDE_CLIENT, CALL_CONNECT, EADDRNOTAVAIL), 2,
           "port-exhaustion: the fifth and sixth fail with EADDRNOTAVAIL");
    is_int(count_sent(r, SIDE_CLIENT, TCP_SYN, 0, 0), 4,
           "port-exhaustion: a failed connect sends nothing");
    ok(state(r, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED) >= 0,
       "port-exhaustion: the TIME-WAITs end in time");
}

static void
t_rst_no_listener(const struct run *r)
{
    long syn = sent(r, 0, SIDE_CLIENT, TCP_SYN, 0, 0);
    long rst = sent(r, syn, SIDE_SERVER, TCP_RST | TCP_ACK, 0, 0);

    ok(rst >= 0 && ev(r, rst)->seg.seq == 0 &&
           ev(r, rst)->seg.ack == ev(r, syn)->seg.seq + 1,
       "rst-no-listener: RST,ACK seq = 0, ack = SYN + 1");
    ok(find(r, rst, TRACE_APP, SIDE_CLIENT, EV_RESET, ECONNREFUSED) > rst,
       "rst-no-listener: connect() fails with ECONNREFUSED");
    is_int(count_sent(r, SIDE_CLIENT, TCP_SYN, 0, SEG_RETX), 0,
           "rst-no-listener: no SYN retransmission");
}

/* An abort: side sends RST and no FIN, never waits in TIME-WAIT, and the
 * peer gets ECONNRESET. */
static void
abort_by(const struct run *r, int side, long after)
{
    /* The rfc profile's ABORT: "<SEQ=SND.NXT><CTL=RST>", no ACK. */
    long rst = sent(r, after, side, TCP_RST, TCP_ACK, 0);

    ok(before(after, rst) && ev(r, rst)->seg.seq == view(r, rst, side).snd_nxt,
       "%s: close() sends a bare RST with seq = SND.NXT", r->name);
    is_int(count_sent(r, side, TCP_FIN, 0, 0), 0, "%s: no FIN at all", r->name);
    ok(state(r, 0, ANY, ANY, TCP_TIME_WAIT) < 0, "%s: no TIME-WAIT", r->name);
    ok(find(r, rst, TRACE_APP, !side, EV_RESET, ECONNRESET) > rst &&
           ends(r, side, END_ABORTED) == 1,
       "%s: the peer gets ECONNRESET", r->name);
}

static void
t_rst_unread_data(const struct run *r)
{
    long d = find(r, 0, TRACE_APP, SIDE_SERVER, EV_DATA, ANY);
    ok(d >= 0 && view(r, d, SIDE_SERVER).unread > 0,
       "rst-unread-data: the request stays unread");
    abort_by(r, SIDE_SERVER, call(r, SIDE_SERVER, CALL_CLOSE, 1));
}

static void
t_rst_linger_zero(const struct run *r)
{
    abort_by(r, SIDE_CLIENT, call(r, SIDE_CLIENT, CALL_CLOSE, 1));
}

static void
t_keepalive(const struct run *r)
{
    long p1 = sent(r, 0, SIDE_CLIENT, 0, 0, SEG_KEEPALIVE);
    long crash = call(r, SIDE_SERVER, CALL_CRASH, 1);
    long err = find(r, 0, TRACE_APP, SIDE_CLIENT, EV_ERROR, ETIMEDOUT);
    int lost = 0;
    bool even = true;
    long prev = -1;

    ok(before(p1, crash) && sent(r, p1, SIDE_SERVER, TCP_ACK, 0, 0) < crash,
       "keepalive-dead-peer: a probe answered while the server lives");
    ok(t_of(r, p1) -
               t_of(r, find(r, 0, TRACE_APP, SIDE_CLIENT, EV_DATA, ANY)) ==
           (int64_t)r->s->tcp.keepalive_time_us,
       "keepalive-dead-peer: the first probe after keepalive_time idle");
    for (long i = dropped(r, crash, SIDE_CLIENT, 0, SEG_KEEPALIVE); i >= 0;
         i = dropped(r, i + 1, SIDE_CLIENT, 0, SEG_KEEPALIVE)) {
        if (prev >= 0)
            even = even && t_of(r, i) - t_of(r, prev) ==
                               (int64_t)r->s->tcp.keepalive_intvl_us;
        prev = i;
        lost++;
    }
    is_int(lost, r->s->tcp.keepalive_probes,
           "keepalive-dead-peer: keepalive_probes probes go unanswered");
    ok(even, "keepalive-dead-peer: keepalive_intvl apart, no backoff");
    ok(err > prev && ends(r, SIDE_CLIENT, END_TIMEOUT) == 1,
       "keepalive-dead-peer: then ETIMEDOUT");
}

static void
t_syn_retries(const struct run *r)
{
    long i = sent(r, 0, SIDE_CLIENT, TCP_SYN, 0, 0);
    int64_t gap = 1 * SEC, total = 0;
    bool doubling = true;

    is_int(count_sent(r, SIDE_CLIENT, TCP_SYN, 0, SEG_RETX),
           r->s->tcp.syn_retries, "syn-retries: syn_retries retransmissions");
    for (uint32_t k = 0; k < r->s->tcp.syn_retries; k++, gap *= 2) {
        long next = sent(r, i + 1, SIDE_CLIENT, TCP_SYN, 0, SEG_RETX);
        doubling = doubling && t_of(r, next) - t_of(r, i) == gap;
        total += gap;
        i = next;
    }
    ok(doubling, "syn-retries: 1, 2, 4 ... s apart");
    is_int(t_of(r, find(r, 0, TRACE_APP, SIDE_CLIENT, EV_ERROR, ETIMEDOUT)),
           total + gap, "syn-retries: ETIMEDOUT at 127 s");
}

static void
profile_close(const struct run *r, int64_t tw_us)
{
    long set = find(r, 0, TRACE_TIMER_SET, SIDE_CLIENT, TIMER_TIME_WAIT, ANY);

    ok(set >= 0 && ev(r, set)->n - (int64_t)ev(r, set)->t_us == tw_us,
       "%s: TIME-WAIT lasts %lld s", r->name, (long long)(tw_us / SEC));
    ok(state(r, 0, SIDE_CLIENT, TCP_TIME_WAIT, TCP_CLOSED) >= 0,
       "%s: and then ends", r->name);
}

static void
t_profile_rfc(const struct run *r)
{
    profile_close(r, 240 * SEC);
}

static void
t_profile_linux(const struct run *r)
{
    profile_close(r, 60 * SEC);
}

static void
t_pileup(const struct run *r)
{
    int now = 0, peak = 0;

    for (size_t i = 0; i < r->tr.len; i++) {
        const struct trace_event *e = trace_at(&r->tr, i);
        if (e->kind != TRACE_STATE || e->side != SIDE_CLIENT)
            continue;
        now += (e->b == TCP_TIME_WAIT) - (e->a == TCP_TIME_WAIT);
        if (now > peak)
            peak = now;
    }
    is_int(peak, r->s->client.count,
           "time-wait-pileup: all clients in TIME-WAIT at once");
    is_int(count(r, TRACE_STATE, SIDE_SERVER, ANY, TCP_TIME_WAIT), 0,
           "time-wait-pileup: none on the server, which never closes first");
}

static void
t_simultaneous_open(const struct run *r)
{
    long e1 = state(r, 0, ANY, TCP_SYN_RECEIVED, TCP_ESTABLISHED);
    long e2 = state(r, e1 + 1, ANY, TCP_SYN_RECEIVED, TCP_ESTABLISHED);
    long ack1 =
        sent(r, 0, SIDE_CLIENT, TCP_ACK, TCP_SYN | TCP_FIN | TCP_RST, 0);
    long ack2 =
        sent(r, 0, SIDE_SERVER, TCP_ACK, TCP_SYN | TCP_FIN | TCP_RST, 0);

    is_int(count_sent(r, ANY, TCP_SYN, TCP_ACK, 0), 2,
           "simultaneous-open: two SYNs cross");
    is_int(count_sent(r, ANY, TCP_SYN | TCP_ACK, 0, 0), 2,
           "simultaneous-open: each end answers with SYN,ACK");
    /* §3.10.7.4: each SYN,ACK is old (its SYN is in) and gets an ACK,
     * which is what makes the other end ESTABLISHED. */
    ok(before(ack1, e1) && before(ack2, e1) && before(e1, e2),
       "simultaneous-open: each end ACKs the other's SYN,ACK, then both "
       "are ESTABLISHED");
    ok(pkt(r, 0, TRACE_DISCARD, SIDE_CLIENT, TCP_SYN | TCP_ACK, 0, 0) >= 0 &&
           pkt(r, 0, TRACE_DISCARD, SIDE_SERVER, TCP_SYN | TCP_ACK, 0, 0) >= 0,
       "simultaneous-open: both SYN,ACKs fail the acceptability test");
    for (int side = 0; side < 2; side++)
        ok(state(r, 0, side, TCP_SYN_SENT, TCP_SYN_RECEIVED) >= 0 &&
               state(r, 0, side, TCP_SYN_RECEIVED, TCP_ESTABLISHED) >= 0,
           "simultaneous-open: %s goes SYN-SENT, SYN-RECEIVED, ESTABLISHED",
           side == SIDE_CLIENT ? "client" : "server");
    ok(find(r, 0, TRACE_STATE, ANY, TCP_CLOSED, TCP_LISTEN) < 0,
       "simultaneous-open: nobody listens");
}

static const struct {
    const char *name;
    void (*check)(const struct run *);
} checks[] = {
    {"handshake", t_handshake},
    {"old-duplicate-syn", t_old_duplicate_syn},
    {"old-duplicate-syn-crash", t_old_duplicate_syn_crash},
    {"whatif-two-way-handshake", t_whatif_two_way},
    {"four-way-close", t_four_way_close},
    {"half-close", t_half_close},
    {"three-segment-close", t_three_segment_close},
    {"delayed-ack-fin-retransmit", t_delayed_ack_fin},
    {"fin-on-data", t_fin_on_data},
    {"fin-sequence-number", t_fin_seq},
    {"whatif-fin-no-seq", t_whatif_fin_no_seq},
    {"simultaneous-close", t_simultaneous_close},
    {"lost-final-ack", t_lost_final_ack},
    {"lost-fin-client", t_lost_fin_client},
    {"lost-fin-server", t_lost_fin_server},
    {"fin-retry-limit", t_fin_retry_limit},
    {"fin-wait-2-timeout", t_fin_wait_2_timeout},
    {"time-wait-too-short", t_time_wait_too_short},
    {"time-wait-2msl", t_time_wait_2msl},
    {"whatif-no-time-wait", t_whatif_no_time_wait},
    {"msl-vs-ttl", t_msl_vs_ttl},
    {"reuseaddr-off", t_reuseaddr_off},
    {"reuseaddr-on", t_reuseaddr_on},
    {"rst-no-listener", t_rst_no_listener},
    {"port-exhaustion", t_port_exhaustion},
    {"rst-unread-data", t_rst_unread_data},
    {"rst-linger-zero", t_rst_linger_zero},
    {"keepalive-dead-peer", t_keepalive},
    {"syn-retries", t_syn_retries},
    {"profile-rfc-close", t_profile_rfc},
    {"profile-linux-close", t_profile_linux},
    {"time-wait-pileup", t_pileup},
    {"simultaneous-open", t_simultaneous_open},
    /* The crowd scenarios: their teaching checks, on state counts over
     * the run, are in test_crowd.c. */
    {"time-wait-pileup-10k", NULL},
    {"port-exhaustion-plateau", NULL},
    {"close-wait-leak", NULL},
    {"close-wait-fixed", NULL},
};
enum { NCHECKS = sizeof checks / sizeof checks[0] };

/* ---- running ----------------------------------------------------------- */

static void
dump(const struct run *r)
{
    char line[1024];
    size_t n = r->tr.len < 400 ? r->tr.len : 400;

    printf("# trace of %s:\n", r->name);
    for (size_t i = 0; i < n; i++)
        printf("# %s\n",
               trace_format_event(trace_at(&r->tr, i), line, sizeof line));
}

/* Load and run path; false (and a TAP line) if it does not load. */
static bool
run_open(struct run *r, const char *path, const char *name, bool todo)
{
    struct synfin_err err;

    memset(r, 0, sizeof *r);
    r->name = name;
    r->s = scenario_load(path, NULL, 0, &err);
    if (!r->s) {
        if (todo)
            printf("not ok %d - %s loads # TODO %s: %s\n", ++tap_n, name,
                   err.where, err.msg);
        else
            ok(0, "%s loads: %s: %s", name, err.where, err.msg);
        return false;
    }
    trace_init(&r->tr);
    world_run(r->s, &r->tr, &r->st);
    return true;
}

static void
run_close(struct run *r)
{
    trace_free(&r->tr);
    scenario_free(r->s);
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .json names in dir, sorted; *n set. */
static char **
list(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **v = NULL;
    size_t cap = 0;

    *n = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len <= 5 || de->d_name[0] == '.' ||
            strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            v = realloc(v, cap * sizeof *v);
            if (!v)
                abort();
        }
        v[*n] = strndup(de->d_name, len - 5);
        if (!v[*n])
            abort();
        (*n)++;
    }
    closedir(d);
    qsort(v, *n, sizeof *v, by_name);
    return v;
}

static int
check_index(const char *name)
{
    for (int i = 0; i < NCHECKS; i++)
        if (!strcmp(checks[i].name, name))
            return i;
    return -1;
}

static void
check_dir(const char *dir, bool pending, bool *seen)
{
    size_t n;
    char **names = list(dir, &n);

    ok(pending || n > 0, "%s: %zu scenarios", dir, n);
    for (size_t i = 0; i < n; i++) {
        char path[4400];
        struct run r;
        int k = check_index(names[i]), failed = tap_failed;

        snprintf(path, sizeof path, "%s/%s.json", dir, names[i]);
        if (run_open(&r, path, names[i], pending)) {
            check_text(&r);
            check_notes_fire(&r);
            if (ok(k >= 0, "%s has a teaching check", names[i]) &&
                checks[k].check)
                checks[k].check(&r);
            if (pending)
                printf("# %s runs now: move it to scenarios/ with a golden "
                       "trace\n",
                       names[i]);
            if (tap_failed > failed)
                dump(&r);
            run_close(&r);
        }
        if (k >= 0)
            seen[k] = true;
        free(names[i]);
    }
    free(names);
}

/*
 * The pile-up once more, with more clients than the 28232 ephemeral ports
 * (32768-60999) and no trace: every port is in TIME-WAIT when the last
 * clients connect, so exactly 28232 get a connection and the rest fail
 * with EADDRNOTAVAIL (which makes no TCB).
 */
static void
check_exhaustion(const char *src)
{
    static const char *const ovr[] = {"client.count=28300",
                                      "client.every_ms=1"};
    char path[4200];
    struct synfin_err err;
    struct scenario *s;
    struct world_stats st;
    uint64_t got = 0;

    snprintf(path, sizeof path, "%s/scenarios/time-wait-pileup.json", src);
    s = scenario_load(path, ovr, 2, &err);
    if (!ok(s != NULL, "time-wait-pileup loads with 28300 clients"))
        return;
    world_run(s, NULL, &st);
    for (int e = 0; e < END__COUNT; e++)
        got += st.ends[SIDE_CLIENT][e];
    is_int(got, 28232,
           "time-wait-pileup: 28300 clients, 28232 ports: the last 68 get "
           "no port");
    is_int(st.ends[SIDE_CLIENT][END_CLOSED], 28232,
           "time-wait-pileup: and every connection that got one closed");
    scenario_free(s);
}

int
main(void)
{
    const char *src = getenv("SRCDIR");
    char dir[4096];
    bool seen[NCHECKS] = {0};

    if (!src) {
        printf("1..0 # SKIP SRCDIR is not set\n");
        return 0;
    }
    snprintf(dir, sizeof dir, "%s/scenarios", src);
    check_dir(dir, false, seen);
    snprintf(dir, sizeof dir, "%s/tests/scenarios/pending", src);
    check_dir(dir, true, seen);
    for (int i = 0; i < NCHECKS; i++)
        ok(seen[i], "the check for %s has its scenario", checks[i].name);
    check_exhaustion(src);
    return done_testing();
}
