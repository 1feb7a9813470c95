#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "csystem.h"

int ris_exchange(int fromFolder, const char *from, int toFolder, const char *to) {
    return renameat2(fromFolder, from, toFolder, to, RENAME_EXCHANGE);
}

int ris_pipe_cloexec(int ends[2]) {
    return pipe2(ends, O_CLOEXEC);
}
