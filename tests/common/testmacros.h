/*
 * testmacros.h - the small macros every C test and the benchmark share.
 * Plain C (no Check), so programs that do not use Check include it too;
 * testutil.h includes it for the Check suites.
 */
#ifndef CORS_TESTMACROS_H
#define CORS_TESTMACROS_H

#include <stddef.h>

/* A string literal as the two arguments (pointer, length) that the API
   takes: strlen() would stop at an embedded NUL, which tests do use. */
#define S(lit) lit, sizeof(lit) - 1

/* The same as a {pointer, length} initializer (cors_str and test tables). */
#define SL(lit) {lit, sizeof(lit) - 1}

/* The number of elements of an array, as size_t and as the int that
   Check's loop tests take. */
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define NCASES(a) ((int)COUNT_OF(a))

#endif
