import NIOCore
import NIOPosix

/// Port helpers for servers the harness runs on 127.0.0.1.
enum LoopbackPorts {
    /// `count` distinct ports that were free a moment ago, chosen by the kernel.
    ///
    /// All are held open together so they differ, then released for the server to bind. Another process can
    /// take one in between; the server start notices InspIRCd's "Failed to listen" and tries new ports.
    static func free(count: Int) async throws -> [Int] {
        var channels: [any Channel] = []
        defer {
            for channel in channels {
                channel.close(promise: nil)
            }
        }
        var ports: [Int] = []
        for _ in 0..<count {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: "127.0.0.1", port: 0)
                .get()
            channels.append(channel)
            guard let port = channel.localAddress?.port else {
                throw InspIRCdServerError(code: .toolFailed, message: "no local port for a probe socket")
            }
            ports.append(port)
        }
        return ports
    }

    /// Whether a TCP connection to 127.0.0.1:`port` succeeds right now.
    static func acceptsConnections(port: Int) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1))
                .connect(host: "127.0.0.1", port: port)
                .get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }
}
