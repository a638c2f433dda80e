/* Print docs/keys.md from the key table (see tests/ui/keys_md.sh). */
#include <stdio.h>

#include "ui/keys.h"

int
main(void)
{
    return keys_write_markdown(stdout) == 0 ? 0 : 1;
}
