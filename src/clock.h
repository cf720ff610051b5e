/* The one monotonic clock: seconds since an arbitrary start, for rates, deadlines and
 * redraw throttling (never the wall clock, which jumps). */
#ifndef KA_CLOCK_H
#define KA_CLOCK_H

double clock_now(void);

#endif
