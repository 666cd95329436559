/*
 * version.c - the version of the library actually linked, which a program
 * compares with the CORS_VERSION_* macros it was built with.
 */
#include "util.h"

unsigned cors_version(void)
{
    return CORS_VERSION_NUMBER;
}

const char *cors_version_string(void)
{
    return CORS_VERSION_STRING;
}
