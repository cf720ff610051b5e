/* Kombo's two regions as base URLs (kombo.h's KOMBO_URL_EU, KOMBO_URL_US): which one a
 * base URL is, and the other one, for telling a wrong-region key from a wrong key (a key
 * of one region is refused by the other's server). Pure: no I/O. */
#ifndef KA_REGION_H
#define KA_REGION_H

#include <stddef.h>

/* A region's base URL ("eu" or "us", any case): Kombo's, unless KOMBO_REGION_URL_EU /
 * KOMBO_REGION_URL_US replace it (tests, a proxy per region). Unlike a base URL, a region
 * so replaced still has the other region to ask. */
const char *region_url(const char *name);
/* "this key belongs to the US region: use --server us" for other = "us". */
void region_hint(const char *other, char *out, size_t outlen);

/* "eu" or "us" when base is exactly that region's URL (a trailing "/" allowed), else NULL:
 * a custom base URL or the sandbox has no other region to try. */
const char *region_of(const char *base_url);
/* The other region's base URL for base, or NULL when base is not one of Kombo's. */
const char *region_other_url(const char *base_url);
/* The other region's name ("us" for an eu base), or NULL. */
const char *region_other(const char *base_url);

#endif
