#!/bin/sh
# A concept question's answer offers its demo one key away: in the
# handshake's quiz, End and an answer reach "why three segments?"; its
# answer names w and the what-if scenario, and w opens that scenario in the
# same viewer (the header shows its title), in Chinese too.
. "$(dirname "$0")/lib.sh"
start 100x34 "$SYNFIN" --lang zh "$SCEN/handshake.json"
wait_for "第 0/"
keys L
wait_for "step 0/"
keys z
wait_for "Quiz mode: 5 questions in this run"
n=0
while ! screen | grep -qF "w opens whatif-two-way-handshake"; do
    n=$((n + 1))
    [ $n -le 12 ] || fail "never reached the handshake's concept question"
    before=$(screen)
    if screen | grep -qF "Type a number, then Enter"; then
        keys 1 Enter
    elif screen | grep -qF "Press 1 to"; then
        keys 3
    else
        keys End
    fi
    i=0
    while [ "$(screen)" = "$before" ] && [ $i -lt "$TUI_POLLS" ]; do
        sleep 0.1
        i=$((i + 1))
    done
done
wait_for "Why does TCP open a connection with three segments"
wait_for "3) Each side must see its own ISN acknowledged"
wait_for "✓ Right: choice 3."
keys L
wait_for "按 w 打开演示场景 whatif-two-way-handshake"
keys w
wait_for "假如：只有两次握手"
wait_for "这是演示场景 whatif-two-way-handshake"
keys L
wait_for "What if: a two-segment hand" # the header, its title cut at 100 columns
keys q
wait_exit 0
echo "ok: demo"
