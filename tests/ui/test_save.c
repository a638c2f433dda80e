/*
 * Saving the run (issue 13, item 4): for each kind of what-if edit (a
 * dropped packet, random loss under another seed, delayed ACK, the MSL, a
 * seed alone, all of them at once, and an edit undone), made through the
 * session as the keys make it, on several shipped scenarios: the saved text
 * loads, its run gives the edited run's trace (JSON Lines) byte for byte,
 * notes that do not hold in it included (marked so, as in the edited run),
 * and --validate warns of nothing else: every note it keeps shows, every
 * question it keeps is asked. Then S itself: a new file in the teacher's
 * folder under a free name, never one that exists, and a message in the
 * viewer when the folder cannot be made.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "save/save.h"
#include "scenario/scenario_dirs.h"
#include "sessiontest.h"

static const char *const scenarios[] = {
    "four-way-close",      "lost-final-ack",
    "three-segment-close", "simultaneous-close",
    "profile-linux-close", "half-close",
    "whatif-no-time-wait", "delayed-ack-fin-retransmit",
    "time-wait-2msl",      "time-wait-too-short",
};

enum edit_case {
    CASE_DROP,
    CASE_LOSS,
    CASE_DELACK,
    CASE_MSL,
    CASE_SEED,
    CASE_ALL,
    CASE_UNDO,
    CASE_SET, /* --set overrides, then a drop */
    CASE__COUNT
};
static const char *const case_names[] = {
    "a dropped packet",    "loss 30% under seed 7",
    "delayed ACK toggled", "a longer MSL",
    "seed 7 alone",        "every edit, seed 3",
    "an edit undone",      "--set loss, MSL, jitter, then loss and a drop",
};

/* The --set of CASE_SET, as the command line gives them. */
/* Jitter makes times that are not whole milliseconds: the loss edit's
 * from_ms must still give its microsecond. */
static const char *const sets[] = {"network.loss=0.2", "tcp.msl_ms=1500",
                                   "network.jitter_ms=0.777"};

static struct scenario *
load_with(const char *name, uint64_t seed, bool with_sets)
{
    char path[4096];
    struct synfin_err err;
    struct scenario *s;

    snprintf(path, sizeof path, "%s/scenarios/%s.json",
             getenv("SRCDIR") ? getenv("SRCDIR") : ".", name);
    s = scenario_load(path, with_sets ? sets : NULL, with_sets ? 3 : 0, &err);
    if (!s) {
        char msg[1024];
        printf("# %s\n", synfin_err_str(&err, msg, sizeof msg));
        exit(1);
    }
    if (seed)
        scenario_set_seed(s, seed);
    return s;
}

/* The trace as JSON Lines (malloc'd). */
static char *
json_of(const struct trace *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f || trace_write_json(t, f) != 0 || fclose(f) != 0)
        exit(1);
    return buf;
}

/* Make the edits of case k in s, as the keys do. */
static void
edit(struct session *s, enum edit_case k)
{
    switch (k) {
    case CASE_DROP:
        session_goto(s, s->nsteps / 2);
        session_act(s, ACT_DROP_NEXT);
        break;
    case CASE_LOSS:
        session_goto(s, s->nsteps / 4);
        session_act(s, ACT_LOSS); /* 10 % */
        session_act(s, ACT_LOSS); /* 30 % from the same moment */
        break;
    case CASE_DELACK: session_act(s, ACT_DELACK); break;
    case CASE_MSL: session_act(s, ACT_MSL); break;
    case CASE_SEED: break;
    case CASE_ALL:
        session_goto(s, s->nsteps / 3);
        session_act(s, ACT_LOSS);
        session_goto(s, s->nsteps / 2);
        session_act(s, ACT_DROP_NEXT);
        session_act(s, ACT_DELACK);
        session_act(s, ACT_MSL);
        session_goto(s, s->nsteps * 3 / 4);
        session_act(s, ACT_LOSS);
        break;
    case CASE_UNDO:
        session_goto(s, s->nsteps / 2);
        session_act(s, ACT_DROP_NEXT);
        session_act(s, ACT_MSL);
        session_act(s, ACT_UNDO);
        break;
    case CASE_SET:
        /* A moment jitter put off the millisecond. */
        session_goto(s, s->nsteps / 3);
        while (s->step < s->nsteps &&
               (s->step == 0 ||
                trace_at(&s->trace, session_event(s))->t_us % 1000 == 0))
            session_goto(s, s->step + 1);
        session_act(s, ACT_LOSS);
        session_goto(s, s->nsteps / 2);
        session_act(s, ACT_DROP_NEXT);
        break;
    case CASE__COUNT: break;
    }
}

/* What --validate warns about in s's run t, but for notes that do not
 * hold: a note that never shows, a question never asked. */
