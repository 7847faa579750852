import Logging

extension Logger {
    /// This logger for AsyncHTTPClient: at `trace` it logs every response part, bodies included, as hex, and an
    /// upstream's error body can quote the API key, which the bridge's own messages redact
    /// (``GoAPIError/redacting(_:)``). So the client never logs below `debug`, whatever the bridge's level.
    package var forHTTPClient: Logger {
        guard self.logLevel < .debug else { return self }
        var logger = self
        logger.logLevel = .debug
        return logger
    }
}
