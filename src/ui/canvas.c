/* The cell grid every view draws into; see canvas.h. */
#include "ui/canvas.h"

#include "base/xalloc.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void
canvas_init(struct canvas *c, int w, int h, bool ascii)
{
    c->w = w > 0 ? w : 0;
    c->h = h > 0 ? h : 0;
    c->ascii = ascii;
    c->cells = xcalloc((size_t)c->w * (size_t)c->h, sizeof *c->cells);
    canvas_clear(c);
}

void
canvas_free(struct canvas *c)
{
    free(c->cells);
    c->cells = NULL;
    c->w = c->h = 0;
}

void
canvas_clear(struct canvas *c)
{
    size_t n = (size_t)c->w * (size_t)c->h;
    for (size_t i = 0; i < n; i++)
        c->cells[i] = (struct canvas_cell){' ', 1, ROLE_TEXT, 0};
}

struct canvas_cell *
canvas_cell(struct canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return NULL;
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

const struct canvas_cell *
canvas_cell_const(const struct canvas *c, int x, int y)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return NULL;
    return &c->cells[(size_t)y * (size_t)c->w + (size_t)x];
}

/* Ranges of East Asian Wide and Fullwidth characters (Unicode 15). */
static const uint32_t wide_ranges[][2] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},
    {0x23E9, 0x23EC},   {0x23F0, 0x23F0},   {0x23F3, 0x23F3},
    {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},
    {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
    {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},
    {0x26F2, 0x26F3},   {0x26F5, 0x26F5},   {0x26FA, 0x26FA},
    {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},
    {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
    {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},
    {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Combining marks and other characters that take no column. */
static const uint32_t zero_ranges[][2] = {
    {0x0300, 0x036F}, {0x200B, 0x200F}, {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
};

static bool
canvas_in_ranges(uint32_t ch, const uint32_t (*r)[2], size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ch < r[mid][0])
            hi = mid;
        else if (ch > r[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

int
canvas_char_width(uint32_t ch)
{
    if (ch < 0x300)
        return 1;
    if (canvas_in_ranges(ch, zero_ranges,
                         sizeof zero_ranges / sizeof zero_ranges[0]))
        return 0;
    if (canvas_in_ranges(ch, wide_ranges,
                         sizeof wide_ranges / sizeof wide_ranges[0]))
        return 2;
    return 1;
}

uint32_t
canvas_utf8_next(const char **sp)
{
    const unsigned char *s = (const unsigned char *)*sp;
    uint32_t ch;
    int n;

    if (s[0] < 0x80) {
        *sp += s[0] ? 1 : 0;
        return s[0];
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        ch = s[0] & 0x1F;
        n = 1;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        ch = s[0] & 0x0F;
        n = 2;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        ch = s[0] & 0x07;
        n = 3;
    } else {
        *sp += 1;
        return 0xFFFD;
    }
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *sp += i;
            return 0xFFFD;
        }
        ch = (ch << 6) | (s[i] & 0x3F);
    }
    *sp += n + 1;
    /* Overlong forms, surrogates and values past U+10FFFF. */
    if ((n == 2 && ch < 0x800) || (n == 3 && ch < 0x10000) ||
        (ch >= 0xD800 && ch <= 0xDFFF) || ch > 0x10FFFF)
        return 0xFFFD;
    return ch;
}

void
canvas_utf8_trim(char *s)
{
    size_t len = strlen(s), i = len, need;
    unsigned char b;

    /* Back to the lead byte of the last character (at most 3 back). */
    while (i > 0 && len - i < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    b = (unsigned char)s[i - 1];
    need = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    if (len - (i - 1) < need)
        s[i - 1] = '\0';
}

int
canvas_utf8_put(uint32_t ch, char *out)
{
    if (ch < 0x80) {
        out[0] = (char)ch;
        return 1;
    }
    if (ch < 0x800) {
        out[0] = (char)(0xC0 | (ch >> 6));
        out[1] = (char)(0x80 | (ch & 0x3F));
        return 2;
    }
    if (ch < 0x10000) {
        out[0] = (char)(0xE0 | (ch >> 12));
        out[1] = (char)(0x80 | ((ch >> 6) & 0x3F));
        out[2] = (char)(0x80 | (ch & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (ch >> 18));
    out[1] = (char)(0x80 | ((ch >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((ch >> 6) & 0x3F));
    out[3] = (char)(0x80 | (ch & 0x3F));
    return 4;
}

int
canvas_str_width(const char *s)
{
    int w = 0;
    while (*s)
        w += canvas_char_width(canvas_utf8_next(&s));
    return w;
}

/* The drawing characters the views use, and what stands in for them. */
static const uint32_t ascii_map[][2] = {
    {0x00B7, '.'},  /* · */
    {0x00D7, 'x'},  /* × */
    {0x2014, '-'},  /* — */
    {0x2026, '.'},  /* … */
    {0x2190, '<'},  /* ← */
    {0x2191, '^'},  /* ↑ */
    {0x2192, '>'},  /* → */
    {0x2193, 'v'},  /* ↓ */
    {0x21BB, '@'},  /* ↻ */
    {0x2212, '-'},  /* − */
    {0x22EE, ':'},  /* ⋮ */
    {0x22EF, '.'},  /* ⋯ */
    {0x2500, '-'},  /* ─ */
    {0x2501, '='},  /* ━ */
    {0x2502, '|'},  /* │ */
    {0x2503, '|'},  /* ┃ */
    {0x2504, '-'},  /* ┄ */
    {0x2506, ':'},  /* ┆ */
    {0x250C, '+'},  /* ┌ */
    {0x2510, '+'},  /* ┐ */
    {0x2514, '+'},  /* └ */
    {0x2518, '+'},  /* ┘ */
    {0x251C, '+'},  /* ├ */
    {0x2524, '+'},  /* ┤ */
    {0x252C, '+'},  /* ┬ */
    {0x2534, '+'},  /* ┴ */
    {0x253C, '+'},  /* ┼ */
    {0x2550, '='},  /* ═ */
    {0x256D, '.'},  /* ╭ */
    {0x256E, '.'},  /* ╮ */
    {0x256F, '\''}, /* ╯ */
    {0x2570, '`'},  /* ╰ */
    {0x2571, '/'},  /* ╱ */
    {0x2572, '\\'}, /* ╲ */
    {0x2581, '_'},  /* ▁ a bar an eighth high, to ▇ seven eighths */
    {0x2582, '_'},  /* ▂ */
    {0x2583, '.'},  /* ▃ */
    {0x2584, '-'},  /* ▄ */
    {0x2585, '-'},  /* ▅ */
    {0x2586, '='},  /* ▆ */
    {0x2587, '='},  /* ▇ */
    {0x2588, '#'},  /* █ */
    {0x258F, '_'},  /* ▏ */
    {0x2591, '.'},  /* ░ */
    {0x25B2, '^'},  /* ▲ */
    {0x25B6, '>'},  /* ▶ */
    {0x25B8, '>'},  /* ▸ */
    {0x25BC, 'v'},  /* ▼ */
    {0x25C0, '<'},  /* ◀ */
    {0x25C2, '<'},  /* ◂ */
    {0x25CB, 'o'},  /* ○ */
    {0x25CF, 'o'},  /* ● */
    {0x2713, 'v'},  /* ✓ */
    {0x2717, 'X'},  /* ✗ */
    {0x275A, '|'},  /* ❚ */
};

uint32_t
canvas_ascii(uint32_t ch)
{
    size_t lo = 0, hi = sizeof ascii_map / sizeof ascii_map[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ch < ascii_map[mid][0])
            hi = mid;
        else if (ch > ascii_map[mid][0])
            lo = mid + 1;
        else
            return ascii_map[mid][1];
    }
    return ch;
}

/* Blank the other half of a wide character that (x, y) belongs to. */
static void
canvas_unsplit(struct canvas *c, int x, int y)
{
    struct canvas_cell *cell = canvas_cell(c, x, y), *other;
    if (!cell)
        return;
    if (cell->width == 0 && (other = canvas_cell(c, x - 1, y)) != NULL)
        *other = (struct canvas_cell){' ', 1, other->role, other->attr};
    else if (cell->width == 2 && (other = canvas_cell(c, x + 1, y)) != NULL)
        *other = (struct canvas_cell){' ', 1, other->role, other->attr};
}

/* What is really drawn for ch on this canvas. */
static uint32_t
canvas_glyph(const struct canvas *c, uint32_t ch)
{
    if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0))
        return ' ';
    if (c->ascii) {
        ch = canvas_ascii(ch);
        if (ch >= 0x80)
            ch = '?';
    }
    return ch;
}

int
canvas_put(struct canvas *c, int x, int y, uint32_t ch, int role, int attr)
{
    int w;

    ch = canvas_glyph(c, ch);
    w = canvas_char_width(ch);
    if (w == 0 || x < 0 || y < 0 || y >= c->h || x + w > c->w)
        return 0;
    canvas_unsplit(c, x, y);
    if (w == 2)
        canvas_unsplit(c, x + 1, y);
    c->cells[(size_t)y * (size_t)c->w + (size_t)x] =
        (struct canvas_cell){ch, (uint8_t)w, (uint8_t)role, (uint8_t)attr};
    if (w == 2)
        c->cells[(size_t)y * (size_t)c->w + (size_t)x + 1] =
            (struct canvas_cell){0, 0, (uint8_t)role, (uint8_t)attr};
    return w;
}

/* canvas_text on at most len bytes of s. */
static int
canvas_text_len(struct canvas *c, int x, int y, int maxw, const char *s,
                size_t len, int role, int attr)
{
    const char *end = s + len;
    int used = 0;

    while (s < end && *s && used < maxw) {
        const char *q = s;
        uint32_t ch = canvas_glyph(c, canvas_utf8_next(&q));
        int w = canvas_char_width(ch);
        /* A character cut by len is not drawn. */
        if (q > end)
            break;
        s = q;
        if (w == 0)
            continue;
        if (used + w > maxw || x + used + w > c->w)
            break;
        canvas_put(c, x + used, y, ch, role, attr);
        used += w;
    }
    return used;
}

int
canvas_text(struct canvas *c, int x, int y, int maxw, const char *s, int role,
            int attr)
{
    if (!s)
        return 0;
    return canvas_text_len(c, x, y, maxw, s, strlen(s), role, attr);
}

int
canvas_printf(struct canvas *c, int x, int y, int maxw, int role, int attr,
              const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    canvas_utf8_trim(buf);
    return canvas_text(c, x, y, maxw, buf, role, attr);
}

/* Closing punctuation, which a line must not start with. */
static bool
canvas_no_start(uint32_t ch)
{
    static const uint32_t set[] = {
        '!',    ')',    ',',    '.',    ':',    ';',    '?',    ']',
        0x2026, 0x3001, 0x3002, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011,
        0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F,
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == ch)
            return true;
    return false;
}

/* Opening punctuation, which a line must not end with. */
static bool
canvas_no_end(uint32_t ch)
{
    static const uint32_t set[] = {'(',    '[',    0x3008, 0x300A,
                                   0x300C, 0x300E, 0x3010, 0xFF08};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == ch)
            return true;
    return false;
}

/*
 * The next line of s at width w: returns the bytes it takes from s in *len
 * and where the line after it starts. Breaks after the last space that
 * fits, or next to a wide character (but not before closing punctuation
 * such as a full stop "。" nor after opening punctuation such as "（"), or
 * mid-word if nothing else fits. Never inside a character.
 */
static const char *
canvas_wrap_line(const char *s, int w, size_t *len)
{
    const char *p = s, *brk = NULL, *brk_next = NULL, *mid = NULL;
    uint32_t prev = ' ';
    int used = 0, prevw = 1;

    while (*p && *p != '\n') {
        const char *q = p;
        uint32_t ch = canvas_utf8_next(&q);
        int cw = canvas_char_width(ch);
        bool may = p != s && !canvas_no_start(ch) && !canvas_no_end(prev);
        if (ch == ' ') {
            brk = p;
            brk_next = q;
        } else if (may && prev != ' ' && (cw == 2 || prevw == 2)) {
            brk = p;
            brk_next = p;
        }
        if (used + cw > w && ch != ' ') {
            if (brk && brk != s) {
                *len = (size_t)(brk - s);
                return brk_next;
            }
            /* Mid-word: before this character if a line may end here,
             * else at the last place one may. */
            if (!may && mid)
                p = mid;
            *len = (size_t)(p - s);
            return p == s ? q : p;
        }
        if (may && cw > 0)
            mid = p;
        used += cw;
        if (cw > 0) {
            prev = ch;
            prevw = cw;
        }
        p = q;
    }
    *len = (size_t)(p - s);
    return *p == '\n' ? p + 1 : p;
}

int
canvas_wrap(struct canvas *c, int x, int y, int w, int h, const char *s,
            int role, int attr)
{
    int rows = 0;

    if (!s || w <= 0)
        return 0;
    while (*s && (h <= 0 || rows < h)) {
        size_t len;
        const char *next = canvas_wrap_line(s, w, &len);
        if (c && h > 0)
            canvas_text_len(c, x, y + rows, w, s, len, role, attr);
        rows++;
        s = next;
        /* Spaces that open a wrapped line are dropped. */
        while (*s == ' ')
            s++;
    }
    return rows;
}

void
canvas_fill(struct canvas *c, int x, int y, int w, int h, uint32_t ch, int role,
            int attr)
{
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w;) {
            int n = canvas_put(c, x + i, y + j, ch, role, attr);
            i += n ? n : 1;
        }
}

void
canvas_hline(struct canvas *c, int x, int y, int w, uint32_t ch, int role,
             int attr)
{
    canvas_fill(c, x, y, w, 1, ch, role, attr);
}

void
canvas_vline(struct canvas *c, int x, int y, int h, uint32_t ch, int role,
             int attr)
{
    canvas_fill(c, x, y, 1, h, ch, role, attr);
}

void
canvas_box(struct canvas *c, int x, int y, int w, int h, int role,
           const char *title, int title_role)
{
    if (w < 2 || h < 2)
        return;
    canvas_hline(c, x + 1, y, w - 2, 0x2500, role, 0);
    canvas_hline(c, x + 1, y + h - 1, w - 2, 0x2500, role, 0);
    canvas_vline(c, x, y + 1, h - 2, 0x2502, role, 0);
    canvas_vline(c, x + w - 1, y + 1, h - 2, 0x2502, role, 0);
    canvas_put(c, x, y, 0x256D, role, 0);
    canvas_put(c, x + w - 1, y, 0x256E, role, 0);
    canvas_put(c, x, y + h - 1, 0x2570, role, 0);
    canvas_put(c, x + w - 1, y + h - 1, 0x256F, role, 0);
    if (title && *title && w > 6) {
        int n = canvas_text(c, x + 2, y, w - 6, " ", role, 0);
        n += canvas_text(c, x + 2 + n, y, w - 5 - n, title, title_role,
                         CANVAS_BOLD);
        canvas_text(c, x + 2 + n, y, 1, " ", role, 0);
    }
}

int
canvas_write_text(const struct canvas *c, FILE *out)
{
    char *line = xmalloc((size_t)c->w * 4 + 2);
    for (int y = 0; y < c->h; y++) {
        size_t n = 0, keep = 0;
        for (int x = 0; x < c->w; x++) {
            const struct canvas_cell *cell = canvas_cell_const(c, x, y);
            if (cell->width == 0)
                continue;
            n += (size_t)canvas_utf8_put(cell->ch, line + n);
            if (cell->ch != ' ')
                keep = n;
        }
        line[keep] = '\n';
        if (fwrite(line, 1, keep + 1, out) != keep + 1) {
            free(line);
            return -1;
        }
    }
    free(line);
    return ferror(out) ? -1 : 0;
}
