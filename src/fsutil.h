/* Small file-system jobs done once. */
#ifndef KA_FSUTIL_H
#define KA_FSUTIL_H

#include <sys/types.h>

/* mkdir -p: create path and every missing parent with mode (existing folders are kept as
 * they are). Any length; 0, or -1 with errno set (ENOTDIR when a part is not a folder). */
int fs_mkdir_p(const char *path, mode_t mode);

/* Whether other users could change the file at path or swap it for another (as ssh checks
 * its config): the file and each folder above it must belong to us or root and not be
 * writable by group or others; a folder with the sticky bit (/tmp) may be, since there no
 * one else can rename what is ours. 0 when safe; -1 with a one-line reason naming the path
 * and the chmod that fixes it. */
int fs_check_private_path(const char *path, char *why, size_t whylen);

#endif
