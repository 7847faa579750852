import NIOCore

/// Splits the byte stream from an IRC server into lines (without CR LF), refusing lines longer than IRC allows.
///
/// The limit is 512 bytes for the message plus 8191 for IRCv3 tags; a server sending more is broken and the
/// test should fail loudly rather than buffer without end.
struct TestIRCLineDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = String

    /// The longest line accepted, CR LF included.
    static let maximumLineLength = 512 + 8191

    /// Thrown for a line longer than ``maximumLineLength``.
    struct LineTooLong: Error {}

    mutating func decode(buffer: inout ByteBuffer) throws -> String? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > Self.maximumLineLength {
                throw LineTooLong()
            }
            return nil
        }
        let length = newline - view.startIndex
        guard length < Self.maximumLineLength else {
            throw LineTooLong()
        }
        var line = buffer.readSlice(length: length + 1)!
        var bytes = line.readBytes(length: length)!
        if bytes.last == UInt8(ascii: "\r") {
            bytes.removeLast()
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> String? {
        try self.decode(buffer: &buffer)
    }
}
