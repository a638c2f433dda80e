/* The canvas: UTF-8, wide characters, clipping, wrapping, text output. */
#include "ui/canvas.h"

#include "tap.h"

/* The canvas as text, rows joined by '\n' (trailing blanks cut). */
static char *
canvas_str(const struct canvas *c)
{
    static char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    canvas_write_text(c, f);
    fclose(f);
    return buf;
}

static void
test_utf8(void)
{
    const char *s = "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\xff";
    is_int(canvas_utf8_next(&s), 'a', "ascii");
    is_int(canvas_utf8_next(&s), 0xE9, "two bytes");
    is_int(canvas_utf8_next(&s), 0x4E2D, "three bytes");
    is_int(canvas_utf8_next(&s), 0x1F600, "four bytes");
    is_int(canvas_utf8_next(&s), 0xFFFD, "invalid byte");
    is_int(*s, '\0', "at the end");
    s = "\xc0\xaf";
    is_int(canvas_utf8_next(&s), 0xFFFD, "overlong");
    s = "\xe4\xb8";
    is_int(canvas_utf8_next(&s), 0xFFFD, "truncated");
    is_int(*s, '\0', "truncated sequence consumed");

    char out[4];
    is_int(canvas_utf8_put(0x4E2D, out), 3, "encode CJK");
    ok(memcmp(out, "\xe4\xb8\xad", 3) == 0, "encoded bytes");
}

static void
test_width(void)
{
    is_int(canvas_char_width('x'), 1, "ascii is narrow");
    is_int(canvas_char_width(0x4E2D), 2, "CJK is wide");
    is_int(canvas_char_width(0xFF21), 2, "fullwidth A is wide");
    is_int(canvas_char_width(0x2500), 1, "box drawing is narrow");
    is_int(canvas_char_width(0x0301), 0, "combining is zero");
    is_int(canvas_str_width("TIME-WAIT"), 9, "string width");
    is_int(canvas_str_width("\xe7\xad\x89\xe5\xbe\x85 2MSL"), 9, "mixed width");
}

static void
test_put_and_clip(void)
{
    struct canvas c;
    canvas_init(&c, 6, 2, false);
    is_int(canvas_text(&c, 0, 0, 99, "abcdefgh", ROLE_TEXT, 0), 6,
           "text clipped at the right edge");
    is_str(canvas_str(&c), "abcdef\n\n", "clipped text");
    canvas_clear(&c);
    is_int(canvas_text(&c, -2, 1, 99, "abcd", ROLE_TEXT, 0), 4,
           "text starting left of the canvas");
    is_str(canvas_str(&c), "\ncd\n", "left clip");
    canvas_clear(&c);
    is_int(canvas_text(&c, 0, 0, 3, "abcdef", ROLE_TEXT, 0), 3, "maxw");
    is_int(canvas_put(&c, 6, 0, 'x', ROLE_TEXT, 0), 0, "put outside");
    is_int(canvas_put(&c, 0, 2, 'x', ROLE_TEXT, 0), 0, "put below");
    ok(canvas_cell(&c, 6, 0) == NULL, "no cell outside");
    canvas_free(&c);
}

static void
test_wide(void)
{
    struct canvas c;
    canvas_init(&c, 5, 1, false);

    /* "中文" then one more: 2 + 2 + 2 > 5, the third is not drawn. */
    is_int(canvas_text(&c, 0, 0, 99, "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97",
                       ROLE_TEXT, 0),
           4, "wide chars that fit");
    is_int(canvas_cell(&c, 1, 0)->width, 0, "continuation cell");
    is_int(canvas_cell(&c, 4, 0)->ch, ' ', "no half character at the edge");
    is_str(canvas_str(&c), "\xe4\xb8\xad\xe6\x96\x87\n", "as text");

    /* A wide char needs two columns of maxw too. */
    canvas_clear(&c);
    is_int(canvas_text(&c, 0, 0, 3, "a\xe4\xb8\xad\xe6\x96\x87", ROLE_TEXT, 0),
           3, "maxw 3: a + one wide");
    is_int(canvas_text(&c, 0, 0, 2, "a\xe4\xb8\xad", ROLE_TEXT, 0), 1,
           "maxw 2: the wide char does not fit after a");

    /* Overwriting half of a wide char blanks the other half. */
    canvas_clear(&c);
    canvas_text(&c, 0, 0, 99, "\xe4\xb8\xad\xe6\x96\x87", ROLE_TEXT, 0);
    canvas_put(&c, 1, 0, 'x', ROLE_TEXT, 0);
    is_str(canvas_str(&c), " x\xe6\x96\x87\n", "right half overwritten");
    canvas_put(&c, 2, 0, 'y', ROLE_TEXT, 0);
    is_str(canvas_str(&c), " xy\n", "left half overwritten");
    canvas_put(&c, 1, 0, 0x4E2D, ROLE_TEXT, 0);
    is_str(canvas_str(&c), " \xe4\xb8\xad\n", "wide over two narrow");
    is_int(canvas_cell(&c, 0, 0)->width, 1, "left neighbour intact");

    /* Filling with a wide char never leaves a half at the edge. */
    canvas_clear(&c);
    canvas_fill(&c, 0, 0, 5, 1, 0x4E2D, ROLE_TEXT, 0);
    is_int(canvas_cell(&c, 4, 0)->ch, ' ', "fill stops before the edge");
    canvas_free(&c);
}

