/*
 * Labels never cover lines (issue 10, item 6). Every shipped scenario's
 * whole-run sequence diagram (what --diagram and --svg draw), at widths
 * from the narrowest --diagram to 200 columns, in English and Chinese, and
 * the two scenarios whose arrows cross (simultaneous close and open) at
 * every step as the viewer shows them:
 *  - every arrow's line is whole: each cell of its staircase, from its start
 *    to its head, still holds a line (no label or other text written over
 *    it), so no arrow is broken by another arrow's label;
 *  - no two pieces of text share a cell;
 *  - from 80 columns on, every packet of the two crossing scenarios has its
 *    whole label ("FIN seq=101 ack=201") somewhere on the diagram.
 * A label may be written across its own line (the last resort of a
 * crowded row), never across another's.
 * The staircase is the one draw_seq.c draws (docs/pictures.md): an arrow
 * from column xa to xb over the k rows of ya..yb that are not label rows
 * covers, on the j-th of them, the cells from run(j) to run(j + 1), where
 * run(j) = (j * |xb - xa| + k / 2) / k; on a label row between them it
 * goes straight down.
 */
#include <dirent.h>

#include "synfin/scenario.h"
#include "synfin/world.h"
#include "tap.h"
#include "ui/draw_seq.h"

/* More trace events than this: a crowd, left out (see check_scenario). */
enum { CROWD_EVENTS = 100000 };

static const int widths[] = {60, 64, 72, 80, 90, 100, 120, 160, 200};

struct pic {
    const char *name, *lang;
    int w, h; /* h 0: the whole run */
    int off;  /* a layout row's row on the canvas, less the row */
    uint32_t ev;
    const struct trace *t;
    const struct draw_seq_layout *l;
    struct canvas c;
    struct draw_seq_marks m;
};

static int
run_at(int j, int n, int k)
{
    return (j * n + k / 2) / k;
}

/* Is ch something an arrow is drawn with (UTF-8 canvas)? */
static bool
line_glyph(uint32_t ch)
{
    switch (ch) {
    case 0x2500: /* ─ */
    case 0x2502: /* │ */
    case 0x256D:
    case 0x256E:
    case 0x256F:
    case 0x2570: /* ╭╮╯╰ */
    case 0x251C:
    case 0x2524: /* ├┤ */
    case 0x25B6:
    case 0x25C0: /* ▶◀ */
    case 0x25CF: /* ● */
    case 0x2717: /* ✗ */ return true;
    default: return false;
    }
}

/* The row a whole-run picture shows, as text, for a failure message. */
static void
show_row(const struct pic *p, int y)
{
    char line[1024];
    size_t n = 0;

    for (int x = 0; x < p->c.w && n + 5 < sizeof line; x++) {
        const struct canvas_cell *cell = canvas_cell_const(&p->c, x, y);
        if (cell->width)
            n += (size_t)canvas_utf8_put(cell->ch, line + n);
    }
    line[n] = '\0';
    printf("#   row %d: %s\n", y, line);
}

/* Is (x, y) in a piece of the label of arrow ai? */
static bool
own_label(const struct pic *p, uint32_t ai, int x, int y)
{
    for (size_t i = 0; i < p->m.n; i++) {
        const struct draw_seq_mark *k = &p->m.m[i];
        if (k->kind == SEQ_MARK_TEXT && k->arrow == ai && k->y == y &&
            x >= k->x && x < k->x + k->w)
            return true;
    }
    return false;
}

/* Does cell (x, y) of arrow a still show a's line (or a's own label)? */
static bool
cell_ok(const struct pic *p, const struct draw_seq_mark *a, int x, int y)
{
    const struct canvas_cell *cell = canvas_cell_const(&p->c, x, y);

    if (!cell || line_glyph(cell->ch) || own_label(p, a->arrow, x, y))
        return true;
    printf("#   %s %dx%d (%s) at event %u: arrow %u broken at column %d\n",
           p->name, p->w, p->h, p->lang, p->ev, a->arrow, x);
    show_row(p, y);
    return false;
}

