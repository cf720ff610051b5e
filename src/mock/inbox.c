/* Safe placement of received files under the mock's inbox. */
#include "inbox.h"

#include "fsutil.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Append a cleaned copy of in[0..len) to out (at *o), never past budget bytes. */
static void clean_into(const unsigned char *in, size_t len, char *out, size_t *o, size_t budget)
{
    size_t i = 0;
    while (i < len && *o < budget) {
        uint32_t cp = 0;
        size_t k = utf8_decode((const char *)in + i, len - i, &cp);
        if (k == 0) {               /* stray byte of invalid UTF-8 */
            out[(*o)++] = '_';
            i++;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == '/' || cp == '\\') {
            out[(*o)++] = '_';
            i += k;
            continue;
        }
        if (*o + k > budget)        /* never cut a character in half */
            break;
        memcpy(out + *o, in + i, k);
        *o += k;
        i += k;
    }
}

size_t inbox_safe_component(const char *in, size_t len, char *out, size_t outlen)
{
    if (outlen == 0)
        return 0;
    size_t cap = outlen - 1 < INBOX_COMPONENT_MAX ? outlen - 1 : INBOX_COMPONENT_MAX;
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;

    if (len <= cap) {
        clean_into(s, len, out, &o, cap);
    } else {
        /* Too long: keep a short alphanumeric extension so the file still opens with
         * the right program, and cut the stem. */
        size_t ext = len;
        for (size_t i = len; i-- > 1 && len - i <= 16;) {
            if (s[i] == '.') {
                ext = i;
                break;
            }
            if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
                  (s[i] >= 'A' && s[i] <= 'Z')))
                break;
        }
        size_t extlen = len - ext;
        clean_into(s, ext, out, &o, cap - extlen);
        clean_into(s + ext, extlen, out, &o, cap);
    }
    if (o == 0)
        out[o++] = '_';
    if (out[0] == '.')
        out[0] = '_';
    out[o] = '\0';
    return o;
}

/* One level below dirfd: made if missing, opened without following a link, so a symlink
 * planted in the inbox cannot lead writes outside it. -1 with errno (ELOOP for a link). */
static int open_level(int dirfd, const char *name)
{
    if (mkdirat(dirfd, name, 0755) != 0 && errno != EEXIST)
        return -1;
    return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int inbox_make_dir(const char *inbox, const char *a, const char *b, char *dir, size_t dirlen)
{
    int n = snprintf(dir, dirlen, "%s/%s/%s", inbox, a, b);
    if (n < 0 || (size_t)n >= dirlen) {
        errno = ENAMETOOLONG;
        return -1;
    }
    /* The inbox itself is the user's choice (it may be a link); below it, nothing is. */
    if (fs_mkdir_p(inbox, 0755) != 0)
        return -1;
    int root = open(inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return -1;
    int fa = open_level(root, a);
    int e = errno;
    close(root);
    if (fa < 0) {
        errno = e;
        return -1;
    }
    int fb = open_level(fa, b);
    e = errno;
    close(fa);
    errno = e;
    return fb;
}

/* Move without replacing, into the folder dirfd: renameat2(RENAME_NOREPLACE) where the file
 * system has it, else link + unlink, which is just as atomic about not replacing. */
static int move_noreplace(const char *from, int dirfd, const char *to)
{
    if (renameat2(AT_FDCWD, from, dirfd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return -1;
    if (linkat(AT_FDCWD, from, dirfd, to, 0) < 0)
        return -1;
    unlink(from);
    return 0;
}

int inbox_place(const char *tmp_path, int dirfd, const char *dir, const char *name,
                char *final_path, size_t final_len)
{
    const char *dot = strrchr(name, '.');
    if (dot == name)
        dot = NULL;
    int stem = dot ? (int)(dot - name) : (int)strlen(name);
    const char *ext = dot ? dot : "";
    char leaf[INBOX_COMPONENT_MAX + 32];
    for (int k = 1; k <= INBOX_COPIES_MAX; k++) {
        if (k == 1)
            snprintf(leaf, sizeof leaf, "%s", name);
        else
            snprintf(leaf, sizeof leaf, "%.*s (%d)%s", stem, name, k, ext);
        int n = snprintf(final_path, final_len, "%s/%s", dir, leaf);
        if (n < 0 || (size_t)n >= final_len) {
            errno = ENAMETOOLONG;
            return -1;
        }
        if (move_noreplace(tmp_path, dirfd, leaf) == 0)
            return 0;
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}
