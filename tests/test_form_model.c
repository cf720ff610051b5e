/* ui/form_model.c: files and what is found out about them, focus order, the checks of each
 * field (candidate ID, name, content type, size limit), "required", recent IDs, sending. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>

#include "attachment.h"
#include "base64.h"
#include "batch.h"
#include "body.h"
#include "form_model.h"
#include "form_fixture.h"
#include "helpers.h"
#include "history.h"
#include "keys.h"



static int setup(void **state)
{
    (void)state;
    static const struct ff_file files[] = {
        { "cv.txt", "Frank Doe, recruiter's notes\n", 0, 0 },
        { "photo.bin", NULL, 1000, 7 },  /* random bytes: a generic type */
        { "letter.pdf", "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", 0, 0 },
    };
    return ff_setup(files, sizeof files / sizeof files[0]);
}



static void set_files(struct form_model *m, const char *a, const char *b)
{
    char *paths[2] = { in_dir(a), b ? in_dir(b) : NULL };
    fm_set_files(m, paths, b ? 2 : 1);
}


static void clear_field(struct form_model *m)
{
    fm_edit(m, LE_END);
    fm_edit(m, LE_KILL_TO_START);
}

static void test_one_file_fills_name_and_type(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    set_files(&m, "cv.txt", NULL);
    assert_int_equal(m.n_files, 1);
    assert_false(fm_multi(&m));
    assert_string_equal(m.files[0].base, "cv.txt");
    assert_int_equal(m.files[0].size, strlen("Frank Doe, recruiter's notes\n"));
    assert_string_equal(m.files[0].mime, "text/plain");
    assert_false(m.files[0].generic);
    assert_string_equal(m.files[0].name.buf, "cv.txt");
    assert_string_equal(m.ctype.buf, "text/plain");
    assert_int_equal(m.focus, FM_CANDIDATE); /* nothing typed yet */
    assert_int_equal(m.checks[FM_CANDIDATE].level, FM_HINT);
    assert_string_equal(m.checks[FM_CANDIDATE].msg, "required");
    fm_free(&m);

    /* a candidate ID given on the command line: straight to Send */
    fm_init(&m, KOMBO_ID, ATT_OTHER, 0);
    set_files(&m, "cv.txt", NULL);
    assert_int_equal(m.focus, FM_SEND);
    assert_int_equal(m.type, ATT_OTHER);
    assert_int_equal(m.checks[FM_CANDIDATE].level, FM_FINE);
    fm_free(&m);
}

static void test_several_files_keep_their_own(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    set_files(&m, "cv.txt", "photo.bin");
    assert_true(fm_multi(&m));
    assert_string_equal(m.files[0].name.buf, "cv.txt");   /* each its own, on its row */
    assert_string_equal(m.files[1].name.buf, "photo.bin");
    assert_string_equal(m.ctype.buf, "");
    assert_false(fm_focusable(&m, FM_NAME));
    assert_true(fm_focusable(&m, FM_FILE));
    assert_true(m.files[1].generic);
    assert_int_equal(m.checks[FM_CTYPE].level, FM_WARNING);
    assert_string_equal(m.checks[FM_CTYPE].msg,
                        "generic type for 1 of 2 files; type one here to use for all");
    /* a type typed here is used for all: the warning goes */
    m.focus = FM_CTYPE;
    type_text(&m, "application/pdf");
    assert_int_equal(m.checks[FM_CTYPE].level, FM_FINE);
    /* and the candidate ID stays when the files change */
    set_files(&m, "letter.pdf", NULL);
    assert_string_equal(m.cand.buf, KOMBO_ID);
    assert_string_equal(m.files[0].name.buf, "letter.pdf");
    assert_string_equal(m.ctype.buf, "application/pdf");
    fm_free(&m);
}

