/*
 * The SVG export; see picture.h. The diagram is drawn once into a canvas by
 * the viewer's code; this file turns cells into pixels: each text the
 * diagram wrote becomes a <text> at its cell, each arrow a straight line
 * from its start to its head (where the canvas has a staircase), and the
 * lifelines, folded gaps, heads and title are drawn as shapes. Numbers are
 * printed with integer arithmetic, so the output does not depend on the
 * locale.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "picture/picture_private.h"

/* One cell is CW x RH pixels; the diagram's rows start at BODY_Y. */
#define RH     22
#define HEAD_Y 66
#define HEAD_H 26
#define BODY_Y (HEAD_Y + HEAD_H + 8)
#define TAIL   22 /* lifeline below the last row */

#define FONT_MONO                                                              \
    "ui-monospace, 'SFMono-Regular', 'DejaVu Sans Mono', Menlo, Consolas, "    \
    "'Liberation Mono', 'Noto Sans Mono CJK SC', monospace"
#define FONT_SANS                                                              \
    "system-ui, -apple-system, 'Segoe UI', 'Helvetica Neue', Arial, "          \
    "'Noto Sans', 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', "      \
    "sans-serif"

/* Colours for a white page, by canvas role (the viewer's hues, darker). */
const char *
svg_colour(int role)
{
    switch ((enum canvas_role)role) {
    case ROLE_DIM:
    case ROLE_ST_CLOSED: return "#57606a";
    case ROLE_NET:
    case ROLE_ST_TW: return "#0550ae";
    case ROLE_ST_OPENING:
    case ROLE_SEG_SYN: return "#9a6700";
    case ROLE_ST_EST: return "#1a7f37";
    case ROLE_ST_ACTIVE:
    case ROLE_SEG_FIN: return "#8250df";
    case ROLE_ST_PASSIVE:
    case ROLE_TIMER: return "#1b7c83";
    case ROLE_SEG_RST:
    case ROLE_DROP: return "#cf222e";
    case ROLE_RETX: return "#bc4c00";
    default: break;
    }
    return "#24292f";
}

static bool
svg_state_role(int role)
{
    return role >= ROLE_ST_CLOSED && role <= ROLE_ST_TW;
}

/* Pixel coordinates of a cell's centre; y is a canvas row. */
static int
svg_cx(int x)
{
    return PAD + x * CW + CW / 2;
}

static int
svg_cy(int y)
{
    return BODY_Y + (y - PICTURE_HEAD_ROWS) * RH + RH / 2;
}

/* A number in tenths as "12.3" or "12", with no locale in the way. */
static void
svg_num(FILE *f, double v)
{
    long t = lround(v * 10);
    if (t < 0) {
        fputc('-', f);
        t = -t;
    }
    if (t % 10)
        fprintf(f, "%ld.%ld", t / 10, t % 10);
    else
        fprintf(f, "%ld", t / 10);
}

/* UTF-8 text as XML character data: escaped, control characters blanked. */
void
svg_escape(FILE *f, const char *s)
{
    while (*s) {
        uint32_t ch = canvas_utf8_next(&s);
        char b[4];
        switch (ch) {
        case '&': fputs("&amp;", f); continue;
        case '<': fputs("&lt;", f); continue;
        case '>': fputs("&gt;", f); continue;
        case '"': fputs("&quot;", f); continue;
        default: break;
        }
        if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0) ||
            ch == 0xFFFE || ch == 0xFFFF)
            ch = ' ';
        fwrite(b, 1, (size_t)canvas_utf8_put(ch, b), f);
    }
}

/* A cell's character as XML character data. */
static void
svg_cell_char(FILE *f, uint32_t ch)
{
    char b[8];
    b[canvas_utf8_put(ch, b)] = '\0';
    svg_escape(f, b);
}

void
svg_prologue(FILE *f, const char *title, const char *what, const char *sub,
             int w, int h)
{
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
            "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
            "role=\"img\" aria-labelledby=\"title\">\n",
            w, h, w, h);
    fputs("<title id=\"title\">", f);
    svg_escape(f, title);
    fprintf(f, "</title>\n<desc>%s drawn by synfin: ", what);
    svg_escape(f, sub);
    fputs("</desc>\n", f);
    fputs("<style>\n"
          "text { font-family: " FONT_MONO "; font-size: 13px; "
          "white-space: pre; }\n"
          ".title { font-family: " FONT_SANS "; font-size: 19px; "
          "font-weight: bold; }\n"
          ".sub { font-family: " FONT_SANS "; font-size: 13px; }\n"
          ".b { font-weight: bold; }\n"
          ".h { paint-order: stroke; stroke: #ffffff; stroke-width: 4px; "
          "stroke-linejoin: round; }\n"
          "</style>\n",
          f);
    fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
}

