#!/bin/sh
# z turns quiz mode on: stepping stops at the first question; a typed
# number answers it (right), the second question is answered by its choice
# number (wrong), and the header keeps the score.
. "$(dirname "$0")/lib.sh"
start "$SYNFIN" "$SCEN/four-way-close.json"
wait_for "step 0/"
keys z
wait_for "QUIZ ✓0/0"
wait_for "Quiz mode: 7 questions in this run"
step_until "Quiz · question 1 of 7" 80
wait_for "How many segments will the close take"
wait_for "Type a number, then Enter:"
# n does not get past an unanswered question.
k=$(step_now)
keys n
wait_for "Answer the question first"
[ "$(step_now)" = "$k" ] || fail "n moved past the question"
keys 4 Enter
wait_for "✓ Right: 4."
wait_for "Four: FIN, ACK, FIN, ACK."
wait_for "QUIZ ✓1/1"
# The second question, at the same moment: client is the answer; say 2.
keys n
wait_for "Quiz · question 2 of 7"
wait_for "1) client   2) server   3) both   4) neither"
keys 2
wait_for "✗ Not quite: you said server; the answer is client."
wait_for "QUIZ ✓1/2"
# End stops at the next question instead of the end.
keys n
keys End
wait_for "Quiz · question 3 of 7"
keys z
wait_for "Quiz mode off. Your score so far: 1 of 2."
wait_gone "QUIZ"
echo "ok: quiz"
