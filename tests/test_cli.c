/* Tests for src/cli.c (progress line, JSON results, sanitising, exit code choice) and for
 * src/main.c through the real binary (KA_BIN): argument errors, secrets never printed,
 * sandbox and dry runs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli.h"
#include "exitcodes.h"
#include "helpers.h"

/* Display width of a UTF-8 string, as a terminal shows it. */
static int display_width(const char *s)
{
    wchar_t w[2048];
    size_t n = mbstowcs(w, s, 2048);
    assert_true(n != (size_t)-1);
    int width = wcswidth(w, n);
    assert_true(width >= 0);
    return width;
}

struct progress_case {
    const char *name;
    struct transfer_progress p;
    uint64_t file_size;
    int width;
    const char *want[4];     /* parts that must appear */
    const char *absent;      /* a part that must not */
};

static void test_progress_line(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        { "Resume.pdf", { .state = TRANSFER_SENDING, .sent = 2000, .total = 4000, .attempt = 1,
                          .max_attempts = 4, .rate = 1000, .eta_s = 2 }, 3000, 80,
          { "Resume.pdf  ", " 50%", "ETA 2s", NULL }, "attempt" },
        { "Resume.pdf", { .state = TRANSFER_SENDING, .sent = 1000, .total = 4000, .attempt = 2,
                          .max_attempts = 4, .rate = 1000, .eta_s = 3 }, 3000, 80,
          { " 25%", "attempt 2/4", NULL }, NULL },
        { "Resume.pdf", { .state = TRANSFER_SENDING, .sent = 10, .total = 4000, .attempt = 1,
                          .max_attempts = 4, .rate = 0, .eta_s = -1 }, 3000, 80,
          { "  0%", NULL }, "ETA" },                   /* no rate yet: no guess */
        { "Resume.pdf", { .state = TRANSFER_WAITING_RETRY, .sent = 0, .total = 4000, .attempt = 2,
                          .max_attempts = 4, .wait_ms = 2500, .last_problem = "HTTP 503" }, 3000, 80,
          { "retrying in 2.5s", "attempt 3/4 next", "HTTP 503", NULL }, NULL },
        { "Resume.pdf", { .state = TRANSFER_WAITING_RETRY, .attempt = 1, .max_attempts = 4,
                          .wait_ms = 42000 }, 3000, 80,
          { "retrying in 42s", NULL }, NULL },
        { "Resume.pdf", { .state = TRANSFER_FINISHED, .sent = 4000, .total = 4000, .attempt = 1,
                          .max_attempts = 4, .elapsed_s = 3 }, 3000, 80,
          { "100%", "2.93 KiB / 2.93 KiB", "in 3s", NULL }, NULL },
        { "Resume.pdf", { .state = TRANSFER_WAITING_ANSWER, .sent = 4000, .total = 4000, .attempt = 1,
                          .max_attempts = 4 }, 3000, 80,
          { "100%", "waiting for Kombo", NULL }, NULL },
        { "evil\x1b[2Jname.pdf", { .state = TRANSFER_CONNECTING, .total = 4000, .attempt = 1,
                                   .max_attempts = 4 }, 3000, 80,
          { "evil\\x1b[2Jname.pdf", "connecting", NULL }, "\x1b" },
    };
    char line[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct progress_case *c = &cases[i];
        cli_format_progress(c->name, &c->p, c->file_size, c->width, line, sizeof line);
        for (int k = 0; k < 4 && c->want[k]; k++)
            if (!strstr(line, c->want[k]))
                fail_msg("case %zu: \"%s\" lacks \"%s\"", i, line, c->want[k]);
        if (c->absent && strstr(line, c->absent))
            fail_msg("case %zu: \"%s\" has \"%s\"", i, line, c->absent);
        if (display_width(line) > c->width - 1)
            fail_msg("case %zu: \"%s\" wider than %d", i, line, c->width - 1);
    }
}

