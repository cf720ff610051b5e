/* libFuzzer harness for answer_parse / answer_summary.
 *
 * Input: 2 bytes of HTTP status, then the Content-Type up to the first '\n' ("-" alone
 * means no Content-Type), then the body (the rest, not NUL-terminated).
 * Checks: no crash or leak; every stored field and the summary are valid UTF-8 holding
 * no control characters, bidi controls or line separators (answer.h's promise); the
 * summary is non-NULL; ok implies a 2xx status and no problem; the raw body escaped by
 * termsafe (one line, and keeping newlines) is safe too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "termsafe.h"
#include "utf8.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *s)
{
    fprintf(stderr, "fuzz_answer: %s: \"%s\"\n", what, s ? s : "(null)");
    abort();
}

/* The set termsafe.h promises to escape, written out again here as the oracle. */
static int cp_unsafe(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C ||
           (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2060 || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF;
}

/* s must be valid UTF-8 and printable on one line (or lines, with newline_ok). */
static void check_safe_lines(const char *what, const char *s, int newline_ok)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (!utf8_valid(s, n))
        fail("invalid UTF-8", what);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len;
        if (p[i] < 0x80) { cp = p[i]; len = 1; }
        else if (p[i] < 0xE0) { cp = p[i] & 0x1F; len = 2; }
        else if (p[i] < 0xF0) { cp = p[i] & 0x0F; len = 3; }
        else { cp = p[i] & 0x07; len = 4; }
        for (size_t k = 1; k < len; k++)
            cp = cp << 6 | (p[i + k] & 0x3F);
        if (cp_unsafe(cp) && !(newline_ok && cp == '\n')) {
            fprintf(stderr, "fuzz_answer: %s holds U+%04X at byte %zu\n", what, (unsigned)cp, i);
            fail("unsafe character", s);
        }
        i += len;
    }
}

static void check_safe(const char *what, const char *s)
{
    check_safe_lines(what, s, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned v = (unsigned)data[0] << 8 | data[1];
    long status = v == 0xFFFF ? -1 : v == 0xFFFE ? 2147483647L * 4 : (long)(v % 700);
    data += 2;
    size -= 2;

    const uint8_t *nl = memchr(data, '\n', size);
    size_t ct_len = nl ? (size_t)(nl - data) : size;
    char *ct = NULL;
    if (!(ct_len == 1 && data[0] == '-')) {
        ct = xmalloc(ct_len + 1);
        memcpy(ct, data, ct_len);
        ct[ct_len] = '\0';
    }
    size_t skip = nl ? ct_len + 1 : size;
    size_t blen = size - skip;
    /* An exact-size copy, so ASan sees any read past len. */
    char *body = xmalloc(blen);
    memcpy(body, data + skip, blen);

    struct answer a;
    answer_parse(status, ct, body, blen, &a);
    if (a.http_status != status)
        fail("http_status not kept", NULL);
    if (a.ok && (status < 200 || status > 299))
        fail("ok without a 2xx status", NULL);
    if (a.ok && a.problem)
        fail("ok with a problem", a.problem);
    check_safe("problem", a.problem);
    check_safe("err.code", a.err.code);
    check_safe("err.title", a.err.title);
    check_safe("err.message", a.err.message);
    check_safe("err.log_url", a.err.log_url);
    for (size_t i = 0; i < a.n_warnings; i++)
        check_safe("warning", a.warnings[i]);
    char *sum = answer_summary(&a);
    if (!sum)
        fail("answer_summary returned NULL", NULL);
    if (!*sum)
        fail("answer_summary returned an empty line", NULL);
    check_safe("summary", sum);
    free(sum);
    answer_free(&a);
    answer_free(&a); /* answer_free leaves an empty answer: freeing again is harmless */

    /* answer_escape on the raw bytes: always safe text. */
    char *esc = answer_escape(body, blen);
    if (!esc)
        fail("answer_escape returned NULL", NULL);
    check_safe("answer_escape", esc);
    if (strlen(esc) != ts_escaped_len(body, blen, TS_ONE_LINE))
        fail("ts_escaped_len differs from the result", esc);
    free(esc);
    /* The form that keeps line breaks: the same but for "\n". */
    esc = ts_escape(body, blen, TS_KEEP_NEWLINES);
    check_safe_lines("ts_escape keeping newlines", esc, 1);
    free(esc);

    free(body);
    free(ct);
    return 0;
}
