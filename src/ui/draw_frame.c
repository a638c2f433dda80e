/* Whole screens; see draw_frame.h. */
#include "ui/draw_frame.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui/draw_conns.h"
#include "ui/draw_crowd.h"
#include "ui/draw_diagram.h"
#include "ui/draw_help.h"
#include "ui/draw_log.h"
#include "ui/draw_picker.h"
#include "ui/draw_quiz.h"
#include "ui/draw_state.h"
#include "ui/keys.h"
#include "ui/narrate.h"

/*
 * The three lines one below the other, each wrapped to the width, around
 * the middle; on a screen too small for all of them, the first ones that
 * fit. Nothing is written over anything.
 */
void
draw_frame_too_small(struct canvas *c, const char *lang)
{
    bool zh = narrate_is_zh(lang);
    char need[96];
    const char *lines[3];
    const int roles[3] = {ROLE_TITLE, ROLE_TEXT, ROLE_DIM};
    int w = c->w > 2 ? c->w - 2 : c->w, x = c->w > 2 ? 1 : 0, rows = 0, y;

    canvas_clear(c);
    snprintf(need, sizeof need,
             zh ? "synfin 需要 %dx%d，这里只有 %dx%d。"
                : "synfin needs %dx%d; this is %dx%d.",
             FRAME_MIN_W, FRAME_MIN_H, c->w, c->h);
    lines[0] = zh ? "终端窗口太小。" : "The terminal is too small.";
    lines[1] = need;
    lines[2] =
        zh ? "请放大窗口，或按 q 退出。" : "Enlarge it, or press q to quit.";
    for (int i = 0; i < 3; i++)
        rows += canvas_wrap(c, x, 0, w, 0, lines[i], roles[i], 0);
    rows++; /* a blank line before the hint */
    y = c->h / 2 - 1 < c->h - rows ? c->h / 2 - 1 : c->h - rows;
    if (y < 0)
        y = 0;
    for (int i = 0; i < 3 && y < c->h; i++) {
        y += i == 2; /* the blank line */
        if (y < c->h)
            y += canvas_wrap(c, x, y, w, c->h - y, lines[i], roles[i],
                             i == 0 ? CANVAS_BOLD : 0);
    }
}