static size_t
warnings(const struct scenario *s, const struct trace *t)
{
    struct quiz_item *items = calloc(s->nquiz + 1, sizeof *items);
    bool *shown = calloc(s->nnotes + 1, sizeof *shown);
    size_t n = s->nquiz - quiz_prepare(s, t, items);

    for (size_t i = 0; i < t->len; i++)
        if (trace_at(t, i)->kind == TRACE_NOTE)
            shown[trace_at(t, i)->a] = true;
    for (size_t i = 0; i < s->nnotes; i++)
        n += !shown[i];
    free(shown);
    free(items);
    return n;
}

/* The rules the saved file adds to base's. */
static size_t
added(const struct scenario *saved, const struct session *s)
{
    return saved->net.nrules - s->base->net.nrules;
}

static void
edits_in_file(const struct scenario *saved, const struct session *s,
              const struct trace *plain, enum edit_case k, const char *name)
{
    const struct tcp_params *b = &s->base->tcp, *t = &saved->tcp;
    const char *what = case_names[k];
    char *a = json_of(plain), *e = json_of(&s->trace);

    switch (k) {
    case CASE_DROP:
        ok(added(saved, s) == 1 &&
               saved->net.rules[saved->net.nrules - 1].seg_id,
           "%s, %s: a rule for the segment", name, what);
        ok(strcmp(a, e) != 0, "%s, %s: a run unlike the plain one", name, what);
        break;
    case CASE_LOSS:
        ok(added(saved, s) == 1 &&
               saved->net.rules[saved->net.nrules - 1].probability == 0.3 &&
               saved->seed == 7,
           "%s, %s: a rule of 30 %% loss, seed 7", name, what);
        break;
    case CASE_DELACK:
        ok(t->delack_us != b->delack_us && added(saved, s) == 0,
           "%s, %s: delack_ms %llu", name, what,
           (unsigned long long)t->delack_us / 1000);
        break;
    case CASE_MSL:
        ok(t->msl_us != b->msl_us && added(saved, s) == 0,
           "%s, %s: msl_ms %llu", name, what,
           (unsigned long long)t->msl_us / 1000);
        break;
    case CASE_SEED:
        ok(saved->seed == 7 && added(saved, s) == 0 && t->msl_us == b->msl_us &&
               t->delack_us == b->delack_us,
           "%s, %s: seed 7 and nothing else", name, what);
        break;
    case CASE_ALL:
        ok(added(saved, s) == 3 && t->msl_us != b->msl_us &&
               t->delack_us != b->delack_us && saved->seed == 3,
           "%s, %s: two loss rules, a drop, delack, MSL, seed 3", name, what);
        ok(strcmp(a, e) != 0, "%s, %s: a run unlike the plain one", name, what);
        break;
    case CASE_UNDO:
        ok(added(saved, s) == 1 && t->msl_us == b->msl_us,
           "%s, %s: the drop, not the MSL undone", name, what);
        ok(strcmp(a, e) != 0, "%s, %s: a run unlike the plain one", name, what);
        break;
    case CASE_SET:
        ok(added(saved, s) == 2 && t->msl_us == 1500000 &&
               saved->net.dir[0].loss == 0.2 && saved->net.dir[1].loss == 0.2,
           "%s, %s: the overrides are in the file", name, what);
        ok(saved->net.rules[saved->net.nrules - 2].from_us % 1000 != 0,
           "%s, %s: loss from a time that is no whole millisecond (%llu us)",
           name, what,
           (unsigned long long)saved->net.rules[saved->net.nrules - 2].from_us);
        break;
    case CASE__COUNT: break;
    }
    free(a);
    free(e);
}

