/*
 * Walk a path of keys and indices through a JSON text and return byte
 * offsets, so that an error about a cJSON node can name its line and column.
 *
 * The text has passed json_check(), so the scanner can be simple: it only
 * needs to skip strings (with their escapes) and nested containers
 * correctly. Each call costs one pass over the text before the value, which
 * is nothing next to reading the file, and only happens on an error.
 */
#include "json_locate.h"

#include <string.h>

static size_t
skip_ws(const char *s, size_t len, size_t i)
{
    while (i < len &&
           (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* i is at an opening quote; returns the offset just past the closing one. */
static size_t
skip_string(const char *s, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
    }
    return len;
}

/* Returns the offset just past the value that starts at i. */
static size_t
skip_value(const char *s, size_t len, size_t i)
{
    int depth = 0;

    if (i >= len)
        return len;
    if (s[i] == '"')
        return skip_string(s, len, i);
    if (s[i] != '{' && s[i] != '[') {
        while (i < len && !strchr(",}] \t\r\n", s[i]))
            i++;
        return i;
    }
    while (i < len) {
        char ch = s[i];
        if (ch == '"') {
            i = skip_string(s, len, i);
            continue;
        }
        if (ch == '{' || ch == '[')
            depth++;
        else if ((ch == '}' || ch == ']') && --depth == 0)
            return i + 1;
        i++;
    }
    return len;
}

static int
hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return 0;
}

static unsigned long
hex4(const char *s)
{
    return (unsigned long)(hexval(s[0]) << 12 | hexval(s[1]) << 8 |
                           hexval(s[2]) << 4 | hexval(s[3]));
}

/* Encode cp as UTF-8 into out (4 bytes); returns the length. */
static size_t
utf8_encode(unsigned long cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/*
 * Does the JSON string at s[i] (opening quote), once its escapes are
 * decoded, equal key? Decodes piecewise, so keys of any length work.
 */
static bool
string_equals(const char *s, size_t len, size_t i, const char *key)
{
    size_t k = 0;

    for (i++; i < len && s[i] != '"';) {
        char buf[4];
        size_t n = 1;

        if (s[i] != '\\') {
            buf[0] = s[i++];
        } else {
            char e = i + 1 < len ? s[i + 1] : '\0';
            i += 2;
            switch (e) {
            case 'b': buf[0] = '\b'; break;
            case 'f': buf[0] = '\f'; break;
            case 'n': buf[0] = '\n'; break;
            case 'r': buf[0] = '\r'; break;
            case 't': buf[0] = '\t'; break;
            case 'u': {
                unsigned long cp = i + 4 <= len ? hex4(s + i) : 0;
                i += 4;
                if (cp >= 0xd800 && cp <= 0xdbff && i + 6 <= len) {
                    unsigned long lo = hex4(s + i + 2);
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    i += 6;
                }
                n = utf8_encode(cp, buf);
                break;
            }
            default: buf[0] = e; break;
            }
        }
        for (size_t j = 0; j < n; j++, k++)
            if (key[k] == '\0' || key[k] != buf[j])
                return false;
    }
    return key[k] == '\0';
}

bool
json_locate(const char *text, size_t len, const struct json_path_seg *path,
            size_t depth, size_t *value_off, size_t *key_off)
{
    size_t pos = 0, kpos;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        pos = 3;
    pos = skip_ws(text, len, pos);
    kpos = pos;
    for (size_t d = 0; d < depth; d++) {
        const struct json_path_seg *seg = &path[d];
        size_t seen = 0;
        bool found = false;

        if (pos >= len || (text[pos] != '{' && text[pos] != '['))
            return false;
        if (text[pos] == '[') {
            if (seg->key)
                return false;
            pos = skip_ws(text, len, pos + 1);
            for (size_t n = 0; pos < len && text[pos] != ']'; n++) {
                if (n == seg->index) {
                    kpos = pos;
                    found = true;
                    break;
                }
                pos = skip_ws(text, len, skip_value(text, len, pos));
                if (pos < len && text[pos] == ',')
                    pos = skip_ws(text, len, pos + 1);
            }
        } else {
            pos = skip_ws(text, len, pos + 1);
            for (size_t n = 0; pos < len && text[pos] == '"'; n++) {
                size_t k = pos;
                bool match;

                pos = skip_ws(text, len, skip_string(text, len, pos));
                if (pos < len && text[pos] == ':')
                    pos = skip_ws(text, len, pos + 1);
                if (seg->key)
                    match = string_equals(text, len, k, seg->key) &&
                            seen++ == seg->index;
                else
                    match = n == seg->index;
                if (match) {
                    kpos = k;
                    found = true;
                    break;
                }
                pos = skip_ws(text, len, skip_value(text, len, pos));
                if (pos < len && text[pos] == ',')
                    pos = skip_ws(text, len, pos + 1);
            }
        }
        if (!found)
            return false;
    }
    if (pos >= len)
        return false;
    *value_off = pos;
    if (key_off)
        *key_off = kpos;
    return true;
}

void
json_locate_linecol(const char *text, size_t len, size_t off, size_t *line,
                    size_t *col)
{
    size_t ln = 1, c = 1, i = 0;

    if (off > len)
        off = len;
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = off < 3 ? off : 3;
    for (; i < off; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            ln++;
            c = 1;
        } else if ((ch & 0xc0) != 0x80) {
            c++;
        }
    }
    *line = ln;
    *col = c;
}
