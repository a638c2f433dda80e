/*
 * --svg of a crowd: how many connections each side has in each state over
 * the run, the chart the viewer opens such a run on (draw_crowd.c), drawn
 * for a page. One pixel column is one slice of the run (trace_crowd); each
 * state a side ever held is a band whose height in a column is the most
 * connections in that state during the slice, against the state's peak,
 * written at the band's end with when it was first reached. A ladder of
 * thousands of connections would be a page of crossing arrows.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "picture/picture_private.h"
#include "ui/draw.h"

#define HEAD_Y  84  /* the chart's heading */
#define LABEL_W 112 /* state names */
#define PEAK_W  168 /* "peak 30 at 2.900 s" */
#define SIDE_H  26  /* a side's name */
#define BAND_H  30  /* a state's band: the bars and a gap */
#define BAR_H   24
#define AXIS_H  56 /* the time axis and what a column is */

/* Up to 8 ticks at 1, 2 or 5 times a power of ten microseconds. */
static uint64_t
tick_step(uint64_t span_us)
{
    uint64_t step = 1;

    for (;;)
        for (int m = 1; m <= 5; m += m == 1 ? 1 : 3) {
            if (span_us / (step * (uint64_t)m) <= 8)
                return step * (uint64_t)m;
            if (m == 5)
                step *= 10;
        }
}

/* "20 s", "500 ms", "250 us": a tick's time, exact at its step. */
static void
tick_label(uint64_t t_us, uint64_t step, char *buf, size_t size)
{
    if (step >= 1000000)
        snprintf(buf, size, "%" PRIu64 " s", t_us / 1000000);
    else if (step >= 1000)
        snprintf(buf, size, "%" PRIu64 " ms", t_us / 1000);
    else
        snprintf(buf, size, "%" PRIu64 " \u00b5s", t_us);
}

/* One state's band: the filled bars, the name before, the peak after. */
static void
band(FILE *f, const struct trace_crowd *k, int side, int st, int x0, int y,
     bool zh)
{
    int64_t peak = k->peak[side][st];
    int base = y + BAR_H, prev = -1;
    const char *colour = svg_colour(draw_state_role(st));
    char when[24];

    fprintf(f,
            "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n"
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d0d7de\" "
            "stroke-width=\"1\"/>\n",
            PAD, base - 6, colour, tcp_state_name((enum tcp_state)st), x0, base,
            x0 + k->ncols, base);
    /* The outline of the bars, a point where the height changes. */
    fprintf(f, "<path fill=\"%s\" fill-opacity=\"0.85\" d=\"M%d %d", colour, x0,
            base);
    for (int col = 0; col < k->ncols; col++) {
        int64_t n = k->most[col][side][st];
        /* At least a pixel for any connection at all. */
        int hgt = n <= 0 ? 0 : (int)((n * BAR_H + peak - 1) / peak);

        if (hgt != prev) {
            fprintf(f, "H%dV%d", x0 + col, base - hgt);
            prev = hgt;
        }
    }
    fprintf(f, "H%dV%dZ\"/>\n", x0 + k->ncols, base);
    draw_time(k->peak_us[side][st], when, sizeof when);
    fprintf(f,
            "<text x=\"%d\" y=\"%d\" fill=\"#24292f\">%s %" PRId64
            "%s%s s</text>\n",
            x0 + k->ncols + 8, base - 6, zh ? "峰值" : "peak", peak,
            zh ? "，于 " : " at ", when);
}

/* The time axis under the bands, and what a column stands for. */
static void
axis(FILE *f, const struct trace_crowd *k, int x0, int y, int w, bool zh)
{
    uint64_t step = tick_step(k->span_us);
    char label[40], slice[24], line[200];

    fprintf(f,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#57606a\" "
            "stroke-width=\"1\"/>\n",
            x0, y, x0 + k->ncols, y);
    for (uint64_t t = 0; t <= k->span_us; t += step) {
        int x =
            x0 + (int)(k->span_us ? t * (uint64_t)k->ncols / k->span_us : 0);

        tick_label(t, step, label, sizeof label);
        fprintf(f,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                "stroke=\"#57606a\" stroke-width=\"1\"/>\n"
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                "fill=\"#57606a\">%s</text>\n",
                x, y, x, y + 5, x, y + 19, label);
    }
    draw_duration(k->span_us / (uint64_t)k->ncols + 1, slice, sizeof slice);
    snprintf(line, sizeof line,
             zh ? "每一像素列是运行中的 %s；高度是这段时间内处于该状态的"
                  "连接数的最大值，相对于该状态的峰值。"
                : "Each pixel column is %s of the run; its height is the most "
                  "connections in that state during it, against the state's "
                  "peak.",
             slice);
    fprintf(f, "<text class=\"sub\" x=\"%d\" y=\"%d\" fill=\"#57606a\"", PAD,
            y + 42);
    if (canvas_str_width(line) * 7 > w - 2 * PAD)
        fprintf(f, " textLength=\"%d\" lengthAdjust=\"spacingAndGlyphs\"",
                w - 2 * PAD);
    fputc('>', f);
    svg_escape(f, line);
    fputs("</text>\n", f);
}

int
picture_write_counts_svg(const struct trace *t, const struct scenario *s,
                         const struct picture_opts *o, FILE *out)
{
    static const char *const side_en[2] = {"client", "server"};
    static const char *const side_zh[2] = {"客户端", "服务器"};
    const char *lang = o->lang ? o->lang : "en";
    bool zh = strcmp(lang, "zh") == 0;
    int cols = o->width > 0 ? o->width : PICTURE_WIDTH;
    int w = 2 * PAD + cols * CW, x0 = PAD + LABEL_W, y = HEAD_Y + 16, h;
    struct trace_crowd k;
    char sub[160];
    int bands = 0;

    if (trace_crowd_build(&k, t, w - PAD - PEAK_W - x0) != 0) {
        errno = ENOMEM;
        return -1;
    }
    for (int side = 0; side < 2; side++)
        for (int st = 0; st < TCP__STATE_COUNT; st++)
            bands += st != TCP_CLOSED && k.peak[side][st] > 0;
    h = y + 2 * SIDE_H + bands * BAND_H + AXIS_H + PAD;
    picture_subtitle(s, sub, sizeof sub);
    svg_prologue(out, picture_title(t, s, lang), "Connections in each state",
                 sub, w, h);
    svg_title(out, picture_title(t, s, lang), sub, w);
    fprintf(out, "<text class=\"b\" x=\"%d\" y=\"%d\" fill=\"#24292f\">%s %u",
            PAD, HEAD_Y,
            zh ? "各状态的连接数：共" : "Connections in each state:",
            trace_conn_max(t));
    fputs(zh ? " 个连接</text>\n" : " in all</text>\n", out);
    for (int side = 0; side < 2; side++) {
        fprintf(out,
                "<text class=\"b\" x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n",
                PAD, y + SIDE_H - 8,
                svg_colour(side == SIDE_CLIENT ? ROLE_CLIENT : ROLE_SERVER),
                zh ? side_zh[side] : side_en[side]);
        y += SIDE_H;
        for (int st = 0; st < TCP__STATE_COUNT; st++)
            if (st != TCP_CLOSED && k.peak[side][st] > 0) {
                band(out, &k, side, st, x0, y, zh);
                y += BAND_H;
            }
    }
    axis(out, &k, x0, y + 4, w, zh);
    trace_crowd_free(&k);
    return svg_end(out);
}
