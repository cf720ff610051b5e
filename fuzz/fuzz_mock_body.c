/* libFuzzer harness for the mock's reading of upload bodies (src/mock/mock_json.c): what a
 * client sends it, unchecked.
 *
 * 1. mj_find_data() never crashes or reads outside the input, and a refusal has a message.
 * 2. It decides as a JSON parser does: when it accepts the text and cJSON parses the whole
 *    text too, the top-level attachment.data string it found is the one cJSON sees (same
 *    presence; same content once both are decoded), so no body can be read one way by the
 *    scanner and another by the rest of the mock ("attachment\u0000", duplicate keys).
 * 3. The rest of the body (the text without the data string) parses, then
 *    mj_check_unique_keys() and mj_decode_base64() run on it without crashing; the decoder
 *    writes at most 3/4 of the characters it was given. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "mock_json.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sink = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (sink < 0)
        sink = open("/dev/null", O_WRONLY | O_CLOEXEC);
    /* an exact-size copy: ASan sees any read past the end */
    unsigned char *buf = xmalloc(size ? size : 1);
    memcpy(buf, data, size);
    struct mj_span sp;
    char err[256];
    int rc = mj_find_data(buf, size, false, &sp, err, sizeof err);
    if (rc < 0) {
        if (!err[0])
            abort();
        free(buf);
        return 0;
    }
    if (sp.found && (sp.start > sp.end || sp.end > size))
        abort();

    /* 2: the same view as a parser's */
    char *text = xmalloc(size + 1);
    memcpy(text, buf, size);
    text[size] = '\0';
    if (!memchr(buf, '\0', size)) {
        cJSON *whole = cJSON_ParseWithOpts(text, NULL, 1);
        if (whole) {
            const cJSON *att = cJSON_GetObjectItemCaseSensitive(whole, "attachment");
            const cJSON *d = cJSON_IsObject(att) ? cJSON_GetObjectItemCaseSensitive(att, "data") : NULL;
            bool parser_found = cJSON_IsString(d);
            char kerr[256];
            /* duplicate keys below are refused by mj_check_unique_keys on the rest */
            if (mj_check_unique_keys(whole, kerr, sizeof kerr) == 0 && parser_found != sp.found)
                abort();
            if (parser_found && sp.found && mj_check_unique_keys(whole, kerr, sizeof kerr) == 0) {
                /* the raw span, decoded by cJSON itself, is the parser's string */
                size_t rl = sp.end - sp.start;
                char *q = xmalloc(rl + 3);
                q[0] = '"';
                memcpy(q + 1, buf + sp.start, rl);
                q[rl + 1] = '"';
                q[rl + 2] = '\0';
                cJSON *s = cJSON_Parse(q);
                if (!cJSON_IsString(s) || strcmp(s->valuestring, d->valuestring))
                    abort();
                cJSON_Delete(s);
                free(q);
            }
            cJSON_Delete(whole);
        }
    }
    free(text);

    /* 3: the rest, as mock_upload.c handles it */
    size_t dl = sp.found ? sp.end - sp.start : 0;
    char *rest = xmalloc(size - dl + 1);
    if (sp.found) {
        memcpy(rest, buf, sp.start);
        memcpy(rest + sp.start, buf + sp.end, size - sp.end);
    } else {
        memcpy(rest, buf, size);
    }
    rest[size - dl] = '\0';
    cJSON *root = cJSON_ParseWithOpts(rest, NULL, 1);
    if (root) {
        char kerr[256];
        if (mj_check_unique_keys(root, kerr, sizeof kerr) < 0 && !kerr[0])
            abort();
        cJSON_Delete(root);
    }
    free(rest);
    if (sp.found && sink >= 0) {
        uint64_t decoded = 0;
        char derr[256];
        int d = mj_decode_base64(buf + sp.start, dl, NULL, sink, &decoded, derr, sizeof derr);
        if (d == 0 && decoded > dl / 4 * 3)
            abort();
        if (d == -1 && !derr[0])
            abort();
    }
    free(buf);
    return 0;
}
