/*
 * synfin's command line. Headless modes (--trace, --trace-json, --validate,
 * --summary) never touch the terminal; with only a scenario (or nothing)
 * the interactive viewer starts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "synfin/scenario.h"
#include "synfin/trace.h"
#include "synfin/world.h"
#include "ui/ui.h"

enum mode {
    MODE_UI,
    MODE_TRACE,
    MODE_TRACE_JSON,
    MODE_VALIDATE,
    MODE_SUMMARY,
    MODE_RENDER,
};

struct cli {
    enum mode mode;
    const char *path;
    const char *out; /* -o FILE, default stdout */
    const char **sets;
    size_t nsets;
    int has_seed;
    uint64_t seed;
    const char *lang;
    int ascii;
    long render_step;
    int width, height;
    int quit_after;
};

static const char usage[] =
    "usage: synfin [OPTIONS] [SCENARIO.json]\n"
    "\n"
    "Watch TCP open and close connections, step by step.\n"
    "With no SCENARIO, pick one of the built-in scenarios.\n"
    "\n"
    "Modes (the default is the interactive viewer):\n"
    "  --trace SCENARIO       print the trace, one event per line\n"
    "  --trace-json SCENARIO  print the trace as JSON Lines\n"
    "  --summary SCENARIO     print how every connection ended\n"
    "  --validate SCENARIO    check a scenario file and exit\n"
    "  --render STEP          print the screen at trace event STEP as text\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      write to FILE instead of standard output\n"
    "  --seed N               random seed (overrides the scenario's)\n"
    "  --set KEY=VALUE        override a scenario field, e.g.\n"
    "                         --set network.loss=0.2 --set tcp.msl_ms=2000\n"
    "  --size WxH             screen size for --render (default 100x30)\n"
    "  --lang en|zh           language (default: from LANG)\n"
    "  --ascii                ASCII lines instead of UTF-8 box drawing\n"
    "  --quit-after N         leave the viewer after N frames (for tests)\n"
    "  -h, --help             show this help\n"
    "  --version              show the version\n"
    "\n"
    "Exit status: 0 on success, 1 on an I/O error, 2 on a bad option or\n"
    "scenario. See synfin(1) and docs/scenario-format.md.\n";

static int
bad_flag(const char *flag, const char *msg, const char *value)
{
    fprintf(stderr, "synfin: %s: %s", flag, msg);
    if (value)
        fprintf(stderr, ", got '%s'", value);
    fprintf(stderr, "\nTry 'synfin --help'.\n");
    return 2;
}

static int
parse_u64(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static int
set_path(struct cli *c, const char *flag, const char *path)
{
    if (c->path)
        return bad_flag(flag, "only one scenario may be given", path);
    c->path = path;
    return 0;
}

/* Returns -1 to go on, or an exit code. */
static int
parse_args(struct cli *c, int argc, char **argv)
{
    static const struct {
        const char *flag;
        enum mode mode;
    } modes[] = {
        {"--trace", MODE_TRACE},
        {"--trace-json", MODE_TRACE_JSON},
        {"--validate", MODE_VALIDATE},
        {"--summary", MODE_SUMMARY},
    };

    c->width = 100;
    c->height = 30;
    c->sets = calloc((size_t)argc, sizeof *c->sets);
    if (!c->sets)
        abort();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int found = 0, rc;
        uint64_t n;

        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            if (strcmp(a, modes[m].flag) != 0)
                continue;
            if (!v)
                return bad_flag(a, "needs a scenario file", NULL);
            if (c->mode != MODE_UI)
                return bad_flag(a, "only one mode may be given", NULL);
            c->mode = modes[m].mode;
            if ((rc = set_path(c, a, v)))
                return rc;
            i++;
            found = 1;
        }
        if (found)
            continue;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("synfin %s\n", SYNFIN_VERSION);
            return 0;
        } else if (!strcmp(a, "--ascii")) {
            c->ascii = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output") ||
                   !strcmp(a, "--seed") || !strcmp(a, "--set") ||
                   !strcmp(a, "--size") || !strcmp(a, "--lang") ||
                   !strcmp(a, "--render") || !strcmp(a, "--quit-after")) {
            if (!v)
                return bad_flag(a, "needs a value", NULL);
            i++;
            if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
                c->out = v;
            } else if (!strcmp(a, "--seed")) {
                if (parse_u64(v, &c->seed))
                    return bad_flag(a, "expected a non-negative integer", v);
                c->has_seed = 1;
            } else if (!strcmp(a, "--set")) {
                if (!strchr(v, '='))
                    return bad_flag(a, "expected KEY=VALUE", v);
                c->sets[c->nsets++] = v;
            } else if (!strcmp(a, "--size")) {
                unsigned w, h;
                char x;
                if (sscanf(v, "%u%c%u", &w, &x, &h) != 3 || x != 'x' ||
                    w < 20 || h < 10 || w > 1000 || h > 1000)
                    return bad_flag(a, "expected WIDTHxHEIGHT, at least 20x10",
                                    v);
                c->width = (int)w;
                c->height = (int)h;
            } else if (!strcmp(a, "--lang")) {
                if (strcmp(v, "en") && strcmp(v, "zh"))
                    return bad_flag(a, "expected en or zh", v);
                c->lang = v;
            } else if (!strcmp(a, "--render")) {
                if (parse_u64(v, &n) || n > 100000000)
                    return bad_flag(a, "expected a step number", v);
                if (c->mode != MODE_UI)
                    return bad_flag(a, "only one mode may be given", NULL);
                c->mode = MODE_RENDER;
                c->render_step = (long)n;
            } else {
                if (parse_u64(v, &n) || n == 0 || n > 1000000)
                    return bad_flag(a, "expected a positive number of frames",
                                    v);
                c->quit_after = (int)n;
            }
        } else if (a[0] == '-' && a[1]) {
            return bad_flag(a, "unknown option", NULL);
        } else if ((rc = set_path(c, "scenario", a))) {
            return rc;
        }
    }
    return -1;
}

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
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}