void
draw_frame_header(struct canvas *c, const struct draw_view *v)
{
    /* Each part in a full and a compact form: [i][0] and [i][1]. */
    char parts[9][2][64], d[24], t[24], edited[2][64] = {"", ""}, quiz[48] = "";
    const char *title = draw_title(v);
    int np = 0, w = c->w, form = 0, mark = 0, keep, total = 0, ew[2] = {0, 0},
        qw = 0, right, col, tw;
    bool zh = narrate_is_zh(v->lang);

    canvas_fill(c, 0, 0, w, 1, ' ', ROLE_TITLE, CANVAS_REVERSE);
    if (v->follow) {
        /* First, so that it is never dropped: the steps are its alone. */
        snprintf(parts[np][0], 64, zh ? "跟随 #%u" : "following #%u",
                 v->follow);
        snprintf(parts[np++][1], 64, zh ? "跟随#%u" : "follow #%u", v->follow);
    }
    draw_time(v->now_us, t, sizeof t);
    snprintf(parts[np][0], 64, "t=%s s", t);
    snprintf(parts[np++][1], 64, "%ss", t);
    snprintf(parts[np][0], 64, zh ? "第 %zu/%zu 步" : "step %zu/%zu", v->step,
             v->nsteps);
    snprintf(parts[np++][1], 64, zh ? "第 %zu/%zu 步" : "step %zu/%zu", v->step,
             v->nsteps);
    if (v->playing) {
        snprintf(parts[np][0], 64, "\u25b6 %s \u00d7%g",
                 zh ? "播放" : "playing", v->speed_pct / 100.0);
        snprintf(parts[np++][1], 64, "\u25b6\u00d7%g", v->speed_pct / 100.0);
    } else {
        snprintf(parts[np][0], 64, "\u275a\u275a %s", zh ? "暂停" : "paused");
        snprintf(parts[np++][1], 64, "\u275a\u275a");
    }
    if (v->scn) {
        /* The seed before the settings: with it the run can be had again. */
        snprintf(parts[np][0], 64, zh ? "种子 %" PRIu64 : "seed %" PRIu64,
                 v->scn->seed);
        snprintf(parts[np++][1], 64, zh ? "种子%" PRIu64 : "seed %" PRIu64,
                 v->scn->seed);
        snprintf(parts[np][0], 64, "%s", tcp_profile_name(v->scn->tcp.profile));
        snprintf(parts[np++][1], 64, "%s",
                 tcp_profile_name(v->scn->tcp.profile));
        draw_duration(v->msl_us, d, sizeof d);
        snprintf(parts[np][0], 64, "MSL %s", d);
        snprintf(parts[np++][1], 64, "MSL %s", d);
    }
    snprintf(parts[np][0], 64, zh ? "丢包 %d%%" : "loss %d%%", v->loss_pct);
    snprintf(parts[np++][1], 64, zh ? "丢包%d%%" : "loss %d%%", v->loss_pct);
    if (v->delack_off) {
        snprintf(parts[np][0], 64, zh ? "无延迟确认" : "no delayed ACK");
        snprintf(parts[np++][1], 64, zh ? "无延迟确认" : "no delACK");
    }
    if (v->edits) {
        snprintf(edited[0], 64,
                 zh ? " 已修改 %d 处（u 撤销） "
                    : " EDITED \u00d7%d (u undoes) ",
                 v->edits);
        snprintf(edited[1], 64, zh ? " 已修改 %d 处 " : " EDITED \u00d7%d ",
                 v->edits);
    } else if (v->scn && v->scn->changed) {
        /* --set or --seed: not the run the file describes either. */
        snprintf(edited[0], 64, zh ? " 已修改 " : " EDITED ");
        snprintf(edited[1], 64, "%s", edited[0]);
    }
    if (v->quiz.on) {
        snprintf(quiz, sizeof quiz,
                 zh ? " 测验 \u2713%d/%d " : " QUIZ \u2713%d/%d ",
                 v->quiz.score, v->quiz.nanswered);
        qw = canvas_str_width(quiz) + 1;
    }
    for (int f = 0; f < 2; f++)
        ew[f] = (edited[f][0] ? canvas_str_width(edited[f]) + 1 : 0) + qw;

    /* Full forms if they leave the title room, else compact ones; then a
     * compact edit mark; then drop parts from the right (profile details
     * first). */
    tw = canvas_str_width(title) + 11;
    for (form = 0; form < 2; form++) {
        total = 0;
        for (int i = 0; i < np; i++)
            total += canvas_str_width(parts[i][form]) + 3;
        if (total + ew[0] + tw <= w)
            break;
    }
    if (form == 2) {
        /* Not even compact: shorten the title, down to 24 columns. */
        form = 1;
        if (tw > 24)
            tw = 24;
    }
    mark = total + ew[0] + tw > w;
    keep = np;
    while (keep > 2 + (v->follow != 0) && total + ew[mark] + tw > w)
        total -= canvas_str_width(parts[--keep][form]) + 3;

    right = w - 1;
    if (edited[mark][0]) {
        int n = canvas_str_width(edited[mark]);
        right -= n;
        canvas_text(c, right, 0, n, edited[mark], ROLE_EDITED,
                    CANVAS_BOLD | CANVAS_REVERSE);
        right -= 1;
    }
    if (qw) {
        right -= qw - 1;
        canvas_text(c, right, 0, qw - 1, quiz, ROLE_CURSOR,
                    CANVAS_BOLD | CANVAS_REVERSE);
        right -= 1;
    }
    for (int i = keep; i-- > 0;) {
        int pw = canvas_str_width(parts[i][form]);
        right -= pw;
        canvas_text(c, right, 0, pw, parts[i][form], ROLE_TITLE,
                    CANVAS_REVERSE);
        if (i > 0) {
            right -= 3;
            canvas_text(c, right, 0, 3, " \u00b7 ", ROLE_TITLE, CANVAS_REVERSE);
        }
    }
    col = canvas_text(c, 1, 0, right - 3, "synfin \u2502 ", ROLE_TITLE,
                      CANVAS_REVERSE);
    /* A title too long for what is left ends with an ellipsis. */
    if (canvas_str_width(title) > right - 3 - col) {
        int n = canvas_text(c, 1 + col, 0, right - 4 - col, title, ROLE_TITLE,
                            CANVAS_BOLD | CANVAS_REVERSE);
        canvas_text(c, 1 + col + n, 0, 1, "\u2026", ROLE_TITLE,
                    CANVAS_BOLD | CANVAS_REVERSE);
    } else {
        canvas_text(c, 1 + col, 0, right - 3 - col, title, ROLE_TITLE,
                    CANVAS_BOLD | CANVAS_REVERSE);
    }
}

/* The narration pane: a rule with a title, then the message, or the text
 * (narrate_event's) and what each side waits for if it fits. */
static void
draw_frame_narration(struct canvas *c, int y, int h, const struct draw_view *v,
                     const char *text)
{
    char wait[256];
    bool zh = narrate_is_zh(v->lang);
    int rows = h - 1, used;

    canvas_hline(c, 0, y, c->w, 0x2500, ROLE_BORDER, 0);
    canvas_text(c, 2, y, c->w - 4, zh ? " 讲解 " : " What is happening ",
                ROLE_TITLE, CANVAS_BOLD);
    if (rows <= 0)
        return;
    narrate_waiting(v, wait, sizeof wait);
    if (v->message) {
        used = canvas_wrap(c, 2, y + 1, c->w - 4, rows, v->message, ROLE_EDITED,
                           CANVAS_BOLD);
    } else {
        int need = canvas_wrap(NULL, 0, 0, c->w - 4, 0, text, ROLE_TEXT, 0);
        int room = wait[0] && need < rows ? rows - 1 : rows;
        used = canvas_wrap(c, 2, y + 1, c->w - 4, room, text, ROLE_TEXT, 0);
    }
    if (wait[0] && used < rows)
        canvas_wrap(c, 2, y + h - 1, c->w - 4, 1, wait, ROLE_DIM, 0);
}

