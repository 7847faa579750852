/// Decides which addresses from a model's reply may become a link or an image on a page.
///
/// An allow-list, checked on the address exactly as it will be written into the attribute: it must start with
/// `http://`, `https://` or `mailto:` (in any case) at its very first byte. Nothing is decoded first and nothing is
/// stripped, so the usual disguises of `javascript:`, `data:` or `vbscript:` (mixed case, leading spaces or control
/// characters, tabs or newlines inside the scheme, `&#58;` or `%3A` for the colon) never match, and the browser,
/// which does strip and decode, is only ever given an address that starts with an allowed scheme.
enum SafeURL {
    /// Longer addresses are left as text: no real link is this long, and the cap bounds the renderer's work.
    static let maximumLength = 2048

    /// The address to write into `href` or `src` (still to be escaped as attribute text), or nil when it may not
    /// become a link. Spaces, which only `<…>` destinations can hold, are percent-encoded; any other whitespace or
    /// control character refuses the address.
    static func href(_ address: some Collection<UInt8>) -> [UInt8]? {
        guard !address.isEmpty, address.count <= Self.maximumLength else { return nil }
        var href: [UInt8] = []
        href.reserveCapacity(address.count)
        for byte in address {
            switch byte {
            case UInt8(ascii: " "): href += "%20".utf8
            case 0..<0x20, 0x7F: return nil
            default: href.append(byte)
            }
        }
        for scheme in ["https://", "http://", "mailto:"] where Self.startsWith(href, scheme) {
            // The scheme alone is not an address.
            return href.count > scheme.utf8.count ? href : nil
        }
        return nil
    }

    /// Whether `text` starts with an allowed scheme; a cheap test before looking for the end of an autolink.
    static func hasAllowedScheme(_ text: some Collection<UInt8>) -> Bool {
        Self.startsWith(text, "https://") || Self.startsWith(text, "http://") || Self.startsWith(text, "mailto:")
    }

    /// Whether an address from ``href(_:)`` is HTTPS, the only kind of image the page loads.
    static func isHTTPS(_ href: [UInt8]) -> Bool {
        Self.startsWith(href, "https://")
    }

    /// Whether `text` starts with the lowercase ASCII `prefix`, ignoring the case of ASCII letters only (so no
    /// Unicode case folding can turn some other character into a letter of the scheme).
    static func startsWith(_ text: some Collection<UInt8>, _ prefix: String) -> Bool {
        var remaining = text.makeIterator()
        for expected in prefix.utf8 {
            guard let byte = remaining.next() else { return false }
            let lowered = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            guard lowered == expected else { return false }
        }
        return true
    }
}
