/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_BACKENDS_H_
#define _SE_BACKENDS_H_

/**
 * @file
 * The backend side of the control core: the proxy's settings and the
 * backend table workers read through RCU (app->dispatch).
 */

#include "app.h"

/**
 * Set app->proxy from the command line, build the first backend table and
 * publish it (before the workers run). Nothing to do with --forward-to or
 * --mode passthrough.
 * @return 0, or an exit status (2: the configuration cannot be built)
 */
int se_backends_init(struct se_app *a);

#endif /* _SE_BACKENDS_H_ */
