/* MIME type detection: libmagic first, the file name's extension when libmagic only
 * knows the container (zip, OLE, plain text) or nothing at all. */
#include "mime.h"

#include <magic.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define OCTET_STREAM "application/octet-stream"

/* What we know an extension means, and what kind of container libmagic would report for
 * such a file. The container decides when the extension may override libmagic: a .docx
 * that libmagic calls application/zip is a Word file, but a .docx that libmagic calls
 * image/png is a PNG with a misleading name, and we keep what libmagic says. */
enum container { C_NONE, C_ZIP, C_OLE, C_TEXT };

struct ext_type {
    const char *ext;
    const char *type;
    enum container container;
};

static const struct ext_type ext_table[] = {
    { "pdf",  "application/pdf", C_NONE },
    { "doc",  "application/msword", C_OLE },
    { "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", C_ZIP },
    { "odt",  "application/vnd.oasis.opendocument.text", C_ZIP },
    { "ods",  "application/vnd.oasis.opendocument.spreadsheet", C_ZIP },
    { "odp",  "application/vnd.oasis.opendocument.presentation", C_ZIP },
    { "rtf",  "application/rtf", C_TEXT },
    { "txt",  "text/plain", C_TEXT },
    { "md",   "text/markdown", C_TEXT },
    { "markdown", "text/markdown", C_TEXT },
    { "csv",  "text/csv", C_TEXT },
    { "html", "text/html", C_TEXT },
    { "htm",  "text/html", C_TEXT },
    { "xls",  "application/vnd.ms-excel", C_OLE },
    { "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", C_ZIP },
    { "ppt",  "application/vnd.ms-powerpoint", C_OLE },
    { "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", C_ZIP },
    { "png",  "image/png", C_NONE },
    { "jpg",  "image/jpeg", C_NONE },
    { "jpeg", "image/jpeg", C_NONE },
    { "gif",  "image/gif", C_NONE },
    { "webp", "image/webp", C_NONE },
    { "heic", "image/heic", C_NONE },
    { "tif",  "image/tiff", C_NONE },
    { "tiff", "image/tiff", C_NONE },
    { "svg",  "image/svg+xml", C_TEXT },
    { "zip",  "application/zip", C_ZIP },
    { "json", "application/json", C_TEXT },
    { "xml",  "application/xml", C_TEXT },
    { "eml",  "message/rfc822", C_TEXT },
    { "msg",  "application/vnd.ms-outlook", C_OLE },
};

static const struct ext_type *ext_lookup(const char *name)
{
    if (!name)
        return NULL;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    /* A leading dot marks a hidden file (".bashrc"), not an extension. */
    if (!dot || dot == base || dot[1] == '\0')
        return NULL;
    for (size_t i = 0; i < sizeof ext_table / sizeof ext_table[0]; i++)
        if (strcasecmp(dot + 1, ext_table[i].ext) == 0)
            return &ext_table[i];
    return NULL;
}

const char *mime_from_extension(const char *name)
{
    const struct ext_type *e = ext_lookup(name);
    return e ? e->type : NULL;
}

bool mime_is_generic(const char *ct)
{
    static const char *const generic[] = {
        "application/octet-stream", "binary/octet-stream", "application/unknown",
    };
    if (!ct || !*ct)
        return true;
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++)
        if (strcasecmp(ct, generic[i]) == 0)
            return true;
    return false;
}

/* The libmagic cookie is opened once: magic_load parses a multi-megabyte database, far
 * too slow to repeat per file. The mutex keeps the cookie safe should a second thread
 * (the in-process mock runs its own) ever ask too. */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t cookie;
static bool cookie_tried;

static magic_t cookie_get(void)
{
    if (!cookie_tried) {
        cookie_tried = true;
        /* MAGIC_SYMLINK: report the file a link points to, not "inode/symlink". No
         * MAGIC_COMPRESS: never decompress untrusted input just to name its type. */
        cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_SYMLINK | MAGIC_ERROR);
        if (cookie && magic_load(cookie, NULL) != 0) {
            magic_close(cookie);
            cookie = NULL;
        }
    }
    return cookie;
}

void mime_cleanup(void)
{
    pthread_mutex_lock(&magic_lock);
    if (cookie)
        magic_close(cookie);
    cookie = NULL;
    cookie_tried = false;
    pthread_mutex_unlock(&magic_lock);
}

/* Which container libmagic's answer names, when it names only a container. */
static enum container magic_container(const char *m)
{
    if (strcasecmp(m, "application/zip") == 0)
        return C_ZIP;
    if (strcasecmp(m, "application/x-ole-storage") == 0 || strcasecmp(m, "application/CDFV2") == 0)
        return C_OLE;
    if (strcasecmp(m, "text/plain") == 0)
        return C_TEXT;
    return C_NONE;
}

/* libmagic answers that say nothing about the content: generic types, and inode/...
 * for empty files, FIFOs, folders. */
static bool magic_unhelpful(const char *m)
{
    return mime_is_generic(m) || strncasecmp(m, "inode/", 6) == 0;
}

static void copy_out(char *out, size_t outlen, const char *s)
{
    if (outlen == 0)
        return;
    snprintf(out, outlen, "%s", s);
}

void mime_detect(const char *path, char *out, size_t outlen)
{
    const struct ext_type *ext = ext_lookup(path);
    char found[256] = "";

    pthread_mutex_lock(&magic_lock);
    magic_t c = cookie_get();
    const char *m = c ? magic_file(c, path) : NULL;
    /* Copy while still holding the lock: the string lives inside the cookie. */
    if (m)
        snprintf(found, sizeof found, "%s", m);
    pthread_mutex_unlock(&magic_lock);

    /* libmagic's answer is kept only when it is a bare type/subtype; anything else
     * (an error text, a description) is as good as no answer. */
    if (found[0] && (!strchr(found, '/') || strpbrk(found, " ;,")))
        found[0] = '\0';

    if (!found[0] || magic_unhelpful(found)) {
        copy_out(out, outlen, ext ? ext->type : OCTET_STREAM);
        return;
    }
    enum container mc = magic_container(found);
    if (ext && mc != C_NONE && mc == ext->container) {
        copy_out(out, outlen, ext->type);
        return;
    }
    copy_out(out, outlen, found);
}
