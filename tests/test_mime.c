/* Unit tests for src/mime.c: libmagic, the extension table and the fallbacks between them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mime.h"

#define DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define PPTX "application/vnd.openxmlformats-officedocument.presentationml.presentation"

static const char pdf_bytes[] =
    "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
/* An empty zip archive: just the end-of-central-directory record. */
static const char zip_bytes[22] = "PK\x05\x06";
/* A 1x1 PNG. */
static const unsigned char png_bytes[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
};
static const char text_bytes[] = "Dear hiring team,\nI would like to apply for the position.\n";
static const char md_bytes[] = "# Title\n\nSome *text* here, and a list:\n\n- one\n- two\n";
static const char csv_bytes[] = "name,email,score\nAda,ada@example.com,10\nBob,bob@example.com,7\n";

enum content { PDF, ZIP, PNG, TEXT, MD, CSV, RANDOM, EMPTY };

static void write_content(const char *path, enum content c)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    switch (c) {
    case PDF: fwrite(pdf_bytes, 1, sizeof pdf_bytes - 1, f); break;
    case ZIP: fwrite(zip_bytes, 1, sizeof zip_bytes, f); break;
    case PNG: fwrite(png_bytes, 1, sizeof png_bytes, f); break;
    case TEXT: fputs(text_bytes, f); break;
    case MD: fputs(md_bytes, f); break;
    case CSV: fputs(csv_bytes, f); break;
    case RANDOM: fclose(f); assert_int_equal(th_write_random(path, 4096, 7), 0); return;
    case EMPTY: break;
    }
    assert_int_equal(fclose(f), 0);
}

struct detect_case {
    const char *name;
    enum content content;
    const char *want;
};

static const struct detect_case detect_cases[] = {
    { "Resume.pdf", PDF, "application/pdf" },            /* magic bytes */
    { "resume-no-extension", PDF, "application/pdf" },   /* magic bytes, no name help */
    { "Resume.docx", PDF, "application/pdf" },           /* content wins over a wrong name */
    { "scan.pdf", RANDOM, "application/pdf" },           /* magic generic: the extension decides */
    { "scan.bin", RANDOM, "application/octet-stream" },  /* unknown extension: generic */
    { "scan", RANDOM, "application/octet-stream" },
    { "Letter.docx", ZIP, DOCX },                        /* magic says zip: extension decides */
    { "Grades.XLSX", ZIP, XLSX },
    { "Slides.pptx", ZIP, PPTX },
    { "Essay.odt", ZIP, "application/vnd.oasis.opendocument.text" },
    { "bundle.zip", ZIP, "application/zip" },
    { "fake.pdf", ZIP, "application/zip" },              /* a zip is not a PDF whatever its name */
    { "photo.png", PNG, "image/png" },
    { "photo.docx", PNG, "image/png" },
    { "notes.md", MD, "text/markdown" },                 /* text/plain refined by the name */
    { "scores.csv", CSV, "text/csv" },
    { "letter.txt", TEXT, "text/plain" },
    { "letter.pdf", TEXT, "text/plain" },                /* text stays text */
    { "empty.pdf", EMPTY, "application/pdf" },           /* inode/x-empty says nothing */
    { "empty", EMPTY, "application/octet-stream" },
};

static int teardown(void **state)
{
    mime_cleanup();
    return th_teardown_tempdir(state);
}

/* th_dir/name, with content c written there. */
static const char *make(const char *name, enum content c)
{
    static char path[512];
    write_content(th_path(path, sizeof path, name), c);
    return path;
}

/* What mime_detect says of th_dir/name. */
static const char *detect(const char *name)
{
    static char got[256];
    char path[512];
    mime_detect(th_path(path, sizeof path, name), got, sizeof got);
    return got;
}

static void test_detect_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof detect_cases / sizeof detect_cases[0]; i++) {
        const struct detect_case *c = &detect_cases[i];
        make(c->name, c->content);
        const char *got = detect(c->name);
        if (strcmp(got, c->want) != 0)
            fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i, c->name, got, c->want);
    }
}

static void test_detect_follows_symlink(void **state)
{
    (void)state;
    char link[512];
    assert_int_equal(symlink(make("real-document", PDF), th_path(link, sizeof link, "link")), 0);
    assert_string_equal(detect("link"), "application/pdf");
}

