/*
 * synfin's command line as data: what cli_parse() makes of argv. Options
 * (getopt_long: --opt=value or --opt value, -- ends them) may come before
 * or after the scenario; modes are flags, so they never take the scenario
 * as their argument.
 */
#ifndef SYNFIN_CLI_H
#define SYNFIN_CLI_H

#include <stddef.h>
#include <stdint.h>

enum mode {
    MODE_UI,
    MODE_TRACE,
    MODE_TRACE_JSON,
    MODE_VALIDATE,
    MODE_SUMMARY,
    MODE_LISTING, /* --listing */
    MODE_PCAP,    /* --pcap alone: only the pcap file */
    MODE_COUNTS,  /* --counts alone: only the CSV file */
    MODE_RENDER,
    MODE_QUIZ,
    MODE_DIAGRAM, /* --diagram */
    MODE_SVG,     /* --svg alone: only the SVG file */
    MODE_NEW,     /* --new [TEMPLATE]: path is the template's name */
    MODE_SAVE,    /* --save FILE: the run as a scenario file */
};

struct cli {
    enum mode mode;
    const char *mode_flag; /* the flag that chose the mode, e.g. "--trace" */
    const char *path;      /* the scenario as given, then its file */
    char *found;           /* the file, when found (scenario_dirs.h) */
    const char *out;       /* -o FILE, default stdout */
    const char *pcap;      /* --pcap FILE */
    int pcap_at;           /* enum pcap_at; -1 = not given */
    int listing_side;      /* enum trace_side; -1 = not given */
    const char *svg;       /* --svg FILE */
    const char *counts;    /* --counts FILE */
    const char *save;      /* --save FILE, "-" for standard output */
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

/*
 * Fill c from argv. Returns -1 to go on, or an exit code: 0 after --help
 * or --version (printed on standard output), 2 after a message on
 * standard error. Free with cli_free() either way.
 */
int cli_parse(struct cli *c, int argc, char **argv);
void cli_free(struct cli *c);

/* "synfin: FLAG: MSG[, got 'VALUE']" and a pointer to --help; returns 2. */
int cli_bad_flag(const char *flag, const char *msg, const char *value);

#endif
