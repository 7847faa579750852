import NIOSSL

/// A PEM file named in a network's TLS settings that cannot be used, with the setting that names it and what is
/// wrong. NIOSSL's own errors (`failedToLoadCertificate`, `failedToLoadPrivateKey`) name neither the file nor the
/// setting, and a key that belongs to another certificate read as a key that could not be loaded.
package struct TLSFileProblem: Error, Hashable, CustomStringConvertible {
    /// The configuration key: `caFile`, `clientCertFile` or `clientKeyFile`.
    package var setting: String
    /// The file as configured.
    package var path: String
    /// What is wrong with it, as the end of a sentence naming the file.
    package var problem: String

    package var description: String {
        "\(self.setting) \"\(self.path)\" \(self.problem)"
    }
}

/// The PEM files of a TLS connection, loaded and checked: the trust roots, and the client certificate with its key.
struct TLSFiles {
    var trustRoots: [NIOSSLCertificate] = []
    var certificateChain: [NIOSSLCertificate] = []
    var privateKey: NIOSSLPrivateKey?

    /// Loads the files `tls` names; throws the first that cannot be used.
    init(_ tls: IRCClientConfiguration.TLS) throws(TLSFileProblem) {
        if let caFile = tls.caFile {
            self.trustRoots = try Self.certificates(in: caFile, setting: "caFile")
        }
        guard let certificateFile = tls.clientCertificateFile, let keyFile = tls.clientKeyFile else { return }
        self.certificateChain = try Self.certificates(in: certificateFile, setting: "clientCertFile")
        do {
            self.privateKey = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw TLSFileProblem(
                setting: "clientKeyFile",
                path: keyFile,
                problem: "is not a PEM private key (an encrypted key needs its passphrase removed)"
            )
        }
    }

    /// The client key, when it is not the client certificate's own: BoringSSL compares the two when a context is
    /// made with both, and its error names neither file. Asked when checking a configuration, and after a context
    /// failed to be made, so a connection attempt builds one context, not two.
    func pairProblem(_ tls: IRCClientConfiguration.TLS) -> TLSFileProblem? {
        guard let key = self.privateKey, let certificateFile = tls.clientCertificateFile,
            let keyFile = tls.clientKeyFile
        else { return nil }
        var pair = TLSConfiguration.makeClientConfiguration()
        pair.certificateChain = self.certificateChain.map { .certificate($0) }
        pair.privateKey = .privateKey(key)
        guard (try? NIOSSLContext(configuration: pair)) == nil else { return nil }
        return TLSFileProblem(
            setting: "clientKeyFile",
            path: keyFile,
            problem: "is not the private key of clientCertFile \"\(certificateFile)\""
        )
    }

    private static func certificates(in path: String, setting: String) throws(TLSFileProblem) -> [NIOSSLCertificate] {
        // NIOSSL throws for some files that are not PEM and returns no certificate for others: the same mistake.
        guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
            throw TLSFileProblem(setting: setting, path: path, problem: "holds no PEM certificate")
        }
        return certificates
    }
}

extension IRCClientConfiguration.TLS {
    /// The first file of these settings that cannot be used, if any: for checking a configuration before it runs.
    package var fileProblem: TLSFileProblem? {
        do {
            return try TLSFiles(self).pairProblem(self)
        } catch {
            return error
        }
    }
}
