/* body: exact length for every file size and caller buffer size, JSON that parses back
 * to the right fields, escaping, remote_fields, rewind, and a file that changes while it
 * is read (the body must stop short of its last byte). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "helpers.h"
#include "attachment.h"
#include "base64.h"
#include "body.h"
#include "exitcodes.h"

static char dir[] = "/tmp/ka-body-XXXXXX";
static char path[64];   /* the file under test, in dir */
static char path2[64];  /* a second file, for replacements */

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/file.pdf", dir);
    snprintf(path2, sizeof path2, "%s/other.pdf", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    unlink(path2);
    return rmdir(dir);
}

static uint64_t rng = 0x2545f4914f6cdd1du;

static unsigned char *random_bytes(size_t n)
{
    unsigned char *p = malloc(n ? n : 1);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        p[i] = (unsigned char)(rng >> 32);
    }
    return p;
}

static void write_file(const char *p, const unsigned char *data, size_t n)
{
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* The struct attachment.c would fill, made by hand. */
static struct attachment make_att(const char *name, uint64_t size)
{
    struct attachment a = { .path = path, .name = (char *)name, .type = ATT_CV,
                            .content_type = (char *)"application/pdf", .size = size };
    att_record_identity(&a); /* chosen now: body_open sends only this very file */
    return a;
}

static struct body *open_ok(const struct attachment *a, const char *rf)
{
    char err[256] = "";
    int code = -1;
    struct body *b = body_open(a, rf, &code, err, sizeof err);
    if (!b)
        fail_msg("body_open failed: %s", err);
    assert_int_equal(code, 0);
    return b;
}

/* Read the whole body `chunk` bytes at a time. *err set when body_read failed. */
static char *read_all(struct body *b, size_t chunk, size_t *len, bool *err)
{
    size_t cap = 1024, n = 0;
    char *out = malloc(cap);
    char *buf = malloc(chunk);
    assert_non_null(out);
    assert_non_null(buf);
    *err = false;
    for (;;) {
        size_t r = body_read(b, buf, chunk);
        if (r == BODY_READ_ERROR) {
            *err = true;
            break;
        }
        if (r == 0)
            break;
        assert_true(r <= chunk);
        while (n + r > cap) {
            out = realloc(out, cap *= 2);
            assert_non_null(out);
        }
        memcpy(out + n, buf, r);
        n += r;
    }
    free(buf);
    *len = n;
    return out;
}

/* The body parses and holds the expected fields; data decodes to the file's bytes;
 * remote_fields equals want_rf (JSON text). */
static void check_body(const char *text, size_t len, const char *name, const unsigned char *data,
                       size_t n, const char *want_rf)
{
    cJSON *j = cJSON_ParseWithLength(text, len);
    if (!j)
        fail_msg("body is not JSON: %.200s", text);
    cJSON *att = cJSON_GetObjectItemCaseSensitive(j, "attachment");
    assert_true(cJSON_IsObject(att));
    cJSON *nm = cJSON_GetObjectItemCaseSensitive(att, "name");
    assert_true(cJSON_IsString(nm));
    assert_string_equal(nm->valuestring, name);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(att, "type")->valuestring, "CV");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(att, "content_type")->valuestring,
                        "application/pdf");
    cJSON *d = cJSON_GetObjectItemCaseSensitive(att, "data");
    assert_true(cJSON_IsString(d));
    size_t dlen = strlen(d->valuestring);
    assert_int_equal(dlen, b64_encoded_len(n));
    unsigned char *back = malloc(dlen / 4 * 3 + 1);
    assert_non_null(back);
    assert_int_equal(b64_decode(d->valuestring, dlen, back), (long long)n);
    if (n)
        assert_memory_equal(back, data, n);
    free(back);
    /* As the SDK: no remote_fields key at all unless they were given. */
    if (want_rf) {
        cJSON *want = cJSON_Parse(want_rf);
        assert_non_null(want);
        assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(j, "remote_fields"), want, 1));
        cJSON_Delete(want);
    } else {
        assert_null(cJSON_GetObjectItemCaseSensitive(j, "remote_fields"));
    }
    assert_int_equal(cJSON_GetArraySize(j), want_rf ? 2 : 1);
    assert_int_equal(cJSON_GetArraySize(att), 4);
    cJSON_Delete(j);
}

static const size_t chunk_sizes[] = { 1, 2, 3, 5, 7, 64, 4096, 65536, 524288 };
#define N_CHUNKS (sizeof chunk_sizes / sizeof chunk_sizes[0])

