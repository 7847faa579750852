import NIOCore

/// One event of a `text/event-stream`, as dispatched by ``ServerSentEventDecoder``.
///
/// `data` stays a `ByteBuffer` so a single-line event (GoAPI's usual shape) reaches the JSON decoder as a slice of
/// the received bytes, without a copy through `String`.
package struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, or `nil` for the default `message` type.
    package var type: String?
    /// The `data:` lines joined with `\n`, as the SSE specification prescribes.
    package var data: ByteBuffer
    /// The `id:` field, if the server sent one.
    package var id: String?

    /// Creates an event; tests and the stub server build them directly.
    package init(type: String? = nil, data: ByteBuffer, id: String? = nil) {
        self.type = type
        self.data = data
        self.id = id
    }

    /// Creates an event whose data is the UTF-8 of `data`.
    package init(type: String? = nil, data: String, id: String? = nil) {
        self.init(type: type, data: ByteBuffer(string: data), id: id)
    }

    /// The `[DONE]` sentinel GoAPI sends after the last event.
    package var isDoneSentinel: Bool {
        self.data.readableBytesView.elementsEqual("[DONE]".utf8)
    }
}
