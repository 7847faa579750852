extension MarkdownFlattener {
    /// The characters (grapheme clusters) of one line, held as UTF-8 plus where each character starts.
    ///
    /// The inline renderer compares characters with ASCII punctuation and asks about their neighbours many times per
    /// character. On a `[Character]` every such test is a string comparison and building the array costs a small
    /// string per character, which made flattening a long reply take far longer than sending it. Here a character is
    /// an index: one byte in ``kinds`` says which ASCII character it is, if any, and ``starts`` says where its bytes
    /// are. Boundaries and equality are exactly `Character`'s:
    /// - two scalars from ranges that never join (ASCII and Latin, CJK, kana, Hangul syllables, common punctuation,
    ///   emoji pictographs; see ``UTF8Scalars/isBoundary(between:and:)``) are separate characters; anything else
    ///   (combining marks, emoji sequences, flags) is measured by the standard library itself;
    /// - a character equals an ASCII one when it is that single scalar, or one of the three scalars canonically
    ///   equivalent to an ASCII character (U+037E `;`, U+1FEF `` ` ``, U+212A `K`), as `Character ==` decides.
    struct LineCharacters {
        /// The line's UTF-8.
        let bytes: [UInt8]
        /// Where each character starts in ``bytes``, then `bytes.count`.
        private let starts: [Int32]
        /// Per character: its ASCII byte when it is that single scalar; ``other`` plus the ASCII byte when it is
        /// canonically equivalent to one; ``other`` alone for every other character.
        let kinds: [UInt8]

        /// The kind of a character equal to no ASCII character.
        static let other: UInt8 = 0x80

        /// The number of characters.
        var count: Int { self.kinds.count }

        /// Splits `text` into characters.
        init(_ text: Substring) {
            let bytes = text.utf8.withContiguousStorageIfAvailable(Array.init) ?? Array(text.utf8)
            self.bytes = bytes
            var kinds: [UInt8] = []
            self.starts = bytes.withUnsafeBufferPointer { bytes in
                [Int32](unsafeUninitializedCapacity: bytes.count + 1) { starts, startCount in
                    kinds = [UInt8](unsafeUninitializedCapacity: bytes.count) { kinds, kindCount in
                        kindCount = Self.measure(bytes, of: text, starts: starts, kinds: kinds)
                    }
                    starts[kinds.count] = Int32(bytes.count)
                    startCount = kinds.count + 1
                }
            }
            self.kinds = kinds
        }

        /// Fills `starts` and `kinds` for every character of `bytes` (the UTF-8 of `text`); returns how many.
        private static func measure(
            _ bytes: UnsafeBufferPointer<UInt8>,
            of text: Substring,
            starts: UnsafeMutableBufferPointer<Int32>,
            kinds: UnsafeMutableBufferPointer<UInt8>
        ) -> Int {
            var count = 0
            var start = 0
            while start < bytes.count {
                if Self.isPlainASCIIWord(bytes, at: start) {
                    // Eight ASCII bytes without CR, followed by ASCII or the end, are eight characters.
                    let word = UnsafeRawPointer(bytes.baseAddress! + start).loadUnaligned(as: UInt64.self)
                    UnsafeMutableRawPointer(kinds.baseAddress! + count).storeBytes(of: word, as: UInt64.self)
                    for offset in 0..<8 {
                        starts[count + offset] = Int32(start + offset)
                    }
                    count += 8
                    start += 8
                    continue
                }
                let lead = bytes[start]
                let next = start + 1
                starts[count] = Int32(start)
                // An ASCII byte before another ASCII byte (other than CR before LF) is a character by itself.
                if lead < 0x80, next == bytes.count || (bytes[next] < 0x80 && (lead != 0x0D || bytes[next] != 0x0A)) {
                    kinds[count] = lead
                    start = next
                } else {
                    let (scalar, length) = UTF8Scalars.scalar(bytes, at: start)
                    let end = Self.characterEnd(bytes, from: start, after: scalar, length: length, of: text)
                    kinds[count] = end - start == length ? Self.kind(of: scalar) : Self.other
                    start = end
                }
                count += 1
            }
            return count
        }

        /// Whether the eight bytes from `offset` are ASCII other than CR and the byte after them is ASCII too (or
        /// there is none), so each of the eight is a character by itself.
        private static func isPlainASCIIWord(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
            guard offset + 8 <= bytes.count, offset + 8 == bytes.count || bytes[offset + 8] < 0x80,
                let base = bytes.baseAddress
            else {
                return false
            }
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highBits: UInt64 = 0x8080_8080_8080_8080
            let carriageReturns = word ^ (ones &* 0x0D)
            // The classic zero-byte test: some byte of `carriageReturns` is zero exactly when `word` holds a CR.
            return word & highBits == 0 && (carriageReturns &- ones) & ~carriageReturns & highBits == 0
        }

        /// The characters at the start of `range` that satisfy `test`.
        func prefix(of range: Range<Int>, while test: (Int) -> Bool) -> Range<Int> {
            range.lowerBound..<(range.first { !test($0) } ?? range.upperBound)
        }

        /// `range` without leading and trailing spaces and tabs.
        func trimmingBlanks(_ range: Range<Int>) -> Range<Int> {
            let isBlank = { (index: Int) in self.isCharacter(index, " ") || self.isCharacter(index, "\t") }
            let start = range.first { !isBlank($0) } ?? range.upperBound
            let end = (start..<range.upperBound).last { !isBlank($0) }.map { $0 + 1 } ?? start
            return start..<end
        }

        /// The UTF-8 of the characters in `range`.
        func bytes(of range: Range<Int>) -> [UInt8] {
            Array(self.bytes[Int(self.starts[range.lowerBound])..<Int(self.starts[range.upperBound])])
        }

        /// Whether character `index` equals the ASCII character `ascii`.
        func isCharacter(_ index: Int, _ ascii: Unicode.Scalar) -> Bool {
            let kind = self.kinds[index]
            return kind != Self.other && kind & 0x7F == UInt8(ascii: ascii)
        }

        /// Whether two characters are equal, for characters equal to an ASCII one (the runs the renderer measures);
        /// any other character counts as unequal to everything, which only shortens a run no construct starts with.
        func isSameCharacter(_ index: Int, as other: Int) -> Bool {
            let kind = self.kinds[index]
            return kind != Self.other && kind & 0x7F == self.kinds[other] & 0x7F && self.kinds[other] != Self.other
        }

        /// `Character.isWhitespace` of character `index`.
        func isWhitespace(_ index: Int) -> Bool {
            self.property(index, Self.whitespace) { $0.isWhitespace }
        }

        /// Letters and digits, the characters that make `*`/`_` intraword (as in `snake_case` or `2*3*4`).
        func isAlphanumeric(_ index: Int) -> Bool {
            self.property(index, Self.alphanumeric) { $0.isLetter || $0.isNumber }
        }

        /// ASCII punctuation and symbols, which a backslash makes literal (`\*not italic\*`).
        func isEscapable(_ index: Int) -> Bool {
            self.property(index, Self.escapable) { $0.isASCII && ($0.isPunctuation || $0.isSymbol) }
        }

        /// `Character.isASCII && Character.isNumber` of character `index`: the digits `0` to `9`.
        func isASCIIDigit(_ index: Int) -> Bool {
            self.property(index, Self.asciiDigit) { $0.isASCII && $0.isNumber }
        }

        /// The text of the characters in `range`.
        func string(_ range: Range<Int>) -> String {
            String(
                decoding: self.bytes[Int(self.starts[range.lowerBound])..<Int(self.starts[range.upperBound])],
                as: UTF8.self
            )
        }

        /// Appends the UTF-8 of the characters in `range` to `output`.
        func append(_ range: Range<Int>, to output: inout [UInt8]) {
            output.append(
                contentsOf: self.bytes[Int(self.starts[range.lowerBound])..<Int(self.starts[range.upperBound])]
            )
        }

        private static let whitespace: UInt8 = 1
        private static let alphanumeric: UInt8 = 2
        private static let escapable: UInt8 = 4
        private static let asciiDigit: UInt8 = 8

        /// The properties of every ASCII character, taken from `Character` itself so they cannot drift.
        private static let asciiProperties: [UInt8] = (0..<128).map { value in
            let character = Character(Unicode.Scalar(UInt8(value)))
            var bits: UInt8 = 0
            if character.isWhitespace { bits |= Self.whitespace }
            if character.isLetter || character.isNumber { bits |= Self.alphanumeric }
            if character.isASCII && (character.isPunctuation || character.isSymbol) { bits |= Self.escapable }
            if character.isASCII && character.isNumber { bits |= Self.asciiDigit }
            return bits
        }

        private func property(_ index: Int, _ bit: UInt8, _ test: (Character) -> Bool) -> Bool {
            let kind = self.kinds[index]
            if kind < Self.other {
                return Self.asciiProperties[Int(kind)] & bit != 0
            }
            let text = self.string(index..<(index + 1))
            return text.first.map(test) ?? false
        }

        /// Where the character starting at byte `start` with `scalar` (`length` bytes) ends: right after it when
        /// the next scalar certainly starts a new character, else wherever the standard library says.
        private static func characterEnd(
            _ bytes: UnsafeBufferPointer<UInt8>,
            from start: Int,
            after scalar: UInt32,
            length: Int,
            of text: Substring
        ) -> Int {
            let next = start + length
            guard next < bytes.count else {
                return next
            }
            if UTF8Scalars.isBoundary(between: scalar, and: UTF8Scalars.scalar(bytes, at: next).value) {
                return next
            }
            // From a substring starting at `start`, a character boundary: stepping from an index into the whole
            // text would first round it down to a character, walking back over every flag of a run of them.
            let utf8 = text.utf8
            let rest = text[utf8.index(utf8.startIndex, offsetBy: start)...]
            return utf8.distance(from: utf8.startIndex, to: rest.index(after: rest.startIndex))
        }

        /// The kind of a character made of the single scalar `scalar`.
        private static func kind(of scalar: UInt32) -> UInt8 {
            switch scalar {
            case ..<0x80: UInt8(scalar)
            case 0x037E: Self.other | UInt8(ascii: ";")
            case 0x1FEF: Self.other | UInt8(ascii: "`")
            case 0x212A: Self.other | UInt8(ascii: "K")
            default: Self.other
            }
        }
    }
}
