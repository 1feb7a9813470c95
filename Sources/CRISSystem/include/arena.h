// A per-thread arena for cmark-gfm's allocations while one document is parsed.
#ifndef RIS_ARENA_H
#define RIS_ARENA_H

#include <stddef.h>

/// The three functions of cmark-gfm's `cmark_mem`, in its order: an allocator that gives
/// memory from the calling thread's arena. Freeing is a no-op; `ris_arena_reset` takes
/// everything back at once. (cmark-gfm's own arena allocator is one global arena, which
/// documents parsed on several threads at once cannot share.)
struct ris_arena_allocator {
    void *(*calloc)(size_t count, size_t size);
    void *(*realloc)(void *pointer, size_t size);
    void (*free)(void *pointer);
};

/// The allocator, to be handed to `cmark_parser_new_with_mem` as its `cmark_mem`.
struct ris_arena_allocator *ris_arena(void);

/// Returns all that the calling thread's arena gave out: nothing it gave may be used after.
/// The first block is kept for the next document parsed on the thread, the others freed.
void ris_arena_reset(void);

/// Bytes the calling thread's arena holds from the system (for tests).
size_t ris_arena_held(void);

#endif
