#ifndef C_HEAP_SHIMS_H
#define C_HEAP_SHIMS_H

#include <stddef.h>

/// Bytes the C allocator holds free in its arenas (glibc's mallinfo2().fordblks); -1 where that is unknown.
long long goapi_bridge_heap_free_bytes(void);

/// Asks the C allocator to return free memory to the system (glibc's malloc_trim(0)); 1 if it released some,
/// 0 if not, -1 where there is no such call.
int goapi_bridge_heap_trim(void);

#endif
