#pragma once
#include <stddef.h>

/// Bytes the C allocator has handed out and not taken back (all arenas, mmap'ed blocks included);
/// 0 where the C library cannot say.
size_t crossdock_heap_in_use(void);

/// Bytes the C allocator holds free inside its arenas (kept for reuse, not returned to the system).
size_t crossdock_heap_free(void);

/// Returns the allocator's free pages to the system where the C library can (glibc's malloc_trim).
void crossdock_return_free_memory(void);
