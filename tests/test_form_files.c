/* ui/form_files.c and the form model's newer parts: a file name that is not text opens the
 * form on that name, to be fixed (never the command line's "--name"); a pasted candidate ID
 * is sent without the white space around it; several files get a type each; "edit" keeps
 * what was typed for the files not attached; the files' SHA-256 is worked out in steps and
 * the history's earlier uploads of the same content to the candidate are found; recent
 * candidates come with their names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "filehash.h"
#include "form_model.h"
#include "form_fixture.h"
#include "helpers.h"
#include "history.h"



static int setup(void **state)
{
    (void)state;
    static const struct ff_file files[] = {
        { "cv.txt", "Frank Doe, recruiter's notes\n", 0, 0 },
        { "letter.txt", "Dear team,\n", 0, 0 },
        { "big.bin", NULL, 9 << 20, 3 },  /* several hash steps */
        { "bad\xffname.txt", "x\n", 0, 0 },
    };
    return ff_setup(files, sizeof files / sizeof files[0]);
}



static void files(struct form_model *m, const char *a, const char *b, const char *c)
{
    char *paths[3] = { in_dir(a), b ? in_dir(b) : NULL, c ? in_dir(c) : NULL };
    fm_set_files(m, paths, c ? 3 : b ? 2 : 1);
}


/* Type UTF-8 text character by character. */
static void type_utf8(struct form_model *m, const wchar_t *s)
{
    while (*s)
        fm_insert(m, *s++);
}

static void test_name_not_text_opens_on_it(void **state)
{
    (void)state;
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    files(&m, "bad\xffname.txt", NULL, NULL);
    /* on the name, not on [Send] (though the candidate is given), marked to fix */
    assert_int_equal(m.focus, FM_NAME);
    assert_string_equal(m.files[0].name.buf, "bad\xef\xbf\xbdname.txt");
    assert_int_equal(m.checks[FM_NAME].level, FM_ERROR);
    assert_null(strstr(m.checks[FM_NAME].msg, "--name"));
    assert_non_null(strstr(m.checks[FM_NAME].msg, "type the name"));
    m.focus = FM_SEND;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_FIX_FIELDS);
    assert_int_equal(m.focus, FM_NAME);
    /* mend it in place: the bad character goes */
    for (int i = 0; i < 8; i++)
        fm_edit(&m, LE_LEFT);
    fm_edit(&m, LE_BACKSPACE);
    type_text(&m, "_");
    assert_string_equal(m.files[0].name.buf, "bad_name.txt");
    assert_int_equal(m.checks[FM_NAME].level, FM_FINE);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_string_equal(spec.names[0], "bad_name.txt");
    fm_free(&m);
}

static void test_candidate_trimmed(void **state)
{
    (void)state;
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, NULL, ATT_CV, 0);
    files(&m, "cv.txt", NULL, NULL);
    /* a paste brings spaces and no-break spaces along (newlines and tabs never get in:
     * they are keys) */
    type_utf8(&m, L"  \u00a0" KOMBO_ID L" \u3000 ");
    assert_string_equal(fm_candidate(&m), KOMBO_ID);
    assert_int_equal(m.checks[FM_CANDIDATE].level, FM_FINE); /* checked as sent */
    /* leaving the field shows what will be sent */
    fm_move_focus(&m, +1);
    assert_string_equal(m.cand.buf, KOMBO_ID);
    m.focus = FM_CANDIDATE;
    fm_edit(&m, LE_END);
    type_text(&m, "   ");
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_string_equal(spec.candidate, KOMBO_ID);
    assert_string_equal(m.recent[0], KOMBO_ID);
    /* only spaces: still required */
    fm_edit(&m, LE_KILL_TO_START);
    m.focus = FM_CANDIDATE;
    type_text(&m, "   ");
    assert_int_equal(m.checks[FM_CANDIDATE].level, FM_ERROR);
    fm_free(&m);
}

static void test_a_type_for_each_file(void **state)
{
    (void)state;
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    files(&m, "cv.txt", "letter.txt", NULL);
    assert_false(fm_types_mixed(&m));
    /* the second file's row: ^T changes its type alone */
    m.focus = FM_FILE;
    m.focus_file = 1;
    fm_cycle_type(&m, +1);
    assert_int_equal(m.files[0].type, ATT_CV);
    assert_int_equal(m.files[1].type, ATT_COVER_LETTER);
    assert_true(fm_types_mixed(&m));
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_int_equal(spec.types[0], ATT_CV);
    assert_int_equal(spec.types[1], ATT_COVER_LETTER);
    /* the Type field sets them all: mixed, the first press makes them the same */
    m.focus = FM_TYPE;
    fm_cycle_type(&m, +1);
    assert_false(fm_types_mixed(&m));
    assert_int_equal(m.files[1].type, ATT_CV);
    fm_cycle_type(&m, +1);
    assert_int_equal(m.files[0].type, ATT_COVER_LETTER);
    assert_int_equal(m.files[1].type, ATT_COVER_LETTER);
    /* the rows are stops of their own for Tab and the arrows */
    m.focus = FM_CTYPE;
    fm_move_focus(&m, +1);
    assert_int_equal(m.focus, FM_FILE);
    assert_int_equal(m.focus_file, 0);
    fm_move_focus(&m, +1);
    assert_int_equal(m.focus_file, 1);
    fm_move_focus(&m, +1);
    assert_int_equal(m.focus, FM_SEND);
    fm_move_focus(&m, -1);
    assert_int_equal(m.focus, FM_FILE);
    assert_int_equal(m.focus_file, 1);
    fm_free(&m);
}

