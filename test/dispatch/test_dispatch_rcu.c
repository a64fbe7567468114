/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Publication through rte_rcu_qsbr, without EAL: pthreads as readers and
 * writers. Readers count what they find wrong; the test asserts the counts
 * (Criterion asserts belong to the test's own thread).
 */

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <rte_rcu_qsbr.h>

#include "dispatch_test.h"

#define MAX_READERS 4
#define MAX_WRITERS 4
#define N_BACKENDS 8

struct stress {
	struct se_dispatch_pub pub;
	struct rte_rcu_qsbr *qs;
	unsigned n_readers;
	unsigned publications; /* per writer */
	atomic_bool stop;
	atomic_uint readers_ready;
	atomic_uint_fast64_t lookups;
	atomic_uint_fast64_t tables_seen;
	atomic_uint_fast64_t bad_magic;
	atomic_uint_fast64_t bad_version;
	atomic_uint_fast64_t version_went_back;
	atomic_uint_fast64_t bad_backend;
};

struct reader_arg {
	struct stress *s;
	unsigned id;
};

struct writer_arg {
	struct stress *s;
	unsigned id;
};

static struct rte_rcu_qsbr *
qsbr_create(unsigned readers)
{
	size_t sz = rte_rcu_qsbr_get_memsize(readers);
	struct rte_rcu_qsbr *qs = aligned_alloc(RTE_CACHE_LINE_SIZE,
						(sz + RTE_CACHE_LINE_SIZE - 1) &
						~(size_t)(RTE_CACHE_LINE_SIZE - 1));

	cr_assert(not(eq(ptr, qs, NULL)));
	cr_assert(eq(int, rte_rcu_qsbr_init(qs, readers), 0), "rte_rcu_qsbr works without EAL");
	return qs;
}

static void *
reader(void *p)
{
	struct reader_arg *a = p;
	struct stress *s = a->s;
	uint64_t seed = 1000 + a->id, last = 0, n = 0;
	unsigned spins = 0;

	rte_rcu_qsbr_thread_register(s->qs, a->id);
	rte_rcu_qsbr_thread_online(s->qs, a->id);
	atomic_fetch_add(&s->readers_ready, 1);
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		const struct se_dispatch_table *t = se_dispatch_current(&s->pub);

		if (t != NULL) {
			uint64_t v = t->version;
			uint64_t seq = atomic_load(&s->pub.seq);

			atomic_fetch_add_explicit(&s->tables_seen, 1, memory_order_relaxed);
			if (t->magic != SE_DISPATCH_TABLE_MAGIC)
				atomic_fetch_add(&s->bad_magic, 1);
			if (v == 0 || v > seq)
				atomic_fetch_add(&s->bad_version, 1);
			if (v < last)
				atomic_fetch_add(&s->version_went_back, 1);
			last = v;
			for (int k = 0; k < 16; k++) {
				int b = se_dispatch_lookup(t, 0, test_rand(&seed));
				const struct se_dispatch_backend *x = se_dispatch_backend(t, b);

				/* Every table has up backends, and only up ones are chosen. */
				if (x == NULL || x->state != SE_DISPATCH_UP ||
				    x->set_id != t->sets[0].set_id || x->name[0] != '1')
					atomic_fetch_add(&s->bad_backend, 1);
			}
			n += 16;
		}
		/* Done with t: the one point where this reader holds no table. */
		rte_rcu_qsbr_quiescent(s->qs, a->id);
		/*
		 * Workers own their cores; here readers and writers share two,
		 * so now and then give the writers a turn, as an idle worker
		 * loop would.
		 */
		if ((++spins & 31) == 0)
			sched_yield();
	}
	atomic_fetch_add(&s->lookups, n);
	rte_rcu_qsbr_thread_offline(s->qs, a->id);
	rte_rcu_qsbr_thread_unregister(s->qs, a->id);
	return NULL;
}