static void check_sizes(const size_t *sizes, size_t ns, size_t max_chunks)
{
    for (size_t i = 0; i < ns; i++) {
        size_t n = sizes[i];
        unsigned char *data = random_bytes(n);
        write_file(path, data, n);
        struct attachment a = make_att("file.pdf", n);
        for (size_t c = 0; c < N_CHUNKS && c < max_chunks; c++) {
            struct body *b = open_ok(&a, NULL);
            size_t len;
            bool err;
            char *text = read_all(b, chunk_sizes[c], &len, &err);
            if (err)
                fail_msg("size %zu chunk %zu: %s", n, chunk_sizes[c], body_error(b));
            assert_string_equal(body_error(b), "");
            assert_int_equal(body_length(b), len);
            check_body(text, len, "file.pdf", data, n, NULL);
            free(text);
            body_close(b);
        }
        free(data);
    }
}

static void test_length_small(void **state)
{
    (void)state;
    static const size_t sizes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    check_sizes(sizes, sizeof sizes / sizeof sizes[0], N_CHUNKS);
}

/* Around the 192 KiB read chunk and well past it. */
static void test_length_large(void **state)
{
    (void)state;
    static const size_t sizes[] = { 196607, 196608, 196609, 393218, (3u << 20) + 1 };
    check_sizes(sizes, sizeof sizes / sizeof sizes[0], N_CHUNKS);
}

static char *body_text(const char *name, const char *rf, size_t *len)
{
    write_file(path, (const unsigned char *)"hello", 5);
    struct attachment a = make_att(name, 5);
    struct body *b = open_ok(&a, rf);
    bool err;
    char *text = read_all(b, 4096, len, &err);
    assert_false(err);
    assert_int_equal(body_length(b), *len);
    body_close(b);
    return text;
}

static void test_name_escaping(void **state)
{
    (void)state;
    static const struct { const char *name, *raw; } cases[] = {
        { "Frank \"The CV\" Doe.pdf", "\"Frank \\\"The CV\\\" Doe.pdf\"" },
        { "back\\slash.pdf", "\"back\\\\slash.pdf\"" },
        { "line\nbreak.pdf", "\"line\\nbreak.pdf\"" },
        { "tab\there.pdf", "\"tab\\there.pdf\"" },
        { "ctl\x01.pdf", "\"ctl\\u0001.pdf\"" },
        { "</script>.pdf", "\"</script>.pdf\"" },
        { "Lebenslauf Ren\xc3\xa9.pdf", "\"Lebenslauf Ren\xc3\xa9.pdf\"" },        /* é kept */
        { "\xe6\x97\xa5\xe6\x9c\xac.pdf", "\"\xe6\x97\xa5\xe6\x9c\xac.pdf\"" },    /* 日本 */
        { "\xf0\x9f\x98\x80 cv.pdf", "\"\xf0\x9f\x98\x80 cv.pdf\"" },             /* emoji */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *text = body_text(cases[i].name, NULL, &len);
        check_body(text, len, cases[i].name, (const unsigned char *)"hello", 5, NULL);
        char *want = NULL;
        assert_true(asprintf(&want, "{\"attachment\":{\"name\":%s,", cases[i].raw) > 0);
        if (strncmp(text, want, strlen(want)) != 0)
            fail_msg("case %zu: body starts %.80s, want %s", i, text, want);
        for (size_t k = 0; k < len; k++)
            assert_true((unsigned char)text[k] >= 0x20);
        free(want);
        free(text);
    }
}

/* remote_fields arrive checked and trimmed (sendopts_check_remote_fields, tested in
 * test_sendopts): the body puts them in as they are, or leaves the key out. */
static void test_remote_fields(void **state)
{
    (void)state;
    static const char *good[] = {
        NULL,
        "{}",
        "{\"greenhouse\":{\"post_headers\":{\"on_behalf_of\":\"4080\"}}}",
        "{\"workable\": {\"on_behalf_of_user_remote_id\": \"u-1\"}}",
        "{\"a\":[1,2.5,true,null,\"\\u00e9\\n\"],\"b\":{}}",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        size_t len;
        char *text = body_text("cv.pdf", good[i], &len);
        check_body(text, len, "cv.pdf", (const unsigned char *)"hello", 5, good[i]);
        free(text);
    }
    /* Passed through as written: a 64-bit ID must not become a rounded double. */
    size_t len;
    char *text = body_text("cv.pdf", "{\"lever\":{\"perform_as\":12345678901234567891}}", &len);
    assert_non_null(strstr(text, "\"remote_fields\":{\"lever\":{\"perform_as\":12345678901234567891}}}"));
    free(text);

    text = body_text("cv.pdf", NULL, &len);
    static const char want[] = "{\"attachment\":{\"name\":\"cv.pdf\",\"type\":\"CV\","
                               "\"content_type\":\"application/pdf\",\"data\":\"aGVsbG8=\"}}";
    if (len != sizeof want - 1 || memcmp(text, want, len) != 0)
        fail_msg("without remote fields the body is %.*s, want %s", (int)len, text, want);
    free(text);
}

