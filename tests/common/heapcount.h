/*
 * heapcount.h - a replacement malloc that counts heap calls, for the
 * zero-allocation test and the benchmark.  Include it in exactly one file of
 * a program.
 *
 * Interposing on malloc from the executable catches every heap call made by
 * libcors whichever way it is linked, including a stray malloc() that would
 * bypass the policy's allocator hook.  Forwarding to the C library's own
 * malloc would need a non-portable way to reach it (dlsym(RTLD_NEXT) itself
 * allocates, __libc_malloc is glibc-only), so this is a complete, simple
 * allocator instead: power-of-two size classes with free lists over memory
 * from mmap.  The C library supports replacing malloc this way as long as
 * malloc, free, calloc, realloc and the aligned and size-query variants are
 * all provided, which they are.
 *
 * Sanitizers (address, memory, thread) bring their own malloc, which a
 * definition here would clash with; under them HEAPCOUNT_ACTIVE is 0 and
 * nothing is replaced, so callers must report that counting is unavailable.
 * Valgrind also replaces malloc, at run time: heapcount_under_valgrind()
 * tells callers so.
 */
#ifndef CORS_HEAPCOUNT_H
#define CORS_HEAPCOUNT_H

#ifndef __has_feature
#define HEAPCOUNT_HAS_FEATURE(x) 0
#else
#define HEAPCOUNT_HAS_FEATURE(x) __has_feature(x)
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) ||                       \
    defined(__SANITIZE_HWADDRESS__) || HEAPCOUNT_HAS_FEATURE(address_sanitizer) ||         \
    HEAPCOUNT_HAS_FEATURE(memory_sanitizer) || HEAPCOUNT_HAS_FEATURE(thread_sanitizer) ||  \
    HEAPCOUNT_HAS_FEATURE(hwaddress_sanitizer)
#define HEAPCOUNT_ACTIVE 0
#else
#define HEAPCOUNT_ACTIVE 1
#endif

#include <stddef.h>

/* Heap calls (malloc, calloc, realloc, free, aligned_alloc, posix_memalign,
   memalign, valloc, pvalloc, reallocarray) made while armed. */
static volatile unsigned long heapcount_calls;
static volatile int heapcount_armed;

static inline void heapcount_arm(void)
{
    heapcount_armed = 1;
}

static inline unsigned long heapcount_disarm(void)
{
    heapcount_armed = 0;
    return heapcount_calls;
}

static inline void heapcount_reset(void)
{
    heapcount_calls = 0;
}

#include <stdlib.h>
#include <string.h>

/* Valgrind preloads its own allocator (vgpreload_*.so) into the program. */
static inline int heapcount_under_valgrind(void)
{
    const char *pre = getenv("LD_PRELOAD");

    return pre && strstr(pre, "vgpreload") != NULL;
}

#if HEAPCOUNT_ACTIVE

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

/* Not declared under strict C11/POSIX, but the C library may call them. */
void *memalign(size_t alignment, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);
void *reallocarray(void *ptr, size_t nmemb, size_t size);
size_t malloc_usable_size(void *ptr);

/* Never inlined into a caller: valgrind replaces the heap functions by
   symbol, and a copy inlined into this program would escape it, mixing two
   allocators. */
#if defined(__GNUC__)
#define HC_API __attribute__((noinline))
#else
#define HC_API
#endif

#define HC_HEADER 16u        /* keeps every block 16-byte aligned */
#define HC_MIN_CLASS 4u      /* 16 bytes */
#define HC_MAX_CLASS 47u
#define HC_CHUNK ((size_t)64 << 20)

typedef struct hc_free {
    struct hc_free *next;
} hc_free;

static hc_free *hc_lists[HC_MAX_CLASS + 1];
static unsigned char *hc_cur, *hc_end;
static atomic_flag hc_lock = ATOMIC_FLAG_INIT;

static void hc_acquire(void)
{
    while (atomic_flag_test_and_set_explicit(&hc_lock, memory_order_acquire))
        ;
}

static void hc_release(void)
{
    atomic_flag_clear_explicit(&hc_lock, memory_order_release);
}

static void hc_count(void)
{
    if (heapcount_armed)
        heapcount_calls = heapcount_calls + 1;
}

static unsigned hc_class(size_t size)
{
    unsigned c = HC_MIN_CLASS;

    while (c <= HC_MAX_CLASS && ((size_t)1 << c) < size)
        c++;
    return c;
}

/* The class is stored in the 16 bytes before every block. */
static unsigned hc_class_of(void *p)
{
    return *(unsigned *)(void *)((unsigned char *)p - HC_HEADER);
}

/* Carves a block of class c whose address is a multiple of align (a power
   of two, at least 16) from the current chunk. */