static void test_focus_order(void **state)
{
    (void)state;
    static const struct {
        bool multi;
        enum fm_field from;
        int dir;
        enum fm_field to;
    } rows[] = {
        { false, FM_CANDIDATE, +1, FM_TYPE },   /* the "coming soon" lines are skipped */
        { false, FM_TYPE, -1, FM_CANDIDATE },
        { false, FM_TYPE, +1, FM_NAME },
        { false, FM_NAME, +1, FM_CTYPE },
        { false, FM_CTYPE, +1, FM_SEND },
        { false, FM_SEND, +1, FM_SEND },        /* no wrap at the ends */
        { false, FM_CANDIDATE, -1, FM_CANDIDATE },
        { true, FM_TYPE, +1, FM_CTYPE },        /* several files: no name field */
        { true, FM_CTYPE, -1, FM_TYPE },
        { true, FM_CTYPE, +1, FM_FILE },        /* ... but a row for each file */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct form_model m;
        fm_init(&m, NULL, ATT_CV, 0);
        set_files(&m, "cv.txt", rows[i].multi ? "letter.pdf" : NULL);
        m.focus = rows[i].from;
        fm_move_focus(&m, rows[i].dir);
        if (m.focus != rows[i].to)
            fail_msg("row %zu: focus %d, want %d", i, m.focus, rows[i].to);
        fm_free(&m);
    }
}

/* Tab goes on past the ends (from [Send] to the first field); the arrows and Enter stop. */
static void test_tab_wraps(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    set_files(&m, "cv.txt", NULL);
    m.focus = FM_SEND;
    fm_tab_focus(&m, +1);
    assert_int_equal(m.focus, FM_CANDIDATE);
    fm_tab_focus(&m, -1);
    assert_int_equal(m.focus, FM_SEND);
    fm_tab_focus(&m, -1);
    assert_int_equal(m.focus, FM_CTYPE);
    m.focus = FM_SEND;
    fm_move_focus(&m, +1);
    assert_int_equal(m.focus, FM_SEND);
    fm_free(&m);
}

/* Alt chords in a text field edit it (Alt-B a word left, Alt-Backspace a word) and are
 * never typed; one with no meaning there is not the field's (the screen ignores it). */
static void test_alt_chords_in_fields(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    set_files(&m, "cv.txt", NULL);
    assert_int_equal(m.focus, FM_CANDIDATE);
    type_text(&m, "abc def");
    assert_true(fm_edit_key(&m, KEY_META('b')));
    assert_true(fm_edit_key(&m, 'X'));
    assert_string_equal(m.cand.buf, "abc Xdef");
    assert_true(fm_edit_key(&m, KEY_META(127)));
    assert_string_equal(m.cand.buf, "abc def");
    assert_false(fm_edit_key(&m, KEY_META('z')));
    assert_string_equal(m.cand.buf, "abc def");
    assert_int_equal(m.focus, FM_CANDIDATE);
    m.focus = FM_TYPE; /* not a text field: no editing key is its */
    assert_false(fm_edit_key(&m, 'x'));
    fm_free(&m);
}

/* A candidate from the command line opens the form on [Send]; after a send, the next files
 * open on the candidate ID, never on [Send]: two Enters must not send to the last one. */
static void test_next_files_open_on_the_candidate(void **state)
{
    (void)state;
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    set_files(&m, "cv.txt", NULL);
    assert_int_equal(m.focus, FM_SEND);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    set_files(&m, "letter.pdf", NULL);
    assert_int_equal(m.focus, FM_CANDIDATE);
    assert_string_equal(m.cand.buf, KOMBO_ID); /* the ID stays, to be read or changed */
    fm_move_focus(&m, +1);
    fm_move_focus(&m, +1);
    assert_int_not_equal(m.focus, FM_SEND);
    fm_free(&m);
}

/* Only the file that was picked is sent: swapped for a symlink to a secret, rewritten in
 * place with its mtime put back, or grown, between the pick and Ctrl-S, it is refused with
 * a message and nothing is read from it; untouched, it goes. */
