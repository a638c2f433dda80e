/*
 * synfin's command line, parsed with getopt_long; see cli.h. Every error
 * is "synfin: FLAG: what was expected, got 'VALUE'" on standard error and
 * exit 2, with nothing on standard output; the flags are checked in the
 * order they are given, so the first bad one is the one named.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "config.h"
#include "export/export.h"
#include "picture/picture.h"
#include "synfin/trace.h"

/* The user's help. --quit-after (for the tmux tests) is accepted but not
 * shown: it is no use to a user. */
static const char usage[] =
    "usage: synfin [OPTIONS] [SCENARIO]\n"
    "\n"
    "Watch TCP open and close connections, step by step.\n"
    "SCENARIO is a scenario file, or a scenario's name (lost-final-ack),\n"
    "looked up in $SYNFIN_PATH (directories separated by ':'), then\n"
    "$XDG_DATA_HOME/synfin/scenarios (~/.local/share/synfin/scenarios),\n"
    "then the built-in scenarios. With none, pick one of them all.\n"
    "Options may come before or after SCENARIO; -- ends them.\n"
    "\n"
    "Modes (the default is the interactive viewer):\n"
    "  --trace                print the trace, one event per line\n"
    "  --trace-json           print the trace as JSON Lines\n"
    "  --summary              print how every connection ended, and each\n"
    "                         state's peak\n"
    "  --listing              print the packets as packetdrill/tcpdump lines\n"
    "  --validate             check a scenario file and exit\n"
    "  --quiz                 answer the scenario's questions as it runs\n"
    "  --diagram              print the whole run's sequence diagram\n"
    "  --render STEP          print the screen at trace event STEP as text\n"
    "  --new [TEMPLATE]       print a commented starting point for a new\n"
    "                         scenario (synfin --new close > my.json);\n"
    "                         with no TEMPLATE, list the templates\n"
    "  --save FILE            write the run, with --set and --seed, as a\n"
    "                         scenario file of its own (- for standard\n"
    "                         output)\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE      write to FILE instead of standard output\n"
    "  --pcap FILE            write the packets to FILE as a pcap capture\n"
    "                         (alone, or with a mode above)\n"
    "  --pcap-at sender|receiver\n"
    "                         capture packets as they leave (default) or\n"
    "                         as they arrive\n"
    "  --counts FILE          write how many connections were in each\n"
    "                         state over time to FILE as CSV (alone, or\n"
    "                         with a mode above; - alone: standard output)\n"
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
    "  -h, --help             show this help\n"
    "  -V, --version          show the version\n"
    "\n"
    "Examples:\n"
    "  synfin lost-final-ack\n"
    "  synfin --diagram --ascii lost-final-ack\n"
    "  synfin four-way-close --trace --seed=7 --set network.loss=0.3\n"
    "  synfin four-way-close --seed 7 --set network.loss=0.3 --save "
    "lossy.json\n"
    "\n"
    "Exit status: 0 on success, 1 on an I/O error, 2 on a bad option or\n"
    "scenario. See synfin(1), and for the scenario format\n"
    "docs/scenario-format.md (installed in " SYNFIN_DOCDIR ").\n";

enum opt {
    OPT_TRACE = 256,
    OPT_TRACE_JSON,
    OPT_SUMMARY,
    OPT_LISTING,
    OPT_VALIDATE,
    OPT_QUIZ,
    OPT_DIAGRAM,
    OPT_NEW,
    OPT_RENDER,
    OPT_SAVE,
    OPT_PCAP,
    OPT_PCAP_AT,
    OPT_COUNTS,
    OPT_SVG,
    OPT_LISTING_SIDE,
    OPT_SEED,
    OPT_MAX_EVENTS,
    OPT_SET,
    OPT_SIZE,
    OPT_LANG,
    OPT_ASCII,
    OPT_QUIT_AFTER,
};

