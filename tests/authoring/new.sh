#!/bin/sh
# synfin --new [TEMPLATE] as a user runs it: the list, each template
# printed as it is stored, and each a scenario that passes --validate with
# no warning (so every note's claims hold in its run), runs under --trace
# and --quiz, has comments, and has its text in English and Chinese; a
# name that is no template is an error naming --new, with nothing on
# standard output.
. "${SRCDIR:?}/tests/cmdlib.sh"
templates="$SRCDIR/scenarios/templates"

run --help
check "--help lists --new" out_has "^  --new \[TEMPLATE\]  "

run --new
check "--new lists the templates: exit 0" rc_is 0
check "--new lists the templates: nothing on stderr" err_empty
count=0
for f in "$templates"/*.json; do
    name=$(basename "$f" .json)
    count=$((count + 1))
    check "--new lists $name" out_has "^  $name  "
done
check "four templates or more ($count)" [ "$count" -ge 4 ]
check "the list says how to use one" out_has "^For example: synfin --new "
run --new --lang zh
check "--new --lang zh gives the titles in Chinese" out_has "四次挥手"

cd "$tmp" || exit 1
for f in "$templates"/*.json; do
    name=$(basename "$f" .json)
    run --new "$name"
    check "$name: exit 0" rc_is 0
    check "$name: nothing on stderr" err_empty
    check "$name: printed as stored" cmp -s "$tmp/out" "$f"
    cp "$tmp/out" "$name.json"
    check "$name: commented" grep -q '"//"' "$name.json"

    run --validate "$name.json"
    check "$name: --validate says ok, with no warning" \
        sh -c "[ $rc -eq 0 ] && [ \"\$(cat '$tmp/out')\" = '$name.json: ok' ] && [ ! -s '$tmp/err' ]"
    run --trace "$name.json"
    check "$name: --trace runs" rc_is 0
    check "$name: --trace has notes" out_has " note  "
    check "$name: every note holds" sh -c "! grep -q 'does not hold' '$tmp/out'"
    run --quiz "$name.json"
    check "$name: --quiz runs" rc_is 0

    # Every text the student sees has its Chinese: title, description,
    # notes, questions, explanations, choices and rule labels.
    check "$name: every text in English and Chinese" python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
texts = [d["title"], d["description"]]
texts += [n["text"] for n in d.get("notes", [])]
for q in d.get("quiz", []):
    texts += [q["question"], q["explain"]] + q.get("choices", [])
texts += [r["label"] for r in d.get("network", {}).get("rules", []) if "label" in r]
bad = [t for t in texts if not (isinstance(t, dict) and t.get("en") and t.get("zh"))]
sys.exit(1 if bad or len(d.get("notes", [])) < 3 else 0)' "$name.json"
done

run --new close -o "$tmp/lesson.json"
check "--new close -o FILE: exit 0" rc_is 0
check "--new close -o FILE: nothing on stdout" out_empty
check "--new close -o FILE: writes the template" \
    cmp -s "$tmp/lesson.json" "$templates/close.json"

run --new no-such-template
check "an unknown template: exit 2" rc_is 2
check "an unknown template: nothing on stdout" out_empty
check "an unknown template: names --new" \
    err_has "^synfin: --new: no template named 'no-such-template'"
check "an unknown template: lists the templates" err_has "close, handshake"
run --new "$(printf 'x\033]0;owned\007')"
check "a hostile name: exit 2" rc_is 2
check "a hostile name is escaped" sh -c "! grep -q \"\$(printf '\033')\" '$tmp/err'"
run --new "../scenarios/four-way-close"
check "a path is no template" rc_is 2
run --new close --trace
check "--new with another mode: exit 2" rc_is 2
check "--new with another mode: nothing on stdout" out_empty

tap_done
