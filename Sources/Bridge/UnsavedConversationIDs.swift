import Synchronization

/// Conversation ids GoAPI revealed that the store could not take (a full or read-only disk), kept in memory so the
/// next question continues that conversation instead of starting yet another one: with a disk that accepts reads
/// but no writes, every question would otherwise start a new conversation and the bot would seem to forget
/// everything. Each is written again at the next question in its conversation; a restart before that succeeds
/// loses it (the store still has the older id).
final class UnsavedConversationIDs: Sendable {
    /// A conversation key under one GPT and model: what the store maps to an id.
    struct Slot: Hashable, Sendable {
        var key: String
        var gizmoID: String?
        var model: String
    }

    private let ids = Mutex<[Slot: String]>([:])

    /// The unsaved id for `slot`, if any.
    func id(for slot: Slot) -> String? {
        self.ids.withLock { $0[slot] }
    }

    /// Remembers `id` for `slot` until it is stored.
    func remember(_ id: String, for slot: Slot) {
        self.ids.withLock { $0[slot] = id }
    }

    /// `id` is in the store now: forget it, unless a newer unsaved id replaced it meanwhile. With `replacingAny`
    /// (`id` is newer than whatever memory holds) the slot is cleared whatever it holds.
    func stored(_ id: String, for slot: Slot, replacingAny: Bool = false) {
        self.ids.withLock { ids in
            if replacingAny || ids[slot] == id { ids[slot] = nil }
        }
    }

    /// Forgets every unsaved id of `key`: the conversation was reset.
    func forget(key: String) {
        self.ids.withLock { ids in ids = ids.filter { $0.key.key != key } }
    }
}
