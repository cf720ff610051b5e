/* ui/help.c: the help screen's text comes from the binding tables (keys by name, a column
 * for them, descriptions wrapped beside), and the man page's INTERACTIVE KEYS section names
 * every key of every table of every screen, in bold, as the help screen names it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "help.h"
#include "helpers.h"
#include "keys.h"

static void test_format(void **state)
{
    (void)state;
    static const struct binding t[] = {
        { { '\r', '\n', 0 }, "Enter", "pick", 1, "attach the highlighted file; open a folder" },
        { { 'k', CTRL_KEY('p'), 0 }, "k", NULL, 2, "up a row" },
        { { 'x', 0 }, "x", NULL, 3, NULL }, /* nothing to say: left out */
    };
    struct help_section s = { "Files", t, 3 };
    struct help_line *l;
    size_t n = help_format(&s, 1, 30, &l);
    assert_int_equal(n, 5);
    assert_true(l[0].title);
    assert_string_equal(l[0].text, "Files");
    /* the keys in a column as wide as the widest names, the words wrapped beside them */
    assert_string_equal(l[1].text, "  Enter  attach the");
    assert_string_equal(l[2].text, "         highlighted file;");
    assert_string_equal(l[3].text, "         open a folder");
    assert_string_equal(l[4].text, "  k ^P   up a row");
    for (size_t i = 0; i < n; i++)
        assert_true(strlen(l[i].text) <= 30);
    help_lines_free(l, n);
}

/* The man page's section, its bold words (what .B, .BR and \fB...\fR set in bold). */
static char **bold_words(size_t *count)
{
    char path[600];
    snprintf(path, sizeof path, "%s/../kombo-attach.1", getenv("KA_TESTS_DIR"));
    char *man = th_slurp(path, NULL);
    assert_non_null(man);
    char *start = strstr(man, "\n.SH INTERACTIVE KEYS\n");
    assert_non_null(start);
    char *end = strstr(start + 1, "\n.SH ");
    assert_non_null(end);
    *end = '\0';
    char **words = NULL;
    size_t n = 0;
    for (char *line = start + 1; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        bool br = strncmp(line, ".BR ", 4) == 0, b = strncmp(line, ".B ", 3) == 0;
        if (br || b) {
            /* arguments, quoted ones whole; with .BR every other one is bold */
            char *p = line + (br ? 4 : 3);
            for (int k = 0; *p; k++) {
                while (*p == ' ')
                    p++;
                if (!*p)
                    break;
                char *q;
                if (*p == '"') {
                    q = strchr(p + 1, '"');
                    p = q ? q + 1 : p + strlen(p);
                    continue; /* quoted: the roman parts */
                }
                q = p + strcspn(p, " ");
                if (k % 2 == 0 || b) {
                    words = realloc(words, (n + 1) * sizeof *words);
                    words[n++] = strndup(p, (size_t)(q - p));
                }
                p = q;
            }
        }
        for (char *f = strstr(line, "\\fB"); f; f = strstr(f, "\\fB")) {
            f += 3;
            char *e = strstr(f, "\\fR");
            if (!e)
                break;
            words = realloc(words, (n + 1) * sizeof *words);
            words[n++] = strndup(f, (size_t)(e - f));
            f = e;
        }
        line = nl ? nl + 1 : NULL;
    }
    /* roff's \- is a hyphen */
    for (size_t i = 0; i < n; i++) {
        char *o = words[i];
        for (char *p = words[i]; *p; p++)
            if (!(p[0] == '\\' && p[1] == '-'))
                *o++ = *p;
        *o = '\0';
    }
    free(man);
    *count = n;
    return words;
}

static void test_man_page_names_every_key(void **state)
{
    (void)state;
    size_t nw;
    char **words = bold_words(&nw);
    struct help_section s[40];
    size_t ns = help_doc(s, 40);
    assert_true(ns >= 10);
    size_t checked = 0;
    for (size_t i = 0; i < ns; i++) {
        for (size_t r = 0; r < s[i].n; r++) {
            const struct binding *b = &s[i].t[r];
            for (size_t k = 0; k < sizeof b->keys / sizeof b->keys[0] && b->keys[k]; k++) {
                char name[40];
                keys_name(b->keys[k], name, sizeof name);
                bool found = false;
                for (size_t w = 0; w < nw && !found; w++)
                    found = strcmp(words[w], name) == 0;
                if (!found)
                    fail_msg("%s: key %s (%s) is not in the man page's INTERACTIVE KEYS", s[i].title,
                             name, b->help ? b->help : b->label);
                checked++;
            }
        }
    }
    assert_true(checked > 100);
    for (size_t w = 0; w < nw; w++)
        free(words[w]);
    free(words);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_man_page_names_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
