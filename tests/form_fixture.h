/* What the form-model tests share: a temporary folder of sample files (written by
 * ff_setup from a table), XDG_STATE_HOME inside it (the history), paths in it, and typing
 * into the focused field. Header-only: each test program is one translation unit. Include
 * after cmocka.h. */
#ifndef KA_TEST_FORM_FIXTURE_H
#define KA_TEST_FORM_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "form_model.h"
#include "helpers.h"

#define KOMBO_ID "4B7z5qJ8dXcR2mTnWvKpLs9a" /* 24 base58 characters */

/* One sample file: its text, or (text NULL) random bytes of that size from seed. */
struct ff_file {
    const char *name;
    const char *text;
    size_t random_size;
    unsigned seed;
};

static char *dir;

static inline int ff_setup(const struct ff_file *files, size_t n)
{
    dir = th_tempdir();
    if (!dir)
        return -1;
    char p[600];
    for (size_t i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i].name);
        if (files[i].text)
            th_write_text(p, files[i].text);
        else
            th_write_random(p, files[i].random_size, files[i].seed);
    }
    snprintf(p, sizeof p, "%s/state", dir);
    setenv("XDG_STATE_HOME", p, 1);
    return 0;
}

static inline int ff_teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* dir/name, in one of four rotating buffers (a call may hold a few at once). */
static inline char *in_dir(const char *name)
{
    static char buf[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static inline void type_text(struct form_model *m, const char *s)
{
    while (*s)
        fm_insert(m, (wchar_t)(unsigned char)*s++);
}

#endif
