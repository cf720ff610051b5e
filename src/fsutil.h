/* Small file-system jobs done once. */
#ifndef KA_FSUTIL_H
#define KA_FSUTIL_H

#include <sys/types.h>

/* mkdir -p: create path and every missing parent with mode (existing folders are kept as
 * they are). Any length; 0, or -1 with errno set (ENOTDIR when a part is not a folder). */
int fs_mkdir_p(const char *path, mode_t mode);

#endif
