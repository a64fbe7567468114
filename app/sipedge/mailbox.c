/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mailbox.h"

enum { MB_IDLE = 0, MB_PENDING, MB_BUSY, MB_DONE };

/* Requesters poll the answer this often: the control core ticks every millisecond. */
#define WAIT_STEP_NS 200000

struct se_mailbox se_mailbox = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.closed = true,
};

static void
nap(void)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = WAIT_STEP_NS };

	nanosleep(&ts, NULL);
}

int
se_mailbox_call(struct se_mailbox *mb, int op, const char *arg, unsigned int wait_ms)
{
	uint64_t waited_ns = 0;
	int expect;

	if (atomic_load_explicit(&mb->closed, memory_order_acquire))
		return -ESHUTDOWN;
	pthread_mutex_lock(&mb->lock);
	mb->op = op;
	snprintf(mb->arg, sizeof(mb->arg), "%s", arg != NULL ? arg : "");
	mb->rc = 0;
	mb->reply[0] = '\0';
	atomic_store_explicit(&mb->state, MB_PENDING, memory_order_release);
	for (;;) {
		int st = atomic_load_explicit(&mb->state, memory_order_acquire);

		if (st == MB_DONE)
			return 0;
		/* not taken in time: withdraw it, unless the control core takes it right now */
		if (st == MB_PENDING && waited_ns / 1000000 >= wait_ms) {
			expect = MB_PENDING;
			if (atomic_compare_exchange_strong(&mb->state, &expect, MB_IDLE)) {
				pthread_mutex_unlock(&mb->lock);
				return -ETIMEDOUT;
			}
		}
		nap();
		waited_ns += WAIT_STEP_NS;
	}
}

void
se_mailbox_end(struct se_mailbox *mb)
{
	atomic_store_explicit(&mb->state, MB_IDLE, memory_order_release);
	pthread_mutex_unlock(&mb->lock);
}

void
se_mailbox_poll(struct se_mailbox *mb, se_mailbox_fn fn, void *arg)
{
	int expect = MB_PENDING;

	if (!atomic_compare_exchange_strong(&mb->state, &expect, MB_BUSY))
		return;
	fn(arg, mb);
	atomic_store_explicit(&mb->state, MB_DONE, memory_order_release);
}

void
se_mailbox_open(struct se_mailbox *mb)
{
	atomic_store_explicit(&mb->closed, false, memory_order_release);
}

void
se_mailbox_close(struct se_mailbox *mb)
{
	int expect = MB_PENDING;

	atomic_store_explicit(&mb->closed, true, memory_order_release);
	if (atomic_compare_exchange_strong(&mb->state, &expect, MB_BUSY)) {
		mb->rc = -ESHUTDOWN;
		snprintf(mb->reply, sizeof(mb->reply), "sipedge is stopping");
		atomic_store_explicit(&mb->state, MB_DONE, memory_order_release);
	}
}
