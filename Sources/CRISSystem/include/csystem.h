// System calls the Swift Glibc module does not declare (it is built without _GNU_SOURCE).
#ifndef RIS_CSYSTEM_H
#define RIS_CSYSTEM_H

/// Atomically exchanges `from` and `to` (renameat2 with RENAME_EXCHANGE): both must exist.
/// Returns 0, or -1 with errno (EINVAL or ENOSYS where the file system cannot).
int ris_exchange(int fromFolder, const char *from, int toFolder, const char *to);

/// A pipe whose two ends close on exec (pipe2 with O_CLOEXEC), so a child started by
/// another thread never inherits them. Returns 0, or -1 with errno.
int ris_pipe_cloexec(int ends[2]);

/// The size of the terminal `descriptor` is connected to (TIOCGWINSZ), in `rows` and
/// `columns`. Returns 0, or -1 with errno when it is not a terminal.
int ris_terminal_size(int descriptor, int *rows, int *columns);

#endif
