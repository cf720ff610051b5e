/* Private to the form model (form_model.c and form_files.c): what each half needs of the
 * other. */
#ifndef KA_UI_FORM_FILES_H
#define KA_UI_FORM_FILES_H

#include "form_model.h"

/* Work out everything drawing needs after a change: checks, sizes. */
void fm_update(struct form_model *m);
/* A file's own check (its name). */
void fm_file_check(struct fm_file *ff);
void fm_files_free(struct form_model *m);
/* The checks against the target (form_target.c): what the integration refuses, names
 * already in the target's listing; a changed candidate ID lets the target go. */
void fm_target_checks(struct form_model *m);
void fm_target_free(struct form_model *m);

#endif
