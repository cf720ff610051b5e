/* fuzzy.c: which names match (letters in order, case and accents ignored), where the
 * matched letters are, and the order of names by score (runs and word starts first,
 * shorter names breaking ties), as tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "fuzzy.h"
#include "helpers.h"

struct match_case {
    const char *pattern, *name;
    bool ok;
    const char *marks; /* the name with each matched byte shown as ^, others as . */
};

static const struct match_case match_cases[] = {
    { "cvfd", "cv-frank-doe.pdf", true, "^^.^.....^......" },
    { "cv", "CV_old.pdf", true, "^^........" },
    { "abc", "acb", false, NULL },                       /* in order */
    { "abc", "xaxbxcx", true, ".^.^.^." },
    { "", "anything", true, "........" },
    { "muller", "M\xc3\xbcller.pdf", true, "^^^^^^^...." },   /* ü is u, both bytes marked */
    { "M\xc3\x9cLLER", "muller", true, "^^^^^^" },          /* and Ü in the pattern */
    { "lodz", "\xc5\x81\xc3\xb3\x64\xc5\xba.txt", true, "^^^^^^^...." },  /* Łódź */
    { "strasse", "Stra\xc3\x9f" "e", true, "^^^^^^^" },     /* ß is ss */
    { "resume", "R\xc3\xa9sum\xc3\xa9.pdf", true, "^^^^^^^^...." },
    { "r\xc3\xa9sum\xc3\xa9", "resume.txt", true, "^^^^^^...." },
    { "\xce\xbf\xce\xb4", "\xce\x9f\xce\x94\xce\xa5", true, "^^^^.." },   /* Greek capitals */
    { "frank doe", "Frank Doe CV.txt", true, "^^^^^.^^^......." }, /* a space in the pattern is skipped */
    { "x", "abc", false, NULL },
    { "abcd", "abc", false, NULL },
    { "\xff", "bad\xff" "name", true, "...^...." },        /* an invalid byte matches itself */
    { "\xff", "bad\xc3\xbf", false, NULL },                /* and not the letter U+00FF */
    { "da", "docs/april.pdf", true, "^....^........" },   /* d at the start, a after the slash */
};

static void test_match(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof match_cases / sizeof match_cases[0]; i++) {
        const struct match_case *c = &match_cases[i];
        struct fz_pattern *p = fz_new(c->pattern);
        struct fz_hits h;
        int score;
        bool ok = fz_match(p, c->name, &score, &h);
        if (ok != c->ok)
            fail_msg("case %zu (%s in %s): match %d, want %d", i, c->pattern, c->name, ok, c->ok);
        if (ok) {
            size_t n = strlen(c->name);
            char got[64];
            memset(got, '.', n);
            got[n] = '\0';
            for (size_t k = 0; k < h.n; k++)
                memset(got + h.off[k], '^', h.len[k]);
            if (strcmp(got, c->marks) != 0)
                fail_msg("case %zu (%s in %s): marks %s, want %s", i, c->pattern, c->name, got, c->marks);
        }
        assert_int_equal(fz_match(p, c->name, NULL, NULL), ok); /* the quick answer agrees */
        fz_free(p);
    }
}

struct rank_case {
    const char *pattern;
    const char *names[5]; /* best first, as they must rank */
};

static const struct rank_case rank_cases[] = {
    /* a run beats scattered letters */
    { "cv", { "cv.pdf", "cover.pdf", NULL } },
    /* word starts beat letters inside words */
    { "fd", { "frank-doe.pdf", "afford.txt", NULL } },
    { "cvfd", { "cv-frank-doe.pdf", "cv-final-draft.pdf", "civil-fund-doc.txt", NULL } },
    /* after a slash is a word start too; the start of the name counts most */
    { "rep", { "report.pdf", "old/report.pdf", "mrep.txt", NULL } },
    /* equal scores: the shorter name first (the caller breaks the tie by length) */
    { "cv", { "cv.pdf", "cv.docx", NULL } },
    /* camel case and digits are word starts */
    { "fd", { "FrankDoe.pdf", "fiddle.pdf", NULL } },
    /* a consecutive run starting on a word is worth more than two word starts apart */
    { "doe", { "doe.txt", "d-o-e.txt", "dxoxe.txt", NULL } },
};

