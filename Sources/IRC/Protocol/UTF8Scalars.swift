/// Scalar-level helpers for code that works on a string's UTF-8 but must keep `Character` boundaries.
enum UTF8Scalars {
    /// The scalar value starting at byte `offset` of valid UTF-8, and its length in bytes.
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (value: UInt32, length: Int) {
        let lead = UInt32(bytes[offset])
        let continuation = { (index: Int) in UInt32(bytes[offset + index] & 0x3F) }
        switch lead {
        case ..<0x80: return (lead, 1)
        case ..<0xE0: return ((lead & 0x1F) << 6 | continuation(1), 2)
        case ..<0xF0: return ((lead & 0x0F) << 12 | continuation(1) << 6 | continuation(2), 3)
        default: return ((lead & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3), 4)
        }
    }

    /// Whether there is certainly a character boundary between two adjacent scalars.
    ///
    /// True when neither is CR-before-LF and both come from ranges without combining, joining or prepending
    /// characters: ASCII and Latin, Cyrillic, Arabic letters, CJK, kana, Hangul syllables and common punctuation
    /// (the shortcut the standard library itself takes before running the full Unicode rules), plus the emoji
    /// pictographs other than regional indicators and skin-tone modifiers. Between two such scalars no rule of
    /// Unicode's grapheme clustering (UAX #29) applies except "break", so the answer is the one `Character` gives.
    /// `false` means "ask the standard library", not "no boundary".
    static func isBoundary(between first: UInt32, and second: UInt32) -> Bool {
        let alone = { (scalar: UInt32) in
            switch scalar {
            case 0x3400...0xA4CF, 0x0000...0x02FF, 0x3041...0x3096, 0x30A1...0x30FC, 0x0400...0x0482,
                0x061D...0x064A, 0xAC00...0xD7AF, 0x2010...0x2029, 0x3000...0x3029, 0xFF01...0xFF9D,
                0x1F300...0x1F3FA, 0x1F400...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF:
                true
            default:
                false
            }
        }
        return alone(first) && alone(second) && (first != 0x0D || second != 0x0A)
    }
}
