import Foundation

/// A real InspIRCd 3 server (Debian's `inspircd` package) for end-to-end tests, optionally with Atheme services
/// linked for SASL, each instance in its own temp directory on its own free loopback ports.
///
/// ```swift
/// try await InspIRCdServer.withRunning(options: .init(withServices: true)) { server in
///     try await server.registerAccount(name: "gptbot", password: "hunter2hunter2")
///     let client = try await server.connectClient()  // TLS, verified against server.caFile
///     _ = try await client.register(nick: "alice")
/// }
/// ```
///
/// Starting writes a throwaway CA and a `localhost`/`127.0.0.1` certificate (``caFile``), an InspIRCd config,
/// and runs `inspircd --nofork --runasroot` with core dumps off; its console output and log go to ``logFile``.
/// `start` returns once the TLS port accepts connections and, with services, once NickServ answers.
package struct InspIRCdServer: Sendable {
    /// The address every port is bound on.
    package let host = "127.0.0.1"
    /// A host name the server certificate is also valid for.
    package let tlsHostname = "localhost"
    /// The server's name (the source of numerics, `<server name>`).
    package let serverName = Names.server
    /// The network name (`NETWORK=`).
    package let networkName = Names.network
    /// Services' server name, when linked.
    package let servicesName = Names.services
    /// The TLS client port.
    package let tlsPort: Int
    /// The plaintext client port.
    package let plaintextPort: Int
    /// The temp directory holding config, certificates and logs (removed by `stop` unless kept).
    package let directory: String
    /// The CA certificate that signed the server's certificate: a client's `caFile`.
    package let caFile: String
    /// InspIRCd's console output and log.
    package let logFile: String
    /// Atheme's console output and log, when services run.
    package let servicesLogFile: String?
    /// An oper account on the server (`OPER <name> <password>`), for tests that KILL or KICK.
    package let operatorName = Names.operatorName
    /// The oper account's password.
    package let operatorPassword = Names.operatorPassword

    /// The CA that issued the server certificate and issues client certificates.
    let certificateAuthority: TestCertificateAuthority
    /// Holds the InspIRCd process; shared by every copy of this value, so all of them see a ``restart(timeout:)``.
    let ircdSlot: IRCdProcessSlot
    /// The Atheme process, when services run.
    let services: ChildProcess?
    /// Whether `stop` leaves ``directory`` in place.
    let keepDirectory: Bool

    /// Whether Debian's `inspircd` is installed here; tests skip (with a message) only when it is not.
    package static var isInstalled: Bool {
        Executable.find("inspircd") != nil
    }

    /// The InspIRCd process running now.
    var ircd: ChildProcess {
        self.ircdSlot.process
    }

    /// Whether services are linked (``Options/withServices``).
    package var hasServices: Bool {
        self.services != nil
    }

    /// Whether the InspIRCd process is still running.
    package var isRunning: Bool {
        self.ircd.termination == nil
    }

    /// Starts a server; see the type's documentation. Throws with the log's last lines if it cannot.
    package static func start(options: Options = Options()) async throws -> InspIRCdServer {
        guard let inspircd = Executable.find("inspircd") else {
            throw InspIRCdServerError(
                code: .notInstalled,
                message: "inspircd is not installed; run scripts/irc-test-deps.sh"
            )
        }
        var atheme: String?
        if options.withServices {
            guard let found = Executable.find("atheme-services") else {
                throw InspIRCdServerError(
                    code: .notInstalled,
                    message: "atheme-services is not installed; run scripts/irc-test-deps.sh"
                )
            }
            atheme = found
        }
        let deadline = ContinuousClock.now + options.startTimeout
        let directory = try Self.makeTemporaryDirectory()
        var launched = LaunchedProcesses()
        do {
            let authority = try await TestCertificateAuthority.create(in: directory)
            let serverCertificate = try await authority.issueServerCertificate()
            let motdFile = directory + "/motd.txt"
            try "goapi-bridge test server\n".write(toFile: motdFile, atomically: true, encoding: .utf8)
            let linkPassword = "link-\(UInt64.random(in: .min ... .max))"

            let started = try await Self.launchIRCd(
                inspircd: inspircd,
                directory: directory,
                withServices: atheme != nil,
                deadline: deadline,
                launched: &launched
            ) { ports, logFile in
                InspIRCdConfiguration(
                    serverName: Names.server,
                    networkName: Names.network,
                    servicesName: Names.services,
                    tlsPort: ports[0],
                    plaintextPort: ports[1],
                    certificateFile: serverCertificate.certificateFile,
                    privateKeyFile: serverCertificate.privateKeyFile,
                    logFile: logFile,
                    motdFile: motdFile,
                    operatorName: Names.operatorName,
                    operatorPassword: Names.operatorPassword,
                    floodControl: options.floodControl,
                    services: atheme == nil
                        ? nil
                        : .init(password: linkPassword, port: ports[2]),
                    extra: options.extraConfiguration
                )
            }

            var services: ChildProcess?
            if let atheme {
                services = try Self.launchServices(
                    atheme: atheme,
                    configuration: AthemeConfiguration(
                        serverName: Names.services,
                        uplinkName: Names.server,
                        uplinkPort: started.ports[2],
                        password: linkPassword,
                        networkName: Names.network
                    ),
                    directory: directory,
                    launched: &launched
                )
            }
            let server = InspIRCdServer(
                tlsPort: started.ports[0],
                plaintextPort: started.ports[1],
                directory: directory,
                caFile: authority.certificateFile,
                logFile: started.process.logFile,
                servicesLogFile: services?.logFile,
                certificateAuthority: authority,
                ircdSlot: IRCdProcessSlot(started.process),
                services: services,
                keepDirectory: options.keepDirectory
            )
            if services != nil {
                try await server.waitForServices(deadline: deadline)
            }
            return server
        } catch {
            await launched.terminateAll()
            if !options.keepDirectory {
                try? FileManager.default.removeItem(atPath: directory)
            }
            throw error
        }
    }

    /// Stops services and the server (SIGTERM, then SIGKILL after a grace period) and removes the temp
    /// directory. An InspIRCd crash while exiting is expected with 3.15 and ignored. Safe to call twice.
    package func stop() async {
        if let services = self.services {
            await services.terminate(gracePeriod: .seconds(5))
        }
        await self.ircd.terminate(gracePeriod: .seconds(10))
        if !self.keepDirectory {
            try? FileManager.default.removeItem(atPath: self.directory)
        }
    }

    /// Starts a server, runs `body` with it and stops it whether `body` returns or throws.
    package static func withRunning<Result>(
        options: Options = Options(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (InspIRCdServer) async throws -> Result
    ) async throws -> Result {
        let server = try await Self.start(options: options)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Connects a ``TestIRCClient``: over TLS verified against ``caFile`` (by default), or plaintext.
    ///
    /// - Parameters:
    ///   - tls: Use the TLS port.
    ///   - host: The name to connect to and verify; ``host`` by default, ``tlsHostname`` also works.
    ///   - clientCertificate: A certificate to present (for SASL EXTERNAL), from ``makeClientCertificate``.
    package func connectClient(
        tls: Bool = true,
        host: String? = nil,
        clientCertificate: TestClientCertificate? = nil
    ) async throws -> TestIRCClient {
        try await TestIRCClient.connect(
            host: host ?? self.host,
            port: tls ? self.tlsPort : self.plaintextPort,
            tls: tls,
            caFile: tls ? self.caFile : nil,
            clientCertificate: clientCertificate
        )
    }

    /// Issues a client certificate signed by this server's CA, with its SHA-256 fingerprint.
    package func makeClientCertificate(commonName: String = "test-client") async throws -> TestClientCertificate {
        try await self.certificateAuthority.makeClientCertificate(commonName: commonName)
    }

    /// The last `count` lines of InspIRCd's log.
    package func logTail(lines count: Int = 40) -> String {
        LogFile.tail(of: self.logFile, lines: count)
    }

    private static func makeTemporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("goapi-bridge-inspircd-\(UUID().uuidString.prefix(8))")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// The fixed names of every test server; only ports and directories differ between instances.
private enum Names {
    static let server = "irc.test"
    static let network = "GoAPITest"
    static let services = "services.test"
    static let operatorName = "harness"
    static let operatorPassword = "harness-oper-password"
}
