/* A C string as a JSON string; see json_string.h. */
#include "base/json_string.h"

void
json_put_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else if (c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
                 (unsigned char)s[1] <= 0x9f)
            fprintf(out, "\\u%04x", (unsigned char)*++s);
        else
            fputc(c, out);
    }
    fputc('"', out);
}
