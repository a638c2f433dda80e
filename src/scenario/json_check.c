/*
 * A strict JSON (RFC 8259) checker that reports the first error with its
 * exact byte offset and a message a student can act on.
 *
 * cJSON is lenient ("01", "1." and raw line breaks in strings parse) and its
 * error pointer is sometimes one token late (a trailing comma is reported
 * after the closing brace), so the loader runs this first. It builds nothing:
 * one pass, recursion bounded by JSON_CHECK_MAX_DEPTH.
 */
#include "json_locate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct jc {
    const unsigned char *s;
    size_t len, pos;
    size_t *err_off;
    char *msg;
    size_t msgsize;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static bool
jc_fail(struct jc *c, size_t off, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    *c->err_off = off;
    n = (size_t)snprintf(c->msg, c->msgsize, "syntax error: ");
    if (n < c->msgsize) {
        va_start(ap, fmt);
        vsnprintf(c->msg + n, c->msgsize - n, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* Decode the UTF-8 sequence at s[pos] (already validated). */
static unsigned long
utf8_decode(const unsigned char *s, size_t len, size_t pos)
{
    unsigned long cp = s[pos];
    size_t n = 0;

    if (cp >= 0xf0)
        cp &= 0x07, n = 3;
    else if (cp >= 0xe0)
        cp &= 0x0f, n = 2;
    else if (cp >= 0xc0)
        cp &= 0x1f, n = 1;
    for (size_t i = 1; i <= n && pos + i < len; i++)
        cp = (cp << 6) | (s[pos + i] & 0x3fu);
    return cp;
}

/* The character at pos, for "got ..." in a message. */
static const char *
jc_what(const struct jc *c, size_t pos, char *buf, size_t size)
{
    unsigned char ch;

    if (pos >= c->len)
        return "end of file";
    ch = c->s[pos];
    if (ch > 0x20 && ch < 0x7f)
        snprintf(buf, size, "'%c'", ch);
    else
        snprintf(buf, size, "U+%04lX", utf8_decode(c->s, c->len, pos));
    return buf;
}

static bool
is_ws(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static void
jc_skip_ws(struct jc *c)
{
    while (c->pos < c->len && is_ws(c->s[c->pos]))
        c->pos++;
}

/* Report an unexpected character where expect was wanted. */
static bool
jc_unexpected(struct jc *c, const char *expect)
{
    char buf[16];

    if (c->pos < c->len && c->s[c->pos] == '/')
        return jc_fail(c, c->pos, "comments are not allowed in JSON");
    if (c->pos < c->len && c->s[c->pos] == '\'')
        return jc_fail(c, c->pos,
                       "single quotes are not allowed in JSON (write "
                       "\"double quotes\")");
    return jc_fail(c, c->pos, "expected %s, got %s", expect,
                   jc_what(c, c->pos, buf, sizeof buf));
}

static bool
is_word_char(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == '+' || ch == '-' ||
           ch == '.';
}

static bool
is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Quote a token of the text for a message, shortened if long. */
static void
jc_token(const struct jc *c, size_t start, size_t end, char *buf, size_t size)
{
    size_t n = end - start;

    if (n > 24)
        snprintf(buf, size, "%.20s...", (const char *)c->s + start);
    else
        snprintf(buf, size, "%.*s", (int)n, (const char *)c->s + start);
}

/*
 * number = [ "-" ] int [ frac ] [ exp ], checked over the whole run of
 * number-like characters, so "01", "1." and "1e" are each one bad token.
 */
static bool
jc_number(struct jc *c)
{
    size_t start = c->pos, end = c->pos, p;
    char tok[32];

    while (end < c->len && is_word_char(c->s[end]))
        end++;
    p = start;
    if (p < end && c->s[p] == '-')
        p++;
    if (p < end && c->s[p] == '0') {
        p++;
    } else if (p < end && is_digit(c->s[p])) {
        while (p < end && is_digit(c->s[p]))
            p++;
    } else {
        goto bad;
    }
    if (p < end && c->s[p] == '.') {
        p++;
        if (p >= end || !is_digit(c->s[p]))
            goto bad;
        while (p < end && is_digit(c->s[p]))
            p++;
    }
    if (p < end && (c->s[p] == 'e' || c->s[p] == 'E')) {
        p++;
        if (p < end && (c->s[p] == '+' || c->s[p] == '-'))
            p++;
        if (p >= end || !is_digit(c->s[p]))
            goto bad;
        while (p < end && is_digit(c->s[p]))
            p++;
    }
    if (p != end)
        goto bad;
    c->pos = end;
    return true;
bad:
    jc_token(c, start, end, tok, sizeof tok);
    return jc_fail(c, start, "invalid number \"%s\"", tok);
}

/* true, false, null; any other bare word is a mistake worth naming. */
static bool
jc_word(struct jc *c)
{
    size_t start = c->pos, end = c->pos, n;
    char tok[32];

    while (end < c->len && is_word_char(c->s[end]))
        end++;
    n = end - start;
    if ((n == 4 && memcmp(c->s + start, "true", 4) == 0) ||
        (n == 5 && memcmp(c->s + start, "false", 5) == 0) ||
        (n == 4 && memcmp(c->s + start, "null", 4) == 0)) {
        c->pos = end;
        return true;
    }
    jc_token(c, start, end, tok, sizeof tok);
    return jc_fail(c, start,
                   "unexpected word \"%s\" (a value is a \"string\", a "
                   "number, an object, an array, true, false or null)",
                   tok);
}

static int
hex4(const unsigned char *s, size_t len, size_t pos)
{
    int v = 0;

    if (pos + 4 > len)
        return -1;
    for (size_t i = pos; i < pos + 4; i++) {
        unsigned char ch = s[i];
        v <<= 4;
        if (ch >= '0' && ch <= '9')
            v |= ch - '0';
        else if (ch >= 'a' && ch <= 'f')
            v |= ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F')
            v |= ch - 'A' + 10;
        else
            return -1;
    }
    return v;
}

/* A string; c->pos is at the opening quote. */
static bool
jc_string(struct jc *c)
{
    size_t open = c->pos;

    c->pos++;
    for (;;) {
        unsigned char ch;

        if (c->pos >= c->len)
            return jc_fail(c, open, "unterminated string");
        ch = c->s[c->pos];
        if (ch == '"') {
            c->pos++;
            return true;
        }
        if (ch == '\n' || ch == '\r')
            return jc_fail(c, c->pos,
                           "line break inside a string (missing closing "
                           "'\"'? write \\n for a line break)");
        if (ch < 0x20)
            return jc_fail(c, c->pos,
                           "control character U+%04X inside a string "
                           "(write it as an escape such as \\t)",
                           (unsigned)ch);
        if (ch != '\\') {
            c->pos++;
            continue;
        }
        if (c->pos + 1 >= c->len)
            return jc_fail(c, open, "unterminated string");
        ch = c->s[c->pos + 1];
        if (ch != '\0' && strchr("\"\\/bfnrt", ch)) {
            c->pos += 2;
        } else if (ch == 'u') {
            int v = hex4(c->s, c->len, c->pos + 2);
            if (v < 0)
                return jc_fail(c, c->pos,
                               "invalid \\u escape (expected 4 hex digits)");
            if (v == 0)
                return jc_fail(c, c->pos,
                               "\\u0000 is not allowed (text in a scenario "
                               "cannot hold a NUL character)");
            if (v >= 0xdc00 && v <= 0xdfff)
                return jc_fail(c, c->pos, "unpaired surrogate \\u%04x", v);
            if (v >= 0xd800 && v <= 0xdbff) {
                int lo = -1;
                if (c->pos + 7 < c->len && c->s[c->pos + 6] == '\\' &&
                    c->s[c->pos + 7] == 'u')
                    lo = hex4(c->s, c->len, c->pos + 8);
                if (lo < 0xdc00 || lo > 0xdfff)
                    return jc_fail(c, c->pos, "unpaired surrogate \\u%04x", v);
                c->pos += 6;
            }
            c->pos += 6;
        } else {
            size_t n = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : ch >= 0xc0 ? 2 : 1;
            if (c->pos + 1 + n > c->len)
                n = c->len - c->pos - 1;
            return jc_fail(c, c->pos,
                           "invalid escape \"\\%.*s\" (valid escapes: "
                           "\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                           (int)n, (const char *)c->s + c->pos + 1);
        }
    }
}

static bool jc_value(struct jc *c, int depth);

static bool
jc_object(struct jc *c, int depth)
{
    bool after_comma = false;

    c->pos++;
    jc_skip_ws(c);
    if (c->pos < c->len && c->s[c->pos] == '}') {
        c->pos++;
        return true;
    }
    for (;;) {
        jc_skip_ws(c);
        if (c->pos < c->len && c->s[c->pos] != '"') {
            if (after_comma && c->s[c->pos] == '}')
                return jc_fail(c, c->pos,
                               "unexpected '}' after ',' (trailing commas "
                               "are not allowed)");
        }
        if (c->pos >= c->len || c->s[c->pos] != '"')
            return jc_unexpected(c, "a key in double quotes");
        if (!jc_string(c))
            return false;
        jc_skip_ws(c);
        if (c->pos >= c->len || c->s[c->pos] != ':')
            return jc_unexpected(c, "':' after the key");
        c->pos++;
        if (!jc_value(c, depth))
            return false;
        jc_skip_ws(c);
        if (c->pos < c->len && c->s[c->pos] == '}') {
            c->pos++;
            return true;
        }
        if (c->pos >= c->len || c->s[c->pos] != ',')
            return jc_unexpected(c, "',' or '}'");
        c->pos++;
        after_comma = true;
    }
}

static bool
jc_array(struct jc *c, int depth)
{
    c->pos++;
    jc_skip_ws(c);
    if (c->pos < c->len && c->s[c->pos] == ']') {
        c->pos++;
        return true;
    }
    for (;;) {
        if (!jc_value(c, depth))
            return false;
        jc_skip_ws(c);
        if (c->pos < c->len && c->s[c->pos] == ']') {
            c->pos++;
            return true;
        }
        if (c->pos >= c->len || c->s[c->pos] != ',')
            return jc_unexpected(c, "',' or ']'");
        c->pos++;
        jc_skip_ws(c);
        if (c->pos < c->len && c->s[c->pos] == ']')
            return jc_fail(c, c->pos,
                           "unexpected ']' after ',' (trailing commas are "
                           "not allowed)");
    }
}

static bool
jc_value(struct jc *c, int depth)
{
    unsigned char ch;

    jc_skip_ws(c);
    if (c->pos >= c->len)
        return jc_unexpected(c, "a value");
    ch = c->s[c->pos];
    if (ch == '{' || ch == '[') {
        if (depth >= JSON_CHECK_MAX_DEPTH)
            return jc_fail(c, c->pos, "nested more than %d levels deep",
                           JSON_CHECK_MAX_DEPTH);
        return ch == '{' ? jc_object(c, depth + 1) : jc_array(c, depth + 1);
    }
    if (ch == '"')
        return jc_string(c);
    if (ch == '-' || is_digit(ch))
        return jc_number(c);
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
        return jc_word(c);
    return jc_unexpected(c, "a value");
}

bool
json_check(const char *text, size_t len, size_t *err_off, char *msg,
           size_t msgsize)
{
    struct jc c = {(const unsigned char *)text, len, 0, err_off, msg, msgsize};
    char buf[16];

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        c.pos = 3;
    if (!jc_value(&c, 0))
        return false;
    jc_skip_ws(&c);
    if (c.pos < len) {
        if (c.s[c.pos] == '/')
            return jc_fail(&c, c.pos, "comments are not allowed in JSON");
        return jc_fail(&c, c.pos,
                       "unexpected %s after the end of the JSON "
                       "text",
                       jc_what(&c, c.pos, buf, sizeof buf));
    }
    return true;
}

/* Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid. */
static size_t
utf8_valid(const unsigned char *s, size_t len, size_t i)
{
    unsigned char b = s[i];
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;

    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        n = 2;
    else if (b >= 0xe0 && b <= 0xef)
        n = 3;
    else if (b >= 0xf0 && b <= 0xf4)
        n = 4;
    else
        return 0;
    if (b == 0xe0)
        lo = 0xa0; /* overlong */
    else if (b == 0xed)
        hi = 0x9f; /* surrogates */
    else if (b == 0xf0)
        lo = 0x90; /* overlong */
    else if (b == 0xf4)
        hi = 0x8f; /* above U+10FFFF */
    if (i + n > len)
        return 0;
    if (s[i + 1] < lo || s[i + 1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xbf)
            return 0;
    return n;
}

bool
json_check_bytes(const char *text, size_t len, size_t *err_off, char *msg,
                 size_t msgsize)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;

    while (i < len) {
        size_t n;

        if (s[i] == '\0') {
            *err_off = i;
            snprintf(msg, msgsize,
                     "NUL byte in the file (a scenario is UTF-8 text)");
            return false;
        }
        n = utf8_valid(s, len, i);
        if (n == 0) {
            *err_off = i;
            snprintf(msg, msgsize, "invalid UTF-8 (byte 0x%02X)",
                     (unsigned)s[i]);
            return false;
        }
        i += n;
    }
    return true;
}
