/// Reads the HTML the page renderer produced and checks that model text could not have shaped it: every `<` starts
/// one of the renderer's own tags, every attribute is one it writes, and every link or image address has an allowed
/// scheme. Text is escaped, so a `>` inside an attribute value cannot end a tag early and the reading stays simple.
///
/// It reads bytes, as a browser's tokenizer reads code points: `>` followed by a combining mark is still the end of
/// a tag there, though Swift's `Character` would see one grapheme.
struct HTMLInspection {
    /// A start or end tag.
    struct Tag: Equatable {
        var name: String
        var isEnd: Bool
        var attributes: [String: String]
    }

    /// The tags in document order.
    private(set) var tags: [Tag] = []
    /// What does not fit; empty for safe output.
    private(set) var problems: [String] = []

    static let allowedTags: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre", "ul", "ol", "li",
        "blockquote", "hr", "br", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "div",
    ]
    static let allowedAttributes: [String: Set<String>] = [
        "a": ["href", "rel"], "img": ["src", "alt", "loading"], "ol": ["start"], "code": ["class"],
        "th": ["class"], "td": ["class"], "div": ["class"],
    ]

    /// Inspects `html` (a fragment from ``MarkdownHTMLRenderer``).
    init(_ html: String) {
        let bytes = Array(html.utf8)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else {
                    self.problems.append("unterminated tag")
                    return
                }
                self.read(bytes[(index + 1)..<close])
                index = close + 1
            case UInt8(ascii: ">"), 0:
                self.problems.append("stray > or NUL at \(index)")
                index += 1
            default:
                index += 1
            }
        }
    }

    private mutating func read(_ tag: ArraySlice<UInt8>) {
        let text = String(decoding: tag, as: UTF8.self)
        let isEnd = tag.first == UInt8(ascii: "/")
        var scanner = tag.dropFirst(isEnd ? 1 : 0)
        let nameBytes = scanner.prefix { Self.isAlphanumeric($0) }
        let name = String(decoding: nameBytes, as: UTF8.self)
        scanner = scanner.dropFirst(nameBytes.count)
        guard Self.allowedTags.contains(name) else {
            self.problems.append("tag <\(text)>")
            return
        }
        var attributes: [String: String] = [:]
        while !scanner.isEmpty {
            // ` name="value"`, nothing else.
            guard scanner.first == UInt8(ascii: " ") else {
                self.problems.append("junk in <\(text)>")
                return
            }
            scanner = scanner.dropFirst()
            let attribute = scanner.prefix { Self.isAlphanumeric($0) }
            scanner = scanner.dropFirst(attribute.count)
            guard scanner.starts(with: "=\"".utf8),
                let end = scanner.dropFirst(2).firstIndex(of: UInt8(ascii: "\""))
            else {
                self.problems.append("malformed attribute in <\(text)>")
                return
            }
            let value = scanner[(scanner.startIndex + 2)..<end]
            attributes[String(decoding: attribute, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
            if attribute.elementsEqual("href".utf8) || attribute.elementsEqual("src".utf8) {
                let lowered = value.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
                if !["http://", "https://", "mailto:"].contains(where: { lowered.starts(with: $0.utf8) }) {
                    self.problems.append("address in <\(text)>")
                }
            }
            scanner = scanner[(end + 1)...]
        }
        let allowed = Self.allowedAttributes[name] ?? []
        if isEnd && !attributes.isEmpty || !attributes.keys.allSatisfy(allowed.contains) {
            self.problems.append("attributes of <\(text)>")
        }
        self.tags.append(Tag(name: name, isEnd: isEnd, attributes: attributes))
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
