/* The batch manifest reader: CSV (quoting, CRLF, BOM, quoted line breaks) and JSON lines,
 * every problem listed with its line, all at once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "manifest.h"

static void parse(const char *text, const char *hint, struct manifest *m)
{
    manifest_parse(text, strlen(text), MANIFEST_AUTO, hint, m);
}

static bool has_problem(const struct manifest *m, size_t line, const char *part)
{
    for (size_t i = 0; i < m->n_problems; i++)
        if (m->problems[i].line == line && strstr(m->problems[i].message, part))
            return true;
    return false;
}

static void test_csv_good(void **state)
{
    (void)state;
    struct manifest m;
    parse("\xef\xbb\xbf" "file,candidate,type,name,content_type\r\n"
          "a.pdf,C1,CV,\"CV, final.pdf\",application/pdf\r\n"
          "\r\n"
          "\"b \"\"q\"\".txt\",C2,cover_letter,,\r\n"
          "\"multi\nline.txt\",C3,,,\n"
          "d.txt,C4,OTHER,,\n", "m.csv", &m);
    assert_int_equal(m.format, MANIFEST_CSV);
    assert_int_equal(m.n_problems, 0);
    assert_int_equal(m.n_rows, 4);
    assert_int_equal(m.rows[0].line, 2);
    assert_string_equal(m.rows[0].name, "CV, final.pdf");
    assert_string_equal(m.rows[0].content_type, "application/pdf");
    assert_string_equal(m.rows[1].file, "b \"q\".txt");
    assert_int_equal(m.rows[1].type, ATT_COVER_LETTER);
    assert_null(m.rows[1].name);             /* empty = absent */
    assert_int_equal(m.rows[1].line, 4);
    assert_string_equal(m.rows[2].file, "multi\nline.txt");
    assert_int_equal(m.rows[2].type, ATT_CV); /* the default */
    assert_int_equal(m.rows[2].line, 5);
    assert_int_equal(m.rows[3].line, 7);      /* after the quoted line break */
    manifest_free(&m);
}

static void test_csv_every_problem(void **state)
{
    (void)state;
    struct manifest m;
    parse("file,candidate,application,email,type\n"
          "a.pdf,C1,,,CV\n"             /* 2: fine */
          ",C1,,,CV\n"                  /* 3: no file */
          "b.pdf,,,,CV\n"               /* 4: no target */
          "c.pdf,C1,A1,,CV\n"           /* 5: two targets */
          "d.pdf,C1,,,RESUME\n"         /* 6: bad type */
          "e.pdf,C1,,,CV,extra\n"       /* 7: too many fields */
          "f.pdf,C1,,,\xff\n",          /* 8: not UTF-8 */
          NULL, &m);
    assert_int_equal(m.n_rows, 7);
    assert_false(m.rows[0].bad);
    assert_true(has_problem(&m, 3, "no file"));
    assert_true(has_problem(&m, 4, "no target"));
    assert_true(has_problem(&m, 5, "2 targets"));
    assert_true(has_problem(&m, 6, "RESUME"));
    assert_true(has_problem(&m, 7, "more fields"));
    assert_true(has_problem(&m, 8, "UTF-8"));
    for (size_t i = 1; i < m.n_rows; i++)
        assert_true(m.rows[i].bad);
    manifest_free(&m);
}

static void test_csv_header_problems(void **state)
{
    (void)state;
    struct manifest m;
    parse("candidate,colour,candidate\nC1,red,C2\n", "m.csv", &m);
    assert_true(has_problem(&m, 1, "unknown column \"colour\""));
    assert_true(has_problem(&m, 1, "appears twice"));
    assert_true(has_problem(&m, 1, "no \"file\" column"));
    assert_true(m.rows[0].bad);              /* not trusted under a broken header */
    manifest_free(&m);
    parse("", "m.csv", &m);
    assert_true(has_problem(&m, 0, "empty"));
    manifest_free(&m);
    parse("file,candidate\n\"a.pdf,C1\n", "m.csv", &m);
    assert_true(m.n_problems >= 1);
    for (size_t i = 0; i < m.n_rows; i++)
        assert_true(m.rows[i].bad);           /* an unclosed quote: nothing is sent */
    manifest_free(&m);
}

static void test_jsonl(void **state)
{
    (void)state;
    struct manifest m;
    parse("{\"file\":\"a.pdf\",\"email\":\"x@example.com\",\"type\":\"OTHER\"}\n"
          "\n"
          "{\"file\":\"b.pdf\",\"application\":\"A1\",\"name\":null}\n"
          "{\"file\":1,\"candidate\":\"C\"}\n"
          "not json\n"
          "{\"file\":\"c\",\"candidate\":\"C\",\"colour\":\"red\"}\n"
          "{\"file\":\"d\",\"candidate\":\"C\"} trailing\n", NULL, &m);
    assert_int_equal(m.format, MANIFEST_JSONL);
    assert_int_equal(m.n_rows, 6);
    assert_false(m.rows[0].bad);
    assert_string_equal(m.rows[0].email, "x@example.com");
    assert_int_equal(m.rows[0].type, ATT_OTHER);
    assert_false(m.rows[1].bad);
    assert_int_equal(m.rows[1].line, 3);
    assert_true(has_problem(&m, 4, "must be a string"));
    assert_true(has_problem(&m, 5, "not a JSON object"));
    assert_true(has_problem(&m, 6, "unknown key \"colour\""));
    assert_true(has_problem(&m, 7, "text after"));
    manifest_free(&m);
}

static void test_format_choice(void **state)
{
    (void)state;
    assert_int_equal(manifest_format_for("x/rows.CSV"), MANIFEST_CSV);
    assert_int_equal(manifest_format_for("rows.jsonl"), MANIFEST_JSONL);
    assert_int_equal(manifest_format_for("rows.ndjson"), MANIFEST_JSONL);
    assert_int_equal(manifest_format_for("rows"), MANIFEST_AUTO);
    assert_int_equal(manifest_format_for("a.d/rows"), MANIFEST_AUTO);
    struct manifest m;
    parse("  {\"file\":\"a\",\"candidate\":\"C\"}\n", "rows.txt", &m);  /* by content */
    assert_int_equal(m.format, MANIFEST_JSONL);
    assert_int_equal(m.n_problems, 0);
    manifest_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_good),
        cmocka_unit_test(test_csv_every_problem),
        cmocka_unit_test(test_csv_header_problems),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_format_choice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
