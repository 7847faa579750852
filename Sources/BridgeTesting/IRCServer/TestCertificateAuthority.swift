import Foundation

/// A throwaway certificate authority made with the `openssl` command, living in one server's temp directory.
///
/// The server certificate it issues names `localhost` and `127.0.0.1`, so a client that trusts only
/// ``certificateFile`` verifies the connection fully, by host name or by address. Keys are P-256: quick to make
/// and accepted by GnuTLS (InspIRCd) and BoringSSL (NIOSSL) alike.
package struct TestCertificateAuthority: Sendable {
    /// The CA certificate (PEM): what a client passes as `caFile` to trust the harness's servers.
    package let certificateFile: String
    /// The CA's private key (PEM).
    let privateKeyFile: String
    /// The directory holding the CA and everything it issues.
    let directory: String
    /// The `openssl` binary.
    let openssl: String

    /// Makes a new CA in `directory`.
    static func create(in directory: String) async throws -> TestCertificateAuthority {
        guard let openssl = Executable.find("openssl") else {
            throw InspIRCdServerError(
                code: .notInstalled,
                message: "the openssl command is not installed; run scripts/irc-test-deps.sh"
            )
        }
        let authority = TestCertificateAuthority(
            certificateFile: directory + "/ca.pem",
            privateKeyFile: directory + "/ca.key",
            directory: directory,
            openssl: openssl
        )
        _ = try await ChildProcess.run(
            openssl,
            ["req", "-x509", "-nodes"] + Self.keyArguments + [
                "-keyout", authority.privateKeyFile, "-out", authority.certificateFile, "-days", "7",
                "-subj", "/CN=goapi-bridge test CA",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
            in: directory
        )
        return authority
    }

    /// Issues the server certificate for `localhost` / `127.0.0.1`; returns the certificate and key paths.
    func issueServerCertificate() async throws -> (certificateFile: String, privateKeyFile: String) {
        try await self.issue(
            fileStem: "server",
            commonName: "localhost",
            extensions: [
                "extendedKeyUsage=serverAuth",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ]
        )
    }

    /// Issues a client certificate (for SASL EXTERNAL) and reads its SHA-256 fingerprint.
    package func makeClientCertificate(commonName: String = "test-client") async throws -> TestClientCertificate {
        let stem = "client-" + commonName.filter { $0.isLetter || $0.isNumber } + "-\(UInt32.random(in: .min ... .max))"
        let issued = try await self.issue(
            fileStem: stem,
            commonName: commonName,
            extensions: ["extendedKeyUsage=clientAuth"]
        )
        let output = try await ChildProcess.run(
            self.openssl,
            ["x509", "-in", issued.certificateFile, "-noout", "-fingerprint", "-sha256"],
            in: self.directory
        )
        // "sha256 Fingerprint=AB:CD:…" — InspIRCd reports and NickServ stores lowercase hex without colons.
        guard let equals = output.firstIndex(of: "=") else {
            throw InspIRCdServerError(code: .toolFailed, message: "unexpected fingerprint output", logTail: output)
        }
        let fingerprint = output[output.index(after: equals)...]
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: ":", with: "")
            .lowercased()
        return TestClientCertificate(
            certificateFile: issued.certificateFile,
            privateKeyFile: issued.privateKeyFile,
            sha256Fingerprint: fingerprint
        )
    }

    private static let keyArguments = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]

    private func issue(
        fileStem: String,
        commonName: String,
        extensions: [String]
    ) async throws -> (certificateFile: String, privateKeyFile: String) {
        let base = self.directory + "/" + fileStem
        let extensionFile = base + ".ext"
        let lines = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature"] + extensions
        try lines.joined(separator: "\n").appending("\n").write(
            toFile: extensionFile,
            atomically: true,
            encoding: .utf8
        )
        _ = try await ChildProcess.run(
            self.openssl,
            ["req", "-new", "-nodes"] + Self.keyArguments + [
                "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=\(commonName)",
            ],
            in: self.directory
        )
        // A random serial (not -CAcreateserial) so concurrent issues never race on a shared serial file.
        let serial = "0x" + String(UInt64.random(in: 1 ... .max), radix: 16)
        _ = try await ChildProcess.run(
            self.openssl,
            [
                "x509", "-req", "-in", base + ".csr", "-CA", self.certificateFile, "-CAkey", self.privateKeyFile,
                "-set_serial", serial, "-days", "7", "-out", base + ".pem", "-extfile", extensionFile,
            ],
            in: self.directory
        )
        return (base + ".pem", base + ".key")
    }
}

/// A client certificate signed by the harness CA, for SASL EXTERNAL tests.
package struct TestClientCertificate: Sendable, Hashable {
    /// The certificate (PEM).
    package let certificateFile: String
    /// Its private key (PEM, unencrypted).
    package let privateKeyFile: String
    /// SHA-256 over the DER certificate as lowercase hex without colons: the form InspIRCd's `ssl_gnutls`
    /// (with `hash="sha256"`) reports to services and that `NickServ CERT ADD` accepts.
    package let sha256Fingerprint: String
}

/// Finds programs the harness runs.
enum Executable {
    /// The first executable named `name` on `PATH` or in the system binary directories (root's `sbin`
    /// directories are often missing from a test runner's `PATH`, and Debian puts `inspircd` there).
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }
}
