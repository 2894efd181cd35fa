#pragma once
#include <stddef.h>

/// Bytes the C allocator has handed out and not taken back (all arenas, mmap'ed blocks included);
/// 0 where the C library cannot say.
size_t crossdock_heap_in_use(void);

/// Bytes the C allocator holds free inside its arenas (kept for reuse, not returned to the system).
size_t crossdock_heap_free(void);

/// Returns the allocator's free pages to the system where the C library can (glibc's malloc_trim).
void crossdock_return_free_memory(void);

/// Blocks up to 4 MB come from the allocator's arenas instead of mappings of their own, and freed
/// memory at the top of the heap goes back to the system only beyond 32 MB (glibc's
/// M_MMAP_THRESHOLD and M_TRIM_THRESHOLD; the hub still hands free pages back every 10 s).
/// Without it, the arrays of a large document (a few hundred KB) are mapped and unmapped, or
/// trimmed, once per document, and each of their pages faults in again for the next one.
/// Setting them turns off glibc's adaptive mmap threshold and takes precedence over the
/// MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ environment variables. The `crossdock`
/// executable calls it first thing.
void crossdock_keep_freed_memory(void);
