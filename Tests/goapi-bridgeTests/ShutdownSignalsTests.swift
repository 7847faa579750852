import Testing

@testable import goapi_bridge

@Suite struct ShutdownSignalsTests {
    @Test func theFirstSignalShutsDownAndALaterOneCancelsTheRest() {
        var signals = ShutdownSignals()
        let start = ContinuousClock.now
        #expect(signals.received(at: start) == .shutDownGracefully)
        #expect(signals.received(at: start + .seconds(3)) == .cancelShutdown)
    }

    /// GNU `timeout` signals the process, then its process group: one request, delivered twice in a row.
    @Test func aSignalDeliveredTwiceAtOnceIsOneRequest() {
        var signals = ShutdownSignals()
        let start = ContinuousClock.now
        let decisions = [
            signals.received(at: start),
            signals.received(at: start + .microseconds(50)),
            signals.received(at: start + .milliseconds(499)),
            signals.received(at: start + .milliseconds(500)),
        ]
        #expect(decisions == [.shutDownGracefully, .ignoreRepeat, .ignoreRepeat, .cancelShutdown])
    }
}
