/* See termsafe.h. One decoder (utf8.c), one table of what is unsafe, one notation. */
#include "termsafe.h"

#include <string.h>

#include "hex.h"
#include "utf8.h"
#include "xalloc.h"

bool ts_cp_unsafe(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
        return true; /* C0, DEL, C1 (0x9b is CSI on some terminals) */
    if (cp < 0x061c)
        return false; /* the common case: nothing below the first mark */
    return cp == 0x061c ||                       /* Arabic letter mark */
           (cp >= 0x200b && cp <= 0x200f) ||     /* zero-width space/joiners, LRM, RLM */
           (cp >= 0x2028 && cp <= 0x202e) ||     /* line/paragraph separators, embeddings,
                                                    overrides */
           cp == 0x2060 ||                       /* word joiner */
           (cp >= 0x2066 && cp <= 0x2069) ||     /* isolates */
           cp == 0xfeff;                         /* BOM / zero-width no-break space */
}

static size_t esc_byte(unsigned char c, char out[TS_ESC_MAX])
{
    out[0] = '\\';
    out[1] = 'x';
    hex_encode(&c, 1, out + 2);
    return 4;
}

size_t ts_escape_cp(uint32_t cp, char out[TS_ESC_MAX])
{
    /* Big-endian bytes of cp: two of them (4 digits) up to U+FFFF, else four (8 digits). */
    unsigned char be[4] = { (unsigned char)(cp >> 24), (unsigned char)(cp >> 16),
                            (unsigned char)(cp >> 8), (unsigned char)cp };
    bool wide = cp > 0xffff;
    out[0] = '\\';
    out[1] = wide ? 'U' : 'u';
    hex_encode(wide ? be : be + 2, wide ? 4 : 2, out + 2);
    return wide ? 10 : 6;
}

void ts_next(const char *s, size_t n, unsigned flags, struct ts_unit *u)
{
    u->esc[0] = '\0';
    u->esc_len = 0;
    size_t len = utf8_decode(s, n, &u->cp);
    if (len == 0) {
        u->len = 1;
        u->valid = false;
        u->cp = (unsigned char)s[0];
        u->esc_len = esc_byte((unsigned char)s[0], u->esc);
        return;
    }
    u->len = len;
    u->valid = true;
    if (!ts_cp_unsafe(u->cp))
        return;
    switch (u->cp) {
    case '\n':
        if (flags & TS_KEEP_NEWLINES)
            return;
        memcpy(u->esc, "\\n", 3);
        u->esc_len = 2;
        return;
    case '\r':
        memcpy(u->esc, "\\r", 3);
        u->esc_len = 2;
        return;
    case '\t':
        memcpy(u->esc, "\\t", 3);
        u->esc_len = 2;
        return;
    default:
        u->esc_len = u->cp < 0x80 ? esc_byte((unsigned char)u->cp, u->esc)
                                  : ts_escape_cp(u->cp, u->esc);
    }
}

size_t ts_escaped_len(const char *s, size_t n, unsigned flags)
{
    size_t total = 0;
    for (size_t i = 0; i < n;) {
        struct ts_unit u;
        ts_next(s + i, n - i, flags, &u);
        total += u.esc_len ? u.esc_len : u.len;
        i += u.len;
    }
    return total;
}

char *ts_escape(const char *s, size_t n, unsigned flags)
{
    char *out = xmalloc(ts_escaped_len(s, n, flags) + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        struct ts_unit u;
        ts_next(s + i, n - i, flags, &u);
        if (u.esc_len) {
            memcpy(out + o, u.esc, u.esc_len);
            o += u.esc_len;
        } else {
            memcpy(out + o, s + i, u.len);
            o += u.len;
        }
        i += u.len;
    }
    out[o] = '\0';
    return out;
}
