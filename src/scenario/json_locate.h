/*
 * Positions in a JSON text. cJSON keeps no positions, so the scenario loader
 * keeps the original text and scans it again to point an error message at
 * the exact line and column of the value (or key) it is about.
 *
 * json_check.c checks the text strictly (RFC 8259) before cJSON sees it,
 * which gives precise, helpful syntax errors; json_locate.c then walks a path
 * of keys and indices through text that is known to be valid.
 *
 * Private to src/scenario/.
 */
#ifndef SYNFIN_SCENARIO_JSON_LOCATE_H
#define SYNFIN_SCENARIO_JSON_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

/* Deeper nesting is refused by json_check() (cJSON's own limit is 1000). */
#define JSON_CHECK_MAX_DEPTH 100

/*
 * One step of a path. With key set: the member of an object with that name
 * (the index-th one with that name, 0 = first, for duplicate keys). With key
 * NULL: the index-th element of an array, or the index-th member of an
 * object, whatever its name (0-based, in text order).
 */
struct json_path_seg {
    const char *key;
    size_t index;
};

/*
 * Find the value at path in text (which must have passed json_check()).
 * Returns true and sets *value_off to the byte offset of the value's first
 * character, and *key_off (if not NULL) to the offset of the opening quote
 * of the last key on the path (the value's own offset when the last step is
 * an array index, or when the path is empty). Returns false when the path
 * does not exist. A leading UTF-8 byte order mark is skipped.
 */
bool json_locate(const char *text, size_t len, const struct json_path_seg *path,
                 size_t depth, size_t *value_off, size_t *key_off);

/*
 * 1-based line and column of byte offset off. Lines end at '\n'; a column
 * counts characters (UTF-8 code points), so a tab is one column and "é" is
 * one column. A byte order mark at the start of the text is not counted.
 */
void json_locate_linecol(const char *text, size_t len, size_t off, size_t *line,
                         size_t *col);

/*
 * Check the bytes of a text: no NUL byte, valid UTF-8 (no overlong forms,
 * no surrogates, nothing above U+10FFFF). On failure returns false, sets
 * *err_off to the first bad byte and writes a message into msg.
 */
bool json_check_bytes(const char *text, size_t len, size_t *err_off, char *msg,
                      size_t msgsize);

/*
 * Check that text is exactly one JSON value (RFC 8259) with optional
 * whitespace around it, and a UTF-8 byte order mark allowed at the start.
 * The text must already have passed json_check_bytes(). On failure returns
 * false, sets *err_off to the offending byte and writes a message starting
 * with "syntax error: " into msg.
 */
bool json_check(const char *text, size_t len, size_t *err_off, char *msg,
                size_t msgsize);

#endif