void
svg_title(FILE *f, const char *title, const char *sub, int w)
{
    int room = w - 2 * PAD, tw = canvas_str_width(title) * 11;

    fprintf(f, "<text class=\"title\" x=\"%d\" y=\"%d\" fill=\"#24292f\"", PAD,
            TITLE_Y);
    /* A title too long for the page is squeezed rather than cut. */
    if (tw > room)
        fprintf(f, " textLength=\"%d\" lengthAdjust=\"spacingAndGlyphs\"",
                room);
    fputc('>', f);
    svg_escape(f, title);
    fprintf(f,
            "</text>\n<text class=\"sub\" x=\"%d\" y=\"%d\" "
            "fill=\"#57606a\">",
            PAD, SUB_Y);
    svg_escape(f, sub);
    fputs("</text>\n", f);
}

int
svg_end(FILE *f)
{
    fputs("</svg>\n", f);
    if (fflush(f) != 0 || ferror(f)) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}

/* The title, the subtitle and the two lifelines' heads. */
static void
svg_heads(FILE *f, const struct picture *p, int w)
{
    static const char *const names[2] = {"client", "server"};

    svg_title(f, p->title, p->sub, w);
    for (int i = 0; i < 2; i++) {
        int x = svg_cx(i ? p->xs : p->xc), bw = 84;
        fprintf(f,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"5\" "
                "fill=\"#f6f8fa\" stroke=\"#24292f\" stroke-width=\"1.5\"/>\n"
                "<text class=\"b\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                "fill=\"#24292f\">%s</text>\n",
                x - bw / 2, HEAD_Y, bw, HEAD_H, x, HEAD_Y + 18, names[i]);
    }
}

/* Folded idle gaps: a faint band across the page behind the break row. */
static void
svg_gaps(FILE *f, const struct picture *p, int w)
{
    for (size_t r = 0; r < p->layout.nrows; r++)
        if (p->layout.rows[r].kind == SEQ_ROW_BREAK)
            fprintf(f,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                    "fill=\"#eaeef2\" fill-opacity=\"0.6\"/>\n",
                    PAD / 2, BODY_Y + (int)r * RH, w - PAD, RH);
}

/* The lifelines: solid, and dotted across folded gaps. */
static void
svg_lifelines(FILE *f, const struct picture *p, int bottom)
{
    const struct draw_seq_layout *l = &p->layout;

    for (int i = 0; i < 2; i++) {
        int x = svg_cx(i ? p->xs : p->xc), y = HEAD_Y + HEAD_H;
        size_t r = 0;
        while (r <= l->nrows) {
            bool brk = r < l->nrows && l->rows[r].kind == SEQ_ROW_BREAK;
            size_t e = r;
            int y1;
            while (e < l->nrows && (l->rows[e].kind == SEQ_ROW_BREAK) == brk)
                e++;
            y1 = e >= l->nrows ? bottom : BODY_Y + (int)e * RH;
            fprintf(f,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
                    "stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
                    x, y, x, y1, brk ? "#8c959f" : "#24292f", brk ? "2" : "1.5",
                    brk ? " stroke-dasharray=\"2 4\"" : "");
            y = y1;
            if (e >= l->nrows)
                break;
            r = e;
        }
    }
}

/* A cell column as a pixel x, snapped onto a lifeline it touches. */
static int
svg_snap(const struct picture *p, int x)
{
    if (x <= p->xc + 1)
        return svg_cx(p->xc);
    if (x >= p->xs - 1)
        return svg_cx(p->xs);
    return svg_cx(x);
}

static void
svg_arrow(FILE *f, const struct picture *p, const struct draw_seq_mark *m)
{
    const char *col = m->role == ROLE_SEG ? "#424a53" : svg_colour(m->role);
    double x0 = svg_snap(p, m->xa), y0 = svg_cy(m->ya);
    double x1 = m->head == SEQ_HEAD_ARRIVED ? svg_snap(p, m->xb) : svg_cx(m->x);
    double y1 = svg_cy(m->head == SEQ_HEAD_ARRIVED ? m->yb : m->y);
    double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy);
    double ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
    double ex = x1, ey = y1;
    bool copy = m->attr & CANVAS_BOLD; /* a retransmission or duplicate */

    if (m->head == SEQ_HEAD_ARRIVED) {
        /* The line stops where the arrowhead starts. */
        ex = x1 - 9 * ux;
        ey = y1 - 9 * uy;
    }
    fputs("<line x1=\"", f);
    svg_num(f, x0);
    fputs("\" y1=\"", f);
    svg_num(f, y0);
    fputs("\" x2=\"", f);
    svg_num(f, ex);
    fputs("\" y2=\"", f);
    svg_num(f, ey);
    fprintf(f, "\" stroke=\"%s\" stroke-width=\"1.6\"%s/>\n", col,
            copy ? " stroke-dasharray=\"7 4\"" : "");
    if (m->head == SEQ_HEAD_ARRIVED) {
        double bx = x1 - 10 * ux, by = y1 - 10 * uy;
        fputs("<polygon points=\"", f);
        svg_num(f, x1);
        fputc(',', f);
        svg_num(f, y1);
        fputc(' ', f);
        svg_num(f, bx - 4 * uy);
        fputc(',', f);
        svg_num(f, by + 4 * ux);
        fputc(' ', f);
        svg_num(f, bx + 4 * uy);
        fputc(',', f);
        svg_num(f, by - 4 * ux);
        fprintf(f, "\" fill=\"%s\"/>\n", col);
    } else if (m->head == SEQ_HEAD_DROPPED) {
        fprintf(f,
                "<path d=\"M%d,%dl10,10m0,-10l-10,10\" stroke=\"%s\" "
                "stroke-width=\"2.5\" stroke-linecap=\"round\"/>\n",
                svg_cx(m->x) - 5, svg_cy(m->y) - 5, svg_colour(ROLE_DROP));
    } else {
        fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/>\n",
                svg_cx(m->x), svg_cy(m->y), col);
    }
}

