/* The key table; see keys.h. */
#include "ui/keys.h"

#include <string.h>

#include "ui/narrate.h"

static const struct keys_entry keys[] = {
    {ACT_NEXT,
     {'n', KEYS_RIGHT, 'j'},
     "n \u2192",
     "next",
     "下一步",
     KEYS_GROUP_STEP,
     "step forward one event",
     "前进一步"},
    {ACT_PREV,
     {'p', KEYS_LEFT, 'k'},
     "p \u2190",
     "back",
     "上一步",
     KEYS_GROUP_STEP,
     "step back one event (re-shows an earlier moment)",
     "后退一步"},
    /* A teacher's pace: a packet or a state change at a time. With Chinese
     * punctuation on, an input method types 【 】 for [ ] and, depending on
     * the method, 「 」 or ｛ ｝ for { }: they work too. In the bar only
     * when everything else fits. */
    {ACT_NEXT_SEG,
     {']', 0x3011},
     "]",
     "packet",
     "报文",
     KEYS_GROUP_STEP,
     "step to the next packet sent, arriving or lost",
     "前进到下一个报文的发送、到达或丢失",
     true},
    {ACT_PREV_SEG,
     {'[', 0x3010},
     "[",
     NULL,
     NULL,
     KEYS_GROUP_STEP,
     "step back to the last packet sent, arriving or lost",
     "后退到上一个报文的发送、到达或丢失"},
    {ACT_NEXT_STATE,
     {'}', 0x300d, 0xff5d},
     "}",
     "state change",
     "状态变化",
     KEYS_GROUP_STEP,
     "step to the next state change (either end)",
     "前进到任一端的下一次状态变化",
     true},
    {ACT_PREV_STATE,
     {'{', 0x300c, 0xff5b},
     "{",
     NULL,
     NULL,
     KEYS_GROUP_STEP,
     "step back to the last state change (either end)",
     "后退到任一端的上一次状态变化"},
    {ACT_FIRST,
     {'g', KEYS_HOME},
     "g Home",
     NULL,
     NULL,
     KEYS_GROUP_STEP,
     "jump to the start",
     "跳到开头"},
    {ACT_LAST,
     {'G', KEYS_END},
     "G End",
     NULL,
     NULL,
     KEYS_GROUP_STEP,
     "jump to the end",
     "跳到结尾"},
    {ACT_PLAY,
     {' '},
     "space",
     "play",
     "播放",
     KEYS_GROUP_STEP,
     "play or pause",
     "播放 / 暂停"},
    {ACT_FASTER,
     {'+', '='},
     "+",
     NULL,
     NULL,
     KEYS_GROUP_STEP,
     "play faster",
     "加快播放"},
    {ACT_SLOWER,
     {'-', '_'},
     "-",
     NULL,
     NULL,
     KEYS_GROUP_STEP,
     "play slower",
     "减慢播放"},
    {ACT_RESTART,
     {'r'},
     "r",
     NULL,
     NULL,
     KEYS_GROUP_STEP,
     "restart from the beginning",
     "从头重新开始"},
    {ACT_DROP_NEXT,
     {'d'},
     "d",
     "drop",
     "丢包",
     KEYS_GROUP_WHATIF,
     "drop the next packet to be sent, and re-run",
     "丢弃下一个发出的报文"},
    {ACT_SELECT,
     {KEYS_TAB, KEYS_BTAB},
     "Tab",
     NULL,
     NULL,
     KEYS_GROUP_WHATIF,
     "select a packet in flight (or click it)",
     "选择一个在途报文（或用鼠标点击）"},
    {ACT_DROP_SELECTED,
     {'x'},
     "x",
     NULL,
     NULL,
     KEYS_GROUP_WHATIF,
     "drop the selected packet in flight",
     "丢弃选中的在途报文"},
    {ACT_LOSS,
     {'l'},
     "l",
     "loss",
     "丢包率",
     KEYS_GROUP_WHATIF,
     "random loss from now on: 0, 10, 30, 50 %",
     "从现在起的随机丢包率：0/10/30/50%"},
    {ACT_DELACK,
     {'a'},
     "a",
     NULL,
     NULL,
     KEYS_GROUP_WHATIF,
     "turn delayed ACK off or on",
     "关闭或开启延迟确认"},
    {ACT_MSL,
     {'m'},
     "m",
     NULL,
     NULL,
     KEYS_GROUP_WHATIF,
     "change MSL (and so the TIME-WAIT length)",
     "修改 MSL（及 TIME-WAIT 时长）"},
    {ACT_UNDO,
     {'u'},
     "u",
     "undo",
     "撤销",
     KEYS_GROUP_WHATIF,
     "undo the last what-if edit",
     "撤销上一次修改"},
    /* For a class: the run on screen as a file they can open at home. */
    {ACT_SAVE,
     {'S'},
     "S",
     "save",
     "保存",
     KEYS_GROUP_WHATIF,
     "save this run, edits and all, as a scenario in your folder",
     "把这次运行（连同修改）保存为你文件夹里的场景",
     true},
    {ACT_QUIZ,
     {'z'},
     "z",
     "quiz",
     "测验",
     KEYS_GROUP_QUIZ,
     "quiz mode: stepping stops at each question of the scenario",
     "测验模式：单步前进时在每道题处停下"},
    {ACT_ANSWER,
     {'1', '2', '3', '4', '5', '6', '7', '8', '9', '0', KEYS_ENTER,
      KEYS_BACKSPACE},
     "1-4 0-9",
     NULL,
     NULL,
     KEYS_GROUP_QUIZ,
     "answer: a choice's number, or type a number and press Enter",
     "作答：按选项的编号，或输入数字后按 Enter"},
    /* After an answer that offers a demo: the quiz panel names this key,
     * so the bar does not (it would offer it where there is none). */
    {ACT_DEMO,
     {'w'},
     "w",
     NULL,
     NULL,
     KEYS_GROUP_QUIZ,
     "after a quiz answer: open the scenario that demonstrates it",
     "答题之后：打开演示这个答案的场景",
     true},
    {ACT_ABSOLUTE,
     {'#'},
     "#",
     NULL,
     NULL,
     KEYS_GROUP_VIEW,
     "absolute or relative sequence numbers",
     "绝对 / 相对序号"},
    {ACT_DIAGRAM,
     {'s'},
     "s",
     "states",
     "状态图",
     KEYS_GROUP_VIEW,
     "the RFC 9293 state diagram",
     "RFC 9293 状态图"},
    {ACT_LOG,
     {'e'},
     "e",
     "log",
     "日志",
     KEYS_GROUP_VIEW,
     "the event log with every field",
     "事件日志"},
    {ACT_CROWD,
     {'c'},
     "c",
     "counts",
     "计数",
     KEYS_GROUP_VIEW,
     "how many connections are in each state over the run",
     "整个过程中各状态的连接数"},
    {ACT_FOLLOW,
     {'f'},
     "f",
     "follow",
     "跟随",
     KEYS_GROUP_VIEW,
     "follow one connection alone: pick it in the list (\u2191 \u2193, or type "
     "its number) and press Enter; f again shows every connection",
     "单独跟随一个连接：在列表中选择（\u2191 \u2193，或输入编号）后按 "
     "Enter；再按 f 显示全部连接",
     true},
    {ACT_LANG,
     {'L'},
     "L",
     NULL,
     NULL,
     KEYS_GROUP_VIEW,
     "English / Chinese",
     "英文 / 中文"},
    {ACT_PICKER,
     {'o'},
     "o",
     NULL,
     NULL,
     KEYS_GROUP_VIEW,
     "open another scenario",
     "打开其他场景"},
    {ACT_HELP,
     {'?', 'h'},
     "?",
     "help",
     "帮助",
     KEYS_GROUP_VIEW,
     "this help",
     "帮助"},
    {ACT_QUIT,
     {'q'},
     "q",
     "quit",
     "退出",
     KEYS_GROUP_VIEW,
     "quit (or leave this view)",
     "退出（或离开当前视图）"},
    /* Escape never quits: in a lecture it is pressed by mistake, and a
     * terminal may send it as the start of a key it cannot name. */
    {ACT_BACK,
     {KEYS_ESC},
     "Esc",
     NULL,
     NULL,
     KEYS_GROUP_VIEW,
     "leave this view (never quits)",
     "离开当前视图（不会退出）"},
    /* The picker's own bar: its words and order are those of the bar. */
    {ACT_CHOOSE,
     {KEYS_UP, KEYS_DOWN, 'k', 'j'},
     "\u2191 \u2193",
     "choose",
     "选择",
     KEYS_GROUP_PICKER,
     "choose a scenario (k and j too)",
     "选择场景（也可用 k 和 j）"},
    {ACT_OPEN,
     {KEYS_ENTER, ' ', 'n', KEYS_RIGHT},
     "Enter",
     "open",
     "打开",
     KEYS_GROUP_PICKER,
     "open the chosen scenario (space, n and \u2192 too)",
     "打开选中的场景（也可用空格、n 和 \u2192）"},
    {ACT_LANG,
     {'L'},
     "L",
     "English/中文",
     "English/中文",
     KEYS_GROUP_PICKER,
     "English / Chinese",
     "英文 / 中文"},
    {ACT_QUIT, {'q'}, "q", "quit", "退出", KEYS_GROUP_PICKER, "quit", "退出"},
};

