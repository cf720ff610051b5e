/* libFuzzer harness for the mock's safe names (src/mock/inbox.c): any bytes a client sends
 * as an integration, candidate or file name become one harmless path component.
 * Checked on every input: the result is non-empty, at most INBOX_COMPONENT_MAX bytes, valid
 * UTF-8 without control characters, holds no '/' or '\\', does not start with '.', and its
 * length is what the function returned; making it safe again changes nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inbox.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[INBOX_COMPONENT_MAX + 1], again[INBOX_COMPONENT_MAX + 1];
    size_t n = inbox_safe_component((const char *)data, size, out, sizeof out);
    if (n == 0 || n > INBOX_COMPONENT_MAX || strlen(out) != n || out[0] == '.')
        abort();
    if (strchr(out, '/') || strchr(out, '\\'))
        abort();
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(out + i, n - i, &cp);
        if (l == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
            abort();
        i += l;
    }
    size_t m = inbox_safe_component(out, n, again, sizeof again);
    if (m != n || memcmp(out, again, n))
        abort();
    return 0;
}
