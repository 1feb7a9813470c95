#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arena.h"

// Blocks of at least BLOCK_SIZE bytes, newest first. Each allocation is preceded by a header
// holding its size, so that realloc knows what to copy; the newest allocation of the newest
// block grows in place (cmark's buffers grow by reallocating the one they just made).
#define BLOCK_SIZE (256 * 1024)
#define ALIGN 16

struct block {
    struct block *previous;
    size_t capacity;
    size_t used;
    size_t last;  // offset of the newest allocation's header, or SIZE_MAX
    _Alignas(ALIGN) unsigned char bytes[];
};

struct header {
    size_t size;
    size_t padding;
};

static _Thread_local struct block *newest;

// Frees the block a thread keeps when the thread ends (a server's threads come and go).
static pthread_key_t thread_end;
static pthread_once_t thread_end_once = PTHREAD_ONCE_INIT;
static int thread_end_made;  // the key exists (written once, under pthread_once)
static _Thread_local int thread_end_set;

static void release_all(void *unused) {
    (void)unused;
    while (newest != NULL) {
        struct block *previous = newest->previous;
        free(newest);
        newest = previous;
    }
}

static void make_thread_end(void) { thread_end_made = pthread_key_create(&thread_end, release_all) == 0; }

static void out_of_memory(void) {
    // What cmark's own allocator does when the system refuses memory.
    fprintf(stderr, "[ris] the arena of the markdown parser could not get memory, aborting\n");
    abort();
}

// Sizes past a quarter of the address space are refused, so that no sum below can wrap.
static size_t rounded(size_t size) {
    if (size > SIZE_MAX / 4) out_of_memory();
    return (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void *allocate(size_t size) {
    size_t needed = sizeof(struct header) + rounded(size);
    struct block *block = newest;
    if (block == NULL || block->capacity - block->used < needed) {
        size_t capacity = needed > BLOCK_SIZE ? needed : BLOCK_SIZE;
        struct block *fresh = malloc(sizeof(struct block) + capacity);
        if (fresh == NULL) out_of_memory();
        if (!thread_end_set) {
            pthread_once(&thread_end_once, make_thread_end);
            // A non-null value, so that the destructor runs when the thread ends. Without the
            // key (the system refused it), the thread's block stays until the process ends.
            thread_end_set = thread_end_made && pthread_setspecific(thread_end, &thread_end) == 0 ? 1 : -1;
        }
        fresh->previous = block;
        fresh->capacity = capacity;
        fresh->used = 0;
        fresh->last = SIZE_MAX;
        newest = block = fresh;
    }
    struct header *header = (struct header *)(block->bytes + block->used);
    header->size = size;
    block->last = block->used;
    block->used += needed;
    return header + 1;
}

static void *arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) out_of_memory();
    void *pointer = allocate(count * size);
    memset(pointer, 0, count * size);
    return pointer;
}

static void *arena_realloc(void *pointer, size_t size) {
    if (pointer == NULL) return allocate(size);
    struct header *header = (struct header *)pointer - 1;
    struct block *block = newest;
    if (block != NULL && block->last != SIZE_MAX && (unsigned char *)header == block->bytes + block->last) {
        // The newest allocation: grow or shrink it where it is, when the block has room.
        size_t start = block->last + sizeof(struct header);
        size_t end = start + rounded(size);
        if (end <= block->capacity) {
            header->size = size;
            block->used = end;
            return pointer;
        }
    }
    void *moved = allocate(size);
    memcpy(moved, pointer, header->size < size ? header->size : size);
    return moved;
}

static void arena_free(void *pointer) { (void)pointer; }

static struct ris_arena_allocator allocator = {arena_calloc, arena_realloc, arena_free};

struct ris_arena_allocator *ris_arena(void) { return &allocator; }

void ris_arena_reset(void) {
    struct block *block = newest;
    while (block != NULL && block->previous != NULL) {
        struct block *previous = block->previous;
        free(block);
        block = previous;
    }
    // The oldest block is kept, unless it was one made for a single large allocation.
    if (block != NULL && block->capacity > BLOCK_SIZE) {
        free(block);
        block = NULL;
    }
    if (block != NULL) {
        block->used = 0;
        block->last = SIZE_MAX;
    }
    newest = block;
}

size_t ris_arena_held(void) {
    size_t held = 0;
    for (struct block *block = newest; block != NULL; block = block->previous) held += block->capacity;
    return held;
}
