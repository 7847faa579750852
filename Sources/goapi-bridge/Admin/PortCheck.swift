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
    /// Throws a ``StartupError`` naming `key` when `address` cannot be bound; port 0 is always free.
    static func ensureAvailable(_ address: ListenAddress, key: String) async throws {
        guard address.port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: address.host, port: address.port)
                .get()
            try await channel.close()
        } catch {
            throw StartupError(message: "\(key) \(address): \(Self.explain(error))")
        }
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
