/*
 * The terminal, and the only file that includes curses: ui_run. It reads
 * keys and mouse clicks, hands them to the session (the picker is one of
 * its modes), has the frame drawn into a canvas and copies the canvas to
 * the screen with one wnoutrefresh/doupdate per frame, so nothing flickers.
 *
 * While paused it blocks in get_wch with no timeout, so it uses no CPU;
 * while playing it wakes every 40 ms to move the packets. Signals only set a
 * flag (the blocking read returns with EINTR); the loop then restores the
 * terminal before quitting (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE,
 * SIGUSR1/2, SIGALRM: exit 128 + the signal) or stopping (SIGTSTP), and
 * redraws everything when continued. An input that ends (the terminal hung
 * up, with no SIGHUP for synfin) restores the terminal and exits 1, with a
 * message. SIGABRT cannot wait for the loop: its handler writes a reset
 * string made from terminfo and puts the terminal's settings back before it
 * lets the signal kill synfin.
 */
#define _XOPEN_SOURCE_EXTENDED 1

#include "ui/ui.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "base/xalloc.h"
#include "synfin/trace.h"
#include "ui/canvas.h"
#include "ui/draw_frame.h"
#include "ui/keys.h"
#include "ui/session.h"

static volatile sig_atomic_t tui_signal;

static void
tui_on_signal(int sig)
{
    tui_signal = sig;
}

/*
 * What a signal that cannot wait for the loop (SIGABRT: an assertion, or
 * AddressSanitizer giving up) writes to give the terminal back: made from
 * terminfo once the terminal is known, so the handler only calls write()
 * and tcsetattr(), which are safe in a signal handler.
 */
static char tui_reset[512];
static size_t tui_reset_len;
static struct termios tui_termios;
static bool tui_have_termios;

