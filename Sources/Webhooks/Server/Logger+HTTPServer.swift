import Logging

extension Logger {
    /// This logger for a Hummingbird server: the same, except that the two lines Hummingbird logs at `error` when a
    /// shutdown cancels it (its listener already closed, its accept loop cancelled) come at `debug`. They are the
    /// expected end of every shutdown whose grace period runs out or that a second signal cuts short, and at `error`
    /// they set off alerts on every routine deploy.
    package func forHTTPServer() -> Logger {
        var logger = self
        logger.handler = ShutdownNoiseFilter(wrapping: self.handler)
        return logger
    }
}

/// Lowers Hummingbird's shutdown lines (see ``Logging/Logger/forHTTPServer()``); passes everything else on.
private struct ShutdownNoiseFilter: LogHandler {
    var wrapped: any LogHandler

    init(wrapping handler: any LogHandler) {
        self.wrapped = handler
    }

    /// The messages, as Hummingbird writes them, that a cancelled shutdown produces.
    static let shutdownMessages: Set<String> = [
        "Server shutdown error: Already closed",
        "Waiting on child channel: CancellationError()",
    ]

    func log(event: LogEvent) {
        var event = event
        if event.level == .error, Self.shutdownMessages.contains(event.message.description) {
            guard self.wrapped.logLevel <= .debug else { return }
            event.level = .debug
        }
        self.wrapped.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.wrapped[metadataKey: key] }
        set { self.wrapped[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { self.wrapped.metadata }
        set { self.wrapped.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { self.wrapped.logLevel }
        set { self.wrapped.logLevel = newValue }
    }
}
