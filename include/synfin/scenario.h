/*
 * A scenario as plain C data: what the JSON file said, validated, with the
 * profile's defaults filled in. Only src/scenario/ knows about JSON. The
 * format is documented in docs/scenario-format.md.
 */
#ifndef SYNFIN_SCENARIO_H
#define SYNFIN_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "synfin/err.h"
#include "synfin/tcp.h"
#include "synfin/trace.h"

/* One direction of the path. */
struct link_params {
    uint64_t delay_us;  /* one way, end to end */
    uint64_t jitter_us; /* extra delay, uniform in [0, jitter] */
    double loss;        /* probability a packet is lost */
    double dup;         /* probability a packet is duplicated */
};

enum rule_action {
    RULE_DROP,
    RULE_HOLD, /* delay by hold_us more: makes a late, old duplicate */
};

/*
 * A scripted network rule. A packet matches when every given field matches;
 * the nth match (and the count - 1 after it) gets the action.
 */
struct net_rule {
    int from;           /* SIDE_CLIENT, SIDE_SERVER, or -1 for either */
    uint8_t flags_all;  /* these flags must all be set */
    uint8_t flags_none; /* these must all be clear */
    int data;           /* -1 any, 0 no payload, 1 payload */
    int state;          /* sender's state when sent, -1 any */
    uint32_t seg_id;    /* 0 any: matches one packet of a known run */
    uint32_t conn;      /* 0 any */
    uint64_t from_us;   /* active from this time */
    uint64_t until_us;  /* until this time, 0 = forever */
    uint32_t nth;       /* first match acted on, 1-based */
    uint32_t count;     /* matches acted on, 0 = all from nth on */
    double probability; /* each acted-on match, 1 = always */
    enum rule_action action;
    uint64_t hold_us;
    char *label;    /* shown as the drop cause; NULL = "rule N" */
    char *label_zh; /* its Chinese, NULL = none */
};

/*
 * A crafted segment put on the wire at a time, packetdrill-style, as if
 * the peer of `to` had sent it on connection conn: seq counts from the
 * sender's ISN, ack from the receiver's (as the trace's relative numbers).
 */
struct net_inject {
    uint64_t at_us;
    int to;        /* SIDE_CLIENT or SIDE_SERVER: the receiver */
    uint32_t conn; /* the connection, default 1 */
    uint8_t flags;
    int64_t seq, ack; /* relative */
    uint32_t bytes;   /* payload length */
};

struct net_params {
    uint32_t routers;          /* between the hosts; TTL falls by one at each */
    struct link_params dir[2]; /* [SIDE_CLIENT] = client to server */
    struct net_rule *rules;
    size_t nrules;
    struct net_inject *injects;
    size_t ninjects;
};

struct script_step {
    enum app_event on; /* EV_NONE: at at_us; else after_us after the event */
    uint64_t at_us;
    uint64_t after_us;
    enum sock_call call;
    uint32_t bytes; /* send; recv (0 = all) */
    uint16_t port;  /* bind, listen, connect (remote); 0 = default */
    int how;        /* shutdown: enum shut_how */
    int opt;        /* setsockopt: enum sock_opt */
    int value;      /* setsockopt value */
    bool has_isn;   /* connect */
    uint32_t isn;
    bool listener;       /* close the listening socket, not the connection */
    uint64_t restart_us; /* crash: back up after this, 0 = never */
    int setting;         /* set: enum tcp_setting */
    uint64_t set_value;  /* set: microseconds for an _ms key, else as is */
};

struct endpoint_cfg {
    uint16_t port; /* server: listen port; client: 0 = ephemeral */
    bool has_isn;
    uint32_t isn;
    uint8_t ttl; /* 0 = the profile's */
    bool reuseaddr, keepalive, cork;
    int linger;                /* -1 off, else seconds */
    bool autoread;             /* read data as it arrives (default true) */
    uint32_t count;            /* client: connections, default 1 */
    uint64_t every_us;         /* client: start of instance i is i * every_us */
    uint32_t hosts;            /* client: spread over this many addresses */
    uint16_t port_lo, port_hi; /* client: the ephemeral port range */
    uint32_t addr_index;       /* "clients" entry: its address is the client
                                  host's first + addr_index */
    struct script_step *steps;
    size_t nsteps;
};

