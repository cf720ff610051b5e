/* See pastepath.h. */
#include "pastepath.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "xalloc.h"

/* file:///home/x/CV%202024.pdf or file://host/path: the path, percent-decoded. */
static char *from_url(const char *s, size_t n)
{
    const char *p = s + 7, *end = s + n;
    if (*p != '/') {
        p = memchr(p, '/', (size_t)(end - p)); /* the host: this machine's name, we hope */
        if (!p)
            return NULL;
    }
    char *out = xmalloc((size_t)(end - p) + 1);
    hex_percent_decode(p, (size_t)(end - p), out);
    return out;
}

char *pastepath_unescape(const char *path)
{
    size_t n = strlen(path), o = 0;
    char *out = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        if (path[i] == '\\' && i + 1 < n)
            i++;
        out[o++] = path[i];
    }
    out[o] = '\0';
    return out;
}

char *pastepath_parse(const char *text, const char *cwd, const char *home)
{
    const char *s = text, *e = text + strlen(text);
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    if (s == e || memchr(s, '\n', (size_t)(e - s)))
        return NULL; /* nothing, or several lines: not one path */
    if (e - s >= 2 && (*s == '\'' || *s == '"') && e[-1] == *s) {
        s++;
        e--;
    }
    size_t n = (size_t)(e - s);
    char *path;
    if (n > 7 && strncmp(s, "file://", 7) == 0) {
        path = from_url(s, n);
        if (!path)
            return NULL;
    } else {
        path = xstrndup(s, n);
    }
    if (!path[0]) {
        free(path);
        return NULL;
    }
    const char *base = NULL, *rest = path;
    if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home && *home) {
        base = home;
        rest = path[1] ? path + 2 : "";
    } else if (path[0] != '/') {
        base = cwd;
    }
    if (!base)
        return path;
    size_t bl = strlen(base), rl = strlen(rest);
    char *abs = xmalloc(bl + rl + 2);
    snprintf(abs, bl + rl + 2, "%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/", rest);
    free(path);
    return abs;
}
