/// IRCv3 capability negotiation (`CAP LS 302` → `CAP REQ` → `CAP ACK`/`NAK` → `CAP END`), pure.
struct CapabilityNegotiation: Sendable, Hashable {
    /// Capabilities the bot asks for whenever the server offers them.
    /// `batch` lets the bot tell history a server or bouncer replays (see ``IRCClientStateMachine/historyBatches``)
    /// from messages sent now.
    static let wanted: [String] = [
        "message-tags", "server-time", "batch", "cap-notify", "echo-message", "multi-prefix",
    ]

    /// The most capabilities kept from a server's offers. Networks offer a few dozen; a server sending endless
    /// `CAP LS` continuation lines or `CAP NEW` would otherwise grow the table without bound. Offers past it are
    /// ignored, except the ones the bot asks for, so padding cannot hide them.
    static let maximumOffered = 300

    /// What the server offered (name → value, e.g. `sasl` → `PLAIN,EXTERNAL`), at most ``maximumOffered`` entries
    /// besides the ones the bot asks for.
    private(set) var offered: [String: String] = [:]
    /// What the server acknowledged.
    private(set) var enabled: Set<String> = []
    private(set) var listingComplete = false
    private(set) var pendingRequest: Set<String> = []
    let wantsSASL: Bool

    init(wantsSASL: Bool) {
        self.wantsSASL = wantsSASL
    }

    /// Takes one `CAP * LS [*] :caps` line; returns the `CAP REQ` payload once the listing is complete
    /// (empty when nothing worth requesting was offered).
    mutating func receiveList(_ parameters: [String]) -> [String]? {
        // CAP <nick> LS [*] :<caps>; the `*` marks a continuation line.
        guard let caps = parameters.last else { return nil }
        let isContinuation = parameters.count >= 4 && parameters[2] == "*"
        for token in Self.tokens(caps) {
            self.offer(token)
        }
        guard !isContinuation else { return nil }
        self.listingComplete = true
        var request = Self.wanted.filter { self.offered[$0] != nil }
        if self.wantsSASL, self.offered["sasl"] != nil {
            request.append("sasl")
        }
        self.pendingRequest = Set(request)
        return request
    }

    /// Records one offered capability, unless the table is full and the bot would not ask for it.
    private mutating func offer(_ token: Token) {
        guard self.offered.count < Self.maximumOffered || self.offered[token.name] != nil || self.asks(for: token.name)
        else { return }
        self.offered[token.name] = token.value
    }

    /// Whether the bot ever requests `name`.
    private func asks(for name: String) -> Bool {
        Self.wanted.contains(name) || (self.wantsSASL && name == "sasl")
    }

    /// `CAP * ACK :caps` (also `cap-notify` `NEW` after an ACK of a later request). Only capabilities the bot asks
    /// for are recorded as enabled: a server acknowledging endless names it was never asked for adds nothing.
    mutating func receiveAck(_ caps: String) {
        for token in Self.tokens(caps) where self.asks(for: token.name) {
            if token.isRemoval {
                self.enabled.remove(token.name)
            } else {
                self.enabled.insert(token.name)
            }
            self.pendingRequest.remove(token.name)
        }
    }

    /// `CAP * NAK :caps`: the whole request was refused.
    mutating func receiveNak(_ caps: String) {
        for token in Self.tokens(caps) {
            self.pendingRequest.remove(token.name)
        }
    }

    /// `CAP * DEL :caps` (cap-notify).
    mutating func receiveDel(_ caps: String) {
        for token in Self.tokens(caps) {
            self.enabled.remove(token.name)
            self.offered[token.name] = nil
        }
    }

    /// `CAP * NEW :caps` (cap-notify): returns the newly offered caps worth requesting.
    mutating func receiveNew(_ caps: String) -> [String] {
        var fresh: [String] = []
        for token in Self.tokens(caps) {
            self.offer(token)
            if Self.wanted.contains(token.name), !self.enabled.contains(token.name) { fresh.append(token.name) }
        }
        return fresh
    }

    /// Whether the server offers SASL with `mechanism` (an empty `sasl=` value means "ask and see").
    func offersSASL(mechanism: String) -> Bool {
        guard let value = self.offered["sasl"] else { return false }
        return value.isEmpty || value.split(separator: ",").contains { $0.uppercased() == mechanism }
    }

    /// One entry of a capability list: `name`, `name=value`, or (in `ACK`) `-name` to say it was turned off.
    struct Token: Sendable, Hashable {
        /// The capability's name, never empty.
        var name: String
        /// The value after `=`, `""` when there is none.
        var value: String
        /// Whether the entry had the `-` prefix.
        var isRemoval: Bool
    }

    /// The entries of a server's capability list. Total over any text, because it is server input: an entry with
    /// no name (`=`, `=value`, `-`) means nothing and is skipped rather than trusted to have one.
    static func tokens(_ caps: String) -> [Token] {
        caps.split(separator: " ").compactMap { word in
            let isRemoval = word.hasPrefix("-")
            let entry = isRemoval ? word.dropFirst() : word
            let name = entry.prefix { $0 != "=" }
            guard !name.isEmpty else { return nil }
            let value = entry.dropFirst(name.count + 1)
            return Token(name: String(name), value: String(value), isRemoval: isRemoval)
        }
    }
}