static void *
writer(void *p)
{
	struct writer_arg *a = p;
	struct stress *s = a->s;
	struct se_dispatch_config *cfg = se_dispatch_config_create();
	char arg[64];

	if (cfg == NULL)
		return (void *)1;
	se_dispatch_config_set_arg(cfg, "1,size=1009", NULL, 0);
	for (unsigned i = 0; i < N_BACKENDS; i++) {
		snprintf(arg, sizeof(arg), "10.%u.0.%u:5060,weight=%u", a->id, i + 1, 1 + i % 3);
		if (se_dispatch_config_add_arg(cfg, arg, NULL, 0) < 0)
			return (void *)1;
	}
	for (unsigned i = 0; i < s->publications; i++) {
		struct se_dispatch_table *t;

		/* A different table every time: one backend down, weights shifting. */
		se_dispatch_config_set_state(cfg, i % N_BACKENDS, SE_DISPATCH_DOWN);
		se_dispatch_config_set_state(cfg, (i + N_BACKENDS - 1) % N_BACKENDS,
					     SE_DISPATCH_UP);
		se_dispatch_config_set_weight(cfg, (i / N_BACKENDS) % N_BACKENDS, 1 + i % 5);
		t = se_dispatch_table_build(cfg);
		if (t == NULL)
			return (void *)1;
		se_dispatch_publish(&s->pub, t);
	}
	se_dispatch_config_free(cfg);
	return NULL;
}

static void
run_stress(unsigned n_readers, unsigned n_writers, unsigned publications)
{
	struct stress *s = calloc(1, sizeof(*s));
	pthread_t rt[MAX_READERS], wt[MAX_WRITERS];
	struct reader_arg ra[MAX_READERS];
	struct writer_arg wa[MAX_WRITERS];

	cr_assert(not(eq(ptr, s, NULL)));
	s->qs = qsbr_create(n_readers);
	s->n_readers = n_readers;
	s->publications = publications;
	se_dispatch_pub_init(&s->pub, s->qs);
	for (unsigned i = 0; i < n_readers; i++) {
		ra[i] = (struct reader_arg){s, i};
		cr_assert(eq(int, pthread_create(&rt[i], NULL, reader, &ra[i]), 0));
	}
	while (atomic_load(&s->readers_ready) < n_readers)
		sched_yield();
	for (unsigned i = 0; i < n_writers; i++) {
		wa[i] = (struct writer_arg){s, i};
		cr_assert(eq(int, pthread_create(&wt[i], NULL, writer, &wa[i]), 0));
	}
	for (unsigned i = 0; i < n_writers; i++) {
		void *rc;

		pthread_join(wt[i], &rc);
		cr_expect(eq(ptr, rc, NULL), "writer %u failed", i);
	}
	atomic_store(&s->stop, true);
	for (unsigned i = 0; i < n_readers; i++)
		pthread_join(rt[i], NULL);

	cr_log_info("%u readers, %u writers x %u publications: %llu lookups over %llu table "
		    "loads", n_readers, n_writers, publications,
		    (unsigned long long)atomic_load(&s->lookups),
		    (unsigned long long)atomic_load(&s->tables_seen));
	cr_expect(eq(u64, atomic_load(&s->pub.seq), (uint64_t)n_writers * publications));
	cr_expect(gt(u64, atomic_load(&s->lookups), 0));
	cr_expect(eq(u64, atomic_load(&s->bad_magic), 0), "a reader saw a freed table");
	cr_expect(eq(u64, atomic_load(&s->bad_version), 0), "a version out of range");
	cr_expect(eq(u64, atomic_load(&s->version_went_back), 0), "versions went backwards");
	cr_expect(eq(u64, atomic_load(&s->bad_backend), 0), "an invalid backend was chosen");
	se_dispatch_pub_fini(&s->pub);
	cr_expect(eq(ptr, (void *)se_dispatch_current(&s->pub), NULL));
	free(s->qs);
	free(s);
}

Test(dispatch_rcu, readers_never_see_a_freed_torn_or_older_table_under_two_writers,
     .timeout = 120)
{
	run_stress(2, 2, 1500);
}

Test(dispatch_rcu, readers_see_versions_only_increase_under_one_writer, .timeout = 120)
{
	run_stress(2, 1, 2000);
}

/* ---------------------------------------------------------------------------
 * The grace period, observed without timing
 */

