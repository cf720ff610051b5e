/* libFuzzer harness for the streamed request body (body_open / body_read / body_rewind) and
 * the checks its callers make first (att_check_name, att_check_content_type,
 * sendopts_check_remote_fields).
 *
 * Input: one flags byte, then name NUL content_type NUL remote_fields NUL file bytes
 * (missing fields are empty). Flags: bit 0 remote_fields NULL (left out), bit 2 the
 * scalar kernel instead of AVX2, bits 3-4 the type, bits 5-7 the pattern of read sizes;
 * bit 1 with pattern 7 (1 input in 16) means a big file: the file bytes repeated past one
 * 192 KiB chunk, read with sizes chosen by bits 2-4. Big inputs are kept rare as they
 * are about 50 times slower.
 *
 * The checks must accept a non-empty valid UTF-8 name without control characters, and
 * remote_fields that are a strict JSON object. What they accept, body_open must accept too:
 * the body is body_length() bytes, is JSON by RFC 8259 (checked by a strict validator
 * below, not only by the lenient cJSON), and name, type, content_type, data (decoded) and
 * remote_fields say what was given (no remote_fields key when none were); a rewind gives
 * the same bytes again and the SHA-256 matches.
 *
 * Set KA_FUZZ_BODY_LENIENT=1 to skip the strict RFC 8259 check (cJSON must still parse). */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/sha.h>

#include "attachment.h"
#include "base64.h"
#include "body.h"
#include "json_strict.h"
#include "sendopts.h"
#include "exitcodes.h"
#include "fuzz_tmp.h"
#include "hex.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define BIG_MIN (192 * 1024 + 7)

static char path[300];
static bool strict = true;
static bool have_avx2;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(path, sizeof path, "%s/file", fuzz_workdir("fuzz-body"));
    const char *l = getenv("KA_FUZZ_BODY_LENIENT");
    strict = !(l && *l && strcmp(l, "0") != 0);
    have_avx2 = b64_have_avx2();
    return 0;
}

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_body: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}


/* The product's own strict validator (src/json_strict.c, unit-tested against a table in
 * tests/test_json_strict.c) checks the body the product builds. */
static bool json_strict(const char *s, size_t n, bool *object, struct json_strict_info *info)
{
    struct json_strict_info i;
    bool ok = json_strict_check(s, n, &i);
    if (object)
        *object = i.object;
    if (info)
        *info = i;
    return ok;
}

/* ---- the harness ------------------------------------------------------------------- */

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