static const struct option cli_options[] = {
    {"trace", no_argument, NULL, OPT_TRACE},
    {"trace-json", no_argument, NULL, OPT_TRACE_JSON},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"listing", no_argument, NULL, OPT_LISTING},
    {"validate", no_argument, NULL, OPT_VALIDATE},
    {"quiz", no_argument, NULL, OPT_QUIZ},
    {"diagram", no_argument, NULL, OPT_DIAGRAM},
    {"new", no_argument, NULL, OPT_NEW},
    {"render", required_argument, NULL, OPT_RENDER},
    {"save", required_argument, NULL, OPT_SAVE},
    {"output", required_argument, NULL, 'o'},
    {"pcap", required_argument, NULL, OPT_PCAP},
    {"pcap-at", required_argument, NULL, OPT_PCAP_AT},
    {"svg", required_argument, NULL, OPT_SVG},
    {"counts", required_argument, NULL, OPT_COUNTS},
    {"listing-side", required_argument, NULL, OPT_LISTING_SIDE},
    {"seed", required_argument, NULL, OPT_SEED},
    {"max-events", required_argument, NULL, OPT_MAX_EVENTS},
    {"set", required_argument, NULL, OPT_SET},
    {"size", required_argument, NULL, OPT_SIZE},
    {"lang", required_argument, NULL, OPT_LANG},
    {"ascii", no_argument, NULL, OPT_ASCII},
    {"quit-after", required_argument, NULL, OPT_QUIT_AFTER},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* The modes that are flags: the option, its mode. */
static const struct {
    int opt;
    enum mode mode;
} cli_modes[] = {
    {OPT_TRACE, MODE_TRACE},       {OPT_TRACE_JSON, MODE_TRACE_JSON},
    {OPT_SUMMARY, MODE_SUMMARY},   {OPT_LISTING, MODE_LISTING},
    {OPT_VALIDATE, MODE_VALIDATE}, {OPT_QUIZ, MODE_QUIZ},
    {OPT_DIAGRAM, MODE_DIAGRAM},   {OPT_NEW, MODE_NEW},
};

int
cli_bad_flag(const char *flag, const char *msg, const char *value)
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
set_mode(struct cli *c, const char *flag, enum mode m)
{
    if (c->mode != MODE_UI)
        return cli_bad_flag(flag, "only one mode may be given", NULL);
    c->mode = m;
    c->mode_flag = flag;
    return 0;
}

static int
set_path(struct cli *c, const char *path)
{
    if (c->path)
        return cli_bad_flag("scenario", "only one scenario may be given", path);
    c->path = path;
    return 0;
}

/* The export and picture flags' values: --pcap, --pcap-at, --svg,
 * --listing-side. */
static int
parse_output_flag(struct cli *c, int opt, const char *flag, const char *v)
{
    switch (opt) {
    case OPT_PCAP:
        if (c->pcap)
            return cli_bad_flag(flag, "may be given only once", v);
        c->pcap = v;
        return 0;
    case OPT_COUNTS:
        if (c->counts)
            return cli_bad_flag(flag, "may be given only once", v);
        c->counts = v;
        return 0;
    case OPT_SVG:
        if (c->svg)
            return cli_bad_flag(flag, "may be given only once", v);
        c->svg = v;
        return 0;
    case OPT_PCAP_AT:
        if (!strcmp(v, "sender"))
            c->pcap_at = PCAP_AT_SENDER;
        else if (!strcmp(v, "receiver"))
            c->pcap_at = PCAP_AT_RECEIVER;
        else
            return cli_bad_flag(flag, "expected sender or receiver", v);
        return 0;
    default: /* OPT_LISTING_SIDE */
        if (!strcmp(v, "client"))
            c->listing_side = SIDE_CLIENT;
        else if (!strcmp(v, "server"))
            c->listing_side = SIDE_SERVER;
        else
            return cli_bad_flag(flag, "expected client or server", v);
        return 0;
    }
}