static int
run_headless(const struct cli *c)
{
    struct synfin_err err;
    char msg[1024];
    struct scenario *s;
    struct trace trace;
    struct world_stats stats;
    FILE *out = stdout;
    int rc = 0;

    s = scenario_load(c->path, c->sets, c->nsets, &err);
    if (!s) {
        fprintf(stderr, "%s\n", synfin_err_str(&err, msg, sizeof msg));
        return 2;
    }
    if (c->has_seed)
        s->seed = c->seed;
    if (c->mode == MODE_VALIDATE) {
        printf("%s: ok\n", c->path);
        scenario_free(s);
        return 0;
    }
    if (c->out && !(out = fopen(c->out, "w"))) {
        fprintf(stderr, "synfin: %s: %s\n", c->out, strerror(errno));
        scenario_free(s);
        return 1;
    }
    trace_init(&trace);
    world_run(s, c->mode == MODE_SUMMARY ? NULL : &trace, &stats);
    if (c->mode == MODE_TRACE)
        rc = trace_write_text(&trace, out);
    else if (c->mode == MODE_TRACE_JSON)
        rc = trace_write_json(&trace, out);
    else
        rc = print_summary(s, &stats, out);
    if (fflush(out) != 0 || rc != 0) {
        fprintf(stderr, "synfin: %s: %s\n", c->out ? c->out : "stdout",
                strerror(errno));
        rc = 1;
    }
    if (out != stdout)
        fclose(out);
    trace_free(&trace);
    scenario_free(s);
    return rc;
}

int
main(int argc, char **argv)
{
    struct cli c = {0};
    struct ui_options uo = {0};
    int rc = parse_args(&c, argc, argv);

    if (rc >= 0) {
        free(c.sets);
        return rc;
    }
    if (!c.lang)
        c.lang = default_lang();
    switch (c.mode) {
    case MODE_TRACE:
    case MODE_TRACE_JSON:
    case MODE_VALIDATE:
    case MODE_SUMMARY: rc = run_headless(&c); break;
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
#ifdef SYNFIN_UI
        if (c.mode == MODE_RENDER) {
            if (!c.path)
                rc = bad_flag("--render", "needs a scenario file", NULL);
            else
                rc = ui_render(&uo, c.render_step, c.width, c.height, stdout);
        } else {
            rc = ui_run(&uo);
        }
#else
        (void)uo;
        fprintf(stderr, "synfin: this build has no interactive viewer "
                        "(ncursesw was not found).\n"
                        "Use --trace SCENARIO for a text trace.\n");
        rc = 2;
#endif
        break;
    }
    free(c.sets);
    return rc;
}
