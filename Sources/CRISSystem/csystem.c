#define _GNU_SOURCE
#include <sys/ioctl.h>
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

int ris_terminal_size(int descriptor, int *rows, int *columns) {
    struct winsize size;
    if (ioctl(descriptor, TIOCGWINSZ, &size) != 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}
