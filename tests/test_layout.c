/* Layout arithmetic: regions for terminal sizes, list scrolling, form columns, the bar. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>

#include "layout.h"

static void test_screen_regions(void **state)
{
    (void)state;
    static const struct { int rows, cols; bool small; int list_h; } rows[] = {
        { 24, 80, false, 20 }, { 12, 40, false, 8 }, { 11, 40, true, 7 }, { 12, 39, true, 8 },
        { 60, 200, false, 56 }, { 1, 1, true, 0 }, { 0, 0, true, 0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct layout l;
        layout_screen(rows[i].rows, rows[i].cols, &l);
        assert_int_equal(l.too_small, rows[i].small);
        assert_int_equal(l.list.h, rows[i].list_h);
        if (!l.too_small) {
            /* header, path bar, list, status line, footer: every line used exactly once */
            assert_int_equal(l.body.y, 1);
            assert_int_equal(l.path.y, 1);
            assert_int_equal(l.list.y, 2);
            assert_int_equal(l.status.y, l.list.y + l.list.h);
            assert_int_equal(l.status.y, rows[i].rows - 2);
            assert_int_equal(l.list.w, rows[i].cols);
        }
    }
}

static void test_scroll(void **state)
{
    (void)state;
    static const struct { size_t n, h, cursor, top, want_cursor, want_top; } rows[] = {
        { 0, 10, 5, 3, 0, 0 },        /* empty list */
        { 5, 10, 4, 0, 4, 0 },        /* fits: never scrolled */
        { 100, 10, 0, 0, 0, 0 },
        { 100, 10, 10, 0, 10, 1 },    /* one below the window: scroll by one */
        { 100, 10, 50, 0, 50, 41 },   /* jump (PgDn, End): cursor at the bottom */
        { 100, 10, 40, 45, 40, 40 },  /* above the window: cursor at the top */
        { 100, 10, 99, 95, 99, 90 },  /* no empty rows below the last entry */
        { 100, 10, 150, 0, 99, 90 },  /* cursor past the end (list shrank by a filter) */
        { 20, 10, 15, 18, 15, 10 },   /* window past the end after a resize */
        { 3, 0, 2, 0, 2, 2 },         /* a zero-height window still shows the cursor */
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        size_t c = rows[i].cursor, t = rows[i].top;
        layout_scroll(rows[i].n, rows[i].h, &c, &t);
        if (c != rows[i].want_cursor || t != rows[i].want_top)
            fail_msg("row %zu: cursor %zu top %zu, want %zu %zu", i, c, t, rows[i].want_cursor,
                     rows[i].want_top);
        if (rows[i].n)
            assert_true(c >= t && c < t + (rows[i].h ? rows[i].h : 1));
    }
}

static void test_form_columns(void **state)
{
    (void)state;
    for (int w = 20; w <= 240; w++) {
        struct form_geom g;
        layout_form(w, &g);
        assert_int_equal(g.field_x, 2 + LAYOUT_LABEL_W + 1);
        assert_true(g.field_w >= 1);
        if (g.msg_beside) {
            assert_true(g.field_w <= 40);
            assert_true(g.msg_x > g.field_x + g.field_w); /* no overlap */
            assert_true(g.msg_x + g.msg_w <= w);          /* nothing past the edge */
            assert_true(g.msg_w >= 20);
        } else if (w >= 40) {
            assert_true(g.field_x + g.field_w <= w);
        }
    }
    struct form_geom g;
    layout_form(70, &g);
    assert_false(g.msg_beside); /* 70 columns: messages go under the field */
    layout_form(80, &g);
    assert_true(g.msg_beside);   /* 80: a 31-column field and a 30-column message */
    assert_int_equal(g.field_w, 31);
}

static void test_bar(void **state)
{
    (void)state;
    static const struct { int w; double frac; int bw, full, pct; } rows[] = {
        { 80, 0.0, 75, 0, 0 }, { 80, 0.5, 75, 37, 50 }, { 80, 1.0, 75, 75, 100 },
        { 80, 1.7, 75, 75, 100 }, { 80, -3, 75, 0, 0 }, { 80, 0.999, 75, 74, 99 },
        { 9, 0.5, 4, 2, 50 }, { 8, 0.5, 0, 0, 50 }, { 0, 0.5, 0, 0, 50 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        int bw, full, pct;
        layout_bar(rows[i].w, rows[i].frac, &bw, &full, &pct);
        if (bw != rows[i].bw || full != rows[i].full || pct != rows[i].pct)
            fail_msg("row %zu: %d %d %d, want %d %d %d", i, bw, full, pct, rows[i].bw,
                     rows[i].full, rows[i].pct);
    }
    int bw, full, pct;
    layout_bar(80, NAN, &bw, &full, &pct);
    assert_int_equal(full, 0);
    assert_int_equal(pct, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_regions),
        cmocka_unit_test(test_scroll),
        cmocka_unit_test(test_form_columns),
        cmocka_unit_test(test_bar),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