static void test_keep_files_not_attached(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    files(&m, "cv.txt", "letter.txt", "bad\xffname.txt");
    m.focus = FM_FILE;
    m.focus_file = 1;
    fm_edit(&m, LE_END);
    type_text(&m, " (2)");
    fm_cycle_type(&m, +1);
    /* cv.txt was attached: the other two stay, as they were typed */
    char *keep[2] = { in_dir("letter.txt"), in_dir("bad\xffname.txt") };
    fm_keep_files(&m, keep, 2);
    assert_int_equal(m.n_files, 2);
    assert_string_equal(m.files[0].name.buf, "letter.txt (2)");
    assert_int_equal(m.files[0].type, ATT_COVER_LETTER);
    /* and the one still to fix is where the form opens */
    assert_int_equal(m.focus, FM_FILE);
    assert_int_equal(m.focus_file, 1);
    /* one left: it becomes the Name field's */
    char *one[1] = { in_dir("letter.txt") };
    fm_keep_files(&m, one, 1);
    assert_false(fm_multi(&m));
    assert_string_equal(m.files[0].name.buf, "letter.txt (2)");
    assert_string_equal(m.ctype.buf, "text/plain");
    fm_free(&m);
}

static void test_hash_in_steps_and_duplicates(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    files(&m, "cv.txt", "big.bin", NULL);
    int steps = 0;
    while (fm_hash_step(&m, 1 << 20))
        assert_true(++steps < 100);
    assert_true(steps >= 8); /* 9 MiB in 1 MiB steps: never all at once */
    assert_false(fm_hash_step(&m, 0));
    uint64_t done, of;
    fm_hash_progress(&m, &done, &of);
    assert_true(done == of);
    char want[65], err[256];
    assert_int_equal(filehash_file(in_dir("big.bin"), want, err, sizeof err), 0);
    assert_string_equal(m.files[1].sha256, want);

    /* nothing in the history yet */
    assert_int_equal(fm_find_duplicates(&m, "sandbox", "test:form"), 0);
    struct history_entry e = {
        .time = 1700000000, .path = in_dir("big.bin"), .size = 9 << 20, .sha256 = want,
        .candidate = KOMBO_ID, .type = "CV", .name = "big.bin", .content_type = "application/octet-stream",
        .server = "sandbox", .integration = "test:form", .outcome = "ok", .http_status = 200, .attempts = 1,
    };
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    assert_int_equal(fm_find_duplicates(&m, "sandbox", "test:form"), 1);
    assert_false(m.files[0].dup);
    assert_true(m.files[1].dup);
    assert_int_equal(m.files[1].dup_time, 1700000000);
    /* another integration or candidate: no duplicate */
    assert_int_equal(fm_find_duplicates(&m, "sandbox", "other:integration"), 0);
    /* skipping them leaves the others */
    struct batch_spec spec;
    assert_int_equal(fm_find_duplicates(&m, "sandbox", "test:form"), 1);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_int_equal(spec.n, 2);
    assert_string_equal(spec.sha256[1], want);
    fm_spec(&m, true, &spec);
    assert_int_equal(spec.n, 1);
    assert_string_equal(spec.paths[0], in_dir("cv.txt"));
    /* a file changed since it was hashed is hashed again */
    th_write_text(in_dir("cv.txt"), "a new version, longer than before\n");
    fm_hash_recheck(&m);
    assert_string_equal(m.files[0].sha256, "");
    assert_true(fm_hash_step(&m, 0));
    fm_free(&m);
}

static void test_recent_candidates_with_names(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    files(&m, "cv.txt", NULL, NULL);
    fm_remember_named(&m, "7ZaPLLpz5rBdxYbF1gHDmWqv", NULL);
    fm_remember_named(&m, KOMBO_ID, "Frank Doe");
    assert_true(fm_cycle_recent(&m, +1));
    assert_string_equal(m.cand.buf, KOMBO_ID);
    assert_string_equal(fm_candidate_name(&m), "Frank Doe");
    assert_int_equal(m.checks[FM_CANDIDATE].level, FM_HINT);
    assert_string_equal(m.checks[FM_CANDIDATE].msg, "Frank Doe (from earlier uploads)");
    struct batch_spec spec;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_string_equal(spec.candidate_name, "Frank Doe");
    assert_true(fm_cycle_recent(&m, +1));
    assert_null(fm_candidate_name(&m));
    fm_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_not_text_opens_on_it),
        cmocka_unit_test(test_candidate_trimmed),
        cmocka_unit_test(test_a_type_for_each_file),
        cmocka_unit_test(test_keep_files_not_attached),
        cmocka_unit_test(test_hash_in_steps_and_duplicates),
        cmocka_unit_test(test_recent_candidates_with_names),
    };
    return cmocka_run_group_tests(tests, setup, ff_teardown);
}
