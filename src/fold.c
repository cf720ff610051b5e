/* See fold.h. One table of two-character slots per code point, U+00C0 to U+017F, so a new
 * letter is one edit and the test reads like the table. */
#include "fold.h"

/* Slot k (two bytes) is what U+00C0 + k folds into: one letter and a space, two letters, or
 * two spaces for a character that stays as it is (× and ÷). Sixteen code points a line. */
static const char latin_table[] =
    /* C0 */ "a a a a a a aec e e e e i i i i "
    /* D0 */ "d n o o o o o   o u u u u y thss"
    /* E0 */ "a a a a a a aec e e e e i i i i "
    /* F0 */ "d n o o o o o   o u u u u y thy "
    /* 100 */ "a a a a a a c c c c c c c c d d "
    /* 110 */ "d d e e e e e e e e e e g g g g "
    /* 120 */ "g g g g h h h h i i i i i i i i "
    /* 130 */ "i i ijijj j k k k l l l l l l l "
    /* 140 */ "l l l n n n n n n n n n o o o o "
    /* 150 */ "o o oeoer r r r r r s s s s s s "
    /* 160 */ "s s t t t t t t u u u u u u u u "
    /* 170 */ "u u u u w w y y y z z z z z z s ";

#define TABLE_FIRST 0xC0u
#define TABLE_LAST 0x17Fu

size_t fold_latin(uint32_t cp, uint32_t out[FOLD_MAX])
{
    if (cp >= 'A' && cp <= 'Z') {
        out[0] = cp + 32;
        return 1;
    }
    if (cp >= TABLE_FIRST && cp <= TABLE_LAST) {
        const char *slot = latin_table + 2 * (cp - TABLE_FIRST);
        if (slot[0] != ' ') {
            out[0] = (unsigned char)slot[0];
            if (slot[1] == ' ')
                return 1;
            out[1] = (unsigned char)slot[1];
            return 2;
        }
    }
    switch (cp) {
    case 0x218: case 0x219: /* Ș ș (Romanian) */
        out[0] = 's';
        return 1;
    case 0x21A: case 0x21B: /* Ț ț */
        out[0] = 't';
        return 1;
    case 0x1E9E: /* ẞ, the capital ß */
        out[0] = out[1] = 's';
        return 2;
    default:
        out[0] = cp;
        return 1;
    }
}