/* The flags with a value that are not outputs. */
static int
parse_value_flag(struct cli *c, int opt, const char *flag, const char *v)
{
    uint64_t n;
    unsigned w, h;
    char x;

    switch (opt) {
    case 'o': c->out = v; return 0;
    case OPT_SEED:
        if (parse_u64(v, &c->seed))
            return cli_bad_flag(flag, "expected a non-negative integer", v);
        c->has_seed = 1;
        return 0;
    case OPT_SET:
        if (!strchr(v, '='))
            return cli_bad_flag(flag, "expected KEY=VALUE", v);
        c->sets[c->nsets++] = v;
        return 0;
    case OPT_SIZE:
        if (sscanf(v, "%u%c%u", &w, &x, &h) != 3 || x != 'x' || w < 20 ||
            h < 10 || w > 1000 || h > 1000)
            return cli_bad_flag(flag, "expected WIDTHxHEIGHT, at least 20x10",
                                v);
        c->width = (int)w;
        c->height = (int)h;
        return 0;
    case OPT_LANG:
        if (strcmp(v, "en") && strcmp(v, "zh"))
            return cli_bad_flag(flag, "expected en or zh", v);
        c->lang = v;
        return 0;
    case OPT_MAX_EVENTS:
        if (parse_u64(v, &c->max_events) || c->max_events == 0)
            return cli_bad_flag(flag, "expected a positive number of events",
                                v);
        return 0;
    case OPT_RENDER:
        if (parse_u64(v, &n) || n > 100000000)
            return cli_bad_flag(
                flag, "expected a step number from 0 to 100000000", v);
        c->render_step = (long)n;
        return set_mode(c, flag, MODE_RENDER);
    case OPT_SAVE:
        if (!*v)
            return cli_bad_flag(flag,
                                "expected a file name, or - for "
                                "standard output",
                                NULL);
        c->save = v;
        return set_mode(c, flag, MODE_SAVE);
    case OPT_QUIT_AFTER:
        if (parse_u64(v, &n) || n == 0 || n > 1000000)
            return cli_bad_flag(flag, "expected a positive number of frames",
                                v);
        c->quit_after = (int)n;
        return 0;
    default: return parse_output_flag(c, opt, flag, v);
    }
}

/*
 * A flag getopt_long did not take (text is the argument as given): one it
 * does not know, a prefix of several, a value where none belongs, or a
 * missing value.
 */
static int
bad_option(const char *text, int missing)
{
    char name[64];
    char list[512] = "";
    size_t len = strcspn(text, "=");
    int matches = 0, exact = 0;

    memcpy(name, text, len < 60 ? len : 60);
    name[len < 60 ? len : 60] = '\0';
    if (missing)
        return cli_bad_flag(name, "needs a value", NULL);
    if (strncmp(text, "--", 2) != 0 || len <= 2)
        return cli_bad_flag(name, "unknown option", NULL);
    for (const struct option *o = cli_options; o->name; o++) {
        if (strncmp(o->name, text + 2, len - 2) != 0)
            continue;
        if (strlen(o->name) == len - 2)
            exact = 1;
        else if (strlen(list) + 40 < sizeof list)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s--%s",
                     matches ? " or " : "", o->name);
        matches++;
    }
    if (exact || matches == 1)
        return cli_bad_flag(name, "takes no value", text + len + 1);
    if (matches > 1) {
        fprintf(stderr, "synfin: %s: ambiguous option, could be %s\n", name,
                list);
        fprintf(stderr, "Try 'synfin --help'.\n");
        return 2;
    }
    return cli_bad_flag(name, "unknown option", NULL);
}

/* A flag that writes a file of its own (--save, --pcap, --svg): it needs
 * a scenario, and -o would have nothing to write. -1 to go on. */
static int
check_own_file(const struct cli *c, const char *flag)
{
    char why[64];

    if (!c->path)
        return cli_bad_flag(flag, "needs a scenario file", NULL);
    if (!c->out)
        return -1;
    snprintf(why, sizeof why, "has nothing to write: %s takes its own file",
             flag);
    return cli_bad_flag("-o", why, c->out);
}

/* After all flags: a mode that needs a scenario has one. */
static int
check_mode(struct cli *c)
{
    if (c->mode != MODE_UI && c->mode != MODE_RENDER && c->mode != MODE_NEW &&
        !c->path)
        return cli_bad_flag(c->mode_flag, "needs a scenario file", NULL);
    return c->mode == MODE_SAVE ? check_own_file(c, "--save") : -1;
}

/* An export to a file of its own (--pcap, --counts): alone, it is the
 * mode; beside a mode, that mode must run the scenario. -1 to go on. */
static int
check_own_export(struct cli *c, const char *flag, const char *file,
                 enum mode alone)
{
    if (!file)
        return -1;
    if (c->mode == MODE_UI) {
        int rc = check_own_file(c, flag);
        if (rc >= 0)
            return rc;
        c->mode = alone;
    } else if (c->mode != MODE_TRACE && c->mode != MODE_TRACE_JSON &&
               c->mode != MODE_SUMMARY && c->mode != MODE_LISTING &&
               c->mode != MODE_DIAGRAM && c->mode != MODE_SVG &&
               c->mode != MODE_PCAP && c->mode != MODE_COUNTS) {
        return cli_bad_flag(flag,
                            "goes alone or with --trace, --trace-json, "
                            "--summary, --listing, --diagram, --svg, --pcap "
                            "or --counts",
                            NULL);
    }
    return -1;
}

