/* The one table of Kombo's error codes (kombo_codes.c): the README's troubleshooting table
 * says exactly what it says, row by row, and it covers every code the API contract names. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failmsg.h"
#include "kombo_codes.h"

/* "| `PLATFORM.X` ..." and not "| `no integration ID` ...": a Kombo code is upper-case
 * words joined by one dot. */
static bool is_code_row(const char *line)
{
    if (strncmp(line, "| `", 3) != 0)
        return false;
    size_t n = strspn(line + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_.");
    const char *dot = memchr(line + 3, '.', n);
    return n > 2 && line[3 + n] == '`' && dot && dot > line + 3 && dot < line + 3 + n - 1;
}

/* The README's rows whose first cell starts with a backticked code, as "codes|meaning|todo"
 * with the codes joined by ", " as the README writes them. */
static char **readme_rows(size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/../README.md", getenv("KA_TESTS_DIR"));
    char *text = th_slurp(path, NULL);
    if (!text)
        fail_msg("cannot read %s", path);
    char *sec = strstr(text, "## Troubleshooting");
    assert_non_null(sec);
    char *end = strstr(sec + 1, "\n## ");
    if (end)
        *end = '\0';
    char **rows = NULL;
    *n = 0;
    for (char *line = strtok(sec, "\n"); line; line = strtok(NULL, "\n")) {
        if (!is_code_row(line))
            continue;
        rows = realloc(rows, (*n + 1) * sizeof *rows);
        rows[(*n)++] = strdup(line);
    }
    free(text);
    return rows;
}

static void test_readme_matches_table(void **state)
{
    (void)state;
    size_t nt, nr;
    const struct kombo_code_row *t = kombo_codes(&nt);
    char **r = readme_rows(&nr);
    if (nr != nt)
        fail_msg("README has %zu code rows, the table %zu", nr, nt);
    for (size_t i = 0; i < nt; i++) {
        char want[1024], codes[512] = "";
        for (size_t k = 0; t[i].codes[k]; k++) {
            char one[80];
            snprintf(one, sizeof one, "%s`%s`", k ? ", " : "", t[i].codes[k]);
            strcat(codes, one);
        }
        snprintf(want, sizeof want, "| %s | %s | %s |", codes, t[i].meaning, t[i].todo);
        if (strcmp(r[i], want) != 0)
            fail_msg("README row %zu:\n  %s\nthe table says:\n  %s", i + 1, r[i], want);
        free(r[i]);
    }
    free(r);
}

/* Every code of shared/kombo-api.md has advice (skipped when the contract is not beside). */
static void test_contract_codes_covered(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s/../../shared/kombo-api.md", getenv("KA_TESTS_DIR"));
    char *text = th_slurp(path, NULL);
    if (!text) {
        fprintf(stderr, "note: %s not found; contract coverage not checked\n", path);
        return;
    }
    char *list = strstr(text, "Codes seen for ATS endpoints:");
    assert_non_null(list);
    char *stop = strstr(list, "A proxy");
    if (stop)
        *stop = '\0';
    size_t found = 0;
    for (char *p = strchr(list, '`'); p; p = strchr(p, '`')) {
        char *q = strchr(p + 1, '`');
        if (!q)
            break;
        *q = '\0';
        if (!kombo_code_find(p + 1))
            fail_msg("no advice for %s", p + 1);
        if (!failmsg_hint(400, p + 1, NULL))
            fail_msg("failmsg_hint gives nothing for %s", p + 1);
        found++;
        p = q + 1;
    }
    assert_true(found >= 20);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readme_matches_table),
        cmocka_unit_test(test_contract_codes_covered),
    };
    return cmocka_run_group_tests_name("kombo_codes", tests, NULL, NULL);
}
