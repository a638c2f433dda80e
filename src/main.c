/*
 * synfin's command line. Headless modes (--trace, --trace-json, --validate,
 * --summary) never touch the terminal; with only a scenario (or nothing)
 * the interactive viewer starts.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "cli.h"
#include "export/export.h"
#include "picture/picture.h"
#include "quiz/quiz_text.h"
#include "save/save.h"
#include "scenario/scenario_dirs.h"
#include "synfin/quiz.h"
#include "synfin/scenario.h"
#include "synfin/trace.h"
#include "synfin/world.h"
#include "ui/ui.h"

static const char *
default_lang(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "zh", 2) == 0 ? "zh" : "en";
    }
    return "en";
}

static int
print_summary(const struct scenario *s, const struct world_stats *st, FILE *out)
{
    static const char *const side[2] = {"client", "server"};

    fprintf(out,
            "scenario %s, seed %" PRIu64 ", ended at %" PRIu64 ".%06" PRIu64
            " s after %" PRIu64 " events\n",
            s->name, s->seed, st->end_us / 1000000, st->end_us % 1000000,
            st->events);
    fprintf(out, "packets %" PRIu64 ", dropped %" PRIu64 "\n", st->packets,
            st->dropped);
    for (int i = 0; i < 2; i++) {
        fprintf(out, "%s:", side[i]);
        for (int e = 0; e < END__COUNT; e++)
            if (st->ends[i][e])
                fprintf(out, " %s=%" PRIu64, conn_end_name((enum conn_end)e),
                        st->ends[i][e]);
        for (int k = 0; k < TCP__STATE_COUNT; k++)
            if (st->open[i][k])
                fprintf(out, " [%s: %" PRIu64 "]",
                        tcp_state_name((enum tcp_state)k), st->open[i][k]);
        for (int c = 0; c < CALL__COUNT; c++) {
            int err = st->failed_errno[i][c];
            if (!st->failed_calls[i][c])
                continue;
            fprintf(out, " failed %s()=%" PRIu64 " (%s)",
                    sock_call_name((enum sock_call)c), st->failed_calls[i][c],
                    err < 0 ? "various errors" : trace_errno_name(err));
        }
        fputc('\n', out);
    }
    /* The most connections each state held at once, and when first. */
    for (int i = 0; i < 2; i++) {
        bool any = false;
        for (int k = 0; k < TCP__STATE_COUNT; k++) {
            uint64_t at = st->peak_us[i][k];
            if (!st->peak[i][k])
                continue;
            if (!any)
                fprintf(out, "%s peak:", side[i]);
            fprintf(out, "%s %s=%" PRIu64 " at %" PRIu64 ".%06" PRIu64 " s",
                    any ? "," : "", tcp_state_name((enum tcp_state)k),
                    st->peak[i][k], at / 1000000, at % 1000000);
            any = true;
        }
        if (any)
            fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

/* What stopped a run, as a sentence. Returns buf. */
static char *
limit_message(enum world_end e, const struct world_limits *l, char *buf,
              size_t size)
{
    switch (e) {
    case WORLD_DONE: snprintf(buf, size, "the run ended"); break;
    case WORLD_LIMIT_EVENTS:
        snprintf(buf, size,
                 "the run was stopped at its limit of %" PRIu64
                 " events (docs/limits.md)",
                 l->events);
        break;
    case WORLD_LIMIT_STUCK:
        snprintf(buf, size,
                 "the run was stopped: %" PRIu64
                 " events fired without the clock moving, so it would never "
                 "end (a timer of 0 ms that re-arms itself?)",
                 l->same_instant);
        break;
    case WORLD_LIMIT_TRACE:
        snprintf(buf, size,
                 "the run was stopped: its trace reached the limit of %" PRIu64
                 " MiB (docs/limits.md)",
                 l->trace_bytes >> 20);
        break;
    }
    return buf;
}

/* Where a warning of --validate is: the place of a note or question. */
static void
warn_place(const struct cli *c, const struct note_match *w)
{
    if (w->line)
        fprintf(stderr, "%s:%u:%u: ", c->path, w->line, w->col);
    else
        fprintf(stderr, "%s: ", c->path);
}

/* A note or question that is never seen. */
static void
warn_at(const struct cli *c, const struct note_match *w, const char *what,
        size_t i, const struct scenario *s)
{
    warn_place(c, w);
    fprintf(stderr,
            "%s[%zu]: warning: its event never happens in the run (seed "
            "%" PRIu64 "), so it is never %s\n",
            what, i, s->seed, strcmp(what, "notes") ? "asked" : "shown");
}

/*
 * --validate runs the scenario once and warns about notes and questions
 * whose event never happens: they load fine and are never seen. Returns
 * the number of warnings.
 */
static size_t
validate_run(const struct cli *c, const struct scenario *s)
{
    struct trace t;
    struct quiz_item *items = xcalloc(s->nquiz + 1, sizeof *items);
    bool *seen = xcalloc(s->nnotes + s->nquiz + 1, sizeof *seen);
    size_t warnings = 0, placed;

    trace_init(&t);
    world_run(s, &t, NULL);
    for (size_t i = 0; i < t.len; i++) {
        const struct trace_event *e = trace_at(&t, i);
        char key[32];
        if (e->kind != TRACE_NOTE || (size_t)e->a >= s->nnotes)
            continue;
        seen[e->a] = true;
        if (!(e->flags & TRACE_F_UNTRUE) || !++warnings)
            continue;
        /* Its "holds" says something the run does not do. */
        warn_place(c, &s->notes[e->a].when);
        fprintf(stderr,
                "notes[%d]: warning: its claim \"%s\" is false in the run "
                "(seed %" PRIu64 "), so it is not shown there\n",
                e->a,
                trace_claim_key(&s->notes[e->a].holds, e->b, key, sizeof key),
                s->seed);
    }
    placed = quiz_prepare(s, &t, items);
    for (size_t k = 0; k < placed; k++)
        seen[s->nnotes + (size_t)(items[k].q - s->quiz)] = true;
    for (size_t i = 0; i < s->nnotes; i++)
        if (!seen[i] && ++warnings)
            warn_at(c, &s->notes[i].when, "notes", i, s);
    for (size_t i = 0; i < s->nquiz; i++)
        if (!seen[s->nnotes + i] && ++warnings)
            warn_at(c, &s->quiz[i].when, "quiz", i, s);
    free(seen);
    free(items);
    trace_free(&t);
    return warnings;
}

/* An output file that is the scenario being read would be lost: say so
 * before anything runs. Returns 1 if one is. */
static int
refuse_to_overwrite(const struct cli *c)
{
    const struct {
        const char *flag, *path;
    } outs[] = {{"-o", c->out},
                {"--pcap", c->pcap},
                {"--counts", c->counts},
                {"--svg", c->svg},
                {"--save", c->save}};

    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++)
        if (output_same_file(outs[i].path, c->path)) {
            fprintf(stderr,
                    "synfin: %s %s: is the scenario file; refusing to "
                    "overwrite it\n",
                    outs[i].flag, outs[i].path);
            return 1;
        }
    return 0;
}