/* Narrow terminals: the name gives way first, and the line never wraps. */
static void test_progress_narrow(void **state)
{
    (void)state;
    static const char *const names[] = {
        "A very long file name that goes on and on for a while.pdf",
        "履歴書履歴書履歴書履歴書履歴書履歴書履歴書履歴書.pdf",   /* two columns per character */
        "short.pdf",
    };
    static const int widths[] = { 30, 40, 60, 80 };
    struct transfer_progress p = { .state = TRANSFER_SENDING, .sent = 123456, .total = 999999,
                                 .attempt = 3, .max_attempts = 4, .rate = 54321, .eta_s = 75 };
    char line[1024];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
            cli_format_progress(names[i], &p, 750000, widths[k], line, sizeof line);
            if (display_width(line) > widths[k] - 1)
                fail_msg("name %zu width %d: \"%s\" is %d columns", i, widths[k], line,
                         display_width(line));
            if (widths[k] >= 80 && !strstr(line, "attempt 3/4"))
                fail_msg("name %zu width %d: \"%s\" lost the attempt", i, widths[k], line);
        }
    }
    /* The long name was shortened with an ellipsis, the short one kept whole. */
    cli_format_progress(names[0], &p, 750000, 60, line, sizeof line);
    assert_non_null(strstr(line, "…"));
    cli_format_progress(names[2], &p, 750000, 60, line, sizeof line);
    assert_non_null(strstr(line, "short.pdf  "));
    /* A tiny buffer is cut, never overrun, and stays valid UTF-8. */
    char small[12];
    memset(small, 'x', sizeof small);
    cli_format_progress(names[1], &p, 750000, 80, small, 10);
    assert_int_equal(small[10], 'x');
    assert_true(strlen(small) < 10);
    assert_true(mbstowcs(NULL, small, 0) != (size_t)-1);
}

struct sanitize_case {
    const char *in, *out;
};

static void test_sanitize(void **state)
{
    (void)state;
    static const struct sanitize_case cases[] = {
        { "plain text", "plain text" },
        { "a\nb\tc\rd", "a\\nb\\tc\\rd" },
        { "\x1b[2J", "\\x1b[2J" },
        { "del\x7f", "del\\x7f" },
        { "café 履歴書", "café 履歴書" },
        { "bad\xff", "bad\\xff" },
        { "trunc\xc3", "trunc\\xc3" },
        { "c1\xc2\x85", "c1\\u0085" },
        /* U+202E (right-to-left override) would show "fdp.exe" as "exe.pdf": escaped */
        { "invoice\xe2\x80\xae" "fdp.exe", "invoice\\u202efdp.exe" },
        { "isolate\xe2\x81\xa7x\xe2\x81\xa9", "isolate\\u2067x\\u2069" },
        { "zero\xe2\x80\x8bwidth", "zero\\u200bwidth" },
        { "nbsp\xc2\xa0", "nbsp\xc2\xa0" },
        { "", "" },
        { NULL, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = cli_sanitize(cases[i].in);
        assert_non_null(got);
        if (strcmp(got, cases[i].out) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].out);
        free(got);
    }
}

