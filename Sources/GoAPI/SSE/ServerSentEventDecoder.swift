import NIOCore

/// Incremental decoder for `text/event-stream` bodies.
///
/// It follows the WHATWG event-stream rules (any of LF, CRLF or CR ends a line; `:` starts a comment; `data:` lines
/// accumulate; an empty line dispatches) with one deliberate leniency: GoAPI's documentation separates events with
/// lines holding a single space, which a strict parser would read as an unknown field and so glue every event of
/// the stream together. A line of only spaces and tabs is therefore treated as the blank line it was meant to be.
///
/// The decoder never rescans bytes it has already looked at, so drip-fed input costs the same as one big buffer,
/// and it holds at most one event: ``maximumEventSize`` bounds the memory a stream can make it use.
package struct ServerSentEventDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = ServerSentEvent

    /// The largest event (its pending data plus the line being read) the decoder will buffer.
    package let maximumEventSize: Int

    /// 4 MiB: GoAPI resends the whole answer so far in every event, so this is also the longest answer the
    /// conversation path takes, and what the backup model's answer is held to (``ChatCompletionStreamReducer``).
    package static let defaultMaximumEventSize = 4 << 20

    private var data: ByteBuffer?
    private var dataLineCount = 0
    private var eventType: String?
    private var eventID: String?
    /// Bytes after the reader index already searched for a line ending; they hold none.
    private var scannedBytes = 0
    /// The previous line ended in CR, so an LF at the start of the next bytes belongs to it.
    private var skipLeadingLF = false

    /// Creates a decoder that rejects events larger than `maximumEventSize` bytes (default 4 MiB).
    package init(maximumEventSize: Int = Self.defaultMaximumEventSize) {
        precondition(maximumEventSize > 0, "maximumEventSize must be positive")
        self.maximumEventSize = maximumEventSize
    }

    package mutating func decode(buffer: inout ByteBuffer) throws -> ServerSentEvent? {
        while let line = try self.nextLine(in: &buffer) {
            if let event = self.process(line: line) {
                return event
            }
        }
        return nil
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ServerSentEvent? {
        if let event = try self.decode(buffer: &buffer) {
            return event
        }
        // A connection that closes without the final blank line still delivered its last line; treat the end of
        // the stream as its terminator so `data: [DONE]` without a trailing newline is not lost.
        if buffer.readableBytes > 0, let line = buffer.readSlice(length: buffer.readableBytes) {
            self.scannedBytes = 0
            if let event = self.process(line: line) {
                return event
            }
        }
        return self.dispatch()
    }

    /// Cuts the next complete line (without its terminator) off the front of `buffer`.
    private mutating func nextLine(in buffer: inout ByteBuffer) throws -> ByteBuffer? {
        if self.skipLeadingLF, buffer.readableBytes > 0 {
            self.skipLeadingLF = false
            if buffer.readableBytesView.first == UInt8(ascii: "\n") {
                buffer.moveReaderIndex(forwardBy: 1)
            }
        }
        let start = self.scannedBytes
        let found: Int? = buffer.withUnsafeReadableBytes { bytes in
            var index = start
            // Eight bytes at a time past the long JSON of a `data:` line; then byte by byte to the exact place.
            while index + 8 <= bytes.count,
                !Self.mayHoldLineEnding(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            {
                index += 8
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { return index }
                index += 1
            }
            return nil
        }
        guard let lineLength = found else {
            self.scannedBytes = buffer.readableBytes
            try self.checkSize(adding: buffer.readableBytes)
            return nil
        }
        try self.checkSize(adding: lineLength)
        let terminator = buffer.getInteger(at: buffer.readerIndex + lineLength, as: UInt8.self)
        let line = buffer.readSlice(length: lineLength)!
        buffer.moveReaderIndex(forwardBy: 1)
        self.scannedBytes = 0
        if terminator == UInt8(ascii: "\r") {
            if let next = buffer.readableBytesView.first {
                if next == UInt8(ascii: "\n") { buffer.moveReaderIndex(forwardBy: 1) }
            } else {
                self.skipLeadingLF = true
            }
        }
        return line
    }

    /// Whether eight bytes may hold an LF or a CR: the classic zero-byte test on the word XOR each of them, exact
    /// for "none", which is all the scan needs.
    private static func mayHoldLineEnding(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let lineFeeds = word ^ (ones &* 0x0A)
        let carriageReturns = word ^ (ones &* 0x0D)
        return ((lineFeeds &- ones) & ~lineFeeds | (carriageReturns &- ones) & ~carriageReturns) & highBits != 0
    }

    private func checkSize(adding pending: Int) throws {
        let size = (self.data?.readableBytes ?? 0) + pending
        if size > self.maximumEventSize {
            throw ServerSentEventDecoderError(maximumEventSize: self.maximumEventSize)
        }
    }

    /// Applies one line to the event being built; returns the event when the line is its terminator.
    private mutating func process(line: ByteBuffer) -> ServerSentEvent? {
        let bytes = line.readableBytesView
        if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
            return self.dispatch()
        }
        if bytes.first == UInt8(ascii: ":") {
            return nil
        }
        var value = line
        let field: ByteBuffer
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            field = value.readSlice(length: colon - bytes.startIndex)!
            value.moveReaderIndex(forwardBy: 1)
            if value.readableBytesView.first == UInt8(ascii: " ") {
                value.moveReaderIndex(forwardBy: 1)
            }
        } else {
            field = value
            value = ByteBuffer()
        }
        switch Field(field.readableBytesView) {
        case .data:
            self.appendData(value)
        case .event:
            self.eventType = String(buffer: value)
        case .id:
            // The spec ignores ids containing NUL, which would otherwise poison `Last-Event-ID`.
            if !value.readableBytesView.contains(0) { self.eventID = String(buffer: value) }
        case .retry, .unknown:
            break
        }
        return nil
    }

    private mutating func appendData(_ value: ByteBuffer) {
        self.dataLineCount += 1
        guard var data = self.data else {
            self.data = value
            return
        }
        // Copy-on-write: the first line was a slice of the input; joining makes it our own buffer.
        self.data = nil
        data.writeInteger(UInt8(ascii: "\n"))
        var value = value
        data.writeBuffer(&value)
        self.data = data
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            self.data = nil
            self.dataLineCount = 0
            self.eventType = nil
        }
        guard self.dataLineCount > 0 else { return nil }
        return ServerSentEvent(type: self.eventType, data: self.data ?? ByteBuffer(), id: self.eventID)
    }

    /// The field names the decoder acts on.
    private enum Field {
        case data, event, id, retry, unknown

        init(_ name: ByteBufferView) {
            if name.elementsEqual("data".utf8) {
                self = .data
            } else if name.elementsEqual("event".utf8) {
                self = .event
            } else if name.elementsEqual("id".utf8) {
                self = .id
            } else if name.elementsEqual("retry".utf8) {
                self = .retry
            } else {
                self = .unknown
            }
        }
    }
}

/// Thrown when one event outgrows ``ServerSentEventDecoder/maximumEventSize``: a stream that never ends its event
/// would otherwise grow the buffer without bound.
package struct ServerSentEventDecoderError: Error, Hashable, CustomStringConvertible {
    /// The limit that was exceeded.
    package let maximumEventSize: Int

    /// Creates the error for a limit.
    package init(maximumEventSize: Int) {
        self.maximumEventSize = maximumEventSize
    }

    package var description: String {
        "server-sent event larger than \(self.maximumEventSize) bytes"
    }
}
