/*
 * The entry points of ui.h. ui_render draws one frame as text with no
 * terminal; ui_run loads the scenario (or the picker's list) and hands over
 * to tui.c. Errors in the scenario are reported here, before the terminal
 * is touched.
 */
#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "synfin/scenario.h"
#include "ui/catalog.h"
#include "ui/draw_frame.h"
#include "ui/session.h"
#include "ui/tui.h"

struct scenario *
ui_load(const struct ui_options *opt, const char *path, char *err, size_t size)
{
    struct synfin_err e;
    struct scenario *s =
        scenario_load(path, opt->overrides, opt->noverrides, &e);
    if (!s) {
        synfin_err_str(&e, err, (unsigned)size);
        return NULL;
    }
    if (opt->has_seed)
        s->seed = opt->seed;
    return s;
}

/* ASCII output speaks English: it cannot show Chinese. */
static const char *
ui_lang(const struct ui_options *opt)
{
    if (opt->ascii || !opt->lang || !*opt->lang)
        return "en";
    return opt->lang;
}

int
ui_render(const struct ui_options *opt, long step, int width, int height,
          FILE *out)
{
    char err[1024];
    struct scenario *scn;
    struct session s;
    struct canvas c;
    int rc = 0;

    if (width < 1 || height < 1 || width > 1000 || height > 1000) {
        fprintf(stderr, "synfin: --size: width and height must be 1 to "
                        "1000\n");
        return 2;
    }
    scn = ui_load(opt, opt->path, err, sizeof err);
    if (!scn) {
        fprintf(stderr, "synfin: %s\n", err);
        return 2;
    }
    session_open(&s, scn, ui_lang(opt));
    s.ascii = opt->ascii != 0;
    if (step < 0 || (size_t)step > s.nsteps) {
        fprintf(stderr,
                "synfin: --render: step %ld is out of range (0 to %zu)\n", step,
                s.nsteps);
        session_close(&s);
        return 2;
    }
    session_goto(&s, (size_t)step);
    canvas_init(&c, width, height, opt->ascii != 0);
    draw_frame(&c, &s, NULL);
    if (canvas_write_text(&c, out) != 0 || fflush(out) != 0)
        rc = 1;
    canvas_free(&c);
    session_close(&s);
    return rc;
}

int
ui_run(const struct ui_options *opt)
{
    static const char *const dirs[] = {SYNFIN_SRC_SCENARIOS,
                                       SYNFIN_DATA_SCENARIOS};
    struct ui_options o = *opt;
    struct session s;
    struct catalog cat = {0};
    char err[1024];
    int rc;

    memset(&s, 0, sizeof s);
    o.lang = ui_lang(opt);
    /* The picker's list, also for 'o' after opening a file. */
    catalog_load(&cat, dirs, 2);
    if (opt->path) {
        struct scenario *scn = ui_load(opt, opt->path, err, sizeof err);
        if (!scn) {
            fprintf(stderr, "synfin: %s\n", err);
            catalog_free(&cat);
            return 2;
        }
        session_open(&s, scn, o.lang);
    } else if (cat.n == 0) {
        fprintf(stderr,
                "synfin: no scenarios found in %s or %s\n"
                "Give a scenario file: synfin FILE.json\n",
                dirs[0], dirs[1]);
        return 2;
    }
    rc = tui_run(&o, &s, &cat);
    if (s.base)
        session_close(&s);
    catalog_free(&cat);
    return rc;
}