static void expect_refused(const struct attachment *a, const char *rf, int want_code,
                           const char *want_text)
{
    char err[256] = "";
    int code = 0;
    struct body *b = body_open(a, rf, &code, err, sizeof err);
    if (b)
        fail_msg("body_open accepted %s", rf ? rf : a->name);
    assert_int_equal(code, want_code);
    if (!strstr(err, want_text))
        fail_msg("message \"%s\" lacks \"%s\"", err, want_text);
    assert_null(strchr(err, '\n'));
}

static void test_open_refusals(void **state)
{
    (void)state;
    write_file(path, (const unsigned char *)"hello", 5);
    struct attachment a = make_att("cv.pdf", 4);
    expect_refused(&a, NULL, KA_EXIT_FILE, "changed since it was chosen");
    a.size = 5;
    a.path = dir;
    expect_refused(&a, NULL, KA_EXIT_FILE, "not a regular file");
    a.path = path2;
    unlink(path2);
    expect_refused(&a, NULL, KA_EXIT_FILE, "cannot open");
}

static void test_rewind(void **state)
{
    (void)state;
    size_t n = 1000003;
    unsigned char *data = random_bytes(n);
    write_file(path, data, n);
    struct attachment a = make_att("cv.pdf", n);
    struct body *b = open_ok(&a, "{\"x\":{}}");
    size_t len1, len2, len3;
    bool err;
    char *first = read_all(b, 65536, &len1, &err);
    assert_false(err);
    assert_int_equal(body_rewind(b), 0);
    char *second = read_all(b, 7, &len2, &err);
    assert_false(err);
    /* Rewind from the middle, with a small buffer leaving a partial group pending. */
    char part[300001];
    assert_int_equal(body_rewind(b), 0);
    assert_int_equal(body_read(b, part, 5), 5);
    assert_int_equal(body_rewind(b), 0);
    size_t got = 0, r;
    while (got < sizeof part) {
        size_t want = sizeof part - got < 1001 ? sizeof part - got : 1001;
        r = body_read(b, part + got, want);
        assert_true(r > 0 && r <= want);
        got += r;
    }
    assert_int_equal(body_rewind(b), 0);
    char *third = read_all(b, 4096, &len3, &err);
    assert_false(err);
    assert_int_equal(len1, body_length(b));
    assert_int_equal(len2, len1);
    assert_int_equal(len3, len1);
    assert_memory_equal(first, second, len1);
    assert_memory_equal(first, third, len1);
    assert_memory_equal(first, part, got);
    check_body(first, len1, "cv.pdf", data, n, "{\"x\":{}}");
    free(first);
    free(second);
    free(third);
    free(data);
    body_close(b);
}

enum change { TRUNCATE, TRUNCATE_EMPTY, APPEND, REWRITE_MTIME, REWRITE_KEEP_MTIME, REPLACE, REMOVE };

static void apply_change(enum change c, size_t n)
{
    switch (c) {
    case TRUNCATE:
        assert_int_equal(truncate(path, (off_t)(n / 2)), 0);
        break;
    case TRUNCATE_EMPTY:
        assert_int_equal(truncate(path, 0), 0);
        break;
    case APPEND: {
        FILE *f = fopen(path, "ab");
        assert_non_null(f);
        assert_int_equal(fwrite("more", 1, 4, f), 4);
        assert_int_equal(fclose(f), 0);
        break;
    }
    case REWRITE_MTIME: { /* same size, new bytes; set mtime so coarse clocks can't hide it */
        int fd = open(path, O_WRONLY);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, "X", 1, 0), 1);
        struct timespec ts[2] = { { 0, UTIME_OMIT }, { 1000000000, 0 } };
        assert_int_equal(futimens(fd, ts), 0);
        close(fd);
        break;
    }
    case REWRITE_KEEP_MTIME: { /* new bytes in place, the old mtime put back: only ctime moves */
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        usleep(20 * 1000); /* a clock tick, so the ctime can differ */
        int fd = open(path, O_WRONLY);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, "Y", 1, (off_t)(n / 2)), 1);
        struct timespec ts[2] = { st.st_atim, st.st_mtim };
        assert_int_equal(futimens(fd, ts), 0);
        close(fd);
        break;
    }
    case REPLACE: { /* an editor's atomic save: same size and bytes, another inode */
        unsigned char *d = malloc(n ? n : 1);
        assert_non_null(d);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        assert_int_equal(fread(d, 1, n, f), n);
        fclose(f);
        write_file(path2, d, n);
        free(d);
        assert_int_equal(rename(path2, path), 0);
        break;
    }
    case REMOVE:
        assert_int_equal(unlink(path), 0);
        break;
    }
}