/* Which trace events a note is attached to: all given fields must match. */
struct note_match {
    int kind;           /* enum trace_kind, -1 any */
    int side;           /* -1 any */
    int state;          /* STATE: the state entered; others: -1 */
    int from_state;     /* STATE: the state left */
    uint8_t flags_all;  /* packet kinds: these flags set */
    uint8_t flags_none; /* packet kinds: these flags clear */
    int timer;          /* TIMER_*: enum tcp_timer_kind, -1 any */
    int call;           /* CALL: enum sock_call, -1 any */
    int app;            /* APP: enum app_event, -1 any */
    uint8_t tags_all;   /* packet kinds: these tags set (SEG_RETX...) */
    uint32_t nth;       /* the nth matching event, default 1 */
    uint32_t line, col; /* where the note or question is in its file, or 0 */
};

/*
 * What a note (or a quiz explanation) says about the run, as conditions the
 * program checks on the finished trace (src/trace/trace_claim.c): the text
 * is shown only while all of them hold. "Here" is the event the note is
 * attached to; "this instant" is every event at its time. A zeroed struct
 * claims nothing.
 */
enum claim_how {
    CLAIM_SAME_TIME, /* an event of the connection matches, this instant */
    CLAIM_EARLIER,   /* one matches before here */
    CLAIM_LATER,     /* one matches after here */
    CLAIM_NEVER,     /* none matches, in the whole run of the connection */
    CLAIM_COUNT,     /* exactly `count` match, in the whole run */
    CLAIM__HOW_COUNT
};

struct claim_pattern {
    uint8_t how; /* enum claim_how */
    uint32_t count;
    struct note_match m; /* m.nth is not used */
};

enum { CLAIM_MAX_PATTERNS = 6 };

struct note_claims {
    unsigned given;              /* 1 << enum claim_which, for each given */
    uint64_t at_lo, at_hi;       /* here happens in [lo, hi] (us) */
    uint64_t timer_lo, timer_hi; /* the timer set or fired here lasts this */
    int timer;                   /* or, when > 0, timer - 1 of here's side
                                    armed by this instant */
    uint32_t timer_msl;          /* that timer lasts timer_msl x the MSL */
    bool whole_run;              /* patterns see every connection */
    int retx;                    /* here's segment is its retx-th copy */
    bool acks_fin;               /* here's segment ACKs the peer's FIN */
    uint32_t seq, ack;           /* here's segment's relative numbers */
    int err;                     /* here's call/app errno (0 = success) */
    int state[2];                /* each side's state after this instant */
    uint32_t close_segments;     /* segments the close of the connection
                                    takes, trace_close_segments() */
    uint8_t npat;
    struct claim_pattern pat[CLAIM_MAX_PATTERNS];
};

struct scenario_note {
    struct note_match when;
    struct note_claims holds;
    struct i18n text;
};

/*
 * Quiz questions. The answer is never written in the scenario: it is read
 * from the run's own trace (src/quiz/quiz.c), so it is right whatever the
 * seed, the loss or the what-if edits. The one exception is QUIZ_CHOICE, a
 * question about a concept ("why three segments to open?"), whose answer is
 * one of the choices the file gives, and whose demo shows it in a run.
 */
enum quiz_ask {
    QUIZ_STATE,          /* the state of `side` at the end of that instant */
    QUIZ_NEXT_STATE,     /* the next state `side` enters */
    QUIZ_NEXT_FLAGS,     /* the flags of the next segment `side` sends */
    QUIZ_NEXT_SEQ,       /* its sequence number, relative to side's ISN */
    QUIZ_NEXT_ACK,       /* its ack number, relative to the peer's ISN */
    QUIZ_TIME_WAIT,      /* which side(s) will enter TIME-WAIT */
    QUIZ_CLOSE_SEGMENTS, /* segments from the first FIN to the last ACK */
    QUIZ_CHOICE,         /* a concept: one of `choices`, given in the file */
    QUIZ__COUNT
};

enum { QUIZ_MAX_CHOICES = 4 };

struct quiz_question {
    struct note_match when; /* asked right after this event */
    enum quiz_ask ask;
    int side; /* SIDE_CLIENT or SIDE_SERVER; -1 when the ask has no side */
    struct i18n question, explain;
    struct note_claims holds; /* when explain is true of the run */
    /* QUIZ_CHOICE: the choices, and the right one (from 0). */
    struct i18n choices[QUIZ_MAX_CHOICES];
    int nchoices;
    int answer;
    char *demo; /* a scenario's name whose run shows the answer, or NULL */
};

const char *quiz_ask_name(enum quiz_ask a);

/*
 * What-if variants: deliberately broken protocols that show why TCP is
 * designed as it is. Off in every real scenario.
 */
