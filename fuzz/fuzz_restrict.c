/* libFuzzer harness for restrict_parse, restrict_check and restrict_describe.
 * Input: 8 bytes of file size, 1 byte of type, a content type up to the first '\n', then
 * the answer (parsed by cJSON). Checks: no crash or leak; messages NUL-terminated within
 * their buffers (also small ones); a refusal always says why; unknown never refuses. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "fuzz_read.h"
#include "restrict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    uint64_t fsize;
    memcpy(&fsize, data, 8);
    enum att_type type = (enum att_type)(data[8] % 3);
    const char *rest = (const char *)data + 9;
    size_t left = size - 9;
    const char *nl = memchr(rest, '\n', left);
    char *ct = NULL;
    if (nl) {
        ct = strndup(rest, (size_t)(nl - rest));
        if (!ct)
            return 0;
        left -= (size_t)(nl - rest) + 1;
        rest = nl + 1;
    }
    cJSON *j = cJSON_ParseWithLength(rest, left);
    struct restrictions r;
    char err[256];
    if (restrict_parse(j, &r, err, sizeof err) != 0 && r.known)
        abort();
    static const size_t sizes[] = {1, 16, 300};
    for (size_t k = 0; k < 3; k++) {
        char msg[300];
        memset(msg, 'Z', sizeof msg);
        enum restrict_verdict v = restrict_check(&r, type, fsize, ct, msg, sizes[k]);
        if (strnlen(msg, sizes[k]) == sizes[k])
            abort();
        bool said = sizes[k] == 1 || msg[0]; /* a 1-byte buffer holds only the NUL */
        if (v == RESTRICT_REFUSED && (!r.known || !r.types[type].known || !said))
            abort();
        if (v == RESTRICT_OK && msg[0] != '\0')
            abort();
        memset(msg, 'Z', sizeof msg);
        restrict_describe(&r, type, msg, sizes[k]);
        if (strnlen(msg, sizes[k]) == sizes[k])
            abort();
        restrict_describe_all(&r, msg, sizes[k]);
        if (strnlen(msg, sizes[k]) == sizes[k])
            abort();
    }
    for (int t = 0; t < RESTRICT_TYPES; t++)
        for (size_t i = 0; i < r.types[t].n_mime; i++)
            fr_check("mime", r.types[t].mime[i], RESTRICT_MIME_LEN, 1);
    restrict_free(&r);
    cJSON_Delete(j);
    free(ct);
    return 0;
}
