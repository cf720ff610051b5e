/* --verify: after an upload succeeded, did it arrive? Kombo answers an upload with no
 * attachment ID, so the target's attachments are listed again, the newest with the file's
 * name and type is taken, and where it has a data_url its download (no Authorization: the
 * key never goes to another host) is hashed and compared with the file's SHA-256.
 * Private to src/cli/. */
#ifndef KA_CLI_VERIFY_H
#define KA_CLI_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "attachment.h"

struct client;
struct cli_options;

/* KA_EXIT_OK with msg saying how ("listed; download matches the file's SHA-256"), or
 * KA_EXIT_UNVERIFIED with msg saying what differs or could not be checked. sha256 is the
 * file's (hex) or NULL (then only the listing is checked). */
int cli_verify_upload(const struct cli_options *o, struct client *c, const char *candidate_id,
                      const char *application_id, const struct attachment *att,
                      const char *sha256, char *msg, size_t msglen);

#endif
