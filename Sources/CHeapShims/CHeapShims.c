// Swift's Glibc module does not include <malloc.h>, so the two glibc calls the heap trimmer needs are wrapped here.
#include "CHeapShims.h"

// <stdlib.h> comes from the C library, so it defines __GLIBC__ on glibc (<stddef.h> alone comes from the compiler).
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>

long long goapi_bridge_heap_free_bytes(void) {
    struct mallinfo2 info = mallinfo2();
    return (long long)info.fordblks;
}

int goapi_bridge_heap_trim(void) {
    return malloc_trim(0);
}
#else
long long goapi_bridge_heap_free_bytes(void) {
    return -1;
}

int goapi_bridge_heap_trim(void) {
    return -1;
}
#endif
