#ifndef C_CONCURRENCY_HOOK_H
#define C_CONCURRENCY_HOOK_H

/// Where the Swift concurrency runtime keeps its global-enqueue hook (`swift_task_enqueueGlobal_hook`, declared in
/// swift/Runtime/Concurrency.h): null, or a Swift-convention function that receives every job meant for the global
/// pool. Reached through the linker, not `dlsym`, so it is found in a binary with the Swift runtime linked in
/// statically, whose runtime symbols are not exported (`--exclude-libs ALL`).
void *_Nullable *_Nonnull goapi_bridge_enqueue_global_hook(void);

#endif
