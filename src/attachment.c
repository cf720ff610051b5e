/* One attachment: where its bytes come from and how Kombo should label them.
 * Error messages never repeat the path: every front end shows them next to the file
 * ("error  Resume.pdf: is a folder, not a file"). */
#include "attachment.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcodes.h"
#include "format.h"
#include "mime.h"
#include "utf8.h"
#include "xalloc.h"

#define NAME_MAX_BYTES 255
#define CONTENT_TYPE_MAX_BYTES 255

const char *att_type_name(enum att_type t)
{
    switch (t) {
    case ATT_CV: return "CV";
    case ATT_COVER_LETTER: return "COVER_LETTER";
    case ATT_OTHER: return "OTHER";
    }
    return "OTHER";
}

int att_type_parse(const char *s, enum att_type *out)
{
    static const struct { const char *word; enum att_type t; } words[] = {
        { "CV", ATT_CV },
        { "COVER_LETTER", ATT_COVER_LETTER },
        { "COVER-LETTER", ATT_COVER_LETTER },
        { "OTHER", ATT_OTHER },
    };
    if (!s)
        return -1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcasecmp(s, words[i].word) == 0) {
            if (out)
                *out = words[i].t;
            return 0;
        }
    }
    return -1;
}

/* Control characters: C0, DEL and the C1 range U+0080..U+009F (UTF-8 C2 80..C2 9F),
 * which terminals also interpret. s must already be valid UTF-8. */
static bool has_control(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return true;
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            return true;
    }
    return false;
}

const char *att_check_name(const char *name)
{
    if (!name || !*name)
        return "the name is empty";
    size_t n = strlen(name);
    if (!utf8_valid(name, n))
        return "the name is not valid UTF-8";
    if (has_control(name))
        return "the name contains control characters";
    if (n > NAME_MAX_BYTES)
        return "the name is longer than 255 bytes";
    return NULL;
}

/* RFC 9110 token characters, the only ones a bare type or subtype may hold. */
static bool is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

const char *att_check_content_type(const char *ct)
{
    if (!ct || !*ct)
        return "the content type is empty";
    if (strlen(ct) > CONTENT_TYPE_MAX_BYTES)
        return "the content type is longer than 255 bytes";
    for (const unsigned char *p = (const unsigned char *)ct; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "the content type contains control characters";
    if (strchr(ct, ';'))
        return "the content type has parameters (such as \"; charset=\"); pass the bare type/subtype";
    const char *slash = strchr(ct, '/');
    if (!slash)
        return "the content type is not of the form type/subtype";
    if (slash == ct || slash[1] == '\0')
        return "the content type has an empty type or subtype";
    for (const char *p = ct; *p; p++) {
        if (p == slash)
            continue;
        if (*p == '/')
            return "the content type has more than one '/'";
        if (!is_tchar((unsigned char)*p))
            return "the content type holds a character not allowed in a MIME type (spaces, quotes, ...)";
    }
    return NULL;
}

/* Say why a path that stat() refused cannot be used. */
static int stat_error(int e, const char *path, char *err, size_t errlen)
{
    struct stat lst;
    switch (e) {
    case ENOENT:
        /* A dangling symlink looks like a missing file to stat(); say which it is. */
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
            snprintf(err, errlen, "is a symbolic link to a missing file — fix the link or pass the file itself");
        else
            snprintf(err, errlen, "no such file — check the path");
        return KA_EXIT_FILE;
    case ELOOP:
        snprintf(err, errlen, "too many levels of symbolic links (a symlink loop) — "
                 "point the link at a real file");
        return KA_EXIT_FILE;
    case EACCES:
        snprintf(err, errlen, "cannot be reached: permission denied on a folder in its path — "
                 "check the folders' permissions");
        return KA_EXIT_FILE;
    case ENOTDIR:
        snprintf(err, errlen, "a part of the path is not a folder — check the path");
        return KA_EXIT_FILE;
    case ENAMETOOLONG:
        snprintf(err, errlen, "the path is too long");
        return KA_EXIT_FILE;
    default:
        snprintf(err, errlen, "cannot be used: %s", strerror(e));
        return KA_EXIT_FILE;
    }
}

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "is a folder, not a file — pass the files inside it";
    if (S_ISFIFO(m))
        return "is a named pipe (FIFO), not a regular file — save the data to a file first";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "is a device, not a regular file — save the data to a file first";
    if (S_ISSOCK(m))
        return "is a socket, not a regular file";
    return "is not a regular file";
}

void att_identity_of(const struct stat *st, struct att_identity *id)
{
    *id = (struct att_identity){
        .dev = (uint64_t)st->st_dev, .ino = (uint64_t)st->st_ino, .size = (uint64_t)st->st_size,
        .mtime_s = st->st_mtim.tv_sec, .mtime_ns = st->st_mtim.tv_nsec,
        .ctime_s = st->st_ctim.tv_sec, .ctime_ns = st->st_ctim.tv_nsec,
    };
}

int att_record_identity(struct attachment *a)
{
    struct stat st;
    if (stat(a->path, &st) != 0)
        return -1;
    att_identity_of(&st, &a->id);
    return 0;
}

