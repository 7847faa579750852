/// How the server decides two nicks or channel names are the same (ISUPPORT `CASEMAPPING`).
///
/// The bridge compares nicks to notice lines addressed to it and to ignore itself; with the server's own rule,
/// `GPTBot[1]` and `gptbot{1}` are the same person on an rfc1459 network and different ones on an ascii network.
package enum CaseMapping: String, Sendable, Hashable, CaseIterable {
    /// Only `A`–`Z` fold to `a`–`z`.
    case ascii
    /// ASCII plus `[]\^` folding to `{}|~`: the historical Scandinavian rule, and the default when a server is
    /// silent.
    case rfc1459
    /// ASCII plus `[]\` folding to `{}|`, without `~`/`^` (`strict-rfc1459`).
    case rfc1459Strict = "strict-rfc1459"
    /// PRECIS nickname casemapping (RFC 7613/8265), approximated as Unicode lowercasing.
    ///
    /// Full PRECIS also normalises width and compatibility forms; servers advertising it (Ergo) already store
    /// nicks in that normalised form, so lowercasing is what makes the comparisons the bridge does agree with the
    /// server, without pulling a Unicode normalisation library into the IRC module.
    case rfc7613

    /// The mapping named by an ISUPPORT `CASEMAPPING` value, or `nil` for one this bridge does not know.
    package init?(isupportValue: String) {
        self.init(rawValue: isupportValue.lowercased())
    }

    /// `name` in its canonical lowercase form under this mapping; equal names have equal folds.
    package func fold(_ name: String) -> String {
        switch self {
        case .ascii:
            return Self.mapASCII(name, extraUpper: 0)
        case .rfc1459:
            return Self.mapASCII(name, extraUpper: UInt8(ascii: "^"))
        case .rfc1459Strict:
            return Self.mapASCII(name, extraUpper: UInt8(ascii: "]"))
        case .rfc7613:
            return name.lowercased()
        }
    }

    /// Whether `a` and `b` name the same nick or channel under this mapping.
    package func equal(_ a: String, _ b: String) -> Bool {
        self.fold(a) == self.fold(b)
    }

    /// Lowercases `A`–`Z` and also maps `[` (0x5B) through `extraUpper` to the character 0x20 above it, which is
    /// how RFC 1459 pairs `[\]^` with `{|}~`; `extraUpper` of 0 maps ASCII letters only.
    private static func mapASCII(_ name: String, extraUpper: UInt8) -> String {
        let isUpper = { (byte: UInt8) in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "[") && byte <= extraUpper)
        }
        guard name.utf8.contains(where: isUpper) else {
            return name
        }
        return String(decoding: name.utf8.map { isUpper($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
