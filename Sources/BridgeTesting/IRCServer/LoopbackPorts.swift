import Foundation
import NIOCore
import NIOPosix

/// Port helpers for servers the harness runs on 127.0.0.1.
enum LoopbackPorts {
    /// `count` distinct ports that were free a moment ago, picked at random below the kernel's ephemeral range.
    ///
    /// All are held open together so they differ, then released for the server to bind. Below the ephemeral range
    /// (`net.ipv4.ip_local_port_range`), because that is where every outgoing connection gets its local port: with
    /// all suites running at once, the HTTP clients of other tests took kernel-picked ports between their release
    /// and InspIRCd's bind often enough to use up every attempt of a start. Another server picking the same port
    /// is still possible; the server start notices InspIRCd's "Failed to listen" and tries new ports.
    static func free(count: Int) async throws -> [Int] {
        let candidates = Self.belowEphemeralRange()
        var channels: [any Channel] = []
        var ports: [Int] = []
        for _ in 0..<200 where ports.count < count {
            let port = Int.random(in: candidates)
            guard !ports.contains(port) else { continue }
            // A port something else holds fails to bind; another is tried.
            guard
                let channel = try? await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(host: "127.0.0.1", port: port)
                    .get()
            else { continue }
            channels.append(channel)
            ports.append(port)
        }
        // Closed before returning, so the server never finds one of them still held by us.
        for channel in channels {
            try? await channel.close()
        }
        guard ports.count == count else {
            throw InspIRCdServerError(code: .toolFailed, message: "no \(count) free ports in \(candidates)")
        }
        return ports
    }

    /// Ports just below the kernel's ephemeral range (32768 when it cannot be read, as on macOS, whose range starts
    /// higher still).
    private static func belowEphemeralRange() -> Range<Int> {
        let setting = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
        let lowest = setting?.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        let upper = min(max(lowest, 2_048), 32_768)
        return max(1_024, upper - 12_000)..<upper
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