/*
 * The diagram's text: the cells that some text mark covers, in runs of one
 * role and attribute, each at its cell and exactly as wide as its cells.
 */
static void
svg_texts(FILE *f, const struct picture *p)
{
    const struct canvas *c = &p->c;
    unsigned char *is_text = xcalloc((size_t)c->w * (size_t)c->h, 1);

    for (size_t i = 0; i < p->marks.n; i++) {
        const struct draw_seq_mark *m = &p->marks.m[i];
        if (m->kind != SEQ_MARK_TEXT || m->y < 0 || m->y >= c->h)
            continue;
        for (int x = m->x; x < m->x + m->w && x < c->w; x++)
            if (x >= 0)
                is_text[(size_t)m->y * (size_t)c->w + (size_t)x] = 1;
    }
    for (int y = PICTURE_HEAD_ROWS; y < c->h; y++) {
        int x = 0;
        while (x < c->w) {
            const struct canvas_cell *a = canvas_cell_const(c, x, y);
            int end = x, last = x, cells;
            bool state, halo;
            if (!is_text[(size_t)y * (size_t)c->w + (size_t)x] ||
                a->ch == ' ' || a->width == 0) {
                x++;
                continue;
            }
            /* The run: same role and attributes, trailing blanks cut. */
            while (end < c->w && is_text[(size_t)y * (size_t)c->w + end]) {
                const struct canvas_cell *b = canvas_cell_const(c, end, y);
                if (b->width && (b->role != a->role || b->attr != a->attr))
                    break;
                if (b->width && b->ch != ' ')
                    last = end + b->width - 1;
                end++;
            }
            cells = last - x + 1;
            state = svg_state_role(a->role);
            halo = x > p->xc && x < p->xs;
            if (state)
                fprintf(f,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                        "rx=\"4\" fill=\"%s\" fill-opacity=\"0.12\"/>\n",
                        PAD + x * CW - 3, svg_cy(y) - RH / 2 + 2,
                        cells * CW + 6, RH - 4, svg_colour(a->role));
            fprintf(f,
                    "<text x=\"%d\" y=\"%d\" textLength=\"%d\" "
                    "lengthAdjust=\"spacingAndGlyphs\" fill=\"%s\"",
                    PAD + x * CW, svg_cy(y) + 4, cells * CW,
                    svg_colour(a->role));
            if ((a->attr & CANVAS_BOLD) || halo)
                fprintf(f, " class=\"%s%s%s\"",
                        a->attr & CANVAS_BOLD ? "b" : "",
                        (a->attr & CANVAS_BOLD) && halo ? " " : "",
                        halo ? "h" : "");
            fputc('>', f);
            for (int i = x; i <= last; i++) {
                const struct canvas_cell *b = canvas_cell_const(c, i, y);
                if (b->width)
                    svg_cell_char(f, b->ch);
            }
            fputs("</text>\n", f);
            x = end;
        }
    }
    free(is_text);
}

int
picture_write_svg(const struct trace *t, const struct scenario *s,
                  const struct picture_opts *o, FILE *out)
{
    struct picture_opts so = *o;
    struct picture p;
    int w, h, bottom;

    if (trace_conn_max(t) >= TRACE_CROWD_CONNS)
        return picture_write_counts_svg(t, s, o, out);
    so.ascii = false; /* an SVG has every character */
    picture_build(&p, t, s, &so);
    w = 2 * PAD + p.c.w * CW;
    bottom = BODY_Y + (int)p.layout.nrows * RH + TAIL;
    h = bottom + PAD;
    svg_prologue(out, p.title, "TCP sequence diagram", p.sub, w, h);
    svg_heads(out, &p, w);
    fputs("<g id=\"gaps\">\n", out);
    svg_gaps(out, &p, w);
    fputs("</g>\n<g id=\"lifelines\">\n", out);
    svg_lifelines(out, &p, bottom);
    fputs("</g>\n<g id=\"packets\">\n", out);
    for (size_t i = 0; i < p.marks.n; i++)
        if (p.marks.m[i].kind == SEQ_MARK_ARROW)
            svg_arrow(out, &p, &p.marks.m[i]);
    fputs("</g>\n<g id=\"text\" xml:space=\"preserve\">\n", out);
    svg_texts(out, &p);
    fputs("</g>\n", out);
    picture_free(&p);
    return svg_end(out);
}
