/*
 * Shared by the files of src/scenario/ and nothing else.
 *
 * The JSON loader, one step a file: scenario_json.c runs the steps (check
 * the text, parse it with cJSON, apply the overrides, walk the tree);
 * json_read.c reads typed values out of the tree, and json_errors.c keeps
 * the errors, with their position; scenario_override.c applies --set
 * KEY=VALUE to the tree; scenario_walk.c walks the scenario's keys into
 * struct scenario, scenario_notes.c its notes and quiz. Saving a run goes
 * the other way: scenario_save.c edits the tree the loader read and
 * json_print.c writes it out. cJSON is only declared here, not included, so
 * that scenario.c, which never sees a tree, does not depend on it.
 *
 * A load goes on after an error wherever the rest can still be read, so that
 * one run reports every mistake of a file: a reader that finds a bad value
 * records the error (verr) and returns false, and its caller carries on with
 * the next key or element. It stops only where going on would be nonsense:
 * inside a value that is not an object or array, or in keys whose meaning
 * depends on one that is bad ("bytes" of an unknown call). The load succeeds
 * when no error was recorded.
 */
#ifndef SYNFIN_SCENARIO_PRIVATE_H
#define SYNFIN_SCENARIO_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "synfin/scenario.h"

/* A scenario file larger than this is refused: 4 MiB. */
#define SCENARIO_MAX_BYTES ((size_t)4 << 20)

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

struct cJSON;

/* A node of the tree that an override put there (or created on its way). */
struct mark {
    const struct cJSON *node;
    size_t ovr;
};

/* The key every object may have, whose value the loader ignores. */
#define COMMENT_KEY "//"

struct found_err;

/* One load: the text and the overrides it came from, and its errors. */
struct ctx {
    const char *file; /* for messages */
    const char *text; /* the original text, NUL-terminated */
    size_t len;
    const char *const *ovr;
    size_t novr;
    struct mark *marks;
    size_t nmarks, capmarks;
    /* The first SCENARIO_MAX_ERRORS errors in the order of the file (order
     * points into errs), and how many more there were (json_read.c). */
    struct found_err *errs, **order;
    size_t nerrs, more;
    bool not_json; /* the error is in the text itself: nothing else checked */
};

/*
 * Where a node is: its parent, its name (NULL for an array element and the
 * root) and its index among the parent's members or elements.
 */
struct jpath {
    const struct jpath *up;
    const struct cJSON *node;
    const char *key;
    size_t index;
};

enum at {
    AT_VALUE, /* point at the value */
    AT_KEY,   /* point at the key (unknown, duplicate, misplaced keys) */
};

struct range {
    double lo, hi;
    bool lo_open; /* (lo, hi] instead of [lo, hi] */
    bool integer;
};

/* --- json_read.c: words for messages. ----------------------------------- */

void fmt_num(double v, char *buf, size_t size);
const char *got(const struct cJSON *j, char *buf, size_t size);
void join(const char *const *names, size_t n, char *buf, size_t size);
bool in_list(const char *const *names, const char *s);

/* --- json_errors.c: errors. Each records one and returns false. -------- */

/* The line and column of the node at p in the file; 0, 0 if an override
 * made it. */
void line_col_of(const struct ctx *c, const struct jpath *p, uint32_t *line,
                 uint32_t *col);
PRINTF_LIKE(5, 6)
bool verr(struct ctx *c, const struct jpath *p, const char *missing, enum at at,
          const char *fmt, ...);
bool text_err(struct ctx *c, size_t off, const char *msg);
PRINTF_LIKE(3, 4)
bool ovr_err(struct ctx *c, const char *where, const char *fmt, ...);
/* Has the load found an error so far? */
bool has_errors(const struct ctx *c);
/* The errors found, in file order, into errs (which the caller frees). */
void take_errors(struct ctx *c, struct scenario_errors *errs);

