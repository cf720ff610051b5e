/* Kombo's fixed rules, pure: IDs, regions, header values, base URLs and the paths of the
 * endpoints this tool calls (shared/kombo-api.md). */
#ifndef KA_KOMBO_H
#define KA_KOMBO_H

#include <stdbool.h>

/* The base58 alphabet of Kombo IDs: 1-9, A-H, J-N, P-Z, a-k, m-z. */
#define KOMBO_BASE58 "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#define KOMBO_ID_LEN 24

/* True when id looks like a Kombo ID (24 base58 characters); only a warning otherwise. */
bool kombo_id_looks_valid(const char *id);

#endif