static void
test_case(const char *name, enum edit_case k)
{
    uint64_t seed = k == CASE_LOSS || k == CASE_SEED ? 7
                    : k == CASE_ALL                  ? 3
                                                     : 0;
    struct session s;
    struct synfin_err err;
    struct scenario *saved;
    struct trace t, plain;
    char *text, *want, *got, msg[1024];
    size_t untrue;

    session_open(&s, load_with(name, seed, k == CASE_SET), "en");
    edit(&s, k);
    text = save_run_text(s.base, s.run, &s.trace, &err);
    if (!ok(text, "%s, %s: saved", name, case_names[k])) {
        printf("# %s\n", synfin_err_str(&err, msg, sizeof msg));
        session_close(&s);
        return;
    }
    ok(text[strlen(text) - 1] == '\n' && strstr(text, "\n  \"seed\": "),
       "%s, %s: ends in a newline, gives the seed", name, case_names[k]);
    saved =
        scenario_load_buffer("saved.json", text, strlen(text), NULL, 0, &err);
    if (!ok(saved, "%s, %s: the saved file loads", name, case_names[k])) {
        printf("# %s\n", synfin_err_str(&err, msg, sizeof msg));
        free(text);
        session_close(&s);
        return;
    }
    ok(!saved->changed && saved->seed == s.run->seed,
       "%s, %s: its own run, seed %llu", name, case_names[k],
       (unsigned long long)s.run->seed);
    trace_init(&t);
    world_run(saved, &t, NULL);
    want = json_of(&s.trace);
    got = json_of(&t);
    untrue = trace_untrue_notes(&s.trace);
    ok(strcmp(got, want) == 0,
       "%s, %s: its trace is the edited run's, byte for byte (%zu note%s "
       "not holding, kept)",
       name, case_names[k], untrue, untrue == 1 ? "" : "s");
    is_int(warnings(saved, &t), 0,
           "%s, %s: --validate warns only of notes that do not hold", name,
           case_names[k]);

    /* The edits are in the file, not only their effect. */
    trace_init(&plain);
    world_run(s.base, &plain, NULL);
    edits_in_file(saved, &s, &plain, k, name);
    free(want);
    free(got);
    trace_free(&plain);
    trace_free(&t);
    scenario_free(saved);
    free(text);
    session_close(&s);
}

/* The files in dir whose name starts with prefix. */
static int
count_files(const char *dir, const char *prefix)
{
    char cmd[8192];
    FILE *p;
    int n = -1;

    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^%s'", dir, prefix);
    p = popen(cmd, "r");
    if (p && fscanf(p, "%d", &n) != 1)
        n = -1;
    if (p)
        pclose(p);
    return n;
}

static char *
read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;

    if (!f || !m)
        exit(1);
    while ((c = fgetc(f)) != EOF)
        fputc(c, m);
    fclose(f);
    fclose(m);
    return buf;
}

/* S in the viewer: the teacher's folder, free names, and the errors. */
static void
test_key(void)
{
    char tmp[] = "/tmp/synfin-save-XXXXXX", home[600], dir[640], path[1024],
         msg[1024];
    struct session s;
    struct synfin_err err;
    struct scenario_dirs dirs;
    char *text, *found;

    if (!mkdtemp(tmp))
        exit(1);
    snprintf(home, sizeof home, "%s/data", tmp);
    snprintf(dir, sizeof dir, "%s/synfin/scenarios", home);
    setenv("XDG_DATA_HOME", home, 1);
    setenv("SYNFIN_PATH", "", 1);

    session_open(&s, load_with("four-way-close", 0, false), "en");
    session_goto(&s, s.nsteps / 2);
    session_act(&s, ACT_DROP_NEXT);
    session_act(&s, ACT_LOG);
    text = save_run_text(s.base, s.run, &s.trace, &err);
    session_act(&s, ACT_SAVE);
    snprintf(msg, sizeof msg,
             "Saved this run as four-way-close-2 in %s; synfin "
             "four-way-close-2 opens it.",
             dir);
    is_str(s.message, msg, "S says where the run went and how to open it");
    is_int(s.mode, MODE_MAIN, "and shows it in the main view");
    snprintf(path, sizeof path, "%s/four-way-close-2.json", dir);
    found = read_file(path);
    is_str(found, text, "the folder was made, the file is the saved run");
    free(found);
    scenario_dirs_get(&dirs);
    found = scenario_find("four-way-close-2", &dirs);
    is_str(found, path, "synfin four-way-close-2 finds it");
    free(found);
    scenario_dirs_free(&dirs);

    /* A file of the teacher's is never replaced. */
    snprintf(path, sizeof path, "%s/four-way-close-3.json", dir);
    fclose(fopen(path, "w"));
    session_act(&s, ACT_SAVE);
    ok(strstr(s.message, "as four-way-close-4 in"), "the next free name: -4");
    found = read_file(path);
    is_str(found, "", "the teacher's -3 is left alone");
    free(found);
    session_close(&s);

    /* A saved run saved again is named after the scenario, not -2-2. */
    snprintf(path, sizeof path, "%s/four-way-close-2.json", dir);
    {
        struct scenario *again = scenario_load(path, NULL, 0, &err);
        ok(again, "the saved file loads");
        session_open(&s, again, "zh");
        session_act(&s, ACT_SAVE);
        ok(strstr(s.message, "已把这次运行保存为 four-way-close-5，在 "),
           "saved again: four-way-close-5, said in Chinese");
        session_close(&s);
    }
    is_int(count_files(dir, "\\."), 0, "no temporary file is left");

    /* A folder that cannot be made: a message, no crash. */
    snprintf(path, sizeof path, "%s/four-way-close-2.json/x", dir);
    setenv("XDG_DATA_HOME", path, 1);
    session_open(&s, load_with("four-way-close", 0, false), "en");
    session_act(&s, ACT_SAVE);
    ok(strncmp(s.message, "Could not save this run: ", 25) == 0 &&
           strstr(s.message, "Not a directory"),
       "a folder under a file: %s", s.message);
    if (geteuid() != 0) {
        snprintf(home, sizeof home, "%s/ro", tmp);
        snprintf(path, sizeof path, "%s/synfin/scenarios", home);
        mkdir(home, 0700);
        setenv("XDG_DATA_HOME", home, 1);
        chmod(home, 0500);
        session_act(&s, ACT_SAVE);
        ok(strstr(s.message, "Permission denied"), "an unwritable folder: %s",
           s.message);
        chmod(home, 0700);
    }
    setenv("XDG_DATA_HOME", "relative", 1);
    unsetenv("HOME");
    session_act(&s, ACT_SAVE);
    ok(strstr(s.message, "no folder for your scenarios"), "no HOME: %s",
       s.message);
    session_close(&s);

    /* Escaped: a folder name with a control character. */
    snprintf(home, sizeof home, "%s/bad\033[31mname", tmp);
    setenv("XDG_DATA_HOME", home, 1);
    session_open(&s, load_with("four-way-close", 0, false), "en");
    session_act(&s, ACT_SAVE);
    ok(strstr(s.message, "bad\\x1b[31mname") && !strchr(s.message, 033),
       "a path from the environment is escaped: %s", s.message);
    session_close(&s);

    free(text);
    snprintf(path, sizeof path, "rm -rf '%s'", tmp);
    if (system(path) != 0)
        exit(1);
}

