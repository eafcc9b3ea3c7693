/* check.h: assertions for socklab's C tests. A failed check prints where and
 * why (with the errno name) and exits 1; SKIP exits 77, which ctest reports. */
#ifndef SOCKLAB_CHECK_H
#define SOCKLAB_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab_narrate.h"

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond);                       \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fputc('\n', stderr);                                                                   \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

/* A call that must not return -1. */
#define CHECK_SYS(call)                                                                            \
    do {                                                                                           \
        if ((call) < 0) {                                                                          \
            fprintf(stderr, "%s:%d: FAIL: %s: errno=%s\n", __FILE__, __LINE__, #call,              \
                    lab_errno_name(errno));                                                        \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

/* A call that must fail with errno want. */
#define CHECK_ERRNO(call, want)                                                                    \
    do {                                                                                           \
        errno = 0;                                                                                 \
        long rc_ = (long)(call);                                                                   \
        int err_ = errno;                                                                          \
        CHECK(rc_ < 0 && err_ == (want), "%s returned %ld errno=%s, want -1 errno=%s", #call, rc_, \
              lab_errno_name(err_), lab_errno_name(want));                                         \
    } while (0)

#define SKIP(...)                                                                                  \
    do {                                                                                           \
        printf("SKIP: ");                                                                          \
        printf(__VA_ARGS__);                                                                       \
        putchar('\n');                                                                             \
        exit(77);                                                                                  \
    } while (0)

#endif
