#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include "csystem.h"

int ris_exchange(int fromFolder, const char *from, int toFolder, const char *to) {
    return renameat2(fromFolder, from, toFolder, to, RENAME_EXCHANGE);
}
