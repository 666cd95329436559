/*
 * holder.c - publishing a new policy while other threads evaluate the old
 * one (cors_holder_*).
 *
 * Readers take no lock: a holder keeps two slots, each with a count of the
 * readers using it.  A reader counts itself on the current slot and then
 * checks that it is still current; if a replacement moved on meanwhile, it
 * uncounts and tries again, never touching the slot it left.  A writer puts
 * the new policy in the other slot, makes that slot current, then waits
 * until the readers of the previous slot are gone before freeing its
 * policy.  Every atomic operation is sequentially consistent: the few
 * there are cost little next to an evaluation, and the argument for the
 * scheme stays simple.
 */
#include "util.h"

#include <stdatomic.h>

#if defined(__unix__) || defined(__APPLE__)
#include <sched.h>
/* Lets the readers the writer waits for run on a busy machine. */
#define RELAX() sched_yield()
#else
#define RELAX() ((void)0)
#endif

struct cors_holder {
    cors_allocator alloc;
    _Atomic(cors_policy *) slot[2];
    atomic_size_t readers[2];
    atomic_uint current;       /* the slot readers take */
    atomic_flag writing;       /* one replacement at a time */
};

cors_holder *cors_holder_new(cors_policy *policy, const cors_allocator *alloc)
{
    cors_allocator a = {NULL, NULL, NULL};
    cors_holder *h;

    if (!policy || (alloc && (!alloc->malloc_fn || !alloc->free_fn)))
        return NULL;
    if (alloc)
        a = *alloc;
    h = cors__alloc(&a, sizeof *h);
    if (!h)
        return NULL;
    h->alloc = a;
    atomic_init(&h->slot[0], policy);
    atomic_init(&h->slot[1], NULL);
    atomic_init(&h->readers[0], 0);
    atomic_init(&h->readers[1], 0);
    atomic_init(&h->current, 0);
    atomic_flag_clear(&h->writing);
    return h;
}

const cors_policy *cors_holder_acquire(cors_holder *h)
{
    if (!h)
        return NULL;
    for (;;) {
        unsigned i = atomic_load(&h->current);
        atomic_fetch_add(&h->readers[i], 1);
        /* Still current: a writer that moves on now waits for this count
           before it frees the slot's policy. */
        if (atomic_load(&h->current) == i)
            return atomic_load(&h->slot[i]);
        atomic_fetch_sub(&h->readers[i], 1);
    }
}

void cors_holder_release(cors_holder *h, const cors_policy *policy)
{
    /* A counted policy stays in its slot, so it is found there. */
    if (h && policy)
        atomic_fetch_sub(&h->readers[atomic_load(&h->slot[0]) == policy ? 0 : 1], 1);
}

static void wait_for_readers(cors_holder *h, unsigned i)
{
    while (atomic_load(&h->readers[i]) != 0)
        RELAX();
}

cors_error cors_holder_replace(cors_holder *h, cors_policy *policy)
{
    unsigned i, j;
    cors_policy *old;

    if (!h || !policy)
        return CORS_ERR_INVALID_ARGUMENT;
    while (atomic_flag_test_and_set(&h->writing))
        RELAX();
    i = atomic_load(&h->current);
    j = 1 - i;
    if (atomic_load(&h->slot[i]) == policy) {
        /* Publishing the current policy again would free it. */
        atomic_flag_clear(&h->writing);
        return CORS_ERR_INVALID_ARGUMENT;
    }
    /* Slot j was emptied by the previous replacement, after its readers
       had gone; none can use it before current points at it. */
    atomic_store(&h->slot[j], policy);
    atomic_store(&h->current, j);
    wait_for_readers(h, i);
    old = atomic_load(&h->slot[i]);
    atomic_store(&h->slot[i], NULL);
    atomic_flag_clear(&h->writing);
    cors_policy_free(old);
    return CORS_OK;
}

void cors_holder_free(cors_holder *h)
{
    cors_allocator a;

    if (!h)
        return;
    cors_policy_free(atomic_load(&h->slot[0]));
    cors_policy_free(atomic_load(&h->slot[1]));
    a = h->alloc;
    cors__free(&a, h);
}
