import BridgeTesting
import Foundation
import Testing

/// With Atheme linked: the `sasl` capability is offered, and SASL PLAIN and EXTERNAL answer as on a real network.
extension InspIRCdHarnessTests {
    @Test func capLSOffersSASLAndTheIRCv3CapabilitiesTheBridgeUses() async throws {
        try await InspIRCdServer.withRunning(options: .init(withServices: true)) { server in
            let client = try await server.connectClient()
            let welcome = try await client.register(nick: "capls")
            for capability in ["sasl", "message-tags", "server-time", "cap-notify", "echo-message"] {
                #expect(welcome.offeredCapabilities[capability] != nil, "CAP LS lacks \(capability)")
            }
            #expect(welcome.offeredCapabilities["sasl"]?.split(separator: ",").contains("PLAIN") == true)
            #expect(welcome.offeredCapabilities["sasl"]?.split(separator: ",").contains("EXTERNAL") == true)
            await client.quit()
        }
    }

    @Test func saslPlainLogsARegisteredAccountIn() async throws {
        try await InspIRCdServer.withRunning(options: .init(withServices: true)) { server in
            try await server.registerAccount(name: "gptbot", password: "correct-horse-battery")
            let client = try await server.connectClient()
            let result = try await Self.authenticate(
                client,
                nick: "gptbot",
                mechanism: "PLAIN",
                payload: Self.plainPayload(account: "gptbot", password: "correct-horse-battery")
            )
            #expect(result.command == "903")
            let loggedIn = try await client.waitForCommand("900")
            #expect(loggedIn.parameters.dropFirst(2).first == "gptbot")
            await client.quit()
        }
    }

    @Test func saslPlainRefusesAWrongPassword() async throws {
        try await InspIRCdServer.withRunning(options: .init(withServices: true)) { server in
            try await server.registerAccount(name: "gptbot", password: "correct-horse-battery")
            let client = try await server.connectClient()
            let result = try await Self.authenticate(
                client,
                nick: "gptbot",
                mechanism: "PLAIN",
                payload: Self.plainPayload(account: "gptbot", password: "wrong-password")
            )
            #expect(result.command == "904")
            await client.quit()
        }
    }

    @Test func saslExternalLogsInWithARegisteredClientCertificate() async throws {
        try await InspIRCdServer.withRunning(options: .init(withServices: true)) { server in
            let certificate = try await server.makeClientCertificate(commonName: "gptbot")
            #expect(certificate.sha256Fingerprint.count == 64)
            try await server.registerAccount(
                name: "gptbot",
                password: "correct-horse-battery",
                certificateFingerprints: [certificate.sha256Fingerprint]
            )
            let client = try await server.connectClient(clientCertificate: certificate)
            let result = try await Self.authenticate(client, nick: "certbot", mechanism: "EXTERNAL", payload: "+")
            #expect(result.command == "903")
            await client.quit()
        }
    }

    @Test func registeringATakenAccountNameFailsWithNickServsAnswer() async throws {
        try await InspIRCdServer.withRunning(options: .init(withServices: true)) { server in
            try await server.registerAccount(name: "gptbot", password: "correct-horse-battery")
            let error = await #expect(throws: InspIRCdServerError.self) {
                try await server.registerAccount(name: "gptbot", password: "another-password")
            }
            #expect(error?.code == .accountRegistrationFailed)
            #expect(error?.message.contains("already registered") == true, "\(String(describing: error))")
        }
    }

    /// Drives SASL by hand (as the bridge's IRC client must): CAP REQ, AUTHENTICATE, payload; returns the
    /// 903/904 numeric.
    private static func authenticate(
        _ client: TestIRCClient,
        nick: String,
        mechanism: String,
        payload: String
    ) async throws -> TestIRCMessage {
        try await client.send("CAP REQ :sasl")
        try await client.send("NICK \(nick)")
        try await client.send("USER \(nick) 0 * :SASL test")
        let ack = try await client.waitForCommand("CAP")
        #expect(ack.parameters.dropFirst().first == "ACK")
        try await client.send("AUTHENTICATE \(mechanism)")
        _ = try await client.waitForMessage("AUTHENTICATE +") {
            $0.command == "AUTHENTICATE" && $0.parameters == ["+"]
        }
        try await client.send("AUTHENTICATE \(payload)")
        return try await client.waitForCommand("903", "904", "905", "906", "908")
    }

    private static func plainPayload(account: String, password: String) -> String {
        Data("\(account)\0\(account)\0\(password)".utf8).base64EncodedString()
    }
}
