import NIOCore

extension FloodControl {
    /// Queues one line for `target` (fold channel names with the server's ``CaseMapping`` first, so `#Chan` and
    /// `#chan` share a turn).
    @discardableResult
    package mutating func enqueue(_ line: Line, target: String, expiresAt: Instant? = nil) -> EnqueueResult {
        self.enqueue(contentsOf: [line], target: target, expiresAt: expiresAt)
    }

    /// Queues all of `lines` for `target`, or none of them when the target's queue lacks room.
    @discardableResult
    package mutating func enqueue(
        contentsOf lines: [Line],
        target: String,
        expiresAt: Instant? = nil
    ) -> EnqueueResult {
        let depth = self.queueDepth(for: target)
        guard depth + lines.count <= self.configuration.maximumQueueDepthPerTarget else {
            return .full
        }
        guard !lines.isEmpty else {
            return .queued(depth: depth)
        }
        if depth == 0 {
            self.rotation.append(target)
        }
        self.queues[target, default: CircularBuffer()].append(
            contentsOf: lines.map { Item(line: $0, expiresAt: expiresAt) }
        )
        self.queueDepth += lines.count
        return .queued(depth: depth + lines.count)
    }

    /// Renames every waiting target through `rename`, for when the server's ``CaseMapping`` changes: targets are
    /// queued folded, and a held channel's lines must still be recognised as its lines under the new folding.
    /// Targets that now fold alike share one queue, in turn order, and keep their lines' order.
    package mutating func renameTargets(_ rename: (String) -> String) {
        var queues: [String: CircularBuffer<Item>] = [:]
        var rotation = CircularBuffer<String>()
        for target in self.rotation {
            let renamed = rename(target)
            if queues[renamed] == nil {
                rotation.append(renamed)
            }
            queues[renamed, default: CircularBuffer()].append(contentsOf: self.queues[target] ?? CircularBuffer())
        }
        self.queues = queues
        self.rotation = rotation
    }

    /// Moves the lines waiting for `old` to `new`, after any `new` already has, each passed through `rewrite`: a
    /// person's private answer follows them across a nick change instead of going to whoever takes the old nick.
    /// The lines keep `old`'s turn, unless `new` already had one.
    package mutating func retarget(_ old: String, to new: String, rewriting rewrite: (Line) -> Line) {
        guard old != new, let moved = self.queues.removeValue(forKey: old) else { return }
        let lines = moved.map { Item(line: rewrite($0.line), expiresAt: $0.expiresAt) }
        guard let turn = self.rotation.firstIndex(of: old) else {
            preconditionFailure("Invalid state: \(old) had queued lines but no turn")
        }
        if self.queues[new] == nil {
            self.rotation[turn] = new
        } else {
            self.rotation.remove(at: turn)
        }
        self.queues[new, default: CircularBuffer()].append(contentsOf: lines)
    }

    /// Removes every line waiting for `target` and returns them, in queue order: a person who left the network has
    /// nobody to receive them, and whoever takes their nick next must not.
    package mutating func removeLines(for target: String) -> [Line] {
        guard let removed = self.queues.removeValue(forKey: target) else { return [] }
        self.rotation.removeAll { $0 == target }
        self.queueDepth -= removed.count
        return removed.map(\.line)
    }

    /// Decides what to do at `now`: drop expired lines first (one target per call), then send the next line in
    /// round-robin order if a token is available, else say when one will be.
    ///
    /// Targets in `held` keep their lines (until those expire) and lose no turn: a channel the bot is out of for a
    /// while (kicked, not yet rejoined) gets its reply once it is back, instead of the server refusing every line.
    /// Nothing but held lines waiting is ``Action/idle``: the caller asks again when a target is let go.
    package mutating func next(now: Instant, holding held: Set<String> = []) -> Action {
        if let (target, dropped) = self.dropExpired(now: now) {
            return .expired(dropped, target: target)
        }
        guard let turn = self.rotation.firstIndex(where: { !held.contains($0) }) else {
            return .idle
        }
        let target = self.rotation[turn]
        self.refill(now: now)
        guard self.tokens > 0 else {
            return .wait(until: (self.refillStart ?? now).advanced(by: self.configuration.interval))
        }
        self.tokens -= 1
        if self.refillStart == nil {
            self.refillStart = now
        }
        self.rotation.remove(at: turn)
        guard let item = self.queues[target]?.popFirst() else {
            preconditionFailure("Invalid state: \(target) had a turn but no queued line")
        }
        self.queueDepth -= 1
        if self.queues[target]?.isEmpty ?? true {
            self.queues[target] = nil
        } else {
            self.rotation.append(target)
        }
        return .send(item.line, target: target)
    }

    /// Spends a token on a best-effort line sent outside the queues (a typing indicator), if one is spare at `now`.
    /// Returns whether the line may be written now; `false` means drop it (it would be stale by the time a token
    /// came).
    ///
    /// A token is spare only when no line waits, so a queued line never loses its turn, and the bucket is full, so
    /// best-effort lines take at most one token per ``Configuration/interval`` between them: however many channels
    /// show typing, a reply that comes next still finds all but one token of its burst. The line is paid for like
    /// any other, so the server never sees more than the bucket allows.
    /// Lines of `held` targets (see ``next(now:holding:)``) do not count as waiting.
    package mutating func takeSpareToken(now: Instant, holding held: Set<String> = []) -> Bool {
        guard self.rotation.allSatisfy({ held.contains($0) }) else {
            return false
        }
        self.refill(now: now)
        guard self.tokens == self.configuration.burst else {
            return false
        }
        self.tokens -= 1
        if self.refillStart == nil {
            self.refillStart = now
        }
        return true
    }

    /// Adds the tokens earned since ``refillStart``, keeping the remainder of a partly earned one.
    private mutating func refill(now: Instant) {
        guard let start = self.refillStart else {
            return
        }
        let elapsed = start.duration(to: now)
        guard elapsed >= self.configuration.interval else {
            return
        }
        let earned = Int((elapsed / self.configuration.interval).rounded(.down))
        if self.tokens + earned >= self.configuration.burst {
            self.tokens = self.configuration.burst
            self.refillStart = nil
        } else {
            self.tokens += earned
            self.refillStart = start.advanced(by: self.configuration.interval * earned)
        }
    }

    /// Removes the expired lines of the first target (in turn order) that has any; returns it and those lines.
    private mutating func dropExpired(now: Instant) -> (String, [Line])? {
        for target in self.rotation {
            guard let queue = self.queues[target],
                queue.contains(where: { $0.expiresAt.map { $0 <= now } ?? false })
            else {
                continue
            }
            var kept = CircularBuffer<Item>(initialCapacity: queue.count)
            var dropped: [Line] = []
            for item in queue {
                if item.expiresAt.map({ $0 <= now }) ?? false {
                    dropped.append(item.line)
                } else {
                    kept.append(item)
                }
            }
            self.queueDepth -= dropped.count
            if kept.isEmpty {
                self.queues[target] = nil
                self.rotation.removeAll { $0 == target }
            } else {
                self.queues[target] = kept
            }
            return (target, dropped)
        }
        return nil
    }
}
