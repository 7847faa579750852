import InMemoryLogging
import Logging
import Testing
import Webhooks

@Suite struct LoggerHTTPServerTests {
    private func logger(level: Logger.Level) -> (Logger, InMemoryLogHandler) {
        var handler = InMemoryLogHandler()
        handler.logLevel = level
        let captured = handler
        return (Logger(label: "test") { _ in captured }.forHTTPServer(), handler)
    }

    /// Every shutdown cut short by its grace period or a second signal ends with these two lines from Hummingbird;
    /// at `error` they set off alerts on every routine deploy.
    @Test func hummingbirdsShutdownLinesAreDebug() {
        let (logger, handler) = self.logger(level: .debug)
        logger.error("Server shutdown error: Already closed")
        logger.error("Waiting on child channel: CancellationError()")
        #expect(handler.entries.map(\.level) == [.debug, .debug])
        #expect(handler.entries.map(\.message.description).first == "Server shutdown error: Already closed")
    }

    @Test func theyAreDroppedBelowDebugAndOtherErrorsStayErrors() {
        let (logger, handler) = self.logger(level: .info)
        logger.error("Server shutdown error: Already closed")
        logger.error("Server shutdown error: something else")
        logger.warning("Waiting on child channel: CancellationError()")
        #expect(handler.entries.map(\.level) == [.error, .warning])
    }
}
