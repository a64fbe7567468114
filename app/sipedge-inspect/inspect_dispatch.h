/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _INSPECT_DISPATCH_H_
#define _INSPECT_DISPATCH_H_

/*
 * sipedge-inspect's dispatch options: --backend, --backends-file, --set and
 * --dispatch-set build a table as the edge would, and every message's JSON
 * object gets the backend a new call would go to.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "se_sip.h"

/* Is @opt one of the dispatch options (each takes one value)? */
bool inspect_dispatch_takes(const char *opt);

/* Apply option @opt with value @val. 0, or 2 (bad usage) after a message on stderr. */
int inspect_dispatch_add(const char *opt, const char *val);

/* After the options: build the table when any was given. 0, or 2 after a message. */
int inspect_dispatch_ready(void);

/* Was a dispatch option given? */
bool inspect_dispatch_enabled(void);

/*
 * inspect_extra_fn: appends "dispatch_set", "dispatch_key", "backend" and
 * "backend_reason". @arg points to the source IPv4 address (uint32_t,
 * network byte order; 0 when unknown).
 */
void inspect_dispatch_emit(FILE *out, const uint8_t *buf, size_t len, const struct se_sip_msg *msg,
			   enum se_sip_status st, void *arg);

/* Free the table and configuration. */
void inspect_dispatch_fini(void);

#endif /* _INSPECT_DISPATCH_H_ */