/* Between the pick and the send: a symlink to another file of the same size swapped in,
 * or the file rewritten in place with its mtime put back, is refused before a byte is sent;
 * a FIFO swapped in does not block the open. */
static void test_swapped_after_pick(void **state)
{
    (void)state;
    write_file(path, (const unsigned char *)"chosen", 6);
    struct attachment a = make_att("cv.pdf", 6);
    write_file(path2, (const unsigned char *)"secret", 6);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(symlink(path2, path), 0);
    char err[300];
    int code = 0;
    assert_null(body_open(&a, NULL, &code, err, sizeof err));
    assert_int_equal(code, KA_EXIT_FILE);
    assert_non_null(strstr(err, "replaced by another file since it was chosen"));
    unlink(path);

    write_file(path, (const unsigned char *)"chosen", 6);
    a = make_att("cv.pdf", 6);
    apply_change(REWRITE_KEEP_MTIME, 6);
    assert_null(body_open(&a, NULL, &code, err, sizeof err));
    assert_non_null(strstr(err, "modified since it was chosen"));

    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    double t0 = clock_now();
    assert_null(body_open(&a, NULL, &code, err, sizeof err)); /* no writer: must not hang */
    assert_true(clock_now() - t0 < 1.0);
    assert_non_null(strstr(err, "not a regular file"));
    unlink(path);
    unlink(path2);
}

/* Change the file after `before` body bytes (0 = right after body_open), then read on:
 * the body must fail with a clear message and never reach its full length. */
static void test_changed_mid_read(void **state)
{
    (void)state;
    static const struct {
        size_t size, before, chunk;
        enum change change;
        const char *msg;
    } cases[] = {
        { 1u << 20, 300000, 4096, TRUNCATE, "size 1048576 → 524288 bytes" },
        { 1u << 20, 300000, 1, TRUNCATE_EMPTY, "size 1048576 → 0 bytes" },
        { 1u << 20, 300000, 65536, APPEND, "size 1048576 → 1048580 bytes" },
        { 1u << 20, 1200000, 3, APPEND, "size 1048576 → 1048580 bytes" },
        { 1u << 20, 300000, 524288, REWRITE_MTIME, "modified" },
        { 1u << 20, 300000, 5, REPLACE, "replaced" },
        { 1u << 20, 300000, 4096, REMOVE, "moved or deleted" },
        { 10, 0, 1, TRUNCATE, "size 10 → 5 bytes" },
        { 10, 0, 4096, APPEND, "size 10 → 14 bytes" },
        { 10, 3, 1, REWRITE_MTIME, "modified" },
        { 1u << 20, 300000, 4096, REWRITE_KEEP_MTIME, "modified" },
        { 10, 2, 1, REWRITE_KEEP_MTIME, "modified" },
        { 0, 0, 1, APPEND, "size 0 → 4 bytes" },
        { 0, 10, 7, REPLACE, "replaced" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].size;
        unsigned char *data = random_bytes(n);
        write_file(path, data, n);
        free(data);
        struct attachment a = make_att("file.pdf", n);
        struct body *b = open_ok(&a, NULL);
        uint64_t total = body_length(b);
        char *buf = malloc(cases[i].chunk);
        assert_non_null(buf);
        size_t got = 0, r = 0;
        bool changed = false;
        for (;;) {
            if (!changed && got >= cases[i].before) {
                apply_change(cases[i].change, n);
                changed = true;
            }
            r = body_read(b, buf, cases[i].chunk);
            if (r == 0 || r == BODY_READ_ERROR)
                break;
            got += r;
        }
        if (r != BODY_READ_ERROR)
            fail_msg("case %zu: change not detected (%zu of %llu bytes produced)", i, got,
                     (unsigned long long)total);
        assert_true(got < total);
        assert_true(changed);
        const char *msg = body_error(b);
        if (!strstr(msg, cases[i].msg) || !strstr(msg, path) ||
            !strstr(msg, "changed while it was being sent") || !strstr(msg, "send it again"))
            fail_msg("case %zu: message \"%s\"", i, msg);
        assert_int_equal(body_read(b, buf, cases[i].chunk), BODY_READ_ERROR); /* sticky */
        assert_int_equal(body_rewind(b), -1); /* still not the file that was chosen */
        free(buf);
        body_close(b);
    }
}