static void test_detect_missing_file_uses_extension(void **state)
{
    (void)state;
    assert_string_equal(detect("does-not-exist.jpg"), "image/jpeg");
    assert_string_equal(detect("does-not-exist"), "application/octet-stream");
}

/* With no magic database, detection falls back to the extension, then to octet-stream. */
static void test_detect_without_libmagic(void **state)
{
    (void)state;
    make("nomagic.docx", PDF);
    make("nomagic", PDF);

    mime_cleanup();
    setenv("MAGIC", "/nonexistent/ka-no-such-magic.mgc", 1);
    assert_string_equal(detect("nomagic.docx"), DOCX); /* the name is all there is to go on */
    assert_string_equal(detect("nomagic"), "application/octet-stream");

    /* And libmagic is back once the database can be loaded again. */
    mime_cleanup();
    unsetenv("MAGIC");
    assert_string_equal(detect("nomagic"), "application/pdf");
}

static void test_detect_small_buffer(void **state)
{
    (void)state;
    char got[8];
    const char *path = make("small.pdf", PDF);
    memset(got, 'x', sizeof got);
    mime_detect(path, got, sizeof got);
    assert_string_equal(got, "applica"); /* cut and terminated, never overrun */
}

struct ext_case {
    const char *name;
    const char *want; /* NULL: unknown */
};

static void test_from_extension(void **state)
{
    (void)state;
    static const struct ext_case cases[] = {
        { "Resume.pdf", "application/pdf" },
        { "RESUME.PDF", "application/pdf" },
        { "cv.doc", "application/msword" },
        { "cv.docx", DOCX },
        { "cv.rtf", "application/rtf" },
        { "a.jpg", "image/jpeg" },
        { "a.JPEG", "image/jpeg" },
        { "a.gif", "image/gif" },
        { "a.webp", "image/webp" },
        { "a.heic", "image/heic" },
        { "a.tif", "image/tiff" },
        { "a.svg", "image/svg+xml" },
        { "a.json", "application/json" },
        { "a.xml", "application/xml" },
        { "mail.eml", "message/rfc822" },
        { "mail.msg", "application/vnd.ms-outlook" },
        { "sheet.xls", "application/vnd.ms-excel" },
        { "deck.ppt", "application/vnd.ms-powerpoint" },
        { "page.html", "text/html" },
        { "/some/dir.pdf/file", NULL },   /* the folder's "extension" does not count */
        { ".pdf", NULL },                 /* a hidden file, not an extension */
        { "name.", NULL },
        { "archive.tar.gz", NULL },
        { "noextension", NULL },
        { "", NULL },
        { NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = mime_from_extension(cases[i].name);
        if (!cases[i].want && got)
            fail_msg("case %zu (%s): got \"%s\", want none", i, cases[i].name, got);
        if (cases[i].want && (!got || strcmp(got, cases[i].want) != 0))
            fail_msg("case %zu (%s): got \"%s\", want \"%s\"", i, cases[i].name,
                     got ? got : "(none)", cases[i].want);
    }
}

struct generic_case {
    const char *type;
    bool generic;
};

static void test_is_generic(void **state)
{
    (void)state;
    static const struct generic_case cases[] = {
        { "application/octet-stream", true },
        { "Application/Octet-Stream", true },
        { "binary/octet-stream", true },
        { "application/unknown", true },
        { "", true },
        { NULL, true },
        { "application/pdf", false },
        { "text/plain", false },
        { "application/zip", false },
        { "application/octet-streamx", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (mime_is_generic(cases[i].type) != cases[i].generic)
            fail_msg("case %zu (%s): want %s", i, cases[i].type ? cases[i].type : "NULL",
                     cases[i].generic ? "generic" : "not generic");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect_table),
        cmocka_unit_test(test_detect_follows_symlink),
        cmocka_unit_test(test_detect_missing_file_uses_extension),
        cmocka_unit_test(test_detect_without_libmagic),
        cmocka_unit_test(test_detect_small_buffer),
        cmocka_unit_test(test_from_extension),
        cmocka_unit_test(test_is_generic),
    };
    return cmocka_run_group_tests(tests, th_setup_tempdir, teardown);
}
