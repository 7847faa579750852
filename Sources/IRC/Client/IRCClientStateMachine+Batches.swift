extension IRCClientStateMachine {
    /// Batch types whose messages are history being replayed: IRCv3 `chathistory` (also what InspIRCd's
    /// `chanhistory` sends a joining client for a channel with mode `+H`, and what soju and Ergo replay), and ZNC's
    /// buffer playback.
    static let historyBatchTypes: Set<String> = ["chathistory", "znc.in/playback"]

    /// The most history batches tracked as open at once. Servers close their batches at once; one that never did
    /// cannot grow the table without bound (a history batch past it is then treated as live).
    static let maximumOpenHistoryBatches = 64

    /// Whether `message` belongs to an open history batch. Such messages are not answered, and do not change
    /// membership: without this, every rejoin of a channel with history (or every attach to a bouncer) would ask
    /// GoAPI again every question still in the replayed lines and answer them all a second time.
    func isReplayedHistory(_ message: IRCMessage) -> Bool {
        guard message.command != "BATCH", let reference = message.tags["batch"] else { return false }
        return self.historyBatches.contains(reference)
    }

    /// `BATCH +ref type …` opens a batch and `BATCH -ref` closes it. Only history batches are remembered, and any
    /// batch opened inside one, which carries the same replayed lines.
    mutating func receiveBatch(_ message: IRCMessage) -> [IRCClientAction] {
        guard let reference = message.parameters.first, reference.count > 1 else { return [] }
        let name = String(reference.dropFirst())
        switch reference.first {
        case "+":
            let type = message.parameters.count >= 2 ? message.parameters[1].lowercased() : ""
            let insideHistory = message.tags["batch"].map { self.historyBatches.contains($0) } ?? false
            guard insideHistory || Self.historyBatchTypes.contains(type),
                self.historyBatches.count < Self.maximumOpenHistoryBatches
            else { return [] }
            self.historyBatches.insert(name)
        case "-":
            self.historyBatches.remove(name)
        default:
            break
        }
        return []
    }
}
