#include "synfin/seq.h"
#include "tap.h"

int
main(void)
{
    ok(seq_lt(1, 2), "1 < 2");
    ok(seq_lt(0xfffffff0u, 0x10), "wrap: 0xfffffff0 < 0x10");
    ok(!seq_lt(0x10, 0xfffffff0u), "wrap: 0x10 > 0xfffffff0");
    ok(seq_leq(5, 5) && seq_geq(5, 5) && !seq_lt(5, 5), "equal");
    ok(seq_gt(0x80000000u, 1), "just under half the circle ahead");
    ok(seq_in(0xffffffffu, 0xfffffffeu, 3), "in a window spanning the wrap");
    ok(!seq_in(3, 0xfffffffeu, 3), "window end is open");
    ok(!seq_in(7, 7, 7), "empty window holds nothing");
    return done_testing();
}
