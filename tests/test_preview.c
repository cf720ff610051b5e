/* preview.c: a text file's first lines, libmagic's description of a PDF and a PNG (the
 * samples), an empty file, a FIFO that must not block (an alarm fails the test if it does),
 * a file with escape sequences (nothing of them reaches the screen through text_fit, the
 * path drawing takes), small steps, the cache and cancelling. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "preview.h"
#include "text.h"

static char dir[64];
static char samples[512];

static void write_file(const char *name, const char *data, size_t n)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ka-pv-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(samples, sizeof samples, "%s/../samples", getenv("KA_TESTS_DIR"));
    static const char text[] = "Frank Doe\n\tSenior engineer\r\nsecond para\n";
    write_file("cv.txt", text, sizeof text - 1);
    write_file("empty.txt", "", 0);
    static const char esc[] = "\x1b[2J\x1b]0;owned\x07red \x1b[31mtext\x9b" "1m\n";
    write_file("esc.txt", esc, sizeof esc - 1);
    char big[60000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (i % 80 == 79) ? '\n' : 'a' + (char)(i % 26);
    write_file("big.txt", big, sizeof big);
    char p[256];
    snprintf(p, sizeof p, "%s/fifo", dir);
    return mkfifo(p, 0600);
}

static int teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    return 0;
}

/* Step until done; returns the steps taken. */
static int run(struct preview *pv, const char *path)
{
    pv_show(pv, path);
    int steps = 0;
    alarm(5); /* a blocking open or read would hang here: fail instead */
    while (pv_busy(pv) && steps < 1000) {
        pv_step(pv);
        steps++;
    }
    alarm(0);
    assert_false(pv_busy(pv));
    return steps;
}

static const struct pv_item *preview_of(struct preview *pv, const char *d, const char *name, int *steps)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", d, name);
    int s = run(pv, p);
    if (steps)
        *steps = s;
    const struct pv_item *it = pv_current(pv);
    assert_non_null(it);
    return it;
}

static void test_text(void **state)
{
    (void)state;
    struct preview pv;
    pv_init(&pv);
    const struct pv_item *it = preview_of(&pv, dir, "cv.txt", NULL);
    assert_int_equal(it->kind, PV_TEXT);
    assert_int_equal(it->nlines, 3);
    assert_string_equal(it->lines[0], "Frank Doe");
    assert_string_equal(it->lines[1], "        Senior engineer"); /* tab expanded, CR dropped */
    assert_string_equal(it->lines[2], "second para");
    assert_true(it->have_stat);
    assert_int_equal(it->size, 40);
    assert_non_null(strstr(it->desc, "text"));
    pv_free(&pv);
}

static void test_samples(void **state)
{
    (void)state;
    struct preview pv;
    pv_init(&pv);
    const struct pv_item *it = preview_of(&pv, samples, "Frank Doe Cover Letter.pdf", NULL);
    assert_int_equal(it->kind, PV_BINARY);
    if (!strstr(it->desc, "PDF document, version 1.4"))
        fail_msg("PDF: %s", it->desc);
    it = preview_of(&pv, samples, "Frank Doe Photo.png", NULL);
    assert_int_equal(it->kind, PV_BINARY);
    if (!strstr(it->desc, "PNG image data, 240 x 300"))
        fail_msg("PNG: %s", it->desc);
    it = preview_of(&pv, samples, "Frank Doe CV.txt", NULL);
    assert_int_equal(it->kind, PV_TEXT);
    assert_true(it->nlines > 0);
    pv_free(&pv);
}

static void test_empty_and_special(void **state)
{
    (void)state;
    struct preview pv;
    pv_init(&pv);
    const struct pv_item *it = preview_of(&pv, dir, "empty.txt", NULL);
    assert_int_equal(it->kind, PV_TEXT);
    assert_int_equal(it->nlines, 0);
    assert_string_equal(it->desc, "empty");
    it = preview_of(&pv, dir, "fifo", NULL);       /* no writer: an open or read would block */
    assert_int_equal(it->kind, PV_SPECIAL);
    assert_non_null(strstr(it->desc, "FIFO"));
    it = preview_of(&pv, "/dev", "zero", NULL);     /* endless: never read */
    assert_int_equal(it->kind, PV_SPECIAL);
    it = preview_of(&pv, dir, "nonexistent", NULL);
    assert_int_equal(it->kind, PV_ERROR);
    pv_free(&pv);
}

static void test_escapes(void **state)
{
    (void)state;
    struct preview pv;
    pv_init(&pv);
    const struct pv_item *it = preview_of(&pv, dir, "esc.txt", NULL);
    assert_int_equal(it->kind, PV_TEXT);
    assert_int_equal(it->nlines, 1);
    assert_non_null(strchr(it->lines[0], 0x1b)); /* kept as it is: drawing escapes it */
    char *shown = text_fit(it->lines[0], strlen(it->lines[0]), 200, TEXT_CUT_END);
    for (const unsigned char *c = (const unsigned char *)shown; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            fail_msg("control byte 0x%02x reaches the screen: %s", *c, shown);
    assert_null(strstr(shown, "\xc2\x9b"));      /* nor the 8-bit CSI */
    assert_non_null(strstr(shown, "red"));
    free(shown);
    pv_free(&pv);
}

static void test_steps_cache_cancel(void **state)
{
    (void)state;
    struct preview pv;
    pv_init(&pv);
    int steps;
    const struct pv_item *it = preview_of(&pv, dir, "big.txt", &steps);
    /* at most PV_READ_STEP bytes a step: several steps, and no more than PV_READ_MAX read */
    assert_true(steps >= PV_READ_MAX / PV_READ_STEP);
    assert_int_equal(it->kind, PV_TEXT);
    assert_true(it->nlines <= PV_READ_MAX / 80 + 1);
    assert_int_equal(it->size, 60000);
    preview_of(&pv, dir, "cv.txt", NULL);
    assert_int_equal(run(&pv, NULL), 0);
    char p[256];
    snprintf(p, sizeof p, "%s/big.txt", dir);
    assert_int_equal(run(&pv, p), 0);             /* from the cache: no step */
    assert_int_equal(pv_current(&pv)->kind, PV_TEXT);
    /* moving on before the end drops the unfinished one */
    snprintf(p, sizeof p, "%s/esc.txt", dir);
    write_file("esc2.txt", "x\n", 2);
    char p2[256];
    snprintf(p2, sizeof p2, "%s/esc2.txt", dir);
    pv_show(&pv, p2);
    pv_step(&pv);
    assert_true(pv_busy(&pv));
    pv_show(&pv, p);
    assert_true(run(&pv, p) >= 0);
    pv_show(&pv, p2);
    assert_true(pv_busy(&pv));                    /* started afresh */
    pv_free(&pv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_empty_and_special),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_steps_cache_cancel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
