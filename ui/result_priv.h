/* Private to the result screen (result.c: keys; result_draw.c: drawing; result_links.c:
 * the links a file's details show): what the parts share. */
#ifndef KA_UI_RESULT_PRIV_H
#define KA_UI_RESULT_PRIV_H

#include <stddef.h>

struct app;
struct batch_file;
struct candidate;
struct cand_application;

#define LABEL_W 13

/* A link of a file's details: its label and URL. */
struct rlink {
    const char *label;
    const char *url;
};

/* The candidate as the form found them, when the batch went to them; else NULL. */
const struct candidate *result_batch_target(const struct app *a);
/* The application the batch went to, when known. */
const struct cand_application *result_batch_app(const struct app *a);
/* The links of a file's details, in the order they are shown. */
size_t result_file_links(const struct app *a, const struct batch_file *j, struct rlink out[3]);

/* The screen's draw (screen_ops.draw). */
void result_draw(struct app *a);

#endif
