#include "CConcurrencyHook.h"

// The runtime declares it as a function pointer; only its address is taken here, so its type does not matter.
extern void *swift_task_enqueueGlobal_hook;

void *_Nullable *_Nonnull goapi_bridge_enqueue_global_hook(void) {
    return &swift_task_enqueueGlobal_hook;
}