/* --pcap FILE: written whole or not at all. Returns 0 or 1. */
static int
write_pcap(const struct cli *c, const struct trace *t)
{
    struct output *o = output_open(c->pcap);
    int rc, err;

    if (!o) {
        fprintf(stderr, "synfin: %s: %s\n", c->pcap, strerror(errno));
        return 1;
    }
    rc = pcap_write(
        t, c->pcap_at == PCAP_AT_RECEIVER ? PCAP_AT_RECEIVER : PCAP_AT_SENDER,
        output_file(o));
    err = errno;
    if (output_close(o, rc == 0) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc) {
        fprintf(stderr, "synfin: %s: %s\n", c->pcap, strerror(err));
        return 1;
    }
    return 0;
}

/* --counts FILE: written whole or not at all. Returns 0 or 1. */
static int
write_counts(const struct cli *c, const struct trace *t)
{
    struct output *o;
    int rc, err;

    if (!strcmp(c->counts, "-")) /* alone: close_stdout reports errors */
        return counts_write_csv(t, stdout) ? 1 : 0;
    o = output_open(c->counts);
    if (!o) {
        fprintf(stderr, "synfin: %s: %s\n", c->counts, strerror(errno));
        return 1;
    }
    rc = counts_write_csv(t, output_file(o));
    err = errno;
    if (output_close(o, rc == 0) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc) {
        fprintf(stderr, "synfin: %s: %s\n", c->counts, strerror(err));
        return 1;
    }
    return 0;
}

