extension StubGoAPIServer {
    /// What the stub does with the next conversation request. Requests beyond the queued behaviours get
    /// ``reply(_:imageFileIDs:eventDelay:)`` with ``StubGoAPIServer/defaultReply``.
    package enum Behaviour: Sendable {
        /// Streams a complete turn whose answer is `text`, waiting `eventDelay` between events.
        case reply(String, imageFileIDs: [String] = [], eventDelay: Duration = .zero)
        /// Streams the opening events of a turn whose answer is `text`, holds the rest until `gate` opens, then
        /// streams it: the answer is in progress for as long as the test needs, however slow the machine.
        case replyWhenOpened(String, StubGate)
        /// Answers with a plain HTTP status and JSON body, without streaming (401, 404, 429, 500, …).
        case status(Int, body: String = #"{"code": 500, "message": "stub failure"}"#, headers: [String: String] = [:])
        /// Streams the turn up to a partial answer, then closes the connection without `end_turn` or `[DONE]`.
        case truncated(partial: String)
        /// Streams the turn with unparseable `data:` lines mixed in; the answer is still `text`.
        case garbageThenReply(String)
        /// Streams the opening events and a partial answer, then sends nothing more while holding the connection.
        case stall(partial: String)
        /// Streams a turn whose event carries a non-null `error`.
        case eventError(String)
        /// Sends these exact body bytes as an event stream.
        case raw(String)
        /// Accepts the request and closes the connection without any response.
        case dropConnection
        /// Takes the whole request and sends nothing, not even a status line, while holding the connection: a GoAPI
        /// that has the question and is still working on it before its first byte.
        case silence
    }

    /// How the stub answers `POST …/conversation/{id}/download`.
    package enum DownloadBehaviour: Sendable {
        /// `{"code": 200, "data": {"download_url": "https://files.example/<file_id>.png"}}`.
        case succeed
        /// Fails with HTTP 500.
        case fail
    }
}