static bool prepare_after(void (*change)(const char *path), char *why, size_t whylen)
{
    char path[512], secret[512];
    snprintf(path, sizeof path, "%s/picked.txt", dir);
    snprintf(secret, sizeof secret, "%s/secret", dir);
    unlink(path);
    th_write_text(path, "the CV that was picked\n");
    th_write_text(secret, "ks_live_not_for_the_ats\n");
    chmod(secret, 0600);
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    char *paths[1] = { path };
    fm_set_files(&m, paths, 1);
    if (change)
        change(path);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    struct batch b;
    batch_init(&b, &spec, 1);
    bool ok = batch_prepare(&b, 0, 0);
    snprintf(why, whylen, "%s", b.files[0].refused);
    batch_free(&b);
    fm_free(&m);
    return ok;
}

static void swap_for_symlink(const char *path)
{
    char secret[512];
    snprintf(secret, sizeof secret, "%s/secret", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(symlink(secret, path), 0);
}

static void rewrite_keep_mtime(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    usleep(20000); /* a later ctime, whatever the clock's resolution */
    FILE *f = fopen(path, "r+");
    assert_non_null(f);
    fputs("THE CV THAT WAS PICKED", f); /* same size */
    fclose(f);
    struct timespec t[2] = { st.st_atim, st.st_mtim };
    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

static void grow(const char *path)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs("more\n", f);
    fclose(f);
}

static void test_sends_only_the_picked_file(void **state)
{
    (void)state;
    char why[sizeof ((struct batch_file *)0)->refused];
    assert_true(prepare_after(NULL, why, sizeof why));
    assert_false(prepare_after(swap_for_symlink, why, sizeof why));
    if (!strstr(why, "picked.txt was replaced by another file since it was picked"))
        fail_msg("%s", why);
    assert_false(prepare_after(rewrite_keep_mtime, why, sizeof why));
    if (!strstr(why, "was modified since it was picked"))
        fail_msg("%s", why);
    assert_false(prepare_after(grow, why, sizeof why));
    if (!strstr(why, "was resized since it was picked"))
        fail_msg("%s", why);
}

/* A name with a bidi override or a zero-width character is marked and stops the first
 * Ctrl-S; the second sends it. A plain name never stops. */
static void test_odd_name_warns_once(void **state)
{
    (void)state;
    static const char *const odd[] = { "cv\xe2\x80\xae" "fdp.txt", "a\xe2\x80\x8b" "b.txt",
                                       "x\xe2\x81\xa6y.txt" };
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, odd[i]);
        th_write_text(path, "text\n");
        struct form_model m;
        struct batch_spec spec;
        fm_init(&m, KOMBO_ID, ATT_CV, 0);
        char *paths[1] = { path };
        fm_set_files(&m, paths, 1);
        assert_int_equal(m.checks[FM_NAME].level, FM_WARNING);
        assert_non_null(strstr(m.checks[FM_NAME].msg, "direction-changing"));
        assert_int_equal(fm_try_send(&m, &spec), FM_SEND_ODD_NAME);
        assert_int_equal(m.focus, FM_NAME);
        assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
        fm_free(&m);
        unlink(path);
    }
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    set_files(&m, "cv.txt", NULL);
    assert_int_equal(m.checks[FM_NAME].level, FM_FINE);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    fm_free(&m);
}