static void
test_ascii(void)
{
    struct canvas c;
    canvas_init(&c, 8, 3, true);
    canvas_box(&c, 0, 0, 8, 3, ROLE_BORDER, NULL, 0);
    canvas_text(&c, 1, 1, 6, "\xe2\x96\xb6\xe2\x9c\x97\xe4\xb8\xad", ROLE_TEXT,
                0);
    is_str(canvas_str(&c), ".------.\n|>X?   |\n`------'\n",
           "ascii mode maps drawing characters");
    canvas_free(&c);
}

static void
test_wrap(void)
{
    struct canvas c;
    canvas_init(&c, 10, 4, false);
    is_int(
        canvas_wrap(&c, 0, 0, 10, 4, "the server sends its FIN", ROLE_TEXT, 0),
        3, "three lines");
    is_str(canvas_str(&c), "the server\nsends its\nFIN\n\n", "word wrap");
    is_int(canvas_wrap(NULL, 0, 0, 10, 0, "the server sends its FIN", ROLE_TEXT,
                       0),
           3, "measure only");
    canvas_clear(&c);
    canvas_wrap(&c, 0, 0, 5, 4, "abcdefghijkl", ROLE_TEXT, 0);
    is_str(canvas_str(&c), "abcde\nfghij\nkl\n\n", "long word split");
    canvas_clear(&c);
    /* 服务器发送 FIN: wide characters wrap between themselves. */
    canvas_wrap(&c, 0, 0, 5, 4,
                "\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8\xe5\x8f\x91 FIN",
                ROLE_TEXT, 0);
    is_str(canvas_str(&c),
           "\xe6\x9c\x8d\xe5\x8a\xa1\n\xe5\x99\xa8\xe5\x8f\x91\nFIN\n\n",
           "CJK wraps between characters");
    canvas_clear(&c);
    is_int(canvas_wrap(&c, 0, 0, 10, 2, "one\ntwo\nthree", ROLE_TEXT, 0), 2,
           "height limit");
    is_str(canvas_str(&c), "one\ntwo\n\n\n", "newlines");
    canvas_free(&c);
}

/* Every wide character whole, nothing undecodable: the canvas is sound. */
static bool
canvas_sound(const struct canvas *c)
{
    for (int y = 0; y < c->h; y++)
        for (int x = 0; x < c->w; x++) {
            const struct canvas_cell *cell = canvas_cell_const(c, x, y);
            const struct canvas_cell *next = canvas_cell_const(c, x + 1, y);
            if (cell->ch == 0xFFFD)
                return false;
            if (cell->width == 2 && (!next || next->width != 0))
                return false;
            if (cell->width == 0 &&
                (x == 0 || canvas_cell_const(c, x - 1, y)->width != 2))
                return false;
        }
    return true;
}

/* The characters of s, spaces left out, as code points. */
static size_t
no_spaces(const char *s, uint32_t *out, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        uint32_t ch = canvas_utf8_next(&s);
        if (ch != ' ' && ch != '\n')
            out[n++] = ch;
    }
    return n;
}

static const char narration_zh[] =
    "客户端发送 FIN seq=101 ack=201：它没有更多数据要发送了。服务器收到后进入"
    "CLOSE-WAIT（等待本方应用关闭），并立即回复 ACK。";

