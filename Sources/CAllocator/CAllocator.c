#include "CAllocator.h"
#include <stdlib.h>  // defines __GLIBC__ where the C library is glibc

#if defined(__GLIBC__)
#include <malloc.h>

size_t crossdock_heap_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

size_t crossdock_heap_free(void) {
    struct mallinfo2 info = mallinfo2();
    return info.fordblks;
}

void crossdock_return_free_memory(void) { malloc_trim(0); }

void crossdock_keep_freed_memory(void) {
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
}
#else
size_t crossdock_heap_in_use(void) { return 0; }
size_t crossdock_heap_free(void) { return 0; }
void crossdock_return_free_memory(void) {}
void crossdock_keep_freed_memory(void) {}
#endif
