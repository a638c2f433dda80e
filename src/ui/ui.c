/*
 * The pure entry points of ui.h: loading what the command line asks for
 * into a session (a scenario, or the picker's list), and ui_render, which
 * draws one frame as text with no terminal. Errors in the scenario are
 * reported here, before any terminal is touched. ui_run is tui.c's.
 */
#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "scenario/scenario_dirs.h"
#include "synfin/scenario.h"
#include "ui/catalog.h"
#include "ui/draw_frame.h"
#include "ui/session.h"

struct scenario *
ui_load(const struct ui_options *opt, const char *path,
        struct scenario_errors *errs)
{
    struct scenario *s =
        scenario_load_all_errors(path, opt->overrides, opt->noverrides, errs);
    if (s && opt->has_seed)
        scenario_set_seed(s, opt->seed);
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
ui_open(const struct ui_options *opt, bool with_catalog, struct session *s,
        struct catalog *cat)
{
    struct scenario_dirs dirs;
    int rc = 0;

    memset(cat, 0, sizeof *cat);
    memset(s, 0, sizeof *s);
    scenario_dirs_get(&dirs);
    if (with_catalog || !opt->path)
        catalog_load(cat, dirs.d, dirs.n);
    if (opt->path) {
        struct scenario_errors errs;
        struct scenario *scn = ui_load(opt, opt->path, &errs);
        /* Every error, as --validate gives them. */
        scenario_errors_print(&errs, opt->path, stderr);
        scenario_errors_free(&errs);
        if (!scn) {
            catalog_free(cat);
            rc = 2;
        } else {
            session_open(s, scn, ui_lang(opt));
            s->cat = cat;
        }
    } else if (cat->n == 0) {
        fprintf(stderr, "synfin: no scenarios found in:\n");
        scenario_dirs_print(&dirs, stderr);
        fprintf(stderr, "Give a scenario file: synfin FILE.json\n");
        catalog_free(cat);
        rc = 2;
    } else {
        session_open_picker(s, cat, ui_lang(opt));
    }
    scenario_dirs_free(&dirs);
    if (rc == 0)
        s->ascii = opt->ascii != 0;
    return rc;
}

void
ui_open_chosen(const struct ui_options *opt, struct session *s)
{
    char err[1024] = "";
    struct scenario_errors errs;
    struct scenario *scn = ui_load(
        opt, s->open_path[0] ? s->open_path : s->cat->e[s->pick].path, &errs);

    /* The picker has room for the first. */
    if (errs.n)
        synfin_err_str(&errs.list[0], err, sizeof err);
    scenario_errors_free(&errs);
    session_open_chosen(s, scn, err);
}

int
ui_render(const struct ui_options *opt, long step, int width, int height,
          FILE *out)
{
    struct catalog cat;
    struct session s;
    struct frame_view f;
    struct canvas c;
    size_t last;
    int rc = 0;

    if (width < 1 || height < 1 || width > 1000 || height > 1000) {
        fprintf(stderr, "synfin: --size: width and height must be 1 to "
                        "1000\n");
        return 2;
    }
    if ((rc = ui_open(opt, false, &s, &cat)) != 0)
        return rc;
    /* With no scenario, the picker: step is the entry chosen. */
    last = s.mode == MODE_PICKER ? cat.n - 1 : s.nsteps;
    if (step < 0 || (size_t)step > last) {
        fprintf(stderr,
                "synfin: --render: step %ld is out of range (0 to %zu)\n", step,
                last);
        session_close(&s);
        catalog_free(&cat);
        return 2;
    }
    if (s.mode == MODE_PICKER)
        s.pick = (size_t)step;
    else
        session_goto(&s, (size_t)step);
    session_frame(&s, &f);
    canvas_init(&c, width, height, opt->ascii != 0);
    draw_frame(&c, &f, NULL);
    if (canvas_write_text(&c, out) != 0 || fflush(out) != 0)
        rc = 1;
    canvas_free(&c);
    session_close(&s);
    catalog_free(&cat);
    return rc;
}