static void test_field_checks(void **state)
{
    (void)state;
    static const struct {
        enum fm_field field;
        const char *text;
        enum fm_level level;
        const char *msg;    /* NULL: any message */
    } rows[] = {
        { FM_CANDIDATE, KOMBO_ID, FM_FINE, "" },
        { FM_CANDIDATE, "", FM_HINT, "required" },
        { FM_CANDIDATE, "12345", FM_WARNING, "not a Kombo ID (24 base58 characters): pick a match below, or it is sent as typed" },
        { FM_CANDIDATE, "Frank Doe", FM_HINT, "pick the candidate from the matches below (Down, Enter)" },
        { FM_CANDIDATE, "frank@example.com", FM_HINT, NULL },
        { FM_CANDIDATE, "https://ats.example/p/1", FM_HINT, NULL },
        { FM_CANDIDATE, "4B7z5qJ8dXcR2mTnWvKpLs90", FM_WARNING, NULL },  /* '0' is not base58 */
        { FM_CANDIDATE, ".", FM_ERROR, NULL },
        { FM_CANDIDATE, "..", FM_ERROR, NULL },
        { FM_NAME, "Frank Doe CV.pdf", FM_FINE, "" },
        { FM_NAME, "", FM_ERROR, NULL },
        { FM_CTYPE, "application/pdf", FM_FINE, "" },
        { FM_CTYPE, "application/octet-stream", FM_WARNING,
          "generic: Kombo asks for a specific type, e.g. application/pdf" },
        { FM_CTYPE, "text/plain; charset=utf-8", FM_ERROR, NULL },
        { FM_CTYPE, "pdf", FM_ERROR, NULL },
        { FM_CTYPE, "", FM_ERROR, NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct form_model m;
        fm_init(&m, NULL, ATT_CV, 0);
        set_files(&m, "cv.txt", NULL);
        m.focus = rows[i].field;
        clear_field(&m);
        type_text(&m, rows[i].text);
        const struct fm_check *c = &m.checks[rows[i].field];
        if (c->level != rows[i].level)
            fail_msg("row %zu (%s): level %d, want %d (%s)", i, rows[i].text, c->level, rows[i].level, c->msg);
        if (rows[i].msg)
            assert_string_equal(c->msg, rows[i].msg);
        else
            assert_true(c->msg[0] != '\0');
        fm_free(&m);
    }
}

static void test_bad_names_among_several_files(void **state)
{
    (void)state;
    char p[512];
    snprintf(p, sizeof p, "%s/bad\x01name.txt", dir);
    th_write_text(p, "x");
    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    set_files(&m, "cv.txt", "bad\x01name.txt");
    /* the control character is not dropped in silence: it shows as U+FFFD, to be fixed on
     * the file's row, where the form opens */
    assert_string_equal(m.files[1].name.buf, "bad\xef\xbf\xbdname.txt");
    assert_int_equal(m.files[1].check.level, FM_ERROR);
    assert_null(strstr(m.files[1].check.msg, "--name"));
    assert_int_equal(m.focus, FM_FILE);
    assert_int_equal(m.focus_file, 1);
    struct batch_spec spec;
    m.focus = FM_SEND;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_FIX_FIELDS);
    assert_int_equal(m.focus, FM_FILE);
    assert_int_equal(m.focus_file, 1);
    clear_field(&m);
    type_text(&m, "bad name.txt");
    assert_int_equal(m.files[1].check.level, FM_FINE);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_int_equal(spec.n, 2);
    assert_string_equal(spec.names[0], "cv.txt");
    assert_string_equal(spec.names[1], "bad name.txt");
    fm_free(&m);
    unlink(p);
}

/* The length of the body body_open makes for the model's one file, as sent. */
static uint64_t sent_length(const struct form_model *m, const char *rf)
{
    struct attachment att;
    char err[256];
    if (attachment_init(&att, m->files[0].path, m->files[0].name.buf, m->files[0].type, m->ctype.buf, err, sizeof err))
        fail_msg("attachment_init: %s", err);
    int code;
    struct body *b = body_open(&att, rf, &code, err, sizeof err);
    if (!b)
        fail_msg("body_open: %s", err);
    uint64_t n = body_length(b);
    body_close(b);
    attachment_free(&att);
    return n;
}

/* --name and --content-type fill the fields; several files keep their names. */
static void test_presets(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    fm_set_presets(&m, "Renamed CV.pdf", "application/pdf", NULL);
    set_files(&m, "cv.txt", NULL);
    assert_string_equal(m.files[0].name.buf, "Renamed CV.pdf");
    assert_string_equal(m.ctype.buf, "application/pdf");
    set_files(&m, "cv.txt", "letter.pdf");
    assert_string_equal(m.files[0].name.buf, "cv.txt");
    assert_string_equal(m.files[1].name.buf, "letter.pdf");
    assert_string_equal(m.ctype.buf, "application/pdf");
    fm_free(&m);
}

