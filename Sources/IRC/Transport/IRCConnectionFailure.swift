import NIOSSL

/// Says why a connection to an IRC server failed in words an operator can act on. TLS failures above all: BoringSSL's
/// own text (`handshakeFailed(… CERTIFICATE_VERIFY_FAILED at …/handshake.cc:320)`) does not say that the usual cause
/// is a server certificate from a private CA, nor which setting fixes it.
enum IRCConnectionFailure {
    /// `error` described for the log line of a failed connection to `host`.
    static func describe(_ error: any Error, host: String) -> String {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "the server's TLS certificate is not valid for \(host); connect by a name the certificate holds"
        }
        if let error = error as? NIOSSLError, case .handshakeFailed(let reason) = error {
            let reason = "\(reason)"
            if reason.contains("WRONG_VERSION_NUMBER") {
                // What BoringSSL makes of an IRC server's plain-text greeting.
                return "the server answered in plain text, not TLS (WRONG_VERSION_NUMBER): this looks like its "
                    + "plain-text port; use its TLS port (often 6697)"
            }
            guard reason.contains("CERTIFICATE_VERIFY_FAILED") else { return "TLS handshake failed (\(reason))" }
            return "the server's TLS certificate is not trusted (CERTIFICATE_VERIFY_FAILED): for a server whose "
                + "certificate comes from a private CA set caFile to that CA's PEM file; tlsVerify: false turns "
                + "the check off (not recommended)"
        }
        if error is TLSHandshakeWaiter.TimedOut {
            return "\(error): the server said nothing; check that the port is its TLS port"
        }
        return "\(error)"
    }
}