static void test_rank(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rank_cases / sizeof rank_cases[0]; i++) {
        const struct rank_case *c = &rank_cases[i];
        struct fz_pattern *p = fz_new(c->pattern);
        int prev = 0;
        size_t prev_len = 0;
        for (size_t k = 0; k < 5 && c->names[k]; k++) {
            int s;
            if (!fz_match(p, c->names[k], &s, NULL))
                fail_msg("rank %zu: %s does not match %s", i, c->pattern, c->names[k]);
            size_t len = strlen(c->names[k]);
            if (k && (s > prev || (s == prev && len < prev_len)))
                fail_msg("rank %zu: %s (%d) ranks above %s (%d) for %s", i, c->names[k], s,
                         c->names[k - 1], prev, c->pattern);
            prev = s;
            prev_len = len;
        }
        fz_free(p);
    }
}

static void test_narrows(void **state)
{
    (void)state;
    static const struct { const char *narrower, *wider; bool yes; } cases[] = {
        { "cvf", "cv", true }, { "cxv", "cv", true }, { "cv", "cvf", false }, { "vc", "cv", false },
        { "CV", "cv", true }, { "anything", "", true }, { "", "a", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fz_pattern *a = fz_new(cases[i].narrower), *b = fz_new(cases[i].wider);
        if (fz_narrows(a, b) != cases[i].yes)
            fail_msg("narrows %zu: %s / %s", i, cases[i].narrower, cases[i].wider);
        fz_free(a);
        fz_free(b);
    }
}

/* A long name (past the table's size) still matches, with the quick positions, and a long
 * pattern is no trouble either. */
static void test_long(void **state)
{
    (void)state;
    char name[8192];
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    memcpy(name + 4000, "cv", 2);
    memcpy(name + 8000, "pdf", 3);
    struct fz_pattern *p = fz_new("cvpdf");
    struct fz_hits h;
    int s;
    assert_true(fz_match(p, name, &s, &h));
    assert_int_equal(h.n, 2);
    assert_int_equal(h.off[0], 4000);
    assert_int_equal(h.len[0], 2);
    assert_int_equal(h.off[1], 8000);
    fz_free(p);
    char pat[300];
    memset(pat, 'x', sizeof pat - 1);
    pat[sizeof pat - 1] = '\0';
    p = fz_new(pat);
    assert_true(fz_match(p, name, &s, &h));
    assert_true(h.n >= 1);
    assert_false(fz_match(p, "xxx", &s, &h));
    fz_free(p);
}

/* The one-letter ASCII path (no table) says what the general one says: the same names
 * with a character after them that no letter folds to (→, a non-word: it changes no
 * earlier bonus) go the general way, and must match, score and mark the same. */
static void test_one_letter_fast_path(void **state)
{
    (void)state;
    static const char alphabet[] = "abcXYZ019 _-./";
    unsigned seed = 12345;
    for (int round = 0; round < 5000; round++) {
        char name[24], wide[32], pat[2];
        size_t len = 1 + (seed = seed * 1103515245u + 12345u) % 16;
        for (size_t i = 0; i < len; i++)
            name[i] = alphabet[(seed = seed * 1103515245u + 12345u) % (sizeof alphabet - 1)];
        name[len] = '\0';
        pat[0] = "abcxyz019_."[(seed = seed * 1103515245u + 12345u) % 11];
        pat[1] = '\0';
        snprintf(wide, sizeof wide, "%s\xe2\x86\x92", name);
        struct fz_pattern *p = fz_new(pat);
        int s1 = -1, s2 = -2;
        struct fz_hits h1, h2;
        bool m1 = fz_match(p, name, &s1, &h1), m2 = fz_match(p, wide, &s2, &h2);
        if (m1 != m2 || (m1 && (s1 != s2 || h1.n != h2.n || h1.off[0] != h2.off[0] ||
                                h1.len[0] != h2.len[0])))
            fail_msg("'%s' in \"%s\": fast %d/%d at %zu, general %d/%d at %zu", pat, name, m1,
                     s1, h1.n ? h1.off[0] : 0, m2, s2, h2.n ? h2.off[0] : 0);
        fz_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match),
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_narrows),
        cmocka_unit_test(test_long),
        cmocka_unit_test(test_one_letter_fast_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