/* The diagram's options from the command line. */
static struct picture_opts
picture_opts(const struct cli *c)
{
    struct picture_opts o = {c->width, c->ascii != 0, c->lang};
    return o;
}

/* --svg FILE: written whole (beside it, then renamed) or not at all. */
static int
write_svg(const struct cli *c, const struct scenario *s, const struct trace *t)
{
    struct picture_opts po = picture_opts(c);
    struct output *o = output_open(c->svg);
    int rc, err;

    if (!o) {
        fprintf(stderr, "synfin: %s: %s\n", c->svg, strerror(errno));
        return 1;
    }
    rc = picture_write_svg(t, s, &po, output_file(o));
    err = errno;
    if (output_close(o, rc == 0) != 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    if (rc) {
        fprintf(stderr, "synfin: %s: %s\n", c->svg, strerror(err));
        return 1;
    }
    return 0;
}

/*
 * --save FILE: the run as a scenario file, written whole (beside it, then
 * renamed) or not at all; "-" is standard output. Errors name the flag and
 * exit 2; success says on standard error how to open the file.
 */
static int
write_save(const struct cli *c, const struct scenario *s, const struct trace *t)
{
    struct synfin_err err;
    char msg[1024], name[512];
    char *text = save_run_text(s, s, t, &err);
    struct output *o = NULL;
    int rc = 0, e = 0;

    trace_escape(c->save, name, sizeof name);
    if (!text) {
        fprintf(stderr, "synfin: --save %s: %s\n", name,
                synfin_err_str(&err, msg, sizeof msg));
        return 2;
    }
    if (strcmp(c->save, "-") == 0) {
        fputs(text, stdout); /* a failure is close_stdout's to say */
        free(text);
        return 0;
    }
    if (!(o = output_open(c->save))) {
        rc = -1;
        e = errno;
    } else {
        if (fputs(text, output_file(o)) == EOF)
            rc = -1, e = errno;
        if (output_close(o, rc == 0) != 0 && rc == 0)
            rc = -1, e = errno;
    }
    free(text);
    if (rc) {
        fprintf(stderr, "synfin: --save %s: %s\n", name, strerror(e));
        return 2;
    }
    fprintf(stderr, "synfin: saved the run as %s (synfin %s opens it)\n", name,
            name);
    return 0;
}

static int
run_headless(const struct cli *c)
{
    struct scenario_errors errs;
    char msg[1024];
    struct scenario *s;
    struct trace trace;
    struct world_stats stats;
    FILE *out = stdout;
    struct output *oo = NULL;
    int rc = 0, werr = 0;
    enum world_end end;
    struct world_limits lim;

    s = scenario_load_all_errors(c->path, c->sets, c->nsets, &errs);
    if (!s) {
        scenario_errors_print(&errs, c->path, stderr);
        scenario_errors_free(&errs);
        return 2;
    }
    scenario_errors_free(&errs);
    if (c->has_seed)
        scenario_set_seed(s, c->seed);
    if (refuse_to_overwrite(c)) {
        scenario_free(s);
        return 2;
    }
    if (c->mode == MODE_VALIDATE) {
        size_t warnings = validate_run(c, s);
        if (warnings)
            printf("%s: ok, with %zu warning%s\n", c->path, warnings,
                   warnings == 1 ? "" : "s");
        else
            printf("%s: ok\n", c->path);
        scenario_free(s);
        return 0;
    }
    if (c->out && !(oo = output_open(c->out))) {
        fprintf(stderr, "synfin: %s: %s\n", c->out, strerror(errno));
        scenario_free(s);
        return 1;
    }
    trace_init(&trace);
    world_limits_of(s, &lim);
    if (c->max_events)
        lim.events = c->max_events;
    end = world_run_limited(
        s, c->mode == MODE_SUMMARY && !c->pcap && !c->counts ? NULL : &trace,
        &stats, &lim);
    if (end != WORLD_DONE) {
        fprintf(stderr, "synfin: %s: %s\n", c->path,
                limit_message(end, &lim, msg, sizeof msg));
        if (oo)
            output_close(oo, 0);
        trace_free(&trace);
        scenario_free(s);
        return 2;
    }
    if (c->mode == MODE_QUIZ || c->mode == MODE_SAVE) {
        rc = c->mode == MODE_SAVE
                 ? write_save(c, s, &trace)
                 : quiz_text_run(s, &trace, c->path, c->lang, stdin, stdout);
        trace_free(&trace);
        scenario_free(s);
        return rc;
    }
    if (oo)
        out = output_file(oo);
    if (c->mode == MODE_TRACE)
        rc = trace_write_text(&trace, out);
    else if (c->mode == MODE_TRACE_JSON)
        rc = trace_write_json(&trace, out);
    else if (c->mode == MODE_LISTING)
        rc = listing_write(
            &trace, c->listing_side == SIDE_SERVER ? SIDE_SERVER : SIDE_CLIENT,
            out);
    else if (c->mode == MODE_SUMMARY)
        rc = print_summary(s, &stats, out);
    else if (c->mode == MODE_DIAGRAM) {
        struct picture_opts po = picture_opts(c);
        rc = picture_write_text(&trace, s, &po, out);
    }
    if (rc != 0 || fflush(out) != 0)
        rc = -1, werr = errno;
    if (oo && output_close(oo, rc == 0) != 0 && rc == 0)
        rc = -1, werr = errno;
    if (rc) {
        /* A failure to write standard output is said by close_stdout. */
        if (c->out)
            fprintf(stderr, "synfin: %s: %s\n", c->out, strerror(werr));
        rc = 1;
    }
    if (rc == 0 && c->pcap)
        rc = write_pcap(c, &trace);
    if (rc == 0 && c->counts)
        rc = write_counts(c, &trace);
    if (rc == 0 && c->svg)
        rc = write_svg(c, s, &trace);
    trace_free(&trace);
    scenario_free(s);
    return rc;
}

/* --- synfin --new [TEMPLATE] ------------------------------------------- */

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The templates' names (the files NAME.json of dir), sorted; *n set. */
static char **
template_names(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;

    *n = 0;
    while (d && (de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len <= 5 || de->d_name[0] == '.' ||
            strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        names = xreallocarray(names, *n + 1, sizeof *names);
        names[*n] = xstrdup(de->d_name);
        names[(*n)++][len - 5] = '\0';
    }
    if (d)
        closedir(d);
    if (*n)
        qsort(names, *n, sizeof *names, cmp_names);
    return names;
}

/* Each template with its title, in the user's language. */
static void
list_templates(const struct cli *c, const char *dir, char **names, size_t n)
{
    size_t width = 0;

    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) > width)
            width = strlen(names[i]);
    printf("Templates for a new scenario (synfin --new TEMPLATE):\n");
    for (size_t i = 0; i < n; i++) {
        char path[4096], title[512];
        struct synfin_err err;
        struct scenario *s;

        snprintf(path, sizeof path, "%s/%s.json", dir, names[i]);
        s = scenario_load(path, NULL, 0, &err);
        trace_escape(s ? i18n_get(&s->title, c->lang) : err.msg, title,
                     sizeof title);
        printf("  %-*s  %s\n", (int)width, names[i], title);
        scenario_free(s);
    }
    printf("For example: synfin --new %s > my-lesson.json\n", names[0]);
}

