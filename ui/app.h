/* The state the loop and the screens share: the options, the layout, each screen's own
 * state and the send in progress. Private to ui/. */
#ifndef KA_UI_APP_H
#define KA_UI_APP_H

#include <stdbool.h>

#include "account.h"
#include "form.h"
#include "help.h"
#include "indexer.h"
#include "layout.h"
#include "links.h"
#include "picker.h"
#include "progress.h"
#include "result.h"
#include "screen.h"
#include "sender.h"
#include "summary.h"
#include "target.h"
#include "ui.h"

struct app {
    const struct ui_options *o;
    struct client *client;       /* every transfer of the UI runs on it; the loop polls it */
    int rows, cols;
    bool too_small;
    struct layout layout;        /* for rows x cols; the body sits between header and footer */
    enum screen_id screen;
    struct picker picker;
    struct form form;
    struct progress progress;
    struct result result;
    struct sender sender;        /* the batch being sent, or the last one */
    struct help_view help;       /* the help screen, over the current screen's body */
    struct summary summary;      /* the batches sent before the sender's current one */
    bool idle_again;             /* the screen's idle has more to do: wait for nothing */
    struct account account;      /* the key, the integration, what it accepts (background) */
    struct target target;        /* the form's target's attachments; the last send verified */
    struct links links;          /* this frame's hyperlinks, and a URL to copy */
    bool osc8, osc52;            /* links_osc8_ok / links_osc52_ok, once at start */
    struct indexer indexer;      /* the local candidate index: its sync, the header's words */
    char **banner;               /* the account's problem (or the index's notice), wrapped:
                                    above every screen */
    size_t n_banner;
    enum role banner_role;
};

/* The current screen's operations. */
const struct screen_ops *app_screen(const struct app *a);

#endif