/* How many rows the bottom pane takes: the narration, or a quiz panel in
 * its place; either grows to what it needs, up to most rows. The
 * narration is made into text (once a frame). */
static int
draw_frame_pane_rows(const struct canvas *c, const struct draw_view *v,
                     int most, char *text, size_t size)
{
    int nh = c->h >= 40 ? 6 : c->h >= 22 ? 4 : 3, need = 0;

    if (draw_quiz_shown(v))
        need = draw_quiz_rows(v, c->w);
    else if (!v->message)
        /* A long narration is never cut. */
        need = 1 + canvas_wrap(NULL, 0, 0, c->w - 4, 0,
                               narrate_event(v, text, size), ROLE_TEXT, 0);
    if (need > most)
        need = most;
    return need > nh ? need : nh;
}

/* The bottom pane, nh rows above the key bar. */
static void
draw_frame_pane(struct canvas *c, int nh, const struct draw_view *v,
                const char *text)
{
    if (draw_quiz_shown(v))
        draw_quiz(c, 0, c->h - 1 - nh, c->w, nh, v);
    else
        draw_frame_narration(c, c->h - 1 - nh, nh, v, text);
}

static void
draw_frame_main(struct canvas *c, const struct draw_view *v,
                const struct draw_seq_layout *layout,
                struct draw_seq_hits *hits)
{
    int w = c->w, h = c->h;
    int bh = h >= 40 ? 12 : h >= 28 ? 8 : h >= 22 ? 7 : 6;
    int dy = 1 + bh, dh, xc, xs, nh;
    char text[1024] = "";

    /* The pane takes rows from the diagram if it needs them, leaving it
     * six. */
    nh = draw_frame_pane_rows(c, v, h - 2 - bh - 6, text, sizeof text);
    dh = h - 1 - bh - nh - 1;

    draw_state_box(c, 0, 1, w / 2, bh, SIDE_CLIENT, v);
    draw_state_box(c, w / 2, 1, w - w / 2, bh, SIDE_SERVER, v);
    /* The lifelines hang from the boxes. */
    draw_seq_lifelines(w, &xc, &xs);
    if (xc > 0 && xc < w / 2 - 1)
        canvas_put(c, xc, bh, 0x252C, ROLE_CLIENT, 0);
    if (xs > w / 2 && xs < w - 1)
        canvas_put(c, xs, bh, 0x252C, ROLE_SERVER, 0);
    if (v->follow && dh > 6) {
        /* The others, folded into a line (two if need be) of counts under
         * the followed ladder. */
        char others[512];
        int rows = canvas_wrap(NULL, 0, 0, w - 4, 0,
                               draw_conns_others(v, others, sizeof others),
                               ROLE_DIM, 0);
        rows = rows > 2 ? 2 : rows;
        dh -= rows;
        canvas_wrap(c, 2, dy + dh, w - 4, rows, others, ROLE_DIM, 0);
    }
    draw_seq_draw(c, 0, dy, w, dh, layout, v, hits);
    draw_frame_pane(c, nh, v, text);
}

/* The crowd's layout: the state counts over the run, and the narration
 * under them, so that stepping still tells what happens. */
static void
draw_frame_crowd(struct canvas *c, const struct draw_view *v)
{
    char text[1024] = "";
    int nh = draw_frame_pane_rows(c, v, (c->h - 2) / 2, text, sizeof text);

    draw_crowd(c, 0, 1, c->w, c->h - 2 - nh, v);
    draw_frame_pane(c, nh, v, text);
}

void
draw_frame(struct canvas *c, const struct frame_view *f,
           struct draw_seq_hits *hits)
{
    const struct draw_view *v = &f->v;

    if (hits)
        hits->n = 0;
    canvas_clear(c);
    if (c->w < FRAME_MIN_W || c->h < FRAME_MIN_H) {
        draw_frame_too_small(c, v->lang);
        return;
    }
    if (f->mode == MODE_PICKER) {
        /* Its own title, no scenario's header. */
        draw_picker(c, f->cat, f->pick, v->lang, v->message);
        keys_draw_bar(c, 0, c->h - 1, c->w, v->lang, KEYS_PICKER);
        return;
    }
    draw_frame_header(c, v);
    switch (f->mode) {
    case MODE_MAIN: draw_frame_main(c, v, f->layout, hits); break;
    case MODE_DIAGRAM: draw_diagram(c, 0, 1, c->w, c->h - 2, v); break;
    case MODE_LOG: draw_log(c, 0, 1, c->w, c->h - 2, v); break;
    case MODE_CROWD: draw_frame_crowd(c, v); break;
    case MODE_CONNS:
        draw_conns(c, 0, 1, c->w, c->h - 2, v, f->conn_pick, f->conn_input);
        break;
    case MODE_HELP:
        draw_help(c, 0, 1, c->w, c->h - 2, v->lang, f->help_page);
        break;
    case MODE_PICKER: break;
    }
    keys_draw_bar(c, 0, c->h - 1, c->w, v->lang, KEYS_VIEWER);
}
