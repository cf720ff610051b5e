/* The files marked in the picker, by full path, across folders (nnn keeps its selection
 * when you change folders; so does this). No curses. */
#ifndef KA_UI_SELECTION_H
#define KA_UI_SELECTION_H

#include <stdbool.h>
#include <stddef.h>

struct selection;

struct selection *sel_new(void);
void sel_free(struct selection *s);
bool sel_has(const struct selection *s, const char *path);
/* Add (no effect when there) or remove (no effect when not). */
void sel_add(struct selection *s, const char *path);
void sel_remove(struct selection *s, const char *path);
size_t sel_count(const struct selection *s);
/* Paths under folder dir (its own files, not those of folders inside it). */
size_t sel_count_in(const struct selection *s, const char *dir);
/* The paths in the order they were marked; caller frees each and the array. NULL with *n = 0
 * when empty. */
char **sel_paths(const struct selection *s, size_t *n);
void sel_clear(struct selection *s);

#endif
