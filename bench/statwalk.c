/* The stat-walk floor of `make bench`: what a refresh cannot avoid, in plain C. It walks the
 * folder like ris (readdir, then fstatat of each name on the folder's descriptor, `.ris` and
 * hidden folders skipped, one thread) and prints the number of *.md files it found. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long found;

static void walk(int parent, const char *name) {
    int folder = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0) return;
    DIR *directory = fdopendir(folder);
    if (!directory) { close(folder); return; }
    struct dirent *entry;
    while ((entry = readdir(directory))) {
        if (entry->d_name[0] == '.') continue;
        struct stat status;
        if (fstatat(folder, entry->d_name, &status, 0) != 0) continue;
        if (S_ISDIR(status.st_mode)) {
            walk(folder, entry->d_name);
        } else {
            size_t length = strlen(entry->d_name);
            if (length > 3 && strcmp(entry->d_name + length - 3, ".md") == 0) found++;
        }
    }
    closedir(directory);
}

int main(int argc, char **argv) {
    walk(AT_FDCWD, argc > 1 ? argv[1] : ".");
    printf("%ld\n", found);
    return 0;
}