/* After all flags: the export flags only where they mean something. */
static int
check_export_flags(struct cli *c)
{
    int rc;

    if (c->pcap_at >= 0 && !c->pcap)
        return cli_bad_flag("--pcap-at", "only with --pcap", NULL);
    if (c->listing_side >= 0 && c->mode != MODE_LISTING)
        return cli_bad_flag("--listing-side", "only with --listing", NULL);
    if ((rc = check_own_export(c, "--pcap", c->pcap, MODE_PCAP)) >= 0 ||
        (rc = check_own_export(c, "--counts", c->counts, MODE_COUNTS)) >= 0)
        return rc;
    if (c->counts && !strcmp(c->counts, "-") && c->mode != MODE_COUNTS)
        return cli_bad_flag("--counts",
                            "standard output (-) only when it goes alone",
                            c->counts);
    return -1;
}

/* After all flags: --svg alone or with --diagram; a width that fits. */
static int
check_picture_flags(struct cli *c)
{
    if ((c->svg || c->mode == MODE_DIAGRAM) && c->width < PICTURE_MIN_WIDTH)
        return cli_bad_flag("--size",
                            "the diagram needs a width of at least 60", NULL);
    if (!c->svg)
        return -1;
    if (c->mode == MODE_UI) {
        int rc = check_own_file(c, "--svg");
        if (rc >= 0)
            return rc;
        c->mode = MODE_SVG;
    } else if (c->mode != MODE_DIAGRAM) {
        return cli_bad_flag("--svg", "goes alone or with --diagram", NULL);
    }
    return -1;
}

/* One option getopt_long returned; -1 to go on, or an exit code. */
static int
take_option(struct cli *c, int opt, const char *flag, const char *arg)
{
    switch (opt) {
    case 'h': fputs(usage, stdout); return 0;
    case 'V': printf("synfin %s\n", SYNFIN_VERSION); return 0;
    case OPT_ASCII: c->ascii = 1; return -1;
    default: break;
    }
    for (size_t m = 0; m < sizeof cli_modes / sizeof cli_modes[0]; m++)
        if (cli_modes[m].opt == opt) {
            int rc = set_mode(c, flag, cli_modes[m].mode);
            return rc ? rc : -1;
        }
    {
        int rc = parse_value_flag(c, opt, flag, arg);
        return rc ? rc : -1;
    }
}

int
cli_parse(struct cli *c, int argc, char **argv)
{
    /* "-": arguments that are not options come back in order (as 1), with
     * or without POSIXLY_CORRECT; ":": a missing value is ':'. */
    static const char shortopts[] = "-:ho:V";
    static char flags[sizeof cli_options / sizeof cli_options[0]][20];
    int opt, idx, rc;

    memset(c, 0, sizeof *c);
    c->width = 100;
    c->height = 30;
    c->pcap_at = -1;
    c->listing_side = -1;
    c->sets = xcalloc((size_t)argc + 1, sizeof *c->sets);
    opterr = 0;
    optind = 1;
    for (;;) {
        const char *flag;
        idx = -1;
        opt = getopt_long(argc, argv, shortopts, cli_options, &idx);
        if (opt == -1)
            break;
        if (opt == 1) {
            if ((rc = set_path(c, optarg)))
                return rc;
            continue;
        }
        if (opt == '?' || opt == ':') {
            const char *text = argv[optind - 1];
            if (strncmp(text, "--", 2) != 0 && optopt && optopt < 256) {
                char s[3] = {'-', (char)optopt, 0};
                return opt == ':' ? cli_bad_flag(s, "needs a value", NULL)
                                  : cli_bad_flag(s, "unknown option", NULL);
            }
            return bad_option(text, opt == ':');
        }
        if (idx >= 0) {
            snprintf(flags[idx], sizeof flags[idx], "--%s",
                     cli_options[idx].name);
            flag = flags[idx];
        } else {
            flag = opt == 'o' ? "-o" : opt == 'h' ? "-h" : "-V";
        }
        if ((rc = take_option(c, opt, flag, optarg)) >= 0)
            return rc;
    }
    for (; optind < argc; optind++) /* after "--" */
        if ((rc = set_path(c, argv[optind])))
            return rc;
    if ((rc = check_mode(c)) >= 0 || (rc = check_picture_flags(c)) >= 0)
        return rc;
    return check_export_flags(c);
}

void
cli_free(struct cli *c)
{
    free(c->sets);
    free(c->found);
    c->sets = NULL;
    c->found = NULL;
}
