import NIOCore

/// Cuts the server's byte stream into lines, with a hard cap on how much it will hold for one line.
///
/// The stock `LineBasedFrameDecoder` buffers a line of any length; a server (or a man in the middle on a plaintext
/// link) could make the bridge hold megabytes. This framer follows the IRCv3 limits: a line may carry up to
/// ``maximumTagBytes`` of tags (the leading `@` and the space after them included) plus ``maximumMessageBytes`` of
/// message (CR LF included). A longer line is skipped and reported as ``Frame/oversized(byteCount:)`` so the
/// connection can log it and carry on; its excess bytes are dropped as they arrive, never buffered.
///
/// Bytes that are not valid UTF-8 are read as Latin-1 rather than replaced: every byte then survives as a
/// character, so a nick or message from a legacy client is still readable (mostly right for Western European text)
/// and still compares equal to itself on the next line. This is decided word by word (between spaces), so a UTF-8
/// channel name keeps its bytes, and the reply goes back to that channel, when only the text is not UTF-8.
package struct IRCLineFramer: NIOSingleStepByteToMessageDecoder, Sendable {
    /// What the framer produces for each line.
    package enum Frame: Sendable, Hashable {
        /// A complete line without its CR LF, never empty.
        case line(String)
        /// A line over the limit was skipped; `byteCount` is its length including the LF, for the log.
        case oversized(byteCount: Int)
    }

    /// The decoded type, as `NIOSingleStepByteToMessageDecoder` requires.
    package typealias InboundOut = Frame

    /// The longest message part in bytes, CR LF included: 512 per RFC 1459 unless the caller knows better.
    package let maximumMessageBytes: Int
    /// The longest tag part in bytes, leading `@` and trailing space included: 8191 per IRCv3 message-tags.
    package let maximumTagBytes: Int
    /// Bytes counted so far of an oversized line whose LF has not arrived; `nil` when not skipping.
    private var skippedBytes: Int?
    /// How far the search for the current line's end has got.
    private var scan: Scan

    /// Progress through the line at the start of the buffer, kept between calls.
    private struct Scan: Sendable {
        /// Bytes from the reader index already known to hold no LF.
        var offset = 0
        /// For a tagged line, the length of `@tags ` once its space has been seen.
        var tagPartLength: Int?
    }

    /// Where the current line ends, as far as the buffer tells.
    private enum LineEnd {
        /// The LF is `newlineOffset` bytes in; the content before CR LF may be at most `limit` bytes.
        case found(newlineOffset: Int, limit: Int)
        /// No LF within the limit, and enough bytes to know none will come in time.
        case tooLong
        /// No LF yet, but the line may still end within its limit.
        case needMoreData
    }

    /// Creates a framer with the IRCv3 limits, or larger ones for a server advertising `LINELEN`.
    package init(maximumMessageBytes: Int = 512, maximumTagBytes: Int = 8191) {
        self.maximumMessageBytes = max(maximumMessageBytes, 3)
        self.maximumTagBytes = max(maximumTagBytes, 1)
        self.skippedBytes = nil
        self.scan = Scan()
    }

    /// The most unconsumed bytes the framer ever leaves in the buffer; pass it as the processor's
    /// `maximumBufferSize` so a bug here fails loudly instead of growing memory.
    package var maximumBufferedBytes: Int {
        self.maximumTagBytes + self.maximumMessageBytes
    }

    /// Returns the next line, or `nil` when the buffer holds no complete one yet; empty lines are skipped.
    package mutating func decode(buffer: inout ByteBuffer) -> Frame? {
        while true {
            let view = buffer.readableBytesView
            if let skipped = self.skippedBytes {
                guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
                    self.skippedBytes = skipped + view.count
                    buffer.moveReaderIndex(forwardBy: view.count)
                    return nil
                }
                let consumed = newline - view.startIndex + 1
                buffer.moveReaderIndex(forwardBy: consumed)
                self.skippedBytes = nil
                return .oversized(byteCount: skipped + consumed)
            }
            switch self.findLineEnd(in: view) {
            case .needMoreData:
                return nil
            case .tooLong:
                self.scan = Scan()
                self.skippedBytes = 0
            case .found(let newlineOffset, let limit):
                self.scan = Scan()
                buffer.moveReaderIndex(forwardBy: newlineOffset + 1)
                let content = Self.droppingCarriageReturn(view.prefix(newlineOffset))
                if content.count > limit {
                    return .oversized(byteCount: newlineOffset + 1)
                }
                if !content.isEmpty {
                    return .line(Self.decodeText(content))
                }
            }
        }
    }

    /// Like ``decode(buffer:)``, then reports a line still being skipped and delivers a last line that lacks its
    /// LF, since servers often send `ERROR :Closing link` and close at once.
    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) -> Frame? {
        if let frame = self.decode(buffer: &buffer) {
            return frame
        }
        let view = buffer.readableBytesView
        buffer.moveReaderIndex(forwardBy: view.count)
        self.scan = Scan()
        if let skipped = self.skippedBytes {
            self.skippedBytes = nil
            return .oversized(byteCount: skipped + view.count)
        }
        let content = Self.droppingCarriageReturn(view)
        return content.isEmpty ? nil : .line(Self.decodeText(content))
    }

    /// Looks for the LF ending the line at the start of `view`, resuming where the previous call stopped so a
    /// line drip-fed one byte at a time is still scanned only once.
    ///
    /// Untagged lines may hold the message limit; a tagged line gets the length of its tag part on top, once the
    /// space ending the tags shows up within the tag limit. Until then the tag limit alone caps it.
    private mutating func findLineEnd(in view: ByteBufferView) -> LineEnd {
        let isTagged = view.first == UInt8(ascii: "@")
        while true {
            let limit: Int
            if isTagged {
                limit = self.scan.tagPartLength.map { $0 + self.maximumMessageBytes - 2 } ?? self.maximumTagBytes
            } else {
                limit = self.maximumMessageBytes - 2
            }
            guard self.scan.offset < min(view.count, limit + 2) else {
                return view.count >= limit + 2 ? .tooLong : .needMoreData
            }
            let byte = view[view.startIndex + self.scan.offset]
            if byte == UInt8(ascii: "\n") {
                return .found(newlineOffset: self.scan.offset, limit: limit)
            }
            if isTagged, self.scan.tagPartLength == nil, byte == UInt8(ascii: " "),
                self.scan.offset < self.maximumTagBytes
            {
                self.scan.tagPartLength = self.scan.offset + 1
            }
            self.scan.offset += 1
        }
    }

    /// `line` without a CR just before where its LF was.
    private static func droppingCarriageReturn(_ line: ByteBufferView) -> ByteBufferView {
        line.last == UInt8(ascii: "\r") ? line.dropLast() : line
    }

    /// UTF-8 when valid, otherwise each space-separated word on its own: UTF-8 when valid, else Latin-1 (see the
    /// type's documentation for why). UTF-8 never uses the space byte inside a character, so none is cut.
    private static func decodeText(_ bytes: ByteBufferView) -> String {
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        var text = ""
        for (index, word) in bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).enumerated() {
            if index > 0 { text.append(" ") }
            if let decoded = String(validating: word, as: UTF8.self) {
                text += decoded
            } else {
                text.unicodeScalars.append(contentsOf: word.map { Unicode.Scalar($0) })
            }
        }
        return text
    }
}
