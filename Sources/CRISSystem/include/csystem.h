// System calls the Swift Glibc module does not declare (it is built without _GNU_SOURCE).
#ifndef RIS_CSYSTEM_H
#define RIS_CSYSTEM_H

#include <stddef.h>
#include "arena.h"

/// Atomically exchanges `from` and `to` (renameat2 with RENAME_EXCHANGE): both must exist.
/// Returns 0, or -1 with errno (EINVAL or ENOSYS where the file system cannot).
int ris_exchange(int fromFolder, const char *from, int toFolder, const char *to);

/// A pipe whose two ends close on exec (pipe2 with O_CLOEXEC), so a child started by
/// another thread never inherits them. Returns 0, or -1 with errno.
int ris_pipe_cloexec(int ends[2]);

/// The size of the terminal `descriptor` is connected to (TIOCGWINSZ), in `rows` and
/// `columns`. Returns 0, or -1 with errno when it is not a terminal.
int ris_terminal_size(int descriptor, int *rows, int *columns);

/// An inotify instance, non-blocking and closed on exec. Returns its descriptor, or -1 with errno.
int ris_watch_open(void);

/// Watches the folder `path` for entries created, deleted, moved, written or changed in their
/// attributes, and for the folder itself going away. Returns 0, or -1 with errno (ENOSPC: the
/// user's limit of watches is reached).
int ris_watch_add(int watcher, const char *path);

/// Reads every event waiting, without blocking. Returns 1 when there was one (or the kernel's
/// queue overflowed), 0 when none, -1 with errno on an error.
int ris_watch_drain(int watcher);

/// `value` with `places` decimals into `buffer` (snprintf's "%.*f"): what printf writes, called
/// with a double rather than through Swift's variadic argument list. Returns what snprintf returns.
int ris_format_fixed(char *buffer, size_t capacity, double value, int places);

/// Starts writing the dirty pages of the file open as `descriptor` to its disk, without waiting
/// for them (sync_file_range with SYNC_FILE_RANGE_WRITE): a later fdatasync finds little left
/// to write. Returns 0, or -1 with errno.
int ris_start_writeback(int descriptor);

#endif
