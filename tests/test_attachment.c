/* Unit tests for src/attachment.c: defaults, every kind of unusable path, name and
 * content type checks, type names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "attachment.h"
#include "exitcodes.h"
#include "helpers.h"

static const char pdf_bytes[] = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";

static void test_defaults(void **state)
{
    (void)state;
    char path[512], err[256];
    th_path(path, sizeof path, "Resume.pdf");
    assert_int_equal(th_write_text(path, pdf_bytes), 0);

    struct attachment a;
    assert_int_equal(attachment_init(&a, path, NULL, ATT_CV, NULL, err, sizeof err), 0);
    assert_string_equal(a.path, path);
    assert_string_equal(a.name, "Resume.pdf");
    assert_int_equal(a.type, ATT_CV);
    assert_string_equal(a.content_type, "application/pdf");
    assert_true(a.content_type_guessed);
    assert_false(a.content_type_generic);
    assert_int_equal(a.size, sizeof pdf_bytes - 1);
    attachment_free(&a);
    assert_null(a.path);
}

static void test_given_name_and_type(void **state)
{
    (void)state;
    char path[512], err[256];
    th_path(path, sizeof path, "scan_0001.bin");
    assert_int_equal(th_write_random(path, 1000, 3), 0);

    struct attachment a;
    assert_int_equal(attachment_init(&a, path, "Frank Doe – Lebenslauf.pdf", ATT_COVER_LETTER,
                                     "application/pdf", err, sizeof err), 0);
    assert_string_equal(a.name, "Frank Doe – Lebenslauf.pdf");
    assert_int_equal(a.type, ATT_COVER_LETTER);
    assert_string_equal(a.content_type, "application/pdf");
    assert_false(a.content_type_guessed);
    assert_false(a.content_type_generic);
    assert_int_equal(a.size, 1000);
    attachment_free(&a);
}

static void test_generic_content_type(void **state)
{
    (void)state;
    char path[512], err[256];
    th_path(path, sizeof path, "blob");
    assert_int_equal(th_write_random(path, 3000, 5), 0);

    struct attachment a;
    assert_int_equal(attachment_init(&a, path, NULL, ATT_OTHER, NULL, err, sizeof err), 0);
    assert_string_equal(a.content_type, "application/octet-stream");
    assert_true(a.content_type_generic);
    assert_true(a.content_type_guessed);
    attachment_free(&a);

    /* A generic type given by the user is still flagged, so the front end can warn. */
    assert_int_equal(attachment_init(&a, path, "blob.dat", ATT_OTHER, "binary/octet-stream", err,
                                     sizeof err), 0);
    assert_true(a.content_type_generic);
    assert_false(a.content_type_guessed);
    attachment_free(&a);
}

static void test_symlink_to_file(void **state)
{
    (void)state;
    char target[512], link[512], err[256];
    th_path(target, sizeof target, "target.pdf");
    th_path(link, sizeof link, "Link Name.pdf");
    assert_int_equal(th_write_text(target, pdf_bytes), 0);
    assert_int_equal(symlink(target, link), 0);

    struct attachment a;
    assert_int_equal(attachment_init(&a, link, NULL, ATT_CV, NULL, err, sizeof err), 0);
    assert_string_equal(a.name, "Link Name.pdf"); /* the name the user picked, not the target's */
    assert_int_equal(a.size, sizeof pdf_bytes - 1);
    attachment_free(&a);
}

/* Each kind of unusable path, made in the temp folder by make(). */
struct file_case {
    const char *what;
    void (*make)(const char *path);
    int code;
    const char *msg_part;
};

static void make_nothing(const char *p) { (void)p; }
static void make_dir(const char *p) { assert_int_equal(mkdir(p, 0755), 0); }
static void make_fifo(const char *p) { assert_int_equal(mkfifo(p, 0644), 0); }
static void make_dangling(const char *p) { assert_int_equal(symlink("/nonexistent/ka-target", p), 0); }

static void make_loop(const char *p)
{
    char other[600];
    snprintf(other, sizeof other, "%s-other", p);
    assert_int_equal(symlink(other, p), 0);
    assert_int_equal(symlink(p, other), 0);
}

static void make_socket(const char *p)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    assert_true(strlen(p) < sizeof sa.sun_path);
    strcpy(sa.sun_path, p);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    close(fd); /* the socket file stays */
}

static void make_device(const char *p) { assert_int_equal(symlink("/dev/null", p), 0); }

static void make_under_file(const char *p)
{
    /* p is ".../plain-file/child": make plain-file a regular file. */
    char parent[600];
    snprintf(parent, sizeof parent, "%s", p);
    *strrchr(parent, '/') = '\0';
    assert_int_equal(th_write_text(parent, "x"), 0);
}

static void make_empty(const char *p) { assert_int_equal(th_write_text(p, ""), 0); }

