/// Questions of one thread are answered one at a time, oldest first, without holding a question slot while they
/// wait: a thread with a burst of questions would otherwise fill every slot with questions waiting for each other
/// while other threads, and other endpoints, waited for a slot. And each answer is delivered, every part of it,
/// before the thread's next question is answered: the answers reach the chat in the order the questions came,
/// never interleaved, also when a post is retried (a Slack 429, a receiver's 500).
///
/// A thread is a lane. The question row being answered holds its lane, then its reply row, then each next part,
/// until the last is delivered or given up; a row rescheduled or resting after a store failure keeps it. The service decides whether a question row
/// starts when it claims it, in due order (oldest first) and from the thread its payload names: a later row of a
/// held lane is parked instead, taking no slot and not started until the holder is done, when the lane is kept for
/// the oldest parked row and the service looks at the outbox again. Parked rows stay in the outbox (this
/// bookkeeping is memory only), so a restart loses nothing.
extension WebhookDeliveryService.WorkSet {
    /// What a question row does once its lane is known.
    enum LaneEntry: Equatable {
        /// Holds the lane: answer it now.
        case enter
        /// Another question holds the lane: wait, without a slot.
        case park
        /// Too many rows are parked already: answer now alongside the holder (the answerer keeps the thread's
        /// questions in order, holding the slot meanwhile, as before lanes).
        case share
    }

    /// At most this many rows are parked at once; each comes back in every outbox read while it waits.
    static let parkLimit = 256

    /// Question row `id` is about to be started in `lane`.
    mutating func enter(lane: String, id: String) -> LaneEntry {
        switch self.laneHolders[lane] {
        case nil:
            self.laneHolders[lane] = id
            self.holderLanes[id] = lane
            return .enter
        case id:
            return .enter
        default:
            guard self.parkedIDs.count < Self.parkLimit else { return .share }
            self.parked[lane, default: []].append(id)
            self.parkedIDs.insert(id)
            return .park
        }
    }

    /// Row `id`, holding its lane, was replaced by row `next` (a question by its reply, a reply part by the next
    /// part): `next` holds the lane now.
    mutating func handOver(from id: String, to next: String) {
        guard let lane = self.holderLanes.removeValue(forKey: id) else { return }
        self.laneHolders[lane] = next
        self.holderLanes[next] = lane
    }

    /// Row `id` is gone (delivered, given up, ignored): the lane it holds (if any) is kept for the oldest row
    /// parked in it, or freed. True when a parked row was let go, so the outbox must be read again.
    mutating func release(_ id: String) -> Bool {
        guard let lane = self.holderLanes.removeValue(forKey: id) else { return false }
        guard var waiting = self.parked[lane], !waiting.isEmpty else {
            self.laneHolders[lane] = nil
            return false
        }
        let next = waiting.removeFirst()
        self.parked[lane] = waiting.isEmpty ? nil : waiting
        self.parkedIDs.remove(next)
        self.laneHolders[lane] = next
        self.holderLanes[next] = lane
        return true
    }
}