/* The first line of s's frame at w x h. */
static const char *
header(const struct session *s, int w, int h)
{
    static char line[1024];

    snprintf(line, sizeof line, "%s", frame(s, w, h));
    line[strcspn(line, "\n")] = '\0';
    return line;
}

/* The header shows the seed and marks an edited run, at 80x24 and 120x40,
 * and a saved run opens as a run of its own: its seed, not edited. */
static void
test_header(void)
{
    struct session s;
    struct synfin_err err;
    struct scenario *saved;
    char *text;

    session_open(&s, load_with("four-way-close", 0, false), "en");
    ok(strstr(header(&s, 80, 24), "\u00b7 seed 1 \u00b7 rfc") &&
           !strstr(header(&s, 80, 24), "EDITED"),
       "80x24: seed 1, not edited: %s", header(&s, 80, 24));
    session_goto(&s, s.nsteps / 2);
    session_act(&s, ACT_DROP_NEXT);
    ok(strstr(header(&s, 80, 24), "\u00b7 seed 1") &&
           strstr(header(&s, 80, 24), "  EDITED \u00d71"),
       "80x24 with an edit: %s", header(&s, 80, 24));
    ok(strstr(header(&s, 120, 40), "seed 1 \u00b7 rfc \u00b7 MSL 2 s") &&
           strstr(header(&s, 120, 40), "loss 0%  EDITED \u00d71"),
       "120x40 with an edit: %s", header(&s, 120, 40));
    session_close(&s);

    session_open(&s, load_with("four-way-close", 7, false), "en");
    ok(strstr(header(&s, 80, 24), "\u00b7 seed 7 \u00b7") &&
           strstr(header(&s, 80, 24), "rfc  EDITED"),
       "80x24, --seed 7: the seed, edited: %s", header(&s, 80, 24));
    ok(strstr(header(&s, 120, 40), "seed 7 \u00b7 rfc \u00b7 MSL 2 s \u00b7 "
                                   "loss 0%  EDITED"),
       "120x40, --seed 7: %s", header(&s, 120, 40));
    s.lang = "zh";
    ok(strstr(header(&s, 80, 24), "\u00b7 种子7 \u00b7") &&
           strstr(header(&s, 80, 24), "已修改"),
       "80x24 in Chinese: %s", header(&s, 80, 24));
    s.lang = "en";
    session_act(&s, ACT_MSL);
    text = save_run_text(s.base, s.run, &s.trace, &err);
    session_close(&s);

    saved = scenario_load_buffer("four-way-close-2.json", text, strlen(text),
                                 NULL, 0, &err);
    session_open(&s, saved, "en");
    ok(strstr(header(&s, 120, 40), "seed 7 \u00b7 rfc \u00b7 MSL 5 s") &&
           !strstr(header(&s, 120, 40), "EDITED"),
       "the saved run: seed 7, MSL 5 s, a run of its own: %s",
       header(&s, 120, 40));
    session_close(&s);
    free(text);
}

int
main(void)
{
    test_header();
    test_key();
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        for (int k = 0; k < CASE__COUNT; k++)
            test_case(scenarios[i], (enum edit_case)k);
    return done_testing();
}