enum {
    VARIANT_TWO_WAY_HANDSHAKE = 0x1, /* open on SYN, SYN,ACK: no third ACK */
    VARIANT_FIN_NO_SEQ = 0x2,        /* FIN takes no sequence number */
    VARIANT_NO_TIME_WAIT = 0x4,      /* the active closer forgets at once */
};

const char *scenario_variant_name(unsigned variant);
/* A single variant's bit from its name, 0 if unknown. */
unsigned scenario_variant_parse(const char *name);

struct scenario {
    char *path;
    char *name; /* file name without directory and ".json" */
    struct i18n title, description;
    uint64_t seed;
    uint64_t duration_us; /* stop here; default 1 h of simulated time */
    struct tcp_params tcp;
    struct net_params net;
    /* The client sockets: "client", a template run count times, or
     * "clients", a list of sockets each with its own settings (then
     * client.count is 0). Socket (conn) number i + 1 is clients[i]. */
    struct endpoint_cfg client, server;
    struct endpoint_cfg *clients;
    size_t nclients;
    struct scenario_note *notes;
    size_t nnotes;
    unsigned variants; /* VARIANT_* */
    struct quiz_question *quiz;
    size_t nquiz;
    bool changed; /* by --set or --seed: not the run the file describes */
    /* The text it was loaded from and the --set overrides applied to it:
     * what scenario_save_text() writes a run from. */
    char *source;
    size_t source_len;
    char **overrides;
    size_t noverrides;
};

/* A load keeps this many errors and only counts the rest, so that a
 * hostile file with a million mistakes costs no more than one with fifty. */
#define SCENARIO_MAX_ERRORS 50

/*
 * Every error of one load, in the order of the file (docs/scenario-format.md,
 * "Errors"). Each is where ("FILE:LINE:COL" for file content, "--set KEY"
 * for an override) and what.
 */
struct scenario_errors {
    struct synfin_err *list;
    size_t n;
    size_t more;   /* errors past the first SCENARIO_MAX_ERRORS */
    bool not_json; /* list[0] is in the text itself (its bytes or its JSON
                      syntax), so nothing after it was checked */
};

/*
 * Load and validate. overrides are "key.path=value" strings (--set), applied
 * before validation. On error, returns NULL and fills errs with every error
 * found; free it with scenario_errors_free() either way.
 */
struct scenario *scenario_load_all_errors(const char *path,
                                          const char *const *overrides,
                                          size_t noverrides,
                                          struct scenario_errors *errs);
void scenario_errors_free(struct scenario_errors *errs);
/* Each error as a line "WHERE: WHAT" on out, then a line for those left
 * out and one for a file that is not JSON; path names the file there. */
void scenario_errors_print(const struct scenario_errors *errs, const char *path,
                           FILE *out);

/* The same load, keeping only the first error in file order in err. */
struct scenario *scenario_load(const char *path, const char *const *overrides,
                               size_t noverrides, struct synfin_err *err);
/* The same from a buffer; name is used in messages as the file name. */
struct scenario *scenario_load_buffer(const char *name, const char *text,
                                      size_t len, const char *const *overrides,
                                      size_t noverrides,
                                      struct synfin_err *err);
void scenario_free(struct scenario *s);

/* A deep copy, for what-if edits that re-run the simulation. */
struct scenario *scenario_clone(const struct scenario *s);
/* Append a network rule (copied; label duplicated). */
void scenario_add_rule(struct scenario *s, const struct net_rule *r);
/* --seed: run s with this seed; another than the file's marks s changed. */
void scenario_set_seed(struct scenario *s, uint64_t seed);

/*
 * A run of a scenario as a scenario file of its own, so that running the
 * file gives the same trace: the loaded scenario's text with its --set
 * overrides applied, the run's seed, its TCP times where they differ and
 * the network rules it has beyond the file's (the viewer's what-if edits),
 * and a description that names the changes. Notes and questions the caller
 * leaves out are removed (the ones the run never reaches). Pretty-printed
 * JSON ending in a newline (malloc'd), or NULL with err.
 */
struct scenario_save {
    const struct scenario *run; /* loaded, with the edits made to it */
    const struct trace *trace;  /* run's trace: names dropped segments */
    const bool *keep_note;      /* one per note of the loaded scenario */
    const bool *keep_question;  /* one per question */
};
char *scenario_save_text(const struct scenario *loaded,
                         const struct scenario_save *sv,
                         struct synfin_err *err);

/* Text in lang ("en" or "zh"), falling back to English. */
const char *i18n_get(const struct i18n *t, const char *lang);

#endif