static void test_worse_code(void **state)
{
    (void)state;
    static const int cases[][3] = {
        { KA_EXIT_OK, KA_EXIT_OK, KA_EXIT_OK },
        { KA_EXIT_OK, KA_EXIT_FILE, KA_EXIT_FILE },
        { KA_EXIT_FILE, KA_EXIT_API, KA_EXIT_API },
        { KA_EXIT_SERVER, KA_EXIT_API, KA_EXIT_SERVER },
        { KA_EXIT_USAGE, KA_EXIT_FILE, KA_EXIT_FILE },
        { KA_EXIT_CANCELLED, KA_EXIT_INTERNAL, KA_EXIT_CANCELLED },
        { KA_EXIT_CONFIG, KA_EXIT_SERVER, KA_EXIT_CONFIG },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(cli_worse_code(cases[i][0], cases[i][1]), cases[i][2]);
}

static void test_result_json(void **state)
{
    (void)state;
    struct attachment att = { .path = "dir/Resume.pdf", .name = "Resume.pdf", .type = ATT_COVER_LETTER,
                              .content_type = "application/pdf", .size = 1234 };
    char *warnings[] = { "name has no extension", "second\nline" };
    struct cli_file_result ok = {
        .file = "dir/Resume.pdf", .att = &att, .candidate = "cand1", .outcome = "ok",
        .http_status = 200, .attempts = 2, .warnings = warnings, .n_warnings = 2,
    };
    char *text = cli_result_json(&ok);
    assert_non_null(text);
    assert_null(strchr(text, '\n')); /* one line per file */
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "file")->valuestring, "dir/Resume.pdf");
    assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring, "Resume.pdf");
    assert_string_equal(cJSON_GetObjectItem(j, "candidate")->valuestring, "cand1");
    assert_string_equal(cJSON_GetObjectItem(j, "type")->valuestring, "COVER_LETTER");
    assert_string_equal(cJSON_GetObjectItem(j, "content_type")->valuestring, "application/pdf");
    assert_int_equal(cJSON_GetObjectItem(j, "size")->valuedouble, 1234);
    assert_string_equal(cJSON_GetObjectItem(j, "outcome")->valuestring, "ok");
    assert_int_equal(cJSON_GetObjectItem(j, "http_status")->valuedouble, 200);
    assert_int_equal(cJSON_GetObjectItem(j, "attempts")->valuedouble, 2);
    cJSON *w = cJSON_GetObjectItem(j, "warnings");
    assert_int_equal(cJSON_GetArraySize(w), 2);
    assert_string_equal(cJSON_GetArrayItem(w, 1)->valuestring, "second\nline");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "error")));
    cJSON_Delete(j);
    free(text);

    /* Kombo's error fields, nulls kept as nulls. */
    struct kombo_error ke = { .code = "PLATFORM.INPUT_INVALID", .title = NULL,
                              .message = "name is too long", .log_url = "https://app.kombo.dev/logs/1" };
    struct cli_file_result rejected = {
        .file = "Resume.pdf", .att = &att, .candidate = "cand1", .outcome = "rejected",
        .http_status = 400, .attempts = 1, .error = &ke, .message = "HTTP 400: ...",
    };
    text = cli_result_json(&rejected);
    j = cJSON_Parse(text);
    assert_non_null(j);
    cJSON *e = cJSON_GetObjectItem(j, "error");
    assert_string_equal(cJSON_GetObjectItem(e, "code")->valuestring, "PLATFORM.INPUT_INVALID");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(e, "title")));
    assert_string_equal(cJSON_GetObjectItem(e, "message")->valuestring, "name is too long");
    assert_string_equal(cJSON_GetObjectItem(e, "log_url")->valuestring, "https://app.kombo.dev/logs/1");
    cJSON_Delete(j);
    free(text);

    /* A file that could not be used: no attachment, our message, a path that is not UTF-8. */
    struct cli_file_result missing = {
        .file = "caf\xe9.pdf", .candidate = "cand1", .outcome = "file", .message = "no such file",
    };
    text = cli_result_json(&missing);
    j = cJSON_Parse(text);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "file")->valuestring, "caf\xef\xbf\xbd.pdf");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "name")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "size")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "http_status")));
    e = cJSON_GetObjectItem(j, "error");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(e, "code")));
    assert_string_equal(cJSON_GetObjectItem(e, "message")->valuestring, "no such file");
    cJSON_Delete(j);
    free(text);
}

/* ---- the binary ---- */

static char bin[1024];

static int setup_bin(void **state)
{
    snprintf(bin, sizeof bin, "%s", getenv("KA_BIN")); /* set: helpers.h checked */
    return th_setup_tempdir(state);
}

/* Run the binary in a clean environment: temp HOME/XDG folders, no KOMBO_* settings,
 * plus the given extra variables. */
static struct run_result run_ka(const char *const args[], const char *const extra[])
{
    static char home[600], cfg[600], data[600], st[600];
    snprintf(home, sizeof home, "HOME=%s", th_dir);
    snprintf(cfg, sizeof cfg, "XDG_CONFIG_HOME=%s/config", th_dir);
    snprintf(data, sizeof data, "XDG_DATA_HOME=%s/data", th_dir);
    snprintf(st, sizeof st, "XDG_STATE_HOME=%s/state", th_dir);
    const char *env[32] = { home, cfg, data, st, "KOMBO_API_KEY", "KOMBO_INTEGRATION_ID", "KOMBO_SERVER",
                            "KOMBO_BASE_URL", "KOMBO_PROFILE", "KOMBO_CONFIG", "LC_ALL=C.UTF-8" };
    size_t n = 11;
    for (size_t i = 0; extra && extra[i] && n < 31; i++)
        env[n++] = extra[i];
    env[n] = NULL;
    char *argv[32] = { bin };
    size_t k = 1;
    for (size_t i = 0; args[i] && k < 31; i++)
        argv[k++] = (char *)args[i];
    argv[k] = NULL;
    return th_run(argv, env);
}

