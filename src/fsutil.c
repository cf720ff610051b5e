#include "fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#include <stdbool.h>

/* One level: fine when it exists as a folder already. */
static int mkdir_one(const char *p, mode_t mode)
{
    if (mkdir(p, mode) == 0)
        return 0;
    if (errno != EEXIST)
        return -1;
    struct stat st;
    if (stat(p, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}

int fs_mkdir_p(const char *path, mode_t mode)
{
    if (!path || !*path) {
        errno = ENOENT;
        return -1;
    }
    char *tmp = xstrdup(path);
    int rc = 0;
    for (char *p = tmp + 1; *p && rc == 0; p++) {
        if (*p != '/' || p[-1] == '/')
            continue;
        *p = '\0';
        rc = mkdir_one(tmp, mode);
        *p = '/';
    }
    if (rc == 0)
        rc = mkdir_one(tmp, mode);
    int saved = errno;
    free(tmp);
    errno = saved;
    return rc;
}

/* One component: ours or root's, and nobody else may write it (but a sticky folder). */
static int check_one(const char *p, bool is_file, char *why, size_t whylen)
{
    struct stat st;
    if (stat(p, &st) != 0) {
        snprintf(why, whylen, "cannot check %s: %s", p, strerror(errno));
        return -1;
    }
    if (st.st_uid != 0 && st.st_uid != getuid()) {
        snprintf(why, whylen, "%s belongs to another user (uid %u), who could change what the "
                 "program reads; move the config somewhere of your own", p, (unsigned)st.st_uid);
        return -1;
    }
    bool sticky = !is_file && (st.st_mode & S_ISVTX);
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !sticky) {
        snprintf(why, whylen, "%s can be changed by other users (mode %04o), who could send your "
                 "API key anywhere; run: chmod %s %s", p, (unsigned)(st.st_mode & 07777),
                 is_file ? "600" : "go-w", p);
        return -1;
    }
    return 0;
}

int fs_check_private_path(const char *path, char *why, size_t whylen)
{
    char *abs = realpath(path, NULL);
    if (!abs) {
        snprintf(why, whylen, "cannot check %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = check_one(abs, true, why, whylen);
    for (char *slash = strrchr(abs, '/'); rc == 0 && slash; slash = strrchr(abs, '/')) {
        if (slash == abs) {
            rc = check_one("/", false, why, whylen);
            break;
        }
        *slash = '\0';
        rc = check_one(abs, false, why, whylen);
    }
    free(abs);
    return rc;
}