static void test_sizes_and_limit(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, KOMBO_ID, ATT_CV, 10);
    set_files(&m, "cv.txt", NULL);
    uint64_t size = m.files[0].size;
    assert_int_equal(m.total, size);
    /* the estimate is what is sent: the body's own length for these values */
    assert_int_equal(m.wire, sent_length(&m, NULL));
    assert_int_equal(m.too_big, 1);
    /* the type's name is part of the body */
    fm_cycle_type(&m, +1);
    assert_int_equal(m.wire, sent_length(&m, NULL));
    /* and so are remote fields given on the command line */
    const char *rf = "{\"workable\":{\"on_behalf_of_user_remote_id\":\"\\\"q\\\"\"}}";
    fm_set_presets(&m, NULL, NULL, rf);
    assert_int_equal(m.wire, sent_length(&m, rf));
    fm_free(&m);

    fm_init(&m, KOMBO_ID, ATT_CV, 1000);
    set_files(&m, "cv.txt", "photo.bin"); /* 29 and 1000 bytes: none over */
    assert_int_equal(m.too_big, 0);
    assert_int_equal(m.total, size + 1000);
    fm_free(&m);
}

static void test_type_cycles(void **state)
{
    (void)state;
    static const struct { enum att_type from; int dir; enum att_type to; } rows[] = {
        { ATT_CV, +1, ATT_COVER_LETTER }, { ATT_COVER_LETTER, +1, ATT_OTHER }, { ATT_OTHER, +1, ATT_CV },
        { ATT_CV, -1, ATT_OTHER }, { ATT_OTHER, -1, ATT_COVER_LETTER },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct form_model m;
        fm_init(&m, NULL, rows[i].from, 0);
        fm_cycle_type(&m, rows[i].dir);
        assert_int_equal(m.type, rows[i].to);
        fm_free(&m);
    }
}

static void test_send_is_refused_until_fixed(void **state)
{
    (void)state;
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, NULL, ATT_CV, 0);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_FIX_FIELDS); /* no candidate yet */
    set_files(&m, "cv.txt", NULL);
    m.focus = FM_SEND;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_FIX_FIELDS);
    /* the focus goes to the field, and "required" is an error now */
    assert_int_equal(m.focus, FM_CANDIDATE);
    assert_int_equal(m.checks[FM_CANDIDATE].level, FM_ERROR);
    assert_string_equal(m.checks[FM_CANDIDATE].msg, "required");
    type_text(&m, KOMBO_ID);
    /* an error further down is found too */
    m.focus = FM_NAME;
    clear_field(&m);
    m.focus = FM_SEND;
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_FIX_FIELDS);
    assert_int_equal(m.focus, FM_NAME);
    type_text(&m, "Frank Doe CV.txt");
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_string_equal(spec.candidate, KOMBO_ID);
    assert_string_equal(spec.names[0], "Frank Doe CV.txt");
    assert_string_equal(spec.ctype, "text/plain");
    assert_int_equal(spec.types[0], ATT_CV);
    assert_int_equal(spec.n, 1);
    assert_string_equal(spec.paths[0], in_dir("cv.txt"));
    /* the ID sent is the newest recent one */
    assert_int_equal(m.n_recent, 1);
    assert_string_equal(m.recent[0], KOMBO_ID);
    fm_free(&m);
}

static void test_send_blocks(void **state)
{
    (void)state;
    struct form_model m;
    struct batch_spec spec;
    fm_init(&m, KOMBO_ID, ATT_CV, 0);
    m.focus = FM_NAME;
    type_text(&m, "cv.pdf");
    m.focus = FM_CTYPE;
    type_text(&m, "application/pdf");
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_NO_FILE);
    fm_free(&m);

    fm_init(&m, KOMBO_ID, ATT_CV, 5);
    set_files(&m, "cv.txt", NULL);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_TOO_BIG);
    fm_free(&m);

    /* several files: the ones over the limit are refused one by one while sending */
    fm_init(&m, KOMBO_ID, ATT_CV, 100);
    set_files(&m, "cv.txt", "photo.bin");
    assert_int_equal(m.too_big, 1);
    assert_int_equal(fm_try_send(&m, &spec), FM_SEND_OK);
    assert_string_equal(spec.names[1], "photo.bin");   /* each file's own name */
    assert_null(spec.ctype);  /* each file's detected type */
    assert_int_equal(spec.n, 2);
    fm_free(&m);
}