/* The template's file as it is, to -o FILE or standard output. */
static int
copy_template(const struct cli *c, const char *path)
{
    FILE *in = fopen(path, "rb");
    struct output *o = NULL;
    FILE *out = stdout;
    char buf[8192];
    size_t got;
    int rc = 0, err = 0;

    if (!in) {
        fprintf(stderr, "synfin: %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (c->out && !(o = output_open(c->out))) {
        fprintf(stderr, "synfin: %s: %s\n", c->out, strerror(errno));
        fclose(in);
        return 1;
    }
    if (o)
        out = output_file(o);
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, got, out) != got)
            break;
    if (ferror(in) || ferror(out) || fflush(out) != 0)
        rc = -1, err = errno;
    fclose(in);
    if (o && output_close(o, rc == 0) != 0 && rc == 0)
        rc = -1, err = errno;
    if (rc == 0)
        return 0;
    /* A failure to write standard output is said by close_stdout. */
    if (c->out)
        fprintf(stderr, "synfin: %s: %s\n", c->out, strerror(err ? err : EIO));
    return 1;
}

/* --new [TEMPLATE]: print a template (docs/scenario-format.md), or with
 * no name the list of them. The templates are files beside the built-in
 * scenarios, so each is a scenario the tests load and run. */
static int
run_new(const struct cli *c)
{
    char *dir = scenario_templates_dir();
    char path[4096], list[512] = "", shown[128];
    size_t n;
    char **names = template_names(dir, &n);
    bool known = false;
    int rc = 2;

    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                 names[i]);
        if (c->path && strcmp(c->path, names[i]) == 0)
            known = true;
    }
    if (n == 0) {
        fprintf(stderr, "synfin: --new: no templates in %s\n", dir);
        rc = 1;
    } else if (!c->path) {
        list_templates(c, dir, names, n);
        rc = 0;
    } else if (!known) {
        trace_escape(c->path, shown, sizeof shown);
        fprintf(stderr,
                "synfin: --new: no template named '%s' (the templates: %s)\n"
                "Try 'synfin --new' for the list.\n",
                shown, list);
    } else {
        snprintf(path, sizeof path, "%s/%s.json", dir, c->path);
        rc = copy_template(c, path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(dir);
    return rc;
}

/*
 * The scenario as given: a file, or a name looked up in the scenario
 * directories (scenario_dirs.h). Sets c->path to the file; returns -1, or
 * 2 after saying where it looked.
 */
static int
find_scenario(struct cli *c)
{
    struct scenario_dirs dirs;
    char name[256];

    scenario_dirs_get(&dirs);
    c->found = scenario_find(c->path, &dirs);
    if (c->found) {
        c->path = c->found;
        scenario_dirs_free(&dirs);
        return -1;
    }
    trace_escape(c->path, name, sizeof name);
    fprintf(stderr,
            "synfin: %s: no such file, nor a scenario of that name in:\n",
            name);
    scenario_dirs_print(&dirs, stderr);
    fprintf(stderr, "Give a scenario file, or a name the picker lists "
                    "(synfin with no scenario).\n");
    scenario_dirs_free(&dirs);
    return 2;
}

/*
 * What went to standard output must have got there: a full disk or a
 * closed pipe is an error, said here for every mode, those that thought
 * they succeeded (--help, --version, --validate) and those that failed
 * writing (--trace, --render).
 */
static int
close_stdout(int rc)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    fprintf(stderr, "synfin: standard output: %s\n",
            strerror(errno ? errno : EIO));
    return rc ? rc : 1;
}

