import Metrics
import Synchronization

/// Metric handles kept by their dimension values, so a hot path looks one up in a dictionary instead of asking the
/// metrics factory for it again: the Prometheus registry hashes the label and dimensions and takes its lock on every
/// `Counter(label:dimensions:)`, several times per question.
///
/// A handle is made on first use, so it comes from the factory the executable bootstraps at start (a handle made
/// before the bootstrap would keep recording nowhere).
package final class MetricHandles<Handle: Sendable, Key: Hashable & Sendable>: Sendable {
    private let handles = Mutex<[Key: Handle]>([:])
    private let make: @Sendable (Key) -> Handle

    /// Handles made by `make`.
    package init(_ make: @escaping @Sendable (Key) -> Handle) {
        self.make = make
    }

    /// The handle for `key`, made on first use.
    package subscript(key: Key) -> Handle {
        if let handle = self.handles.withLock({ $0[key] }) { return handle }
        let handle = self.make(key)
        return self.handles.withLock { handles in
            if let existing = handles[key] { return existing }
            handles[key] = handle
            return handle
        }
    }
}
