import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Binds a listen address briefly before start-up, so "address already in use" is one clear line and exit 1
/// instead of a service failing after everything else has started.
enum PortCheck {
    /// Throws a ``StartupError`` naming the key of the first of `addresses` that cannot be bound; port 0 is always
    /// free. Each address stays bound until all are, so two spellings of one socket (`localhost:8080` and
    /// `127.0.0.1:8080`) are caught here too, naming the second.
    static func ensureAvailable(_ addresses: [(address: ListenAddress, key: String)]) async throws {
        var bound: [any Channel] = []
        defer {
            for channel in bound { channel.close(promise: nil) }
        }
        for (address, key) in addresses where address.port != 0 {
            do {
                bound.append(
                    // SO_REUSEADDR, as the real listeners bind: without it, connections the previous run closed
                    // (TIME_WAIT, for a minute after a restart with a keep-alive scraper or proxy) made the check
                    // report "address already in use" for a port the listener could bind.
                    try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                        .bind(host: address.host, port: address.port)
                        .get()
                )
            } catch {
                let earlier = addresses.prefix { $0.key != key }.first { $0.address.port == address.port }
                let clash =
                    (error as? IOError)?.errnoCode == EADDRINUSE
                    ? earlier.map { " (\($0.key) \($0.address) may be the same socket)" } ?? "" : ""
                throw StartupError(message: "\(key) \(address): \(Self.explain(error))\(clash)")
            }
        }
        for channel in bound { try? await channel.close() }
        bound = []
    }

    /// The reason in words, with what to do about it.
    private static func explain(_ error: any Error) -> String {
        switch (error as? IOError)?.errnoCode {
        case EADDRINUSE: "address already in use; stop the other process listening there or choose another port"
        case EACCES: "permission denied; ports below 1024 need privileges, choose a higher port"
        case EADDRNOTAVAIL: "not an address of this machine; use one of its addresses, 127.0.0.1 or 0.0.0.0"
        default: "cannot listen (\(error))"
        }
    }
}