static void test_file_errors(void **state)
{
    (void)state;
    static const struct file_case cases[] = {
        { "missing", make_nothing, KA_EXIT_FILE, "no such file" },
        { "folder", make_dir, KA_EXIT_FILE, "is a folder" },
        { "fifo", make_fifo, KA_EXIT_FILE, "named pipe" },
        { "socket", make_socket, KA_EXIT_FILE, "socket" },
        { "device", make_device, KA_EXIT_FILE, "device" },
        { "dangling", make_dangling, KA_EXIT_FILE, "symbolic link to a missing file" },
        { "loop", make_loop, KA_EXIT_FILE, "symlink loop" },
        { "plain-file/child", make_under_file, KA_EXIT_FILE, "not a folder" },
        { "empty.pdf", make_empty, KA_EXIT_FILE, "is empty" },
    };
    char path[512], err[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        th_path(path, sizeof path, cases[i].what);
        cases[i].make(path);
        struct attachment a;
        err[0] = '\0';
        int rc = attachment_init(&a, path, NULL, ATT_CV, NULL, err, sizeof err);
        if (rc != cases[i].code)
            fail_msg("%s: got code %d, want %d (%s)", cases[i].what, rc, cases[i].code, err);
        if (!strstr(err, cases[i].msg_part))
            fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].what, err, cases[i].msg_part);
        assert_null(a.path); /* nothing to free on failure */
    }
    /* No path at all is a usage error, not a file error. */
    struct attachment a;
    assert_int_equal(attachment_init(&a, "", NULL, ATT_CV, NULL, err, sizeof err), KA_EXIT_USAGE);
    assert_int_equal(attachment_init(&a, NULL, NULL, ATT_CV, NULL, err, sizeof err), KA_EXIT_USAGE);
}

/* Unreadable file and unreachable folder. Root reads everything, so as root the checks
 * run in a child that has dropped to nobody. */
static void unreadable_checks(const char *file, const char *hidden, int out_fd)
{
    char err[256], line[600];
    struct attachment a;
    int rc = attachment_init(&a, file, NULL, ATT_CV, NULL, err, sizeof err);
    int n = snprintf(line, sizeof line, "%d|%s\n", rc, err);
    if (write(out_fd, line, (size_t)n) != n)
        _exit(2);
    rc = attachment_init(&a, hidden, NULL, ATT_CV, NULL, err, sizeof err);
    n = snprintf(line, sizeof line, "%d|%s\n", rc, err);
    if (write(out_fd, line, (size_t)n) != n)
        _exit(2);
}

