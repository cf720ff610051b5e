/* A file's SHA-256, computed in small steps (the UI's idle time) or in one streamed pass
 * (the command line), before anything is sent: the history's duplicate check needs it
 * first, and then the upload itself needs no hashing. */
#ifndef KA_FILEHASH_H
#define KA_FILEHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct filehash;

/* Open path for hashing. Opening never blocks (O_NONBLOCK, then fstat: only a regular
 * file is read). NULL with a one-line message when it cannot be read. */
struct filehash *filehash_open(const char *path, char *err, size_t errlen);
/* Hash up to max_bytes more. 1 while there is more, 0 when done, -1 on an error (see
 * filehash_error; also when the file changed size while being read). */
int filehash_step(struct filehash *h, size_t max_bytes);
/* The hash in hex once filehash_step returned 0; false before. */
bool filehash_hex(const struct filehash *h, char out[65]);
/* Bytes hashed so far and the file's size (for a progress hint). */
uint64_t filehash_done(const struct filehash *h);
uint64_t filehash_size(const struct filehash *h);
const char *filehash_error(const struct filehash *h);
void filehash_free(struct filehash *h);

/* The whole file in one streamed pass (memory stays at one buffer). 0, or -1 with err. */
int filehash_file(const char *path, char out[65], char *err, size_t errlen);

#endif