int
main(int argc, char **argv)
{
    struct cli c = {0};
    struct ui_options uo = {0};
    int rc = cli_parse(&c, argc, argv);

    if (rc >= 0) {
        cli_free(&c);
        return close_stdout(rc);
    }
    if (!c.lang)
        c.lang = default_lang();
    /* The argument of --new names a template, not a scenario. */
    if (c.path && c.mode != MODE_NEW && (rc = find_scenario(&c)) >= 0) {
        cli_free(&c);
        return rc;
    }
    switch (c.mode) {
    case MODE_LISTING:
    case MODE_PCAP:
    case MODE_COUNTS:
    case MODE_TRACE:
    case MODE_TRACE_JSON:
    case MODE_VALIDATE:
    case MODE_SUMMARY:
    case MODE_DIAGRAM:
    case MODE_SVG:
    case MODE_SAVE:
    case MODE_QUIZ: rc = run_headless(&c); break;
    case MODE_NEW: rc = run_new(&c); break;
    case MODE_RENDER:
    case MODE_UI:
        uo.path = c.path;
        uo.overrides = c.sets;
        uo.noverrides = c.nsets;
        uo.has_seed = c.has_seed;
        uo.seed = c.seed;
        uo.lang = c.lang;
        uo.ascii = c.ascii;
        uo.quit_after = c.quit_after;
        /* --render is pure: it works without curses. */
        if (c.mode == MODE_RENDER) {
            rc = ui_render(&uo, c.render_step, c.width, c.height, stdout);
            break;
        }
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            /* Without a terminal the viewer could only spin and write
             * escape codes into a file. */
            fprintf(stderr,
                    "synfin: the viewer needs a terminal (standard %s is "
                    "not one).\n"
                    "For a run as text, use --trace SCENARIO or --diagram "
                    "SCENARIO.\n",
                    isatty(STDIN_FILENO) ? "output" : "input");
            rc = 2;
            break;
        }
#ifdef SYNFIN_UI
        rc = ui_run(&uo);
#else
        fprintf(stderr, "synfin: this build has no interactive viewer "
                        "(ncursesw was not found).\n"
                        "Use --trace SCENARIO for a text trace.\n");
        rc = 2;
#endif
        break;
    }
    cli_free(&c);
    return close_stdout(rc);
}