static void test_recent_ids(void **state)
{
    (void)state;
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    set_files(&m, "cv.txt", NULL);
    assert_false(fm_cycle_recent(&m, +1)); /* none yet */
    fm_remember_id(&m, "A");
    fm_remember_id(&m, "B");
    fm_remember_id(&m, "C");
    fm_remember_id(&m, "A"); /* known: moves up */
    fm_remember_id(&m, "");  /* ignored */
    assert_int_equal(m.n_recent, 3);
    type_text(&m, "typed");
    static const struct { int dir; bool moved; const char *shown; } walk[] = {
        { +1, true, "A" }, { +1, true, "C" }, { +1, true, "B" },
        { +1, true, "B" },        /* at the oldest: stays */
        { -1, true, "C" }, { -1, true, "A" },
        { -1, true, "typed" },    /* back to what was typed */
        { -1, false, "typed" },   /* nowhere to go: the caller moves the focus instead */
    };
    for (size_t i = 0; i < sizeof walk / sizeof walk[0]; i++) {
        bool moved = fm_cycle_recent(&m, walk[i].dir);
        if (moved != walk[i].moved || strcmp(m.cand.buf, walk[i].shown) != 0)
            fail_msg("step %zu: moved %d shows \"%s\", want %d \"%s\"", i, moved, m.cand.buf,
                     walk[i].moved, walk[i].shown);
    }
    /* typing after cycling starts from what is shown */
    fm_cycle_recent(&m, +1);
    fm_insert(&m, 'x');
    assert_string_equal(m.cand.buf, "Ax");
    assert_int_equal(m.recent_pos, -1);
    fm_free(&m);

    /* at most FM_RECENT_MAX, the oldest go */
    fm_init(&m, NULL, ATT_CV, 0);
    for (int i = 0; i < FM_RECENT_MAX + 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "id%d", i);
        fm_remember_id(&m, id);
    }
    assert_int_equal(m.n_recent, FM_RECENT_MAX);
    assert_string_equal(m.recent[0], "id24");
    assert_string_equal(m.recent[FM_RECENT_MAX - 1], "id5");
    fm_free(&m);
}

static void test_recent_ids_from_history(void **state)
{
    (void)state;
    const char *seq[] = { "A", "B", "A", "C" };
    char err[256];
    for (size_t i = 0; i < 4; i++) {
        struct history_entry e = { .time = 1700000000 + (time_t)i, .path = "/tmp/cv.pdf", .size = 1,
                                   .candidate = (char *)seq[i], .type = "CV", .name = "cv.pdf",
                                   .content_type = "application/pdf", .server = "http://x/v1",
                                   .outcome = "ok", .http_status = 200, .attempts = 1 };
        assert_int_equal(history_append(&e, err, sizeof err), 0);
    }
    struct form_model m;
    fm_init(&m, NULL, ATT_CV, 0);
    fm_load_history(&m, NULL);
    assert_int_equal(m.n_recent, 3);
    assert_string_equal(m.recent[0], "C");
    assert_string_equal(m.recent[1], "A");
    assert_string_equal(m.recent[2], "B");
    fm_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_file_fills_name_and_type),
        cmocka_unit_test(test_several_files_keep_their_own),
        cmocka_unit_test(test_focus_order),
        cmocka_unit_test(test_tab_wraps),
        cmocka_unit_test(test_next_files_open_on_the_candidate),
        cmocka_unit_test(test_alt_chords_in_fields),
        cmocka_unit_test(test_field_checks),
        cmocka_unit_test(test_bad_names_among_several_files),
        cmocka_unit_test(test_sizes_and_limit),
        cmocka_unit_test(test_type_cycles),
        cmocka_unit_test(test_send_is_refused_until_fixed),
        cmocka_unit_test(test_send_blocks),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_sends_only_the_picked_file),
        cmocka_unit_test(test_odd_name_warns_once),
        cmocka_unit_test(test_recent_ids),
        cmocka_unit_test(test_recent_ids_from_history),
    };
    return cmocka_run_group_tests(tests, setup, ff_teardown);
}