const struct keys_entry *
keys_table(size_t *count)
{
    *count = sizeof keys / sizeof keys[0];
    return keys;
}

enum keys_scope
keys_group_scope(enum keys_group g)
{
    return g == KEYS_GROUP_PICKER ? KEYS_PICKER : KEYS_VIEWER;
}

enum keys_action
keys_lookup(enum keys_scope scope, int key)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (keys_group_scope(keys[i].group) != scope)
            continue;
        for (size_t k = 0; k < 16 && keys[i].keys[k]; k++)
            if (keys[i].keys[k] == key)
                return keys[i].action;
    }
    return ACT_NONE;
}

const char *
keys_group_name(enum keys_group g, const char *lang)
{
    static const char *const en[] = {"Stepping", "What if?", "Quiz", "Views",
                                     "Scenario picker"};
    static const char *const zh[] = {"单步与播放", "假如……？", "测验", "视图",
                                     "场景选择"};
    if ((unsigned)g >= KEYS_GROUP__COUNT)
        return "";
    return narrate_is_zh(lang) ? zh[g] : en[g];
}

/* The word of entry i in scope's key bar, in lang, or NULL. */
static const char *
keys_bar_word(size_t i, const char *lang, enum keys_scope scope)
{
    if (keys_group_scope(keys[i].group) != scope)
        return NULL;
    return narrate_is_zh(lang) && keys[i].bar_zh ? keys[i].bar_zh : keys[i].bar;
}

