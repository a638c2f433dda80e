/*
 * synfin's command line. Headless modes (--trace, --trace-json, --validate,
 * --summary) never touch the terminal; with only a scenario (or nothing)
 * the interactive viewer starts.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"
#include "config.h"
#include "export/export.h"
#include "picture/picture.h"
#include "quiz/quiz_text.h"
#include "synfin/quiz.h"
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
    MODE_LISTING, /* --listing */
    MODE_PCAP,    /* --pcap alone: only the pcap file */
    MODE_RENDER,
    MODE_QUIZ,
    MODE_DIAGRAM, /* --diagram */
    MODE_SVG,     /* --svg alone: only the SVG file */
};

struct cli {
    enum mode mode;
    const char *path;
    const char *out;  /* -o FILE, default stdout */
    const char *pcap; /* --pcap FILE */
    int pcap_at;      /* enum pcap_at; -1 = not given */
    int listing_side; /* enum trace_side; -1 = not given */
    const char *svg;  /* --svg FILE */
    const char **sets;
    size_t nsets;
    int has_seed;
    uint64_t seed;
    const char *lang;
    int ascii;
    long render_step;
    int width, height;
    int quit_after;
    uint64_t max_events; /* --max-events; 0: the engine's limit */
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
    "  --listing SCENARIO     print the packets as packetdrill/tcpdump lines\n"
    "  --validate SCENARIO    check a scenario file and exit\n"
    "  --quiz SCENARIO        answer the scenario's questions as it runs\n"
    "  --render STEP          print the screen at trace event STEP as text\n"
    "  --diagram SCENARIO     print the whole run's sequence diagram\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      write to FILE instead of standard output\n"
    "  --pcap FILE            write the packets to FILE as a pcap capture\n"
    "                         (alone, or with a mode above)\n"
    "  --pcap-at sender|receiver\n"
    "                         capture packets as they leave (default) or\n"
    "                         as they arrive\n"
    "  --svg FILE             draw the sequence diagram to FILE as SVG\n"
    "                         (alone, or with --diagram)\n"
    "  --listing-side client|server\n"
    "                         whose view --listing shows (default client)\n"
    "  --seed N               random seed (overrides the scenario's)\n"
    "  --max-events N         stop a run after N events (docs/limits.md)\n"
    "  --set KEY=VALUE        override a scenario field, e.g.\n"
    "                         --set network.loss=0.2 --set tcp.msl_ms=2000\n"
    "  --size WxH             screen size for --render (default 100x30);\n"
    "                         W is the width of --diagram and --svg\n"
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