struct grace {
	struct se_dispatch_pub pub;
	struct rte_rcu_qsbr *qs;
	const struct se_dispatch_table *held;
	atomic_bool holding;
	atomic_bool publish_returned;
	bool returned_before_quiescent;
	bool old_table_intact;
};

static void *
grace_reader(void *p)
{
	struct grace *g = p;
	const struct se_dispatch_table *t;
	uint64_t ok = 0;

	rte_rcu_qsbr_thread_register(g->qs, 0);
	rte_rcu_qsbr_thread_online(g->qs, 0);
	t = se_dispatch_current(&g->pub);
	g->held = t;
	atomic_store(&g->holding, true);
	/* Wait until the writer has swapped the pointer: it is now in its grace period. */
	while (se_dispatch_current(&g->pub) == t)
		sched_yield();
	for (int i = 0; i < 100000; i++) {
		ok += atomic_load(&g->publish_returned) ? 0 : 1;
		ok += *(volatile const uint64_t *)&t->magic == SE_DISPATCH_TABLE_MAGIC ? 0 : 2;
	}
	g->returned_before_quiescent = atomic_load(&g->publish_returned);
	g->old_table_intact = ok == 100000;
	rte_rcu_qsbr_quiescent(g->qs, 0);
	rte_rcu_qsbr_thread_offline(g->qs, 0);
	rte_rcu_qsbr_thread_unregister(g->qs, 0);
	return NULL;
}

static void *
grace_writer(void *p)
{
	struct grace *g = p;
	static const char *const args[] = {"10.0.0.2"};
	struct se_dispatch_config *cfg = se_dispatch_config_create();

	se_dispatch_config_add_arg(cfg, args[0], NULL, 0);
	se_dispatch_publish(&g->pub, se_dispatch_table_build(cfg));
	atomic_store(&g->publish_returned, true);
	se_dispatch_config_free(cfg);
	return NULL;
}

Test(dispatch_rcu, publish_frees_the_old_table_only_after_readers_pass_a_quiescent_state)
{
	static const char *const args[] = {"10.0.0.1"};
	struct se_dispatch_config *cfg = test_config(args, 1);
	struct grace *g = calloc(1, sizeof(*g));
	pthread_t r, w;

	g->qs = qsbr_create(1);
	se_dispatch_pub_init(&g->pub, g->qs);
	se_dispatch_publish(&g->pub, test_build(cfg));
	cr_assert(eq(int, pthread_create(&r, NULL, grace_reader, g), 0));
	while (!atomic_load(&g->holding))
		sched_yield();
	cr_assert(eq(int, pthread_create(&w, NULL, grace_writer, g), 0));
	pthread_join(r, NULL);
	pthread_join(w, NULL);
	cr_expect(not(g->returned_before_quiescent), "publish returned within the grace period");
	cr_expect(g->old_table_intact, "the held table changed within the grace period");
	cr_expect(eq(u64, se_dispatch_current(&g->pub)->version, 2));
	se_dispatch_pub_fini(&g->pub);
	free(g->qs);
	free(g);
	se_dispatch_config_free(cfg);
}

Test(dispatch_rcu, without_readers_publish_frees_at_once_and_fini_frees_the_last)
{
	static const char *const args[] = {"10.0.0.1", "10.0.0.2"};
	struct se_dispatch_config *cfg = test_config(args, 2);
	struct se_dispatch_pub pub;

	se_dispatch_pub_init(&pub, NULL);
	cr_expect(eq(ptr, (void *)se_dispatch_current(&pub), NULL));
	for (int i = 1; i <= 5; i++) {
		se_dispatch_publish(&pub, test_build(cfg));
		cr_expect(eq(u64, se_dispatch_current(&pub)->version, (uint64_t)i));
	}
	se_dispatch_publish(&pub, NULL);
	cr_expect(eq(ptr, (void *)se_dispatch_current(&pub), NULL));
	se_dispatch_publish(&pub, test_build(cfg));
	se_dispatch_pub_fini(&pub); /* LeakSanitizer checks the tables were freed */
	se_dispatch_pub_fini(&pub);
	se_dispatch_config_free(cfg);
}
