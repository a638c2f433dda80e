/*
 * Runs a fuzz target's LLVMFuzzerTestOneInput on files, without libFuzzer:
 * the normal test suite replays every seed and every input that once
 * crashed (tests/fuzz/regress/) this way, under whatever sanitizers the
 * build has. TAP output, one line per file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        uint8_t *buf = NULL;
        size_t n = 0, cap = 0;

        if (!f) {
            printf("not ok %d - %s: cannot open\n", i, argv[i]);
            return 1;
        }
        for (;;) {
            if (n == cap) {
                uint8_t *g = realloc(buf, cap = cap ? 2 * cap : 4096);
                if (!g)
                    return 1;
                buf = g;
            }
            size_t got = fread(buf + n, 1, cap - n, f);
            if (got == 0)
                break;
            n += got;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n);
        free(buf);
        printf("ok %d - %s\n", i, argv[i]);
    }
    printf("1..%d\n", argc - 1);
    return 0;
}
