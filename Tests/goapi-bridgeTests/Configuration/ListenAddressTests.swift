import Testing

@testable import goapi_bridge

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:8080", "127.0.0.1", 8080),
        ("localhost:0", "localhost", 0),
        ("bridge-1.internal:65535", "bridge-1.internal", 65535),
        ("[::1]:9090", "::1", 9090),
        ("[::ffff:127.0.0.1]:80", "::ffff:127.0.0.1", 80),
    ])
    func parsesHostAndPort(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address == ListenAddress(host: host, port: port))
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("localhost", "is not host:port"),
        (":8080", "is not host:port"),
        ("[::1]8080", "is not host:port"),
        ("[host]:80", "is not host:port"),
        ("a b:80", "is not host:port"),
        ("::1:80", "is not host:port"),
        ("127.0.0.1:", "has no valid port"),
        ("127.0.0.1:65536", "has no valid port"),
        ("127.0.0.1:+80", "has no valid port"),
        ("127.0.0.1:http", "has no valid port"),
        ("http://127.0.0.1:8080", "is a URL, not host:port"),
    ])
    func rejectsMalformedAddresses(text: String, message: String) {
        let violation = #expect(throws: ConfigViolation.self) { try ListenAddress(parsing: text) }
        #expect(violation?.message == "\(text.quoted) \(message)")
    }

    @Test func pointsIPv6WithoutBracketsAtTheFix() {
        let violation = #expect(throws: ConfigViolation.self) { try ListenAddress(parsing: "::1:80") }
        #expect(violation?.hint == "put IPv6 addresses in brackets: [::1]:8080")
    }

    @Test func pointsAURLAtTheFix() {
        let violation = #expect(throws: ConfigViolation.self) { try ListenAddress(parsing: "http://0.0.0.0:8080/") }
        #expect(violation?.hint == "write the address without http://, e.g. 127.0.0.1:8080")
    }
}
