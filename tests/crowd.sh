# Sourced by the tests that write, draw or capture every shipped scenario's
# whole run (tests/golden/check.sh, tests/picture/check.sh,
# tests/docs/diagrams.sh, tests/cli/save.sh), after SYNFIN is set.
#
# crowd SCENARIO: does its run fire more than 50,000 events (--summary says
# how many)? time-wait-pileup-10k's fires 170,001; every other shipped
# scenario's fewer than 2,000. Such a run's text trace is 50 MB, its JSON
# Lines 480 MB and its sequence diagram 24 MB: the checks that write, draw
# or capture every scenario's whole run keep a compact form of it or leave
# it out, each saying so (the C tests have the same rule, by the trace's
# length: more than 100,000 events).
crowd() {
    [ "$("$SYNFIN" --summary "$1" 2>/dev/null |
        sed -n '1s/.* after \([0-9]*\) events$/\1/p')" -gt 50000 ] 2>/dev/null
}
