/*
 * example-util.h - what the example servers share: loading a policy file
 * and merging a comma-separated header list.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#ifndef EXAMPLE_UTIL_H
#define EXAMPLE_UTIL_H

#include <cors.h>

#include <stddef.h>

/*
 * Builds the policy in the text file at path (libcors-policy(5)); NULL path
 * gives an empty policy, which allows no cross-origin access at all.  Every
 * diagnostic goes to stderr as "PATH:LINE: error: message".  Returns NULL
 * when the file cannot be read or the policy has an error: a server must
 * then refuse to start rather than run with a policy nobody wrote.
 */
cors_policy *example_load_policy(const char *path);

/*
 * Parses "[--port N] [--policy FILE]" into *port (default 8080) and *policy
 * (default NULL); prints usage to stderr and returns -1 when argv is wrong.
 */
int example_args(int argc, char **argv, const char *prog, unsigned long *port,
                 const char **policy);

/* Copies (s, n) into buf as a C string; -1 when it does not fit. */
int example_cstr(char *buf, size_t size, const char *s, size_t n);

/*
 * The value to write for one header libcors emitted, for frameworks whose
 * API takes whole values: for CORS_HEADER_SET the emitted value; for
 * CORS_HEADER_MERGE the response's current value old (may be NULL) merged
 * with it (see example_merge_list).  Returns 0, or -1 when out is too small.
 */
int example_header_value(char *out, size_t size, const char *old, const char *value,
                         size_t value_len, unsigned flags);

/*
 * What CORS_HEADER_MERGE means for a list header such as Vary: writes to out
 * the list old (may be NULL) followed by each element of (add, add_len) it
 * does not hold yet, compared case-insensitively.  Returns 0, or -1 when out
 * (size bytes, NUL included) is too small.
 */
int example_merge_list(char *out, size_t size, const char *old, const char *add, size_t add_len);

#endif
