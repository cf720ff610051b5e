/* ui/form_target.c: who the files go to (the default application: the one open
 * application, else the candidate), the application choice, the target's files (a file of
 * the same name is flagged), and what the integration accepts (a file it refuses cannot
 * be sent, and the form says why). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "candidate.h"
#include "form_model.h"
#include "form_fixture.h"
#include "helpers.h"
#include "listing.h"
#include "restrict.h"



static int setup(void **state)
{
    (void)state;
    static const struct ff_file files[] = {
        { "cv.txt", "Frank Doe, recruiter's notes\n", 0, 0 },
        { "letter.pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", 0, 0 },
    };
    return ff_setup(files, sizeof files / sizeof files[0]);
}


static void set_file(struct form_model *m, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    char *paths[1] = { p };
    fm_set_files(m, paths, 1);
}

static cJSON *parse(const char *text)
{
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    return j;
}

/* A candidate with applications of these outcomes ("P", "D", "H", "-" for null). */
static void make_candidate(struct candidate *c, const char *outcomes)
{
    char buf[4096];
    size_t k = (size_t)snprintf(buf, sizeof buf, "{\"id\":\"%s\",\"first_name\":\"Frank\",\"last_name\":\"Doe\","
                                "\"applications\":[", KOMBO_ID);
    for (size_t i = 0; outcomes[i]; i++) {
        const char *o = outcomes[i] == 'P' ? "\"PENDING\"" : outcomes[i] == 'D' ? "\"DECLINED\"" :
                        outcomes[i] == 'H' ? "\"HIRED\"" : "null";
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s{\"id\":\"app%zu\",\"outcome\":%s,\"job\":"
                              "{\"id\":\"j%zu\",\"name\":\"Job %zu\"}}", i ? "," : "", i, o, i, i);
    }
    snprintf(buf + k, sizeof buf - k, "]}");
    cJSON *j = parse(buf);
    char why[200];
    assert_int_equal(candidate_parse(j, c, why, sizeof why), 0);
    cJSON_Delete(j);
}

static void test_default_application(void **state)
{
    (void)state;
    static const struct {
        const char *outcomes;
        int want;
    } rows[] = {
        { "", -1 },       /* no application: the candidate */
        { "P", 0 },       /* the one open application */
        { "DP", 1 },
        { "DHP-", 2 },
        { "PP", -1 },     /* two open: the user chooses, no guess */
        { "DD", -1 },
        { "-", -1 },      /* an outcome not known is not "open" */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct candidate c;
        make_candidate(&c, rows[i].outcomes);
        if (fm_default_app(&c) != rows[i].want)
            fail_msg("row %zu (%s): %d, want %d", i, rows[i].outcomes, fm_default_app(&c), rows[i].want);
        candidate_free(&c);
    }
    assert_int_equal(fm_default_app(NULL), -1);
}

static void test_choice_and_spec(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    set_file(&m, "cv.txt");
    assert_false(fm_focusable(&m, FM_APPLICATION)); /* nobody picked: nothing to choose */
    struct candidate c;
    make_candidate(&c, "DP");
    fm_set_target(&m, &c);
    candidate_free(&c);
    assert_string_equal(fm_candidate(&m), KOMBO_ID); /* the field holds the ID picked */
    assert_string_equal(fm_candidate_name(&m), "Frank Doe");
    assert_true(fm_focusable(&m, FM_APPLICATION));
    assert_string_equal(fm_application(&m)->id, "app1");
    fm_cycle_app(&m, +1); /* after the last: the candidate itself */
    assert_null(fm_application(&m));
    fm_cycle_app(&m, +1);
    assert_string_equal(fm_application(&m)->id, "app0");
    fm_cycle_app(&m, -1);
    assert_null(fm_application(&m));
    fm_cycle_app(&m, -1);
    assert_string_equal(fm_application(&m)->id, "app1");

    struct batch_spec spec;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_string_equal(spec.candidate, KOMBO_ID);
    assert_string_equal(spec.application_id, "app1");
    assert_string_equal(spec.job_name, "Job 1");
    assert_string_equal(spec.candidate_name, "Frank Doe");

    /* another ID typed: the target goes, and with it the application */
    m.focus = FM_CANDIDATE;
    fm_edit(&m, LE_END);
    fm_edit(&m, LE_BACKSPACE);
    fm_insert(&m, L'b');
    assert_false(m.have_target);
    assert_null(fm_application(&m));
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_null(spec.application_id);
    fm_free(&m);
}