/* Is canvas row y a label row of the layout? */
static bool
label_row(const struct pic *p, int y)
{
    y -= p->off;
    return y >= 0 && y < (int)p->l->nrows &&
           p->l->rows[y].kind == SEQ_ROW_LABEL;
}

/*
 * Every arrow's cells, start to head, still hold its line, or its own
 * label written across it (a crowded row), never another's text.
 */
static int
lines_whole(const struct pic *p)
{
    for (size_t i = 0; i < p->m.n; i++) {
        const struct draw_seq_mark *a = &p->m.m[i];
        int n = abs(a->xb - a->xa), k = 0, j = 0;
        int dir = a->xb >= a->xa ? 1 : -1, lim = abs(a->x - a->xa);

        if (a->kind != SEQ_MARK_ARROW)
            continue;
        for (int y = a->ya; y <= a->yb; y++)
            k += !label_row(p, y);
        for (int y = a->ya; y <= a->yb; y++) {
            int from = run_at(j, n, k),
                to = j < k - 1 ? run_at(j + 1, n, k) : n;
            if (label_row(p, y)) {
                /* Straight down at the corner. */
                if (from <= lim && !cell_ok(p, a, a->xa + dir * from, y))
                    return 0;
                continue;
            }
            for (int c = from; c <= to && c <= lim; c++)
                if (!cell_ok(p, a, a->xa + dir * c, y))
                    return 0;
            j++;
        }
    }
    return 1;
}

/* No cell is written by two pieces of text. */
static int
texts_apart(const struct pic *p)
{
    for (size_t i = 0; i < p->m.n; i++) {
        const struct draw_seq_mark *a = &p->m.m[i];
        if (a->kind != SEQ_MARK_TEXT)
            continue;
        for (size_t j = i + 1; j < p->m.n; j++) {
            const struct draw_seq_mark *b = &p->m.m[j];
            if (b->kind != SEQ_MARK_TEXT || b->y != a->y ||
                b->x >= a->x + a->w || a->x >= b->x + b->w)
                continue;
            printf("#   %s %dx%d (%s) at event %u: two texts share row %d, "
                   "columns %d-%d and %d-%d\n",
                   p->name, p->w, p->h, p->lang, p->ev, a->y, a->x,
                   a->x + a->w - 1, b->x, b->x + b->w - 1);
            show_row(p, a->y);
            return 0;
        }
    }
    return 1;
}

/* The text of mark k, read back from the canvas. */
static void
mark_text(const struct pic *p, const struct draw_seq_mark *k, char *buf,
          size_t size)
{
    size_t n = 0;
    for (int x = k->x; x < k->x + k->w && n + 5 < size; x++) {
        const struct canvas_cell *cell = canvas_cell_const(&p->c, x, k->y);
        if (cell && cell->width)
            n += (size_t)canvas_utf8_put(cell->ch, buf + n);
    }
    buf[n] = '\0';
}

/* Every packet sent so far has its whole label on the picture. */
static int
labels_whole(const struct pic *p)
{
    for (size_t i = 0; i < p->l->narrows; i++) {
        const struct draw_seq_arrow *a = &p->l->arrows[i];
        const struct trace_event *e = trace_at(p->t, a->send_ev);
        char want[96], got[256];
        bool found = false;

        if (a->send_ev > p->ev)
            continue;
        draw_seg_label(&e->seg, false, a->has_seq, a->base_seq, a->has_ack,
                       a->base_ack, want, sizeof want);
        for (size_t j = 0; j < p->m.n && !found; j++) {
            if (p->m.m[j].kind != SEQ_MARK_TEXT)
                continue;
            mark_text(p, &p->m.m[j], got, sizeof got);
            found = strcmp(got, want) == 0;
        }
        if (!found) {
            printf("#   %s %dx%d (%s) at event %u: no whole label \"%s\"\n",
                   p->name, p->w, p->h, p->lang, p->ev, want);
            return 0;
        }
    }
    return 1;
}

/*
 * The diagram at event ev, w wide: the whole run (h 0, as --diagram draws
 * it) or h rows of it scrolled as the viewer shows them. The checks; true
 * if all hold.
 */