static void test_unreadable(void **state)
{
    (void)state;
    char file[512], dir[512], hidden[600];
    th_path(file, sizeof file, "secret.pdf");
    th_path(dir, sizeof dir, "closed");
    snprintf(hidden, sizeof hidden, "%s/inside.pdf", dir);
    assert_int_equal(th_write_text(file, pdf_bytes), 0);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(th_write_text(hidden, pdf_bytes), 0);
    assert_int_equal(chmod(file, 0), 0);
    assert_int_equal(chmod(dir, 0), 0);
    assert_int_equal(chmod(th_dir, 0711), 0);

    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        unreadable_checks(file, hidden, fds[1]);
        _exit(0);
    }
    close(fds[1]);
    char buf[2048] = "";
    size_t len = 0;
    ssize_t r;
    while ((r = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    close(fds[0]);
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    chmod(dir, 0755);
    chmod(th_dir, 0700);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    char *second = strchr(buf, '\n');
    assert_non_null(second);
    *second++ = '\0';
    if (atoi(buf) != KA_EXIT_FILE || !strstr(buf, "cannot be read: permission denied"))
        fail_msg("unreadable file: got \"%s\"", buf);
    if (atoi(second) != KA_EXIT_FILE || !strstr(second, "permission denied on a folder"))
        fail_msg("unreachable folder: got \"%s\"", second);
}

static void test_bad_names_through_init(void **state)
{
    (void)state;
    char good[512], bad[512], err[256];
    th_path(good, sizeof good, "ok.pdf");
    th_path(bad, sizeof bad, "caf\xe9.pdf"); /* Latin-1 é: not UTF-8 */
    assert_int_equal(th_write_text(good, pdf_bytes), 0);
    assert_int_equal(th_write_text(bad, pdf_bytes), 0);

    struct attachment a;
    assert_int_equal(attachment_init(&a, bad, NULL, ATT_CV, NULL, err, sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "--name"));
    assert_non_null(strstr(err, "UTF-8"));
    /* --name rescues it. */
    assert_int_equal(attachment_init(&a, bad, "café.pdf", ATT_CV, NULL, err, sizeof err), 0);
    assert_string_equal(a.name, "café.pdf");
    attachment_free(&a);

    assert_int_equal(attachment_init(&a, good, "two\nlines.pdf", ATT_CV, NULL, err, sizeof err),
                     KA_EXIT_USAGE);
    assert_non_null(strstr(err, "control characters"));
    assert_int_equal(attachment_init(&a, good, "", ATT_CV, NULL, err, sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "empty"));
}

static void test_bad_content_type_through_init(void **state)
{
    (void)state;
    char path[512], err[256];
    th_path(path, sizeof path, "note.txt");
    assert_int_equal(th_write_text(path, "hello\n"), 0);
    struct attachment a;
    assert_int_equal(attachment_init(&a, path, NULL, ATT_CV, "text/plain; charset=utf-8", err,
                                     sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "--content-type text/plain"));
    assert_null(strstr(err, "--content-type text/plain;"));
    assert_int_equal(attachment_init(&a, path, NULL, ATT_CV, "pdf", err, sizeof err), KA_EXIT_USAGE);
    assert_non_null(strstr(err, "type/subtype"));
    /* A file problem is reported before a bad content type: it is the bigger one. */
    th_path(path, sizeof path, "missing.txt");
    assert_int_equal(attachment_init(&a, path, NULL, ATT_CV, "pdf", err, sizeof err), KA_EXIT_FILE);
}

struct check_case {
    const char *s;
    bool ok;
};

static void test_check_name(void **state)
{
    (void)state;
    char n255[256], n256[257];
    memset(n255, 'a', 255);
    n255[255] = '\0';
    memset(n256, 'a', 256);
    n256[256] = '\0';
    const struct check_case cases[] = {
        { "Resume.pdf", true },
        { "Frank Doe CV.txt", true },
        { "Lebenslauf Müller.pdf", true },
        { "履歴書.pdf", true },
        { "emoji 📄.pdf", true },
        { n255, true },
        { n256, false },
        { "", false },
        { NULL, false },
        { "\xff.pdf", false },          /* invalid byte */
        { "caf\xc3(.pdf", false },      /* truncated sequence */
        { "\xc0\xaf.pdf", false },      /* overlong '/' */
        { "\xed\xa0\x80.pdf", false },  /* surrogate */
        { "tab\there.pdf", false },
        { "new\nline.pdf", false },
        { "esc\x1b[31m.pdf", false },
        { "del\x7f.pdf", false },
        { "c1\xc2\x85.pdf", false },    /* U+0085, a C1 control */
        { "nbsp\xc2\xa0ok.pdf", true }, /* U+00A0 is printable */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *problem = att_check_name(cases[i].s);
        if (cases[i].ok && problem)
            fail_msg("case %zu: unexpectedly refused: %s", i, problem);
        if (!cases[i].ok && !problem)
            fail_msg("case %zu: unexpectedly accepted", i);
    }
}

static void test_check_content_type(void **state)
{
    (void)state;
    static const struct check_case cases[] = {
        { "application/pdf", true },
        { "image/svg+xml", true },
        { "application/vnd.ms-excel", true },
        { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true },
        { "text/plain; charset=utf-8", false },
        { "text/plain;charset=utf-8", false },
        { "text", false },
        { "/pdf", false },
        { "text/", false },
        { "a/b/c", false },
        { "text/pl ain", false },
        { "text/\"plain\"", false },
        { "text/plain\n", false },
        { "text/plain\r\nX-Evil: 1", false },
        { "", false },
        { NULL, false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *problem = att_check_content_type(cases[i].s);
        if (cases[i].ok && problem)
            fail_msg("case %zu (%s): unexpectedly refused: %s", i, cases[i].s, problem);
        if (!cases[i].ok && !problem)
            fail_msg("case %zu: unexpectedly accepted", i);
    }
    assert_non_null(strstr(att_check_content_type("text/plain; charset=utf-8"), "bare"));
}

struct type_case {
    const char *s;
    int rc;
    enum att_type t;
};

static void test_type_parse(void **state)
{
    (void)state;
    static const struct type_case cases[] = {
        { "CV", 0, ATT_CV },
        { "cv", 0, ATT_CV },
        { "Cv", 0, ATT_CV },
        { "COVER_LETTER", 0, ATT_COVER_LETTER },
        { "cover_letter", 0, ATT_COVER_LETTER },
        { "cover-letter", 0, ATT_COVER_LETTER },
        { "Cover-Letter", 0, ATT_COVER_LETTER },
        { "other", 0, ATT_OTHER },
        { "OTHER", 0, ATT_OTHER },
        { "coverletter", -1, ATT_CV },
        { "resume", -1, ATT_CV },
        { "CV ", -1, ATT_CV },
        { "", -1, ATT_CV },
        { NULL, -1, ATT_CV },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum att_type t = ATT_CV;
        int rc = att_type_parse(cases[i].s, &t);
        if (rc != cases[i].rc || (rc == 0 && t != cases[i].t))
            fail_msg("case %zu (%s): rc %d type %d", i, cases[i].s ? cases[i].s : "NULL", rc, t);
    }
    assert_string_equal(att_type_name(ATT_CV), "CV");
    assert_string_equal(att_type_name(ATT_COVER_LETTER), "COVER_LETTER");
    assert_string_equal(att_type_name(ATT_OTHER), "OTHER");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_given_name_and_type),
        cmocka_unit_test(test_generic_content_type),
        cmocka_unit_test(test_symlink_to_file),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_unreadable),
        cmocka_unit_test(test_bad_names_through_init),
        cmocka_unit_test(test_bad_content_type_through_init),
        cmocka_unit_test(test_check_name),
        cmocka_unit_test(test_check_content_type),
        cmocka_unit_test(test_type_parse),
    };
    return cmocka_run_group_tests(tests, th_setup_tempdir, th_teardown_tempdir);
}
