#define _GNU_SOURCE
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <errno.h>
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

int ris_watch_open(void) { return inotify_init1(IN_NONBLOCK | IN_CLOEXEC); }

int ris_watch_add(int watcher, const char *path) {
    uint32_t mask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_CLOSE_WRITE
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
    return inotify_add_watch(watcher, path, mask) < 0 ? -1 : 0;
}

int ris_watch_drain(int watcher) {
    char buffer[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int seen = 0;
    for (;;) {
        ssize_t count = read(watcher, buffer, sizeof buffer);
        if (count > 0) {
            seen = 1;
            continue;
        }
        if (count < 0 && errno == EINTR) continue;
        if (count < 0 && errno == EAGAIN) return seen;
        return count == 0 ? seen : -1;
    }
}

int ris_format_fixed(char *buffer, size_t capacity, double value, int places) {
    return snprintf(buffer, capacity, "%.*f", places, value);
}

int ris_start_writeback(int descriptor) {
    return sync_file_range(descriptor, 0, 0, SYNC_FILE_RANGE_WRITE);
}