static bool
check_at(const char *name, const struct trace *t, const struct scenario *s,
         const struct draw_seq_layout *l, int w, int h, const char *lang,
         uint32_t ev, bool want_labels)
{
    struct pic p = {name, lang, w, h, 0, ev, t, l, {0}, {0}};
    struct draw_view v;
    bool good;

    memset(&v, 0, sizeof v);
    v.trace = t;
    v.scn = s;
    v.lang = lang;
    v.ev = ev;
    v.now_us = trace_at(t, ev)->t_us;
    v.msl_us = s->tcp.msl_us;
    canvas_init(&p.c, w, h ? h : (int)l->nrows, false);
    if (h)
        draw_seq_draw_marked(&p.c, 0, 0, w, h, l, &v, NULL, &p.m);
    else
        draw_seq_draw_run(&p.c, 0, 0, w, l, &v, &p.m);
    for (size_t i = 0; i < p.m.n; i++)
        if (p.m.m[i].kind == SEQ_MARK_ARROW) {
            p.off = p.m.m[i].ya - l->arrows[p.m.m[i].arrow].y0;
            break;
        }
    good = lines_whole(&p) && texts_apart(&p);
    if (good && want_labels)
        good = labels_whole(&p);
    draw_seq_marks_free(&p.m);
    canvas_free(&p.c);
    return good;
}

/*
 * A shipped scenario at every width and language. With steps, at every
 * step, and also as the viewer shows it at a few heights.
 */
static void
check_scenario(const char *dir, const char *name, bool steps)
{
    static const char *const langs[] = {"en", "zh"};
    static const int heights[] = {0, 8, 14, 40};
    char path[4096];
    struct synfin_err err;
    struct scenario *s;
    struct trace t;
    struct draw_seq_layout l;
    int bad = 0, tried = 0;

    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    s = scenario_load(path, NULL, 0, &err);
    if (!ok(s != NULL, "%s loads", name))
        return;
    trace_init(&t);
    world_run(s, &t, NULL);
    /* A crowd (time-wait-pileup-10k: 590,000 events) has a diagram of as
     * many rows, drawn whole 18 times here: minutes, for arrows and labels
     * of the kinds time-wait-pileup's 30 connections have. */
    if (!steps && t.len > CROWD_EVENTS) {
        printf("ok %d - %s # SKIP a crowd of %zu events: its labels are "
               "time-wait-pileup's kinds\n",
               ++tap_n, name, t.len);
        trace_free(&t);
        scenario_free(s);
        return;
    }
    draw_seq_layout_build(&l, &t, s->net.routers, 0);
    for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++)
        for (size_t hi = 0; hi < (steps ? 4 : 1); hi++)
            for (int li = 0; li < 2; li++) {
                uint32_t last = (uint32_t)t.len - 1;
                int w = widths[wi], h = heights[hi];
                for (uint32_t ev = steps ? 0 : last; ev <= last && !bad; ev++) {
                    if (l.ev_row[ev] < 0 && ev != last)
                        continue;
                    tried++;
                    bad = !check_at(name, &t, s, &l, w, h, langs[li], ev,
                                    steps && !h && w >= 80);
                }
            }
    ok(!bad, "%s: no label covers a line or another text (%d pictures%s)", name,
       tried,
       steps ? ", every step, in the viewer too; whole labels from 80 columns"
             : "");
    draw_seq_layout_free(&l);
    trace_free(&t);
    scenario_free(s);
}

int
main(void)
{
    char dir[4096];
    struct dirent **list;
    int n;

    snprintf(dir, sizeof dir, "%s/scenarios",
             getenv("SRCDIR") ? getenv("SRCDIR") : ".");
    check_scenario(dir, "simultaneous-close", true);
    check_scenario(dir, "simultaneous-open", true);
    n = scandir(dir, &list, NULL, alphasort);
    ok(n > 0, "the scenarios are in %s", dir);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list[i]->d_name);
        if (len > 5 && strcmp(list[i]->d_name + len - 5, ".json") == 0) {
            list[i]->d_name[len - 5] = '\0';
            check_scenario(dir, list[i]->d_name, false);
        }
        free(list[i]);
    }
    if (n > 0)
        free(list);
    return done_testing();
}