static void *hc_carve(unsigned c, size_t align)
{
    size_t size = (size_t)1 << c;
    uintptr_t at;

    for (;;) {
        if (hc_cur) {
            at = ((uintptr_t)hc_cur + HC_HEADER + align - 1) & ~(uintptr_t)(align - 1);
            if (at <= (uintptr_t)hc_end && (uintptr_t)hc_end - at >= size) {
                hc_cur = (unsigned char *)(at + size);
                *(unsigned *)(void *)((unsigned char *)at - HC_HEADER) = c;
                return (void *)at;
            }
        }
        {
            size_t want = size + align + HC_HEADER > HC_CHUNK ? size + align + HC_HEADER
                                                               : HC_CHUNK;
            void *m = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                           -1, 0);
            if (m == MAP_FAILED)
                return NULL;
            hc_cur = m;
            hc_end = hc_cur + want;
        }
    }
}

static void *hc_alloc(size_t size, size_t align)
{
    unsigned c = hc_class(size ? size : 1);
    void *p;

    if (c > HC_MAX_CLASS) {
        errno = ENOMEM;
        return NULL;
    }
    hc_acquire();
    if (align <= HC_HEADER && hc_lists[c]) {
        p = hc_lists[c];
        hc_lists[c] = hc_lists[c]->next;
    } else {
        p = hc_carve(c, align < HC_HEADER ? HC_HEADER : align);
    }
    hc_release();
    if (!p)
        errno = ENOMEM;
    return p;
}

static void hc_release_block(void *p)
{
    unsigned c;

    if (!p)
        return;
    c = hc_class_of(p);
    hc_acquire();
    ((hc_free *)p)->next = hc_lists[c];
    hc_lists[c] = p;
    hc_release();
}

HC_API void *malloc(size_t size)
{
    hc_count();
    return hc_alloc(size, HC_HEADER);
}

HC_API void free(void *p)
{
    hc_count();
    hc_release_block(p);
}

HC_API void *calloc(size_t n, size_t size)
{
    void *p;

    hc_count();
    if (size && n > (size_t)-1 / size) {
        errno = ENOMEM;
        return NULL;
    }
    p = hc_alloc(n * size, HC_HEADER);
    if (p)
        memset(p, 0, n * size);
    return p;
}

static void *hc_realloc(void *p, size_t size)
{
    void *n;
    size_t old;

    if (!p)
        return hc_alloc(size, HC_HEADER);
    old = (size_t)1 << hc_class_of(p);
    if (size <= old && size > 0)
        return p;
    n = hc_alloc(size, HC_HEADER);
    if (!n)
        return NULL;
    memcpy(n, p, old < size ? old : size);
    hc_release_block(p);
    return n;
}

HC_API void *realloc(void *p, size_t size)
{
    hc_count();
    return hc_realloc(p, size);
}

HC_API void *reallocarray(void *p, size_t n, size_t size)
{
    hc_count();
    if (size && n > (size_t)-1 / size) {
        errno = ENOMEM;
        return NULL;
    }
    return hc_realloc(p, n * size);
}

static int hc_pow2(size_t a)
{
    return a && (a & (a - 1)) == 0;
}

HC_API void *aligned_alloc(size_t align, size_t size)
{
    hc_count();
    if (!hc_pow2(align)) {
        errno = EINVAL;
        return NULL;
    }
    return hc_alloc(size, align);
}

HC_API void *memalign(size_t align, size_t size)
{
    hc_count();
    if (!hc_pow2(align)) {
        errno = EINVAL;
        return NULL;
    }
    return hc_alloc(size, align);
}

HC_API int posix_memalign(void **out, size_t align, size_t size)
{
    void *p;

    hc_count();
    if (!hc_pow2(align) || align % sizeof(void *) != 0)
        return EINVAL;
    p = hc_alloc(size, align);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

HC_API void *valloc(size_t size)
{
    hc_count();
    return hc_alloc(size, 4096);
}

HC_API void *pvalloc(size_t size)
{
    hc_count();
    return hc_alloc((size + 4095) & ~(size_t)4095, 4096);
}

HC_API size_t malloc_usable_size(void *p)
{
    return p ? (size_t)1 << hc_class_of(p) : 0;
}

#endif /* HEAPCOUNT_ACTIVE */

/* A policy allocator that counts its calls: a second witness, next to the
   interposed malloc, of what the library allocates. */
#include <cors.h>

static unsigned long hook_calls;

static void *hook_malloc(size_t size, void *ud)
{
    (void)ud;
    hook_calls++;
    return malloc(size);
}

static void hook_free(void *p, void *ud)
{
    (void)ud;
    hook_calls++;
    free(p);
}

static const cors_allocator hook = {hook_malloc, hook_free, NULL};

#endif