const char *att_identity_changed(const struct att_identity *was, const struct att_identity *now)
{
    if (now->dev != was->dev || now->ino != was->ino)
        return "replaced by another file";
    if (now->size != was->size)
        return "resized";
    if (now->mtime_s != was->mtime_s || now->mtime_ns != was->mtime_ns ||
        now->ctime_s != was->ctime_s || now->ctime_ns != was->ctime_ns)
        return "modified";
    return NULL;
}

const char *att_identity_differs(const struct attachment *a, const struct stat *st)
{
    struct att_identity now;
    att_identity_of(st, &now);
    return att_identity_changed(&a->id, &now);
}

/* Check the path is a readable regular file; its size goes to *size and its identity to
 * *id (of what was opened: the path may change between stat and open). */
static int check_file(const char *path, uint64_t *size, struct att_identity *id, char *err,
                      size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return stat_error(errno, path, err, errlen);
    /* Only regular files are opened: opening a device can have side effects, and a
     * FIFO has no size to announce in Content-Length. */
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s", kind_of(st.st_mode));
        return KA_EXIT_FILE;
    }
    /* Permission bits alone do not tell (ACLs, root, read-only mounts): try to open. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        if (e == EACCES || e == EPERM) {
            snprintf(err, errlen, "cannot be read: permission denied — check the file's "
                     "permissions (chmod u+r)");
            return KA_EXIT_FILE;
        }
        return stat_error(e, path, err, errlen);
    }
    /* The path may have been swapped between stat and open: trust what was opened. */
    struct stat fst;
    int rc = fstat(fd, &fst);
    int e = errno;
    close(fd);
    if (rc != 0) {
        snprintf(err, errlen, "cannot be used: %s", strerror(e));
        return KA_EXIT_FILE;
    }
    if (!S_ISREG(fst.st_mode)) {
        snprintf(err, errlen, "%s", kind_of(fst.st_mode));
        return KA_EXIT_FILE;
    }
    /* An empty attachment is always a mistake (a failed download, the wrong file): the
     * ATS would show a CV that opens to nothing. */
    if (fst.st_size == 0) {
        snprintf(err, errlen, "is empty (0 bytes) — nothing to attach; check that this is the "
                 "right file");
        return KA_EXIT_FILE;
    }
    *size = (uint64_t)fst.st_size;
    att_identity_of(&fst, id);
    return 0;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void attachment_free(struct attachment *a)
{
    if (!a)
        return;
    free(a->path);
    free(a->name);
    free(a->content_type);
    memset(a, 0, sizeof *a);
}

int attachment_init(struct attachment *a, const char *path, const char *name,
                    enum att_type type, const char *content_type, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    if (errlen)
        err[0] = '\0';
    if (!path || !*path) {
        snprintf(err, errlen, "no file given — pass the path of a file");
        return KA_EXIT_USAGE;
    }
    uint64_t size = 0;
    struct att_identity id;
    int rc = check_file(path, &size, &id, err, errlen);
    if (rc)
        return rc;

    const char *use_name = name ? name : base_name(path);
    const char *problem = att_check_name(use_name);
    if (problem) {
        if (name)
            snprintf(err, errlen, "%s — pass a different --name", problem);
        else
            snprintf(err, errlen, "the file name cannot be sent as it is (%s) — "
                     "pass a readable one with --name", problem);
        return KA_EXIT_USAGE;
    }

    char detected[256];
    bool guessed = false;
    if (content_type) {
        problem = att_check_content_type(content_type);
        if (problem) {
            const char *semi = strchr(content_type, ';');
            if (semi) {
                /* Suggest the bare type the user most likely meant. */
                int bare = (int)(semi - content_type);
                while (bare > 0 && (content_type[bare - 1] == ' ' || content_type[bare - 1] == '\t'))
                    bare--;
                snprintf(err, errlen, "content type has parameters — pass the bare type: "
                         "--content-type %.*s", bare, content_type);
            } else {
                snprintf(err, errlen, "%s — pass e.g. --content-type application/pdf", problem);
            }
            return KA_EXIT_USAGE;
        }
    } else {
        mime_detect(path, detected, sizeof detected);
        /* Whatever libmagic said must still be something Kombo accepts. */
        if (att_check_content_type(detected))
            snprintf(detected, sizeof detected, "application/octet-stream");
        content_type = detected;
        guessed = true;
    }

    a->path = xstrdup(path);
    a->name = xstrdup(use_name);
    a->content_type = xstrdup(content_type);
    a->type = type;
    a->size = size;
    a->id = id;
    a->content_type_guessed = guessed;
    a->content_type_generic = mime_is_generic(a->content_type);
    return 0;
}

int att_check_size(uint64_t size, uint64_t max, bool *warn, char *err, size_t errlen)
{
    char a[32], b[32];
    if (warn)
        *warn = size > ATT_ADVISED_MAX;
    if (max && size > max) {
        fmt_bytes(size, a, sizeof a);
        fmt_bytes(max, b, sizeof b);
        snprintf(err, errlen, "is %s, over the limit of %s — most ATSs refuse big files; "
                 "compress it, or raise the limit with --max-size", a, b);
        return KA_EXIT_FILE;
    }
    return 0;
}
