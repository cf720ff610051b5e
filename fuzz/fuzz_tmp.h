/* What the harnesses that touch files share: a private temporary folder under $TMPDIR
 * (fuzz/run.sh points it into its own work folder), made once in LLVMFuzzerInitialize and
 * removed with all it holds at exit, and an exact copy of the fuzzer's bytes as a string.
 * Header-only: one per harness. */
#ifndef KA_FUZZ_TMP_H
#define KA_FUZZ_TMP_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static char fuzz_dir[256];

static inline int fuzz_rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static inline void fuzz_rm_dir(void)
{
    nftw(fuzz_dir, fuzz_rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Make the folder ka-<name>-XXXXXX (exits on failure) and have it removed at exit; returns
 * its path. */
static inline const char *fuzz_workdir(const char *name)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 200)
        tmp = "/tmp";
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/ka-%s-XXXXXX", tmp, name);
    if (!mkdtemp(fuzz_dir)) {
        fprintf(stderr, "%s: mkdtemp: ", name);
        perror(NULL);
        exit(1);
    }
    atexit(fuzz_rm_dir);
    return fuzz_dir;
}

/* strndup without reading past n: the fuzzer's bytes are not NUL-terminated, and ASan's
 * strndup checks one byte beyond. */
static inline char *fuzz_copy_n(const void *p, size_t n)
{
    char *s = xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

#endif
