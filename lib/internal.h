/*
 * internal.h - every internal header at once, for the tests that reach
 * internal functions (the library's own files include what they use);
 * not installed.
 */
#ifndef CORS_INTERNAL_H
#define CORS_INTERNAL_H

#include "util.h"
#include "origin.h"
#include "origin_fast.h"
#include "names.h"
#include "hash.h"
#include "builder.h"
#include "policy.h"

#endif
