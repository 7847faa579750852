import AsyncHTTPClient
import NIOCore
import Synchronization

/// The client's connections to GoAPI: a few kept open between questions, and the rest closed soon after a burst.
///
/// Every streamed answer holds an HTTP/1.1 connection until `end_turn`, so a burst of questions opens up to
/// `maxConcurrentRequests` connections. In one pool sized for that, every one of them would stay open for the
/// pool's idle timeout (60 s) after the burst: measured 23 KiB each on loopback, more with TLS, so 6 MiB for a
/// minute after 500 questions at once, which nobody needs. Here the first ``warmCapacity`` requests in flight use a
/// pool that keeps its connections for the configured idle timeout (the usual one or few questions at a time never
/// wait for a handshake); requests beyond that use a second pool whose connections close ``burstIdleTimeout`` after
/// their last use, which is long enough to be reused while a burst lasts.
package final class ConnectionPools: Sendable {
    /// Connections kept open between questions, as in AsyncHTTPClient's default pool size.
    package static let warmCapacity = 8
    /// How long a burst connection stays open unused.
    package static let burstIdleTimeout: Duration = .seconds(2)

    private let warm: HTTPClient
    private let burst: HTTPClient?
    private let warmInUse = Mutex(0)

    /// Pools for at most `maxConcurrentRequests` requests at once, with `configuration`'s timeouts.
    init(
        maxConcurrentRequests: Int,
        configuration: HTTPClient.Configuration,
        eventLoopGroup: any EventLoopGroup
    ) {
        var warmConfiguration = configuration
        warmConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = Self.warmCapacity
        self.warm = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: warmConfiguration)
        if maxConcurrentRequests > Self.warmCapacity {
            var burstConfiguration = configuration
            burstConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit =
                maxConcurrentRequests - Self.warmCapacity
            burstConfiguration.connectionPool.idleTimeout = TimeAmount(Self.burstIdleTimeout)
            self.burst = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: burstConfiguration)
        } else {
            self.burst = nil
        }
    }

    /// Runs `body` with the client for one request; the request, including reading its response body, must be
    /// done when `body` returns, except for the tail of a finished stream (``StreamRemainder``), which ends within
    /// 2 s; a request that finds every warm connection still busy with such a tail waits in the pool at most that
    /// long.
    func withClient<Result>(_ body: (HTTPClient) async throws -> Result) async rethrows -> Result {
        guard let burst = self.burst else { return try await body(self.warm) }
        let tookWarm = self.warmInUse.withLock { inUse in
            guard inUse < Self.warmCapacity else { return false }
            inUse += 1
            return true
        }
        guard tookWarm else { return try await body(burst) }
        defer { self.warmInUse.withLock { $0 -= 1 } }
        return try await body(self.warm)
    }

    /// Closes both pools, the second even when the first fails; throws the first failure.
    func shutdown() async throws {
        var failure: (any Error)?
        do { try await self.warm.shutdown() } catch { failure = error }
        do { try await self.burst?.shutdown() } catch { failure = failure ?? error }
        if let failure { throw failure }
    }
}
