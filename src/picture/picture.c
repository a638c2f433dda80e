/* The whole run drawn once, and the text export; see picture.h. */
#include "picture/picture_private.h"

#include <errno.h>
#include <string.h>

#include "ui/draw.h"

/* The scenario's name, profile, MSL and what-if variants, on one line. */
void
picture_subtitle(const struct scenario *s, char *buf, size_t size)
{
    char d[24];
    size_t n;

    draw_duration(s->tcp.msl_us, d, sizeof d);
    n = (size_t)snprintf(buf, size, "%s \u00b7 %s \u00b7 MSL %s",
                         s->name ? s->name : "synfin",
                         tcp_profile_name(s->tcp.profile), d);
    for (unsigned bit = 1; bit && n < size; bit <<= 1) {
        const char *v = s->variants & bit ? scenario_variant_name(bit) : NULL;
        if (v)
            n += (size_t)snprintf(buf + n, size - n, " \u00b7 what-if: %s", v);
    }
}

const char *
picture_title(const struct trace *t, const struct scenario *s, const char *lang)
{
    struct draw_view v;

    memset(&v, 0, sizeof v);
    v.trace = t;
    v.scn = s;
    v.lang = lang;
    return draw_title(&v);
}

void
picture_build(struct picture *p, const struct trace *t,
              const struct scenario *s, const struct picture_opts *o)
{
    int w = o->width > 0 ? o->width : PICTURE_WIDTH;
    const char *lang = o->ascii || !o->lang ? "en" : o->lang;
    struct draw_view v;

    memset(p, 0, sizeof *p);
    draw_seq_layout_build(&p->layout, t, s->net.routers, 0);
    canvas_init(&p->c, w, PICTURE_HEAD_ROWS + (int)p->layout.nrows, o->ascii);

    memset(&v, 0, sizeof v);
    v.trace = t;
    v.scn = s;
    v.lang = lang;
    v.ev = t->len ? (uint32_t)t->len - 1 : DRAW_NONE;
    v.now_us = t->len ? trace_at(t, t->len - 1)->t_us : 0;
    v.step = v.nsteps = t->len;
    v.speed_pct = 100;
    v.msl_us = s->tcp.msl_us;
    p->title = draw_title(&v);
    picture_subtitle(s, p->sub, sizeof p->sub);

    draw_seq_lifelines(w, &p->xc, &p->xs);
    canvas_text(&p->c, 1, 0, w - 2, p->title, ROLE_TITLE, CANVAS_BOLD);
    canvas_text(&p->c, 1, 1, w - 2, p->sub, ROLE_DIM, 0);
    canvas_text(&p->c, p->xc - 2, 3, 6, "client", ROLE_CLIENT, CANVAS_BOLD);
    canvas_text(&p->c, p->xs - 3, 3, 6, "server", ROLE_SERVER, CANVAS_BOLD);
    draw_seq_draw_run(&p->c, 0, PICTURE_HEAD_ROWS, w, &p->layout, &v,
                      &p->marks);
}

void
picture_free(struct picture *p)
{
    draw_seq_marks_free(&p->marks);
    canvas_free(&p->c);
    draw_seq_layout_free(&p->layout);
}

int
picture_write_text(const struct trace *t, const struct scenario *s,
                   const struct picture_opts *o, FILE *out)
{
    struct picture p;
    int rc;

    picture_build(&p, t, s, o);
    rc = canvas_write_text(&p.c, out);
    picture_free(&p);
    if (rc == 0 && fflush(out) != 0)
        rc = -1;
    if (rc && !errno)
        errno = EIO;
    return rc;
}
