/*
 * A canvas is the screen as data: a grid of cells, each holding one
 * character, a colour role and attributes. Every view draws into a canvas
 * with pure functions; tui.c copies it to the terminal and ui_render prints
 * it as text. Nothing here depends on the locale: UTF-8 is decoded and
 * character widths are computed by this module, so a frame renders the same
 * everywhere (which the golden tests rely on).
 *
 * Wide characters (CJK) take two cells: the first holds the character with
 * width 2, the second is a continuation with width 0. Writing over either
 * half of a wide character blanks the other half, and a wide character that
 * does not fit before a clip edge is not drawn, so one is never cut in half.
 */
#ifndef SYNFIN_UI_CANVAS_H
#define SYNFIN_UI_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What a cell shows, not how: tui.c maps roles to colours or attributes. */
enum canvas_role {
    ROLE_TEXT,
    ROLE_DIM,   /* secondary text, lifelines, grid */
    ROLE_TITLE, /* header and pane titles */
    ROLE_BORDER,
    ROLE_CLIENT, /* the client's name and lifeline */
    ROLE_SERVER,
    ROLE_NET,        /* routers and ICMP */
    ROLE_ST_CLOSED,  /* CLOSED */
    ROLE_ST_OPENING, /* LISTEN, SYN-SENT, SYN-RECEIVED */
    ROLE_ST_EST,     /* ESTABLISHED */
    ROLE_ST_ACTIVE,  /* FIN-WAIT-1, FIN-WAIT-2, CLOSING: closed first */
    ROLE_ST_PASSIVE, /* CLOSE-WAIT, LAST-ACK: closed second */
    ROLE_ST_TW,      /* TIME-WAIT */
    ROLE_SEG,        /* ACK and data */
    ROLE_SEG_SYN,
    ROLE_SEG_FIN,
    ROLE_SEG_RST,
    ROLE_DROP, /* lost packets and their cause */
    ROLE_RETX, /* retransmissions and duplicates */
    ROLE_TIMER,
    ROLE_KEY,    /* key names in the key bar and help */
    ROLE_EDITED, /* the run has what-if edits */
    ROLE_CURSOR, /* the current step, the selection */
    ROLE__COUNT
};

enum {
    CANVAS_BOLD = 0x01,
    CANVAS_REVERSE = 0x02,
    CANVAS_UNDERLINE = 0x04,
};

struct canvas_cell {
    uint32_t ch;   /* Unicode code point; 0 in a continuation cell */
    uint8_t width; /* 1, 2 (a wide head) or 0 (the right half of one) */
    uint8_t role;  /* enum canvas_role */
    uint8_t attr;  /* CANVAS_BOLD etc. */
};

struct canvas {
    int w, h;
    bool ascii; /* map box drawing and arrows to ASCII as they are drawn */
    struct canvas_cell *cells;
};

/* A canvas of w x h blank cells. */
void canvas_init(struct canvas *c, int w, int h, bool ascii);
void canvas_free(struct canvas *c);
void canvas_clear(struct canvas *c);

/* The cell at (x, y), or NULL outside the canvas. */
struct canvas_cell *canvas_cell(struct canvas *c, int x, int y);
const struct canvas_cell *canvas_cell_const(const struct canvas *c, int x,
                                            int y);

/*
 * Put one character at (x, y). Returns the columns it takes (0 if clipped:
 * outside the canvas, or wide with no room for its second half).
 */
int canvas_put(struct canvas *c, int x, int y, uint32_t ch, int role, int attr);

/*
 * Draw UTF-8 text at (x, y), at most maxw columns (and never past the right
 * edge). Control characters become spaces, invalid UTF-8 becomes U+FFFD.
 * Returns the columns drawn.
 */
int canvas_text(struct canvas *c, int x, int y, int maxw, const char *s,
                int role, int attr);
/* The same with printf formatting. */
int canvas_printf(struct canvas *c, int x, int y, int maxw, int role, int attr,
                  const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/*
 * Word-wrap UTF-8 text into the w x h box at (x, y): lines break at spaces,
 * or next to wide characters (never before closing punctuation such as a
 * Chinese comma or full stop, nor after an opening bracket), or mid-word
 * when a word is longer than the line; '\n' starts a new line. A line is
 * never cut inside a character. Returns the rows used (at most h), or with
 * h <= 0 the rows the text would need at width w.
 */
int canvas_wrap(struct canvas *c, int x, int y, int w, int h, const char *s,
                int role, int attr);

/* Fill a rectangle with one character. */
void canvas_fill(struct canvas *c, int x, int y, int w, int h, uint32_t ch,
                 int role, int attr);
void canvas_hline(struct canvas *c, int x, int y, int w, uint32_t ch, int role,
                  int attr);
void canvas_vline(struct canvas *c, int x, int y, int h, uint32_t ch, int role,
                  int attr);
/* A rounded box, with an optional title in its top edge. */
void canvas_box(struct canvas *c, int x, int y, int w, int h, int role,
                const char *title, int title_role);

/* Columns a code point takes: 0 (combining), 1 or 2 (East Asian wide). */
int canvas_char_width(uint32_t ch);
/* Columns a UTF-8 string takes. */
int canvas_str_width(const char *s);
/*
 * Decode one code point from *s and advance *s (by at least one byte while
 * **s is not NUL). Invalid sequences give U+FFFD.
 */
uint32_t canvas_utf8_next(const char **s);
/*
 * Cut an incomplete character off the end of s (left by snprintf
 * truncating a buffer in the middle of one).
 */
void canvas_utf8_trim(char *s);
/* The code point as UTF-8 into out (4 bytes max). Returns the length. */
int canvas_utf8_put(uint32_t ch, char *out);
/* ASCII stand-in for a drawing character, or ch itself if it has none. */
uint32_t canvas_ascii(uint32_t ch);

/* Print the canvas as UTF-8 text, one line per row, trailing blanks cut. */
int canvas_write_text(const struct canvas *c, FILE *out);

#endif
