/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef _SE_MAILBOX_H_
#define _SE_MAILBOX_H_

/**
 * @file
 * How other threads (DPDK's telemetry threads, the /metrics server) talk to
 * the control core without touching its state: one request at a time in a
 * mailbox, answered by the control core on its next tick.
 *
 * A requester takes the requesters' mutex (the control core never does),
 * writes the request, moves the state IDLE -> PENDING (release) and waits.
 * The control core, once per tick, moves PENDING -> BUSY, does the work
 * (an operator command, or copying what it knows into the mailbox's view)
 * and stores DONE (release). The requester reads the answer from the
 * mailbox and puts it back to IDLE. A request the control core has not
 * taken within the wait limit is withdrawn (PENDING -> IDLE); once taken,
 * it is always finished. After se_mailbox_close() requests fail at once.
 * The mailbox is static storage: a telemetry thread may still call in
 * while the daemon shuts down.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "se_dispatch.h"
#include "se_health.h"
#include "se_stats.h"

/** What a request asks. */
enum se_mb_op {
	SE_MB_VIEW = 0,  /**< copy the counters and every backend into the view */
	SE_MB_DRAIN,     /**< backend arg: no new dialogs, in-dialog requests still reach it */
	SE_MB_UNDRAIN,   /**< backend arg: back from draining */
	SE_MB_DISABLE,   /**< backend arg: nothing reaches it */
	SE_MB_ENABLE,    /**< backend arg: back from disabled or draining */
	SE_MB_OP_COUNT,  /**< number of operations */
};

/** One backend of one set, as the view shows it. */
struct se_mb_backend {
	char name[SE_DISPATCH_NAME_LEN]; /**< "ADDR:PORT" */
	uint32_t set_id;     /**< its set */
	int32_t priority;    /**< its priority group */
	uint16_t weight;     /**< its weight */
	uint8_t state;       /**< enum se_dispatch_state, as published */
	uint8_t admin;       /**< enum se_admin */
	uint8_t reason;      /**< enum se_health_reason of its last transition */
	uint16_t code;       /**< the code of that transition, if any */
	uint32_t target;     /**< index of its probed address in the view's targets */
	uint64_t changed_ns; /**< monotonic time of its last transition */
	uint64_t msgs;       /**< requests sent to it */
	uint64_t dialogs;    /**< dialog-creating requests sent to it */
};

/** One probed address, as the view shows it. */
struct se_mb_target {
	char name[SE_DISPATCH_NAME_LEN]; /**< "ADDR:PORT" */
	bool probed;         /**< probes go to it */
	struct se_health h;  /**< its health, counters and RTT histogram */
};

/** Everything the control core copies for a SE_MB_VIEW request. */
struct se_mb_view {
	struct se_stats totals;    /**< every counter, summed over workers and control */
	uint64_t now_ns;           /**< monotonic time of the copy */
	uint64_t uptime_ns;        /**< since the workers started */
	uint64_t table_version;    /**< version of the published table */
	uint64_t publications;     /**< tables published so far */
	bool probing;              /**< health probes on */
	uint32_t n_backends;       /**< entries in backends */
	uint32_t n_targets;        /**< entries in targets */
	struct se_mb_backend backends[SE_DISPATCH_MAX_BACKENDS]; /**< by configuration order */
	struct se_mb_target targets[SE_DISPATCH_MAX_BACKENDS];   /**< probed addresses */
};

/** The mailbox. */
struct se_mailbox {
	pthread_mutex_t lock;   /**< requesters take turns; never taken by the control core */
	atomic_int state;       /**< IDLE, PENDING, BUSY, DONE */
	atomic_bool closed;     /**< the control core stopped answering */
	int op;                 /**< enum se_mb_op */
	char arg[128];          /**< the request's argument */
	int rc;                 /**< answer: 0 or -errno */
	char reply[256];        /**< answer: one line for the operator */
	struct se_mb_view view; /**< answer to SE_MB_VIEW */
};

/** The daemon's one mailbox. */
extern struct se_mailbox se_mailbox;

/**
 * Handles one request on the control core: fills mb->rc, mb->reply and,
 * for SE_MB_VIEW, mb->view.
 */
typedef void (*se_mailbox_fn)(void *arg, struct se_mailbox *mb);

/**
 * Requester: post @p op with @p arg and wait for the answer (at most
 * @p wait_ms for the control core to take it). On 0 the answer is in the
 * mailbox until se_mailbox_end(), which must follow.
 * @return 0; -ESHUTDOWN when closed; -ETIMEDOUT when not taken in time
 *   (nothing to end then)
 */
int se_mailbox_call(struct se_mailbox *mb, int op, const char *arg, unsigned int wait_ms);

/** Requester: done reading the answer; the next request may come. */
void se_mailbox_end(struct se_mailbox *mb);

/** Control core: answer a pending request, if any, with @p fn. */
void se_mailbox_poll(struct se_mailbox *mb, se_mailbox_fn fn, void *arg);

/** Control core: open for requests (at startup). */
void se_mailbox_open(struct se_mailbox *mb);

/** Control core: stop answering; a pending request fails with -ESHUTDOWN. */
void se_mailbox_close(struct se_mailbox *mb);

#endif /* _SE_MAILBOX_H_ */