/* Columns entry i takes in the bar, with the two blanks after it. */
static int
keys_bar_width(size_t i, const char *lang, enum keys_scope scope)
{
    const char *word = keys_bar_word(i, lang, scope);
    return word ? canvas_str_width(keys[i].names) + 1 + canvas_str_width(word) +
                      2
                : 0;
}

void
keys_draw_bar(struct canvas *c, int x, int y, int w, const char *lang,
              enum keys_scope scope)
{
    const size_t n = sizeof keys / sizeof keys[0];
    bool shown[sizeof keys / sizeof keys[0]] = {false};
    int col = 1;

    /* The last two (help and quit; in the picker, language and quit) are
     * always shown; the others in order as long as they leave room for
     * those two, and then the spare ones in the room left. */
    for (size_t i = n, k = 0; i-- > 0 && k < 2;)
        if (keys_bar_word(i, lang, scope)) {
            col += keys_bar_width(i, lang, scope);
            shown[i] = true;
            k++;
        }
    for (int spare = 0; spare < 2; spare++)
        for (size_t i = 0; i < n; i++)
            if (!shown[i] && keys[i].bar_spare == spare &&
                keys_bar_word(i, lang, scope) &&
                col + keys_bar_width(i, lang, scope) - 2 <= w) {
                col += keys_bar_width(i, lang, scope);
                shown[i] = true;
            }
    canvas_fill(c, x, y, w, 1, ' ', ROLE_DIM, 0);
    col = 1;
    for (size_t i = 0; i < n; i++) {
        const char *word = keys_bar_word(i, lang, scope);
        int kw, ww;
        if (!shown[i])
            continue;
        kw = canvas_str_width(keys[i].names);
        ww = canvas_str_width(word);
        if (col + kw + 1 + ww > w)
            break;
        /* Go on from what was drawn: on an ASCII canvas a wide character
         * (the picker's 中文) is one '?'. */
        kw = canvas_text(c, x + col, y, kw, keys[i].names, ROLE_KEY,
                         CANVAS_BOLD | CANVAS_REVERSE);
        ww = canvas_text(c, x + col + kw + 1, y, ww, word, ROLE_DIM, 0);
        col += kw + 1 + ww + 2;
    }
}

int
keys_write_markdown(FILE *out)
{
    fprintf(out, "# Keys\n\n"
                 "Generated from the key table in `src/ui/keys.c` by "
                 "`sh tests/ui/keys_md.sh update`; do not edit by hand.\n"
                 "The key bars at the bottom of the screen (the viewer's and "
                 "the scenario picker's) and the help screen (`?`) come from "
                 "the same table.\n");
    for (int g = 0; g < KEYS_GROUP__COUNT; g++) {
        fprintf(out, "\n## %s\n\n| Key | What it does |\n| --- | --- |\n",
                keys_group_name((enum keys_group)g, "en"));
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if ((int)keys[i].group == g)
                fprintf(out, "| `%s` | %s |\n", keys[i].names, keys[i].help);
    }
    fprintf(out,
            "\nThe mouse selects a packet in flight: click its "
            "\u25cf, then press `x` to drop it.\n"
            "\nIn quiz mode (`z`) a step, playback and `End` stop at each "
            "question until it is answered: press the number of a choice, or "
            "type a number and press Enter (Backspace takes back a digit). "
            "The header shows the score (right answers / answers); the end "
            "of the run shows the final score. After a what-if edit the "
            "questions still ahead are asked again, answered by the new "
            "run. Each answer is explained from the run itself (its "
            "segments, numbers, states and times); the scenario's own "
            "explanation follows only while what it claims holds in this "
            "run. When an answer offers a demo, `w` opens the scenario that "
            "shows it.\n"
            "\nWhen the help does not fit the terminal, `n` and `p` turn its "
            "pages.\n"
            "`L` switches between English and Chinese at any time (also in "
            "the scenario picker); an ASCII-only terminal stays in "
            "English.\n");
    return ferror(out) ? -1 : 0;
}