static void
tui_on_fatal(int sig)
{
    if (tui_reset_len && write(STDOUT_FILENO, tui_reset, tui_reset_len) < 0)
        tui_reset_len = 0; /* nothing more can be done */
    if (tui_have_termios)
        tcsetattr(STDIN_FILENO, TCSANOW, &tui_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Append terminfo capability cap to the reset string, if the terminal has
 * it. */
static void
tui_reset_add(const char *s)
{
    size_t n;

    if (!s || s == (const char *)-1)
        return;
    n = strlen(s);
    if (tui_reset_len + n < sizeof tui_reset) {
        memcpy(tui_reset + tui_reset_len, s, n);
        tui_reset_len += n;
    }
}

static void
tui_reset_build(void)
{
    tui_reset_len = 0;
    tui_reset_add(tigetstr("sgr0"));
    tui_reset_add(tigetstr("cnorm"));
    tui_reset_add(tigetstr("rmkx"));
    /* Mouse reporting off, in every form ncurses may have turned on. */
    tui_reset_add("\033[?1000l\033[?1002l\033[?1003l\033[?1006l");
    tui_reset_add(tigetstr("rmcup"));
}

struct tui {
    const struct ui_options *opt;
    struct session *s;
    bool ascii;
    bool color;
    struct canvas canvas;
    struct draw_seq_hits hits;
    cchar_t *row;
    int frames;
};

/* Curses colours for each role; -1 is the terminal's default. */
static const short tui_fg[ROLE__COUNT] = {
    [ROLE_TEXT] = -1,
    [ROLE_DIM] = -1,
    [ROLE_TITLE] = COLOR_CYAN,
    [ROLE_BORDER] = -1,
    [ROLE_CLIENT] = -1,
    [ROLE_SERVER] = -1,
    [ROLE_NET] = COLOR_BLUE,
    [ROLE_ST_CLOSED] = -1,
    [ROLE_ST_OPENING] = COLOR_YELLOW,
    [ROLE_ST_EST] = COLOR_GREEN,
    [ROLE_ST_ACTIVE] = COLOR_MAGENTA,
    [ROLE_ST_PASSIVE] = COLOR_CYAN,
    [ROLE_ST_TW] = COLOR_BLUE,
    [ROLE_SEG] = -1,
    [ROLE_SEG_SYN] = COLOR_YELLOW,
    [ROLE_SEG_FIN] = COLOR_MAGENTA,
    [ROLE_SEG_RST] = COLOR_RED,
    [ROLE_DROP] = COLOR_RED,
    [ROLE_RETX] = COLOR_RED,
    [ROLE_TIMER] = COLOR_CYAN,
    [ROLE_KEY] = -1,
    [ROLE_EDITED] = COLOR_YELLOW,
    [ROLE_CURSOR] = COLOR_YELLOW,
};

/* Attributes that stand in for colour, and that go with it. */
static attr_t
tui_role_attr(int role, bool color)
{
    switch ((enum canvas_role)role) {
    case ROLE_DIM:
    case ROLE_BORDER: return A_DIM;
    case ROLE_DROP:
    case ROLE_RETX: return color ? A_BOLD : A_BOLD | A_UNDERLINE;
    case ROLE_ST_OPENING:
    case ROLE_ST_EST:
    case ROLE_ST_ACTIVE:
    case ROLE_ST_PASSIVE:
    case ROLE_ST_TW:
    case ROLE_SEG_SYN:
    case ROLE_SEG_FIN:
    case ROLE_SEG_RST:
    case ROLE_EDITED:
    case ROLE_CURSOR: return color ? 0 : A_BOLD;
    default: return 0;
    }
}

static void
tui_colors(struct tui *t)
{
    t->color = has_colors() && !getenv("NO_COLOR");
    if (!t->color)
        return;
    start_color();
    use_default_colors();
    for (int r = 0; r < ROLE__COUNT; r++)
        init_pair((short)(r + 1), tui_fg[r], -1);
}

/* Copy the canvas to the screen, row by row, wide characters once. */
static void
tui_blit(struct tui *t)
{
    const struct canvas *c = &t->canvas;
    for (int y = 0; y < c->h; y++) {
        int n = 0;
        for (int x = 0; x < c->w; x++) {
            const struct canvas_cell *cell = canvas_cell_const(c, x, y);
            wchar_t wc[2] = {(wchar_t)cell->ch, 0};
            attr_t a = tui_role_attr(cell->role, t->color);
            short pair = 0;
            if (cell->width == 0)
                continue;
            if (t->color && tui_fg[cell->role] >= 0)
                pair = (short)(cell->role + 1);
            if (cell->attr & CANVAS_BOLD)
                a |= A_BOLD;
            if (cell->attr & CANVAS_REVERSE)
                a |= A_REVERSE;
            if (cell->attr & CANVAS_UNDERLINE)
                a |= A_UNDERLINE;
            setcchar(&t->row[n++], wc, a, pair, NULL);
        }
        mvadd_wchnstr(y, 0, t->row, n);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

static void
tui_draw(struct tui *t)
{
    struct frame_view f;

    if (t->canvas.w != COLS || t->canvas.h != LINES) {
        canvas_free(&t->canvas);
        canvas_init(&t->canvas, COLS, LINES, t->ascii);
        free(t->row);
        t->row = xcalloc((size_t)COLS + 1, sizeof *t->row);
    }
    session_frame(t->s, &f);
    draw_frame(&t->canvas, &f, &t->hits);
    tui_blit(t);
    t->frames++;
}

/*
 * After an Escape, ncurses holds back the rest of a sequence it did not
 * know (Home and End under tmux with TERM=xterm-256color are \e[1~ and
 * \e[4~): read what is there at once. Nothing: a real Escape. Home or End
 * in a form terminals use: that key. Anything else: a key synfin has no
 * use for, ignored rather than taken for Escape.
 */
static int
tui_escape(void)
{
    static const struct {
        const char *seq;
        int key;
    } known[] = {
        {"[1~", KEYS_HOME}, {"[7~", KEYS_HOME}, {"[H", KEYS_HOME},
        {"OH", KEYS_HOME},  {"[4~", KEYS_END},  {"[8~", KEYS_END},
        {"[F", KEYS_END},   {"OF", KEYS_END},
    };
    char seq[16];
    size_t n = 0;
    wint_t ch;
    int r;

    timeout(0);
    while ((r = get_wch(&ch)) != ERR) {
        if (r == KEY_CODE_YES || ch > 0x7e || n + 1 == sizeof seq) {
            n = sizeof seq; /* not a sequence this table knows */
            continue;
        }
        seq[n++] = (char)ch;
    }
    if (n == 0)
        return KEYS_ESC;
    if (n < sizeof seq) {
        seq[n] = '\0';
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strcmp(seq, known[i].seq) == 0)
                return known[i].key;
    }
    return 0;
}

/* Curses key to keys.h code. */
static int
tui_key(int r, wint_t ch)
{
    if (r == KEY_CODE_YES) {
        switch (ch) {
        case KEY_UP: return KEYS_UP;
        case KEY_DOWN: return KEYS_DOWN;
        case KEY_LEFT: return KEYS_LEFT;
        case KEY_RIGHT: return KEYS_RIGHT;
        case KEY_HOME: return KEYS_HOME;
        case KEY_END: return KEYS_END;
        case KEY_PPAGE: return KEYS_PGUP;
        case KEY_NPAGE: return KEYS_PGDN;
        case KEY_ENTER: return KEYS_ENTER;
        case KEY_BTAB: return KEYS_BTAB;
        case KEY_BACKSPACE: return KEYS_BACKSPACE;
        default: return 0;
        }
    }
    switch (ch) {
    case '\n':
    case '\r': return KEYS_ENTER;
    case '\t': return KEYS_TAB;
    case 27: return tui_escape();
    case 8:
    case 127: return KEYS_BACKSPACE;
    default: return (int)ch;
    }
}

static void
tui_restore(void)
{
    mousemask(0, NULL);
    curs_set(1);
    endwin();
}

/* Leave curses, stop, and come back after SIGCONT. */
static void
tui_suspend(void)
{
    struct sigaction sa, old;
    tui_restore();
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTSTP, &sa, &old);
    raise(SIGTSTP);
    /* Continued. */
    sigaction(SIGTSTP, &old, NULL);
    refresh();
    curs_set(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
    clearok(curscr, TRUE);
}

static long
tui_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* tui_loop's result when its input has ended: not an exit code. */
#define TUI_GONE (-1)

/*
 * get_wch gave no key: a timeout, a signal, or the end of the input. A
 * terminal that went away (its window closed, its connection dropped, with
 * no SIGHUP for synfin when it is not synfin's controlling terminal) is hung
 * up: every read returns at once with nothing, and poll says POLLHUP. An
 * input at end of file without a hangup is readable and still gives no
 * key: three times in a row is the end.
 */
static bool
tui_input_gone(int *empty_reads)
{
    struct pollfd p = {STDIN_FILENO, POLLIN, 0};

    if (poll(&p, 1, 0) <= 0) {
        *empty_reads = 0; /* a timeout, or EINTR: a signal */
        return false;
    }
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
        return true;
    return ++*empty_reads >= 3;
}

static int
tui_loop(struct tui *t)
{
    bool dirty = true;
    long last = tui_now_ms();
    int empty_reads = 0;

    for (;;) {
        wint_t ch = 0;
        int r, key, to, res;
        long now;

        if (dirty) {
            tui_draw(t);
            dirty = false;
            if (t->opt->quit_after > 0 && t->frames >= t->opt->quit_after)
                return 0;
        }
        to = session_timeout_ms(t->s);
        if (t->opt->quit_after > 0)
            to = 10;
        timeout(to);
        r = get_wch(&ch);
        if (tui_signal) {
            int sig = tui_signal;
            tui_signal = 0;
            if (sig == SIGTSTP) {
                tui_suspend();
                dirty = true;
                last = tui_now_ms();
                continue;
            }
            return 128 + sig;
        }
        now = tui_now_ms();
        if (session_tick(t->s, (int)(now - last)))
            dirty = true;
        last = now;
        if (t->opt->quit_after > 0)
            dirty = true;
        if (r == ERR) {
            if (tui_input_gone(&empty_reads))
                return TUI_GONE;
            continue;
        }
        empty_reads = 0;
        if (r == KEY_CODE_YES && ch == KEY_RESIZE) {
            dirty = true;
            continue;
        }
        if (r == KEY_CODE_YES && ch == KEY_MOUSE) {
            MEVENT me;
            if (getmouse(&me) == OK &&
                session_click(t->s, &t->hits, me.x, me.y))
                dirty = true;
            continue;
        }
        key = tui_key(r, ch);
        dirty = true;
        res = session_key(t->s, key);
        if (res & SESSION_QUIT)
            return 0;
        if (res & SESSION_OPEN)
            ui_open_chosen(t->opt, t->s);
    }
}

/* Does the environment ask for a UTF-8 locale (LC_ALL, LC_CTYPE, LANG)? */
static bool
tui_wants_utf8(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strstr(v, "UTF-8") || strstr(v, "utf8") ||
                   strstr(v, "UTF8") || strstr(v, "utf-8");
    }
    return false;
}

static const int tui_signals[] = {SIGINT,  SIGTERM, SIGTSTP, SIGHUP, SIGQUIT,
                                  SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM};

/*
 * Start curses on the terminal, or say why it cannot be used and return 2.
 * newterm, not initscr: initscr exits on an unknown TERM with a bare
 * "Error opening terminal".
 */
static int
tui_open_terminal(void)
{
    const char *term = getenv("TERM");
    char name[64];
    const char *cup;

    if (!term || !*term) {
        fprintf(stderr, "synfin: TERM is not set, so the viewer cannot know "
                        "this terminal (try TERM=xterm-256color).\n"
                        "For a run as text, use --trace SCENARIO or "
                        "--diagram SCENARIO.\n");
        return 2;
    }
    trace_escape(term, name, sizeof name);
    tui_have_termios = tcgetattr(STDIN_FILENO, &tui_termios) == 0;
    if (!newterm(NULL, stdout, stdin)) {
        fprintf(stderr,
                "synfin: the terminal type '%s' (TERM) is not known here "
                "(try TERM=xterm-256color).\n"
                "For a run as text, use --trace SCENARIO or --diagram "
                "SCENARIO.\n",
                name);
        return 2;
    }
    cup = tigetstr("cup");
    if (!cup || cup == (const char *)-1) {
        endwin();
        fprintf(stderr,
                "synfin: the terminal type '%s' (TERM) cannot move its "
                "cursor, and the viewer draws a whole screen.\n"
                "For a run as text, use --trace SCENARIO or --diagram "
                "SCENARIO.\n",
                name);
        return 2;
    }
    tui_reset_build();
    return 0;
}

/* The terminal on s until the user quits; restored however it ends. */
static int
tui_run(const struct ui_options *opt, struct session *s)
{
    struct tui t;
    struct sigaction sa;
    const char *codeset;
    int rc;

    memset(&t, 0, sizeof t);
    t.opt = opt;
    t.s = s;
    /* LC_CTYPE only: numbers in scenario files keep their '.' decimal. A
     * UTF-8 locale that is not installed (zh_CN.UTF-8 on a small system)
     * still means a UTF-8 terminal: fall back to C.UTF-8 then. */
    if (!setlocale(LC_CTYPE, "") && tui_wants_utf8())
        setlocale(LC_CTYPE, "C.UTF-8");
    codeset = nl_langinfo(CODESET);
    t.ascii = opt->ascii || !codeset || strcmp(codeset, "UTF-8") != 0;
    if (t.ascii)
        s->lang = "en";
    s->ascii = t.ascii;

    if ((rc = tui_open_terminal()) != 0)
        return rc;
    /* Signals that end synfin end the loop, which restores the terminal
     * and exits 128 + the signal; SIGABRT cannot wait for the loop. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tui_on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof tui_signals / sizeof tui_signals[0]; i++)
        sigaction(tui_signals[i], &sa, NULL);
    sa.sa_handler = tui_on_fatal;
    sigaction(SIGABRT, &sa, NULL);
    set_escdelay(25);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED, NULL);
    mouseinterval(0);
    tui_colors(&t);
    xalloc_set_cleanup(tui_restore);

    rc = tui_loop(&t);

    xalloc_set_cleanup(NULL);
    tui_restore();
    canvas_free(&t.canvas);
    free(t.row);
    if (rc == TUI_GONE) {
        fprintf(stderr, "synfin: the terminal went away (its input ended); "
                        "leaving the viewer.\n");
        rc = 1;
    }
    return rc;
}

int
ui_run(const struct ui_options *opt)
{
    struct session s;
    struct catalog cat;
    int rc = ui_open(opt, true, &s, &cat);

    if (rc)
        return rc;
    rc = tui_run(opt, &s);
    session_close(&s);
    catalog_free(&cat);
    return rc;
}
