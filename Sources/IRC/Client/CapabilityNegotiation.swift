/// IRCv3 capability negotiation (`CAP LS 302` → `CAP REQ` → `CAP ACK`/`NAK` → `CAP END`), pure.
struct CapabilityNegotiation: Sendable, Hashable {
    /// Capabilities the bot asks for whenever the server offers them.
    static let wanted: [String] = ["message-tags", "server-time", "cap-notify", "echo-message", "multi-prefix"]

    /// What the server offered (name → value, e.g. `sasl` → `PLAIN,EXTERNAL`).
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
        for token in caps.split(separator: " ") {
            let parts = token.split(separator: "=", maxSplits: 1)
            self.offered[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
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

    /// `CAP * ACK :caps` (also `cap-notify` `NEW` after an ACK of a later request).
    mutating func receiveAck(_ caps: String) {
        for token in caps.split(separator: " ") {
            let name = token.hasPrefix("-") ? String(token.dropFirst()) : String(token)
            if token.hasPrefix("-") {
                self.enabled.remove(name)
            } else {
                self.enabled.insert(name)
            }
            self.pendingRequest.remove(name)
        }
    }

    /// `CAP * NAK :caps`: the whole request was refused.
    mutating func receiveNak(_ caps: String) {
        for token in caps.split(separator: " ") {
            self.pendingRequest.remove(String(token))
        }
    }

    /// `CAP * DEL :caps` (cap-notify).
    mutating func receiveDel(_ caps: String) {
        for token in caps.split(separator: " ") {
            self.enabled.remove(String(token))
            self.offered[String(token)] = nil
        }
    }

    /// `CAP * NEW :caps` (cap-notify): returns the newly offered caps worth requesting.
    mutating func receiveNew(_ caps: String) -> [String] {
        var fresh: [String] = []
        for token in caps.split(separator: " ") {
            let parts = token.split(separator: "=", maxSplits: 1)
            let name = String(parts[0])
            self.offered[name] = parts.count > 1 ? String(parts[1]) : ""
            if Self.wanted.contains(name), !self.enabled.contains(name) { fresh.append(name) }
        }
        return fresh
    }

    /// Whether the server offers SASL with `mechanism` (an empty `sasl=` value means "ask and see").
    func offersSASL(mechanism: String) -> Bool {
        guard let value = self.offered["sasl"] else { return false }
        return value.isEmpty || value.split(separator: ",").contains { $0.uppercased() == mechanism }
    }
}