/*
 * --- json_read.c: typed values. X_at reads the node at p; get_X reads the
 * member key of the object at obj, leaving *out as it is when there is none.
 */

bool child(const struct jpath *obj, const char *key, struct jpath *out);
/* p must be an object with keys from keys (and "//"), each at most once.
 * Reports every bad key; false only when p is not an object at all. */
bool check_object(struct ctx *c, const struct jpath *p,
                  const char *const *keys);
bool require(struct ctx *c, const struct jpath *obj, const char *key);
bool num_at(struct ctx *c, const struct jpath *p, const struct range *r,
            double *out);
bool get_num(struct ctx *c, const struct jpath *obj, const char *key, double lo,
             double hi, bool lo_open, double *out);
bool get_int(struct ctx *c, const struct jpath *obj, const char *key, double lo,
             double hi, long long *out, bool *given);
bool get_u32(struct ctx *c, const struct jpath *obj, const char *key, double lo,
             double hi, uint32_t *out);
bool ms_at(struct ctx *c, const struct jpath *p, bool positive, uint64_t *us);
bool get_ms(struct ctx *c, const struct jpath *obj, const char *key,
            bool positive, uint64_t *us, bool *given);
bool bool_at(struct ctx *c, const struct jpath *p, bool *out);
bool get_bool(struct ctx *c, const struct jpath *obj, const char *key,
              bool *out);
bool str_at(struct ctx *c, const struct jpath *p, const char **out);
bool i18n_at(struct ctx *c, const struct jpath *p, struct i18n *out);
bool get_i18n(struct ctx *c, const struct jpath *obj, const char *key,
              bool required, struct i18n *out);
bool enum_at(struct ctx *c, const struct jpath *p, const char *noun,
             const char *const *names, size_t n, int (*parse)(const char *),
             int *out);
bool get_enum(struct ctx *c, const struct jpath *obj, const char *key,
              const char *noun, const char *const *names, size_t n,
              int (*parse)(const char *), int *out);
bool flags_at(struct ctx *c, const struct jpath *p, uint8_t *out);
bool tags_at(struct ctx *c, const struct jpath *p, uint8_t *out);

/* --- scenario_override.c ------------------------------------------------ */

/* Apply c->ovr[oi] to the tree at root; false, with the error, if it can't. */
bool apply_override(struct ctx *c, struct cJSON *root, size_t oi);

/* --- scenario_notes.c --------------------------------------------------- */

/* "notes" and "quiz" of the object at root into s. */
void walk_notes(struct ctx *c, const struct jpath *root, struct scenario *s);
void walk_quiz(struct ctx *c, const struct jpath *root, struct scenario *s);

/* --- scenario_json.c ---------------------------------------------------- */

/* c->text checked and parsed, with c->ovr applied: the tree the walk reads
 * (cJSON_Delete it), or NULL with the errors recorded in c. */
struct cJSON *scenario_tree(struct ctx *c);

/* --- json_print.c ------------------------------------------------------- */

/* The tree as JSON text, two spaces an indent, members in their order,
 * ending in a newline (malloc'd). */
char *json_print(const struct cJSON *root);

/* --- scenario_walk.c ---------------------------------------------------- */

/* Fill s from the object at root, recording every error on the way. */
void walk_scenario(struct ctx *c, const struct jpath *root, struct scenario *s);

/* --- scenario.c and scenario_json.c ------------------------------------ */

/* errs holds one error: where (a file, no place in it) and what. */
void errors_one(struct scenario_errors *errs, const char *where,
                const char *msg);

/* The text of a file named name (for messages) to a scenario; NULL with
 * errs filled when it has errors. */
struct scenario *load_text(const char *name, const char *text, size_t len,
                           const char *const *overrides, size_t noverrides,
                           struct scenario_errors *errs);

/* --- scenario_inject.c: "network": {"inject": [...]}. ----------------- */

void walk_injects(struct ctx *c, const struct jpath *network,
                  struct net_params *n);

#endif
