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

int
main(void)
{
    test_utf8();
    test_width();
    test_put_and_clip();
    test_wide();
    test_ascii();
    test_wrap();
    return done_testing();
}