static void test_same_name_flagged(void **state)
{
    (void)state;
    cJSON *j = parse("{\"status\":\"success\",\"data\":{\"results\":["
                     "{\"id\":\"a1\",\"file_name\":\"cv.txt\",\"type\":\"CV\",\"remote_created_at\":\"2024-01-02T00:00:00Z\"},"
                     "{\"id\":\"a2\",\"file_name\":\"other.pdf\",\"type\":\"OTHER\"}]}}");
    struct listing l;
    char err[200];
    assert_int_equal(listing_parse(j, &l, err, sizeof err), 0);
    cJSON_Delete(j);

    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    set_file(&m, "cv.txt");
    assert_int_equal(m.checks[FM_NAME].level, FM_FINE);
    fm_set_existing(&m, &l);
    assert_int_equal(m.checks[FM_NAME].level, FM_WARNING);
    assert_non_null(strstr(m.checks[FM_NAME].msg, "already there"));
    assert_string_equal(m.files[0].same_name_date, "2024-01-02T00:00:00Z");
    /* a warning, not a refusal: sending is the user's call */
    struct batch_spec spec;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    /* renamed: nothing to say */
    m.focus = FM_NAME;
    fm_edit(&m, LE_END);
    fm_insert(&m, L'2');
    assert_int_equal(m.checks[FM_NAME].level, FM_FINE);
    assert_null(m.files[0].same_name_date);
    fm_set_existing(&m, NULL);
    fm_free(&m);

    /* several files: the row of the one with a listed name says it */
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/cv.txt", dir);
    snprintf(p2, sizeof p2, "%s/letter.pdf", dir);
    char *paths[2] = { p1, p2 };
    fm_set_files(&m, paths, 2);
    fm_set_existing(&m, &l);
    assert_int_equal(m.files[0].check.level, FM_WARNING);
    assert_int_equal(m.files[1].check.level, FM_FINE);
    fm_free(&m);
    listing_free(&l);
}

static void test_restriction_refuses(void **state)
{
    (void)state;
    /* CV: PDF only up to 10 MiB; COVER_LETTER not supported */
    cJSON *j = parse("{\"status\":\"success\",\"data\":{\"attachment_restrictions\":{\"types\":{"
                     "\"CV\":{\"is_supported\":true,\"max_file_size_bytes\":10485760,"
                     "\"accepted_mime_types\":[\"application/pdf\"]},"
                     "\"COVER_LETTER\":{\"is_supported\":false},"
                     "\"OTHER\":{\"is_supported\":true,\"max_file_size_bytes\":null,\"accepted_mime_types\":null}}}}}");
    struct restrictions r;
    char err[200];
    assert_int_equal(restrict_parse(j, &r, err, sizeof err), 0);
    cJSON_Delete(j);

    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    set_file(&m, "cv.txt"); /* text/plain */
    assert_int_equal(m.checks[FM_TYPE].level, FM_FINE);
    fm_set_restrictions(&m, &r);
    assert_int_equal(m.checks[FM_TYPE].level, FM_ERROR);
    assert_non_null(strstr(m.checks[FM_TYPE].msg, "application/pdf"));
    struct batch_spec spec;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_FIX_FIELDS);
    assert_int_equal(m.focus, FM_TYPE); /* the focus goes where the reason is */
    /* a type it takes: sendable */
    fm_cycle_type(&m, +1);                   /* COVER_LETTER: not supported */
    assert_int_equal(m.checks[FM_TYPE].level, FM_ERROR);
    assert_non_null(strstr(m.checks[FM_TYPE].msg, "COVER_LETTER"));
    fm_cycle_type(&m, +1);                   /* OTHER: anything */
    assert_int_equal(m.checks[FM_TYPE].level, FM_FINE);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    fm_free(&m);

    /* a PDF as CV is fine */
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    set_file(&m, "letter.pdf");
    fm_set_restrictions(&m, &r);
    assert_int_equal(m.checks[FM_TYPE].level, FM_FINE);
    fm_free(&m);
    restrict_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_application),
        cmocka_unit_test(test_choice_and_spec),
        cmocka_unit_test(test_same_name_flagged),
        cmocka_unit_test(test_restriction_refuses),
    };
    return cmocka_run_group_tests(tests, setup, ff_teardown);
}