struct bin_case {
    const char *what;
    const char *args[10];
    const char *env[4];
    int status;
    const char *out_part;     /* in stdout, or NULL */
    const char *err_part;     /* in stderr, or NULL */
    const char *never;        /* in neither */
};

#define SECRET "sk_live_SUPERSECRET0123456789"
#define README_CAND "4B9bJBkJ6jEGfpdpcCJ7JKJ9" /* the README's example, seeded in the sandbox */

static void test_binary_cases(void **state)
{
    (void)state;
    char pdf[600];
    th_path(pdf, sizeof pdf, "Resume.pdf");
    assert_int_equal(th_write_text(pdf, "%PDF-1.4\n%%EOF\n"), 0);
    const struct bin_case cases[] = {
        { "--api-key refused", { "--api-key", SECRET, "-c", "x", pdf }, { NULL }, KA_EXIT_USAGE,
          NULL, "no --api-key flag", SECRET },
        { "--api-key= refused", { "--api-key=" SECRET, "-c", "x", pdf }, { NULL }, KA_EXIT_USAGE,
          NULL, "shell history", SECRET },
        { "unknown option hides its value", { "--apikey=" SECRET, pdf }, { NULL }, KA_EXIT_USAGE,
          NULL, "--apikey", SECRET },
        { "--name with two files", { "-c", "x", "--name", "a.pdf", pdf, pdf }, { NULL }, KA_EXIT_USAGE,
          NULL, "one FILE", NULL },
        { "no integration id", { "-c", "x", pdf }, { "KOMBO_API_KEY=" SECRET }, KA_EXIT_USAGE,
          NULL, "KOMBO_INTEGRATION_ID", SECRET },
        { "no candidate", { pdf }, { NULL }, KA_EXIT_USAGE, NULL, "--candidate", NULL },
        { "no file and no terminal", { "-c", "x" }, { NULL }, KA_EXIT_USAGE, NULL, "no FILE", NULL },
        { "bad type", { "-c", "x", "--type", "resume", pdf }, { NULL }, KA_EXIT_USAGE, NULL,
          "COVER_LETTER", NULL },
        { "content type with charset", { "-c", "x", "--content-type", "text/plain; charset=utf-8", pdf },
          { NULL }, KA_EXIT_USAGE, NULL, "--content-type text/plain", NULL },
        { "remote fields not an object", { "-c", "x", "--remote-fields", "[1]", pdf }, { NULL },
          KA_EXIT_USAGE, NULL, "JSON object", NULL },
        { "bad retries", { "-c", "x", "--retries", "many", pdf }, { NULL }, KA_EXIT_USAGE, NULL,
          "--retries", NULL },
        { "bad server", { "-c", "x", "--server", "asia", pdf }, { NULL }, KA_EXIT_USAGE, NULL,
          "eu or us", NULL },
        { "dot-dot candidate", { "-c", "..", pdf }, { NULL }, KA_EXIT_USAGE, NULL, "candidate", NULL },
        { "help", { "--help" }, { NULL }, KA_EXIT_OK, "130 cancelled", NULL, NULL },
        { "help names the variables", { "-h" }, { NULL }, KA_EXIT_OK, "KOMBO_INTEGRATION_ID", NULL, NULL },
        { "version", { "--version" }, { NULL }, KA_EXIT_OK, "libcurl", NULL, NULL },
        { "show-config redacts", { "--show-config" }, { "KOMBO_API_KEY=" SECRET }, KA_EXIT_OK,
          "****…6789 (29 chars)", NULL, "SUPERSECRET" },
        { "dry run redacts", { "--dry-run", "-c", "4gR7uLk8J2bXw9QmZ3sTn6Vd", pdf },
          { "KOMBO_API_KEY=" SECRET, "KOMBO_INTEGRATION_ID=workday:abc" }, KA_EXIT_OK,
          "Authorization: Bearer <redacted>", NULL, SECRET },
        /* No key never quietly "succeeds" against the local mock: only --sandbox does. */
        { "no key", { "--json", "-c", "cand1", pdf }, { NULL }, KA_EXIT_CONFIG, NULL,
          "no API key — set KOMBO_API_KEY", "\"outcome\"" },
        { "empty key", { "-q", "-c", "cand1", pdf }, { "KOMBO_API_KEY=" }, KA_EXIT_CONFIG, NULL,
          "--sandbox", "ok" },
        /* the sandbox knows its candidates: the README's example is one of them */
        { "sandbox upload", { "--sandbox", "--json", "-c", README_CAND, pdf }, { NULL }, KA_EXIT_OK,
          "\"sandbox\":true", "sandbox: --sandbox given", NULL },
        { "sandbox says so", { "--sandbox", "--force", "-c", README_CAND, pdf }, { NULL }, KA_EXIT_OK,
          "(sandbox)", NULL, NULL },
        { "sandbox unknown candidate", { "--sandbox", "-c", "4gR7uLk8J2bXw9QmZ3sTn6Vd", pdf }, { NULL },
          KA_EXIT_API, "no candidate with the ID \"4gR7uLk8J2bXw9QmZ3sTn6Vd\"", NULL, NULL },
        { "missing file", { "--sandbox", "-c", README_CAND, pdf, "/nonexistent/x.pdf" }, { NULL }, KA_EXIT_FILE,
          "error  /nonexistent/x.pdf: no such file", NULL, NULL },
        { "quiet sandbox", { "--sandbox", "-q", "--force", "-c", README_CAND, pdf }, { NULL },
          KA_EXIT_OK, "ok  ", NULL, "sandbox:" },
        { "not a Kombo ID in json warnings", { "--sandbox", "--json", "--force", "-c", "cand1", pdf },
          { NULL }, KA_EXIT_API, "does not look like a Kombo ID", NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct bin_case *c = &cases[i];
        struct run_result r = run_ka(c->args, c->env);
        const char *out = r.out ? r.out : "", *err = r.err ? r.err : "";
        if (r.status != c->status)
            fail_msg("%s: status %d, want %d\nstdout: %s\nstderr: %s", c->what, r.status, c->status,
                     out, err);
        if (c->out_part && !strstr(out, c->out_part))
            fail_msg("%s: stdout lacks \"%s\": %s", c->what, c->out_part, out);
        if (c->err_part && !strstr(err, c->err_part))
            fail_msg("%s: stderr lacks \"%s\": %s", c->what, c->err_part, err);
        if (c->never && (strstr(out, c->never) || strstr(err, c->never)))
            fail_msg("%s: \"%s\" was printed", c->what, c->never);
        /* Usage errors are one line, in the house format. */
        if (c->status == KA_EXIT_USAGE && (strncmp(err, "kombo-attach: ", 14) != 0 ||
                                           strchr(err, '\n') != err + strlen(err) - 1))
            fail_msg("%s: stderr is not one \"kombo-attach: ...\" line: %s", c->what, err);
        th_run_free(&r);
    }
}

/* What the sandbox received is the file, under the name given. */
static void test_binary_sandbox_stores_file(void **state)
{
    (void)state;
    char pdf[600];
    th_path(pdf, sizeof pdf, "scan.bin");
    assert_int_equal(th_write_random(pdf, 100000, 11), 0);
    const char *args[] = { "--sandbox", "-c", README_CAND, "--name", "Frank CV.pdf",
                           "--type", "cover-letter", "--content-type", "application/pdf", pdf, NULL };
    struct run_result r = run_ka(args, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "ok  "));
    assert_non_null(strstr(r.out, "as \"Frank CV.pdf\""));
    assert_non_null(strstr(r.out, "(application/pdf, "));
    assert_non_null(strstr(r.out, "(sandbox)"));
    th_run_free(&r);
    /* the history says sandbox, never the mock's random port */
    const char *hist[] = { "history", "--json", NULL };
    r = run_ka(hist, NULL);
    assert_int_equal(r.status, 0);
    if (!strstr(r.out, "\"server\":\"sandbox\"") || !strstr(r.out, "\"sandbox\":true") ||
        strstr(r.out, "127.0.0.1"))
        fail_msg("history: %s", r.out);
    th_run_free(&r);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_line),
        cmocka_unit_test(test_progress_narrow),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_worse_code),
        cmocka_unit_test(test_result_json),
        cmocka_unit_test_setup_teardown(test_binary_cases, setup_bin, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_binary_sandbox_stores_file, setup_bin, th_teardown_tempdir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