/* procfs files are "regular" with st_size 0 but have content: more bytes than announced
 * must fail the body like a file that grew, even though fstat sees no change. */
static void test_size_lies(void **state)
{
    (void)state;
    struct attachment a = make_att("status.txt", 0);
    a.path = (char *)"/proc/self/status";
    att_record_identity(&a);
    struct stat st;
    if (stat(a.path, &st) != 0 || st.st_size != 0)
        skip();
    struct body *b = open_ok(&a, NULL);
    size_t len;
    bool err;
    char *text = read_all(b, 4096, &len, &err);
    assert_true(err);
    assert_true(len < body_length(b));
    assert_non_null(strstr(body_error(b), "changed while it was being sent"));
    free(text);
    body_close(b);
}

static void test_describe(void **state)
{
    (void)state;
    unsigned char *data = random_bytes(1234);
    write_file(path, data, 1234);
    char b64[1700];
    b64_encode(data, 1234, b64);
    struct attachment a = make_att("Frank \"CV\".pdf", 1234);
    const char *rf = "{\"workable\":{\"on_behalf_of_user_remote_id\":\"7\"}}";
    char *d = body_describe(&a, rf);
    assert_non_null(d);
    cJSON *j = cJSON_Parse(d);
    if (!j)
        fail_msg("describe is not JSON: %s", d);
    cJSON *att = cJSON_GetObjectItemCaseSensitive(j, "attachment");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(att, "name")->valuestring,
                        "Frank \"CV\".pdf");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(att, "data")->valuestring,
                        "<base64 of 1234 bytes: 1648 characters>");
    cJSON *want = cJSON_Parse(rf);
    assert_true(cJSON_Compare(cJSON_GetObjectItemCaseSensitive(j, "remote_fields"), want, 1));
    /* No piece of the real data shows. */
    char piece[9];
    for (size_t off = 0; off + 8 <= 1648; off += 8) {
        memcpy(piece, b64 + off, 8);
        piece[8] = '\0';
        assert_null(strstr(d, piece));
    }
    cJSON_Delete(want);
    cJSON_Delete(j);
    free(d);
    free(data);
}

/* The SHA-256 for the history equals coreutils' sha256sum, also after a retry's rewind,
 * for an empty file, a small one and one of several chunks. */
static void test_sha256(void **state)
{
    (void)state;
    static const size_t sizes[] = { 0, 1, 3 * 65536 + 7, 1000003 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        unsigned char *data = random_bytes(sizes[i]);
        write_file(path, data, sizes[i]);
        char cmd[128], want[65] = "";
        snprintf(cmd, sizeof cmd, "sha256sum %s", path);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        assert_int_equal(fscanf(p, "%64s", want), 1);
        pclose(p);
        struct attachment a = make_att("x.pdf", sizes[i]);
        struct body *b = open_ok(&a, NULL);
        char got[65];
        assert_int_equal(body_want_sha256(b), 0);
        assert_false(body_sha256_hex(b, got));
        for (int pass = 0; pass < 2; pass++) {
            size_t len;
            bool err;
            free(read_all(b, 4096, &len, &err));
            assert_false(err);
            assert_true(body_sha256_hex(b, got));
            assert_string_equal(got, want);
            assert_int_equal(body_rewind(b), 0);
        }
        body_close(b);
        free(data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_length_small),
        cmocka_unit_test(test_length_large),
        cmocka_unit_test(test_name_escaping),
        cmocka_unit_test(test_remote_fields),
        cmocka_unit_test(test_swapped_after_pick),
        cmocka_unit_test(test_open_refusals),
        cmocka_unit_test(test_rewind),
        cmocka_unit_test(test_changed_mid_read),
        cmocka_unit_test(test_size_lies),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