    if (*s < '0' || *s > '9') /* strtoull would skip spaces and signs */
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

/*
 * The export flags (--listing, --pcap, --pcap-at, --listing-side), which
 * all take a value. Returns -1 if a is not one of them, 0 once it is taken
 * (with its value), or an exit code.
 */
static int
parse_export_flag(struct cli *c, const char *a, const char *v)
{
    if (strcmp(a, "--listing") && strcmp(a, "--pcap") &&
        strcmp(a, "--pcap-at") && strcmp(a, "--listing-side"))
        return -1;
    if (!v)
        return bad_flag(a,
                        strcmp(a, "--listing") ? "needs a value"
                                               : "needs a scenario file",
                        NULL);
    if (!strcmp(a, "--listing")) {
        if (c->mode != MODE_UI)
            return bad_flag(a, "only one mode may be given", NULL);
        c->mode = MODE_LISTING;
        return set_path(c, a, v);
    } else if (!strcmp(a, "--pcap")) {
        if (c->pcap)
            return bad_flag(a, "may be given only once", v);
        c->pcap = v;
    } else if (!strcmp(a, "--pcap-at")) {
        if (!strcmp(v, "sender"))
            c->pcap_at = PCAP_AT_SENDER;
        else if (!strcmp(v, "receiver"))
            c->pcap_at = PCAP_AT_RECEIVER;
        else
            return bad_flag(a, "expected sender or receiver", v);
    } else {
        if (!strcmp(v, "client"))
            c->listing_side = SIDE_CLIENT;
        else if (!strcmp(v, "server"))
            c->listing_side = SIDE_SERVER;
        else
            return bad_flag(a, "expected client or server", v);
    }
    return 0;
}

/* After all flags: the export flags only where they mean something. */
static int
check_export_flags(struct cli *c)
{
    if (c->pcap_at >= 0 && !c->pcap)
        return bad_flag("--pcap-at", "only with --pcap", NULL);
    if (c->listing_side >= 0 && c->mode != MODE_LISTING)
        return bad_flag("--listing-side", "only with --listing", NULL);
    if (!c->pcap)
        return -1;
    if (c->mode == MODE_UI) {
        if (!c->path)
            return bad_flag("--pcap", "needs a scenario file", NULL);
        if (c->out)
            return bad_flag("-o",
                            "has nothing to write: --pcap takes its "
                            "own file",
                            c->out);
        c->mode = MODE_PCAP;
    } else if (c->mode != MODE_TRACE && c->mode != MODE_TRACE_JSON &&
               c->mode != MODE_SUMMARY && c->mode != MODE_LISTING &&
               c->mode != MODE_DIAGRAM && c->mode != MODE_SVG) {
        return bad_flag("--pcap",
                        "goes alone or with --trace, --trace-json, "
                        "--summary, --listing, --diagram or --svg",
                        NULL);
    }
    return -1;
}

/*
 * The picture flags (--diagram SCENARIO, --svg FILE). Returns -1 if a is
 * not one of them, 0 once it is taken (with its value), or an exit code.
 */
static int
parse_picture_flag(struct cli *c, const char *a, const char *v)
{
    if (strcmp(a, "--diagram") && strcmp(a, "--svg"))
        return -1;
    if (!v)
        return bad_flag(a,
                        strcmp(a, "--svg") ? "needs a scenario file"
                                           : "needs a file name",
                        NULL);
    if (!strcmp(a, "--svg")) {
        if (c->svg)
            return bad_flag(a, "may be given only once", v);
        c->svg = v;
        return 0;
    }
    if (c->mode != MODE_UI)
        return bad_flag(a, "only one mode may be given", NULL);
    c->mode = MODE_DIAGRAM;
    return set_path(c, a, v);
}

/* After all flags: --svg alone or with --diagram; a width that fits. */
static int
check_picture_flags(struct cli *c)
{
    if ((c->svg || c->mode == MODE_DIAGRAM) && c->width < PICTURE_MIN_WIDTH)
        return bad_flag("--size", "the diagram needs a width of at least 60",
                        NULL);
    if (!c->svg)
        return -1;
    if (c->mode == MODE_UI) {
        if (!c->path)
            return bad_flag("--svg", "needs a scenario file", NULL);
        if (c->out)
            return bad_flag("-o",
                            "has nothing to write: --svg takes its "
                            "own file",
                            c->out);
        c->mode = MODE_SVG;
    } else if (c->mode != MODE_DIAGRAM) {
        return bad_flag("--svg", "goes alone or with --diagram", NULL);
    }
    return -1;
}

/* Returns -1 to go on, or an exit code. */
static int
parse_args(struct cli *c, int argc, char **argv)
{
    static const struct {
        const char *flag;
        enum mode mode;
    } modes[] = {
        {"--trace", MODE_TRACE},       {"--trace-json", MODE_TRACE_JSON},
        {"--validate", MODE_VALIDATE}, {"--summary", MODE_SUMMARY},
        {"--quiz", MODE_QUIZ},
    };

    c->width = 100;
    c->height = 30;
    c->pcap_at = -1;
    c->listing_side = -1;
    c->sets = xcalloc((size_t)argc, sizeof *c->sets);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int found = 0, rc;
        uint64_t n;

        if ((rc = parse_export_flag(c, a, v)) >= 0 ||
            (rc = parse_picture_flag(c, a, v)) >= 0) {
            if (rc)
                return rc;
            i++;
            continue;
        }
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
                   !strcmp(a, "--render") || !strcmp(a, "--quit-after") ||
                   !strcmp(a, "--max-events")) {
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
            } else if (!strcmp(a, "--max-events")) {
                if (parse_u64(v, &c->max_events) || c->max_events == 0)
                    return bad_flag(a, "expected a positive number of events",
                                    v);
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
    {
        int rc = check_picture_flags(c);
        if (rc >= 0)
            return rc;
    }
    return check_export_flags(c);
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
        const struct trace_event *e = &t.ev[i];
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
    } outs[] = {{"-o", c->out}, {"--pcap", c->pcap}, {"--svg", c->svg}};

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

static int
run_headless(const struct cli *c)
{
    struct synfin_err err;
    char msg[1024];
    struct scenario *s;
    struct trace trace;
    struct world_stats stats;
    FILE *out = stdout;
    struct output *oo = NULL;
    int rc = 0, werr = 0;
    enum world_end end;
    struct world_limits lim;

    s = scenario_load(c->path, c->sets, c->nsets, &err);
    if (!s) {
        fprintf(stderr, "%s\n", synfin_err_str(&err, msg, sizeof msg));
        return 2;
    }
    if (c->has_seed && c->seed != s->seed) {
        s->seed = c->seed;
        s->changed = true;
    }
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
        s, c->mode == MODE_SUMMARY && !c->pcap ? NULL : &trace, &stats, &lim);
    if (end != WORLD_DONE) {
        fprintf(stderr, "synfin: %s: %s\n", c->path,
                limit_message(end, &lim, msg, sizeof msg));
        if (oo)
            output_close(oo, 0);
        trace_free(&trace);
        scenario_free(s);
        return 2;
    }
    if (c->mode == MODE_QUIZ) {
        rc = quiz_text_run(s, &trace, c->path, c->lang, stdin, stdout);
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
    if (rc == 0 && c->svg)
        rc = write_svg(c, s, &trace);
    trace_free(&trace);
    scenario_free(s);
    return rc;
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
    int rc = parse_args(&c, argc, argv);

    if (rc >= 0) {
        free(c.sets);
        return close_stdout(rc);
    }
    if (!c.lang)
        c.lang = default_lang();
    switch (c.mode) {
    case MODE_LISTING:
    case MODE_PCAP:
    case MODE_TRACE:
    case MODE_TRACE_JSON:
    case MODE_VALIDATE:
    case MODE_SUMMARY:
    case MODE_DIAGRAM:
    case MODE_SVG:
    case MODE_QUIZ: rc = run_headless(&c); break;
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
    free(c.sets);
    return close_stdout(rc);
}