static void
test_wrap_chinese(void)
{
    uint32_t want[256], got[256];
    size_t nwant = no_spaces(narration_zh, want, 256);
    bool sound = true, widths = true, same = true, punct = true;

    /* Every width from 2 to 40: rows fit, no half characters, nothing lost
     * or added, and no row starts with a closing mark. */
    for (int w = 2; w <= 40; w++) {
        struct canvas c;
        char *txt;
        size_t ngot;
        int rows = canvas_wrap(NULL, 0, 0, w, 0, narration_zh, ROLE_TEXT, 0);
        canvas_init(&c, w + 2, rows, false);
        is_int(canvas_wrap(&c, 0, 0, w, rows, narration_zh, ROLE_TEXT, 0), rows,
               "width %d: drawn in the rows it measured", w);
        sound &= canvas_sound(&c);
        for (int y = 0; y < rows; y++) {
            const struct canvas_cell *first = canvas_cell_const(&c, 0, y);
            widths &= canvas_cell_const(&c, w, y)->ch == ' ';
            if (w >= 6)
                punct &= first->ch != 0xFF0C && first->ch != 0x3002 &&
                         first->ch != 0xFF1A && first->ch != 0xFF09;
        }
        txt = canvas_str(&c);
        ngot = no_spaces(txt, got, 256);
        same &= ngot == nwant && memcmp(got, want, nwant * sizeof *got) == 0;
        canvas_free(&c);
    }
    ok(sound, "Chinese wrapped at every width: no half characters");
    ok(widths, "no row is wider than the box");
    ok(same, "every character is drawn once, in order");
    ok(punct, "no row starts with a comma, full stop, colon or bracket");

    /* An opening bracket stays with what follows it. */
    struct canvas c;
    canvas_init(&c, 8, 3, false);
    canvas_wrap(&c, 0, 0, 8, 3, "等待对方（FIN）", ROLE_TEXT, 0);
    is_str(canvas_str(&c), "等待对方\n（FIN）\n\n",
           "bracket opens the next row");
    canvas_free(&c);

    /* A 1000-column row holds 500 wide characters: far more than any
     * fixed line buffer, and none of them is cut. */
    char *big = malloc(3 * 700 + 1);
    for (int i = 0; i < 700; i++)
        memcpy(big + 3 * i, "\xe4\xb8\xad", 3);
    big[3 * 700] = '\0';
    canvas_init(&c, 1000, 2, false);
    is_int(canvas_wrap(&c, 0, 0, 1000, 2, big, ROLE_TEXT, 0), 2,
           "700 wide characters take two rows of 1000");
    ok(canvas_sound(&c), "wide rows: no half characters");
    is_int(canvas_cell(&c, 998, 0)->ch, 0x4E2D, "row 1 is full");
    is_int(canvas_cell(&c, 398, 1)->ch, 0x4E2D, "row 2 has the other 200");
    is_int(canvas_cell(&c, 400, 1)->ch, ' ', "and no more");
    canvas_free(&c);
    free(big);
}

static void
test_truncate_chinese(void)
{
    char buf[8];
    struct canvas c;
    bool sound = true, right = true;

    /* A buffer cut "中文" after 4 bytes: the half character goes. */
    memcpy(buf, "中文", 4);
    buf[4] = '\0';
    canvas_utf8_trim(buf);
    is_str(buf, "中", "trim an incomplete character");
    snprintf(buf, sizeof buf, "%s", "a中");
    canvas_utf8_trim(buf);
    is_str(buf, "a中", "a complete string is left alone");
    memcpy(buf, "中", 1);
    buf[1] = '\0';
    canvas_utf8_trim(buf);
    is_str(buf, "", "one byte of a wide character");

    /* Text clipped at every width, and boxes with Chinese titles at every
     * width: whole characters, and the right border in its column. */
    for (int w = 1; w <= 24; w++) {
        canvas_init(&c, w, 4, false);
        int used =
            canvas_text(&c, 0, 0, w, "服务器：LAST-ACK 等待", ROLE_TEXT, 0);
        right &= used <= w && used >= (w < 21 ? w : 21) - 1;
        canvas_text(&c, 1, 1, w, "客户端发送 FIN", ROLE_TEXT, 0);
        sound &= canvas_sound(&c);
        canvas_free(&c);
    }
    ok(sound, "clipped Chinese text: no half characters at any width");
    ok(right, "clipped Chinese text fills all but at most one column");

    sound = right = true;
    for (int w = 7; w <= 30; w++) {
        canvas_init(&c, w, 3, false);
        canvas_box(&c, 0, 0, w, 3, ROLE_BORDER, "RFC 9293 状态图", ROLE_TITLE);
        sound &= canvas_sound(&c);
        right &= canvas_cell(&c, w - 1, 0)->ch == 0x256E &&
                 canvas_cell(&c, w - 1, 1)->ch == 0x2502;
        canvas_free(&c);
    }
    ok(sound, "boxes with Chinese titles: no half characters");
    ok(right, "the right border stays in its column");
}

int
main(void)
{
    test_utf8();
    test_width();
    test_put_and_clip();
    test_wide();
    test_ascii();
    test_wrap();
    test_wrap_chinese();
    test_truncate_chinese();
    return done_testing();
}