static int write_file(const unsigned char *bytes, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, bytes + off, n - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

/* Read the whole body with read sizes from a pattern. Returns the bytes (caller frees). */
static char *read_all(struct body *b, unsigned pattern, bool big, uint64_t total)
{
    static const size_t small_sizes[8][4] = {
        { 1, 1, 1, 1 }, { 3, 4, 5, 2 }, { 7, 64, 1, 13 }, { 4096, 1, 4095, 2 },
        { 65536, 65536, 65536, 65536 }, { 2, 3, 1, 1000 }, { 16, 17, 15, 31 },
        { 1 << 20, 1 << 20, 1 << 20, 1 << 20 },
    };
    static const size_t big_sizes[8][4] = {
        { 4093, 8191, 65537, 1 }, { 65536, 65536, 65536, 65536 },
        { 192 * 1024 + 1, 5, 192 * 1024 - 1, 7 }, { 1 << 20, 1 << 20, 1 << 20, 1 << 20 },
        { 100003, 3, 100004, 1 }, { 32768, 32769, 32767, 2 }, { 12345, 54321, 3, 4 },
        { 262144, 1, 2, 3 },
    };
    const size_t *sizes = big ? big_sizes[pattern & 7] : small_sizes[pattern & 7];
    char *buf = xmalloc(total + 1);
    uint64_t got = 0;
    for (unsigned i = 0;; i++) {
        size_t want = sizes[i % 4];
        /* Never offer more room than is left plus a little: ASan then sees overruns. */
        uint64_t left = total - got;
        size_t room = want < left + 1 ? want : (size_t)left + 1;
        if (room == 0)
            room = 1;
        char *chunk = xmalloc(room);
        size_t n = body_read(b, chunk, room);
        if (n == BODY_READ_ERROR)
            fail("body_read failed", body_error(b));
        if (n > room)
            fail("body_read returned more than asked", NULL);
        if (n == 0) {
            free(chunk);
            break;
        }
        if (got + n > total)
            fail("body longer than body_length", NULL);
        memcpy(buf + got, chunk, n);
        got += n;
        free(chunk);
    }
    if (got != total)
        fail("body shorter than body_length", NULL);
    buf[total] = '\0';
    return buf;
}

static void check_body(const char *text, uint64_t total, const char *name, const char *ct,
                       enum att_type type, const char *rf, const unsigned char *file,
                       size_t file_len)
{
    if (strlen(text) != total)
        fail("the body holds a NUL byte", NULL);
    if (strict) {
        bool obj;
        if (!json_strict(text, total, &obj, NULL) || !obj)
            fail("the body is not RFC 8259 JSON (cJSON is lenient; Kombo may not be)", text);
    }
    cJSON *root = cJSON_ParseWithLength(text, total);
    if (!root)
        fail("cJSON cannot parse the body", text);
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(root, "attachment");
    const cJSON *jn = cJSON_GetObjectItemCaseSensitive(att, "name");
    const cJSON *jt = cJSON_GetObjectItemCaseSensitive(att, "type");
    const cJSON *jc = cJSON_GetObjectItemCaseSensitive(att, "content_type");
    const cJSON *jd = cJSON_GetObjectItemCaseSensitive(att, "data");
    const cJSON *jr = cJSON_GetObjectItemCaseSensitive(root, "remote_fields");
    if (!cJSON_IsObject(att) || !cJSON_IsString(jn) || !cJSON_IsString(jt) ||
        !cJSON_IsString(jc) || !cJSON_IsString(jd) || (rf ? !cJSON_IsObject(jr) : jr != NULL))
        fail("the body does not have the contract's shape", text);
    if (strcmp(jn->valuestring, name) != 0)
        fail("attachment.name differs from the name given", jn->valuestring);
    if (strcmp(jc->valuestring, ct) != 0)
        fail("attachment.content_type differs from the one given", jc->valuestring);
    if (strcmp(jt->valuestring, att_type_name(type)) != 0)
        fail("attachment.type differs from the type given", jt->valuestring);
    size_t dl = strlen(jd->valuestring);
    unsigned char *dec = xmalloc(3 * (dl / 4) + 1);
    long long r = b64_decode(jd->valuestring, dl, dec);
    if (r != (long long)file_len || (file_len && memcmp(dec, file, file_len) != 0))
        fail("attachment.data does not decode to the file", NULL);
    free(dec);
    if (rf) {
        /* Compared printed, not with cJSON_Compare, which mishandles duplicate keys. */
        cJSON *want = cJSON_Parse(rf);
        char *pw = want ? cJSON_PrintUnformatted(want) : NULL;
        char *pg = cJSON_PrintUnformatted(jr);
        if (!pw || !pg || strcmp(pw, pg) != 0)
            fail("remote_fields in the body differ from the ones given", rf);
        cJSON_free(pw);
        cJSON_free(pg);
        cJSON_Delete(want);
    }
    cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0];
    data++;
    size--;
    /* Split name NUL content_type NUL remote_fields NUL file. */
    const char *field[3] = { "", "", "" };
    char *own[3] = { NULL, NULL, NULL };
    size_t off = 0;
    for (int i = 0; i < 3 && off < size; i++) {
        const uint8_t *z = memchr(data + off, '\0', size - off);
        size_t len = z ? (size_t)(z - (data + off)) : size - off;
        own[i] = fuzz_copy_n(data + off, len);
        field[i] = own[i];
        off += len + (z ? 1 : 0);
    }
    const char *name = field[0], *ct = field[1];
    const char *rf = (flags & 1) ? NULL : field[2];
    bool big = (flags & 2) && (flags >> 5) == 7;
    enum att_type type = (enum att_type)((flags >> 3 & 3) % 3);
    unsigned pattern = big ? flags >> 2 & 7 : flags >> 5;
    b64_select((flags & 4) || !have_avx2 ? B64_KERNEL_SCALAR : B64_KERNEL_AVX2);

    size_t file_len = size - off;
    unsigned char *file = xmalloc(file_len);
    memcpy(file, data + off, file_len);
    if (big) {
        /* Repeat the bytes (or a pattern when there are none) past two chunks. */
        size_t n = BIG_MIN + file_len % 3;
        unsigned char *b = xmalloc(n);
        size_t have = file_len ? (file_len < n ? file_len : n) : 256;
        if (file_len)
            memcpy(b, file, have);
        else
            for (size_t i = 0; i < have; i++)
                b[i] = (unsigned char)(i * 131);
        while (have < n) { /* double the repeated bytes */
            size_t c = have < n - have ? have : n - have;
            memcpy(b + have, b, c);
            have += c;
        }
        free(file);
        file = b;
        file_len = n;
    }
    if (write_file(file, file_len) != 0)
        fail("cannot write the temporary file", path);

    struct attachment att = {
        .path = path, .name = (char *)name, .type = type, .content_type = (char *)ct,
        .size = file_len,
    };
    if (att_record_identity(&att) != 0)
        fail("cannot stat the temporary file", path);
    /* The callers' checks first: what a careful reader accepts, they must accept. */
    struct json_strict_info info;
    bool rf_obj = false;
    bool rf_ok = !rf || (json_strict(rf, strlen(rf), &rf_obj, &info) && rf_obj &&
                         !info.long_number && !info.lone_surrogate && info.max_depth <= JSON_STRICT_MAX_DEPTH);
    bool name_ok = *name && utf8_valid(name, strlen(name)) && !has_control(name);
    const char *why_name = att_check_name(name);
    if (name_ok && why_name)
        fail("att_check_name refused a valid name", why_name);
    char err[512] = "";
    char *rf_text = rf ? sendopts_check_remote_fields(rf, err, sizeof err) : NULL;
    if (rf && rf_ok && !rf_text)
        fail("sendopts_check_remote_fields refused a JSON object", err);
    if (rf && !rf_text && (!err[0] || strchr(err, '\n')))
        fail("sendopts_check_remote_fields refused without a one-line message", err);
    struct body *b = NULL;
    char *desc = NULL;
    if (why_name || att_check_content_type(ct) || (rf && !rf_text))
        goto done;
    rf = rf_text;

    int code = -1;
    b = body_open(&att, rf, &code, err, sizeof err);
    desc = body_describe(&att, rf);
    if (!b)
        fail("body_open refused what the checks accepted", err);
    if (code != 0)
        fail("body_open succeeded with a non-zero code", err);
    if (!desc)
        fail("body_describe refused what body_open accepted", NULL);
    if (strict) {
        bool obj;
        if (!json_strict(desc, strlen(desc), &obj, NULL) || !obj)
            fail("body_describe is not RFC 8259 JSON", desc);
    }
    if (body_want_sha256(b) != 0)
        fail("body_want_sha256 failed", NULL);
    uint64_t total = body_length(b);
    char *text = read_all(b, pattern, big, total);
    if (body_read(b, text, 1) != 0)
        fail("body_read after the end did not return 0", NULL);
    check_body(text, total, name, ct, type, rf, file, file_len);

    char hex[65], want_hex[65];
    unsigned char md[SHA256_DIGEST_LENGTH];
    SHA256(file, file_len, md);
    hex_encode(md, sizeof md, want_hex);
    if (!body_sha256_hex(b, hex) || strcmp(hex, want_hex) != 0)
        fail("the SHA-256 of the file is wrong", hex);

    /* A retry sends the same bytes, whatever the read sizes. */
    if (body_rewind(b) != 0)
        fail("body_rewind failed", body_error(b));
    if (body_length(b) != total)
        fail("body_length changed after a rewind", NULL);
    char *again = read_all(b, pattern + 3, big, total);
    if (memcmp(again, text, total) != 0)
        fail("the body differs after a rewind", NULL);
    if (!body_sha256_hex(b, hex) || strcmp(hex, want_hex) != 0)
        fail("the SHA-256 is wrong after a rewind", hex);
    free(again);
    free(text);
done:
    body_close(b);
    free(desc);
    free(rf_text);
    free(file);
    for (int i = 0; i < 3; i++)
        free(own[i]);
    return 0;
}
