/* The keys of a one-line text field (the form's fields, the picker's filter) as one binding
 * table whose actions are lineedit's, so that every field edits alike and the help screen
 * lists them from the same rows. Private to ui/. */
#ifndef KA_UI_EDITKEYS_H
#define KA_UI_EDITKEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"
#include "lineedit.h"

/* The table (actions are enum le_action), for the help screen. */
const struct binding *editkeys_table(size_t *n);

/* Apply key to le: an editing key or a character to insert. Returns false when the key is
 * neither (it is the screen's then); *changed (may be NULL) tells whether the text changed. */
bool editkeys_apply(struct lineedit *le, int key, bool *changed);

#endif
