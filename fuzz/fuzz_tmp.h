/* A private temporary folder for a harness: under $TMPDIR (fuzz/run.sh points it into its
 * own work folder), made once in LLVMFuzzerInitialize. Header-only: one per harness. */
#ifndef KA_FUZZ_TMP_H
#define KA_FUZZ_TMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fill dir (size len) with a new folder named ka-<name>-XXXXXX; exits on failure. */
static inline void fuzz_tempdir(const char *name, char *dir, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp || strlen(tmp) > 200)
        tmp = "/tmp";
    snprintf(dir, len, "%s/ka-%s-XXXXXX", tmp, name);
    if (!mkdtemp(dir)) {
        fprintf(stderr, "%s: mkdtemp: ", name);
        perror(NULL);
        exit(1);
    }
}

#endif
