import Common

/// What the server advertised in its `005 RPL_ISUPPORT` replies.
///
/// Servers send several 005 lines and may change tokens later (`-KEY` withdraws one), so this value accumulates
/// them; typed accessors in `ISupport+Accessors.swift` give the defaults the modern protocol document prescribes
/// when a token is missing, so the bridge never has to special-case a quiet server.
package struct ISupport: Sendable, Hashable {
    /// The most tokens kept. Networks advertise a few dozen; a server sending endless `005` lines of new tokens
    /// would otherwise grow the table without bound. New tokens past it are ignored (their accessors give the
    /// defaults); tokens already kept are still updated and withdrawn.
    package static let maximumTokenCount = 300

    /// Every advertised token, with `\xHH` escapes decoded; a token sent without `=` maps to `""`; at most
    /// ``maximumTokenCount`` of them.
    package private(set) var values: [String: String]

    /// Creates an empty set: every accessor returns its default.
    package init() {
        self.values = [:]
    }

    /// Creates the set advertised by `tokens`, e.g. `["CHANTYPES=#", "NETWORK=Libera.Chat"]`.
    package init(tokens: some Sequence<String>) {
        self.init()
        self.apply(tokens: tokens)
    }

    /// Adds the tokens of one `005` reply, skipping the client nick (first parameter) and the human-readable
    /// trailing text (last parameter); ignores any other message so a caller can feed every reply through it.
    package mutating func apply(_ message: IRCMessage) {
        guard message.command == "005", message.parameters.count >= 2 else {
            return
        }
        self.apply(tokens: message.parameters.dropFirst().dropLast())
    }

    /// Adds `KEY`/`KEY=value` tokens and removes `-KEY` ones.
    package mutating func apply(tokens: some Sequence<String>) {
        for token in tokens where !token.isEmpty {
            if token.utf8.first == UInt8(ascii: "-") {
                self.values[String(token[token.utf8.index(after: token.startIndex)...])] = nil
            } else if let equals = token.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let value = token[token.utf8.index(after: equals)...]
                self.set(String(token[..<equals]), to: Self.decodeValue(value))
            } else {
                self.set(token, to: "")
            }
        }
    }

    /// Keeps one token, unless it is new and the table is full.
    private mutating func set(_ key: String, to value: String) {
        guard self.values.count < Self.maximumTokenCount || self.values[key] != nil else { return }
        self.values[key] = value
    }

    /// The value of `key`, `""` for a token sent without a value, `nil` when not advertised.
    package subscript(key: String) -> String? {
        self.values[key]
    }

    /// Decodes the `\xHH` escapes servers use for characters that cannot appear raw (space, `=`, `\`).
    ///
    /// Escapes are decoded to bytes first and then read as UTF-8, so a multi-byte character escaped byte by byte
    /// comes out whole; a malformed escape is kept as written.
    static func decodeValue(_ raw: Substring) -> String {
        guard raw.contains("\\") else {
            return String(raw)
        }
        let input = Array(raw.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "\\"), index + 3 < input.count, input[index + 1] == UInt8(ascii: "x"),
                let high = HexDigit.value(of: input[index + 2]), let low = HexDigit.value(of: input[index + 3])
            {
                bytes.append(high << 4 | low)
                index += 4
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
