/// The Atheme 7.2 configuration the harness writes when a test asks for services.
///
/// Only what SASL tests need is loaded: NickServ to register accounts and add certificate fingerprints, and
/// SaslServ with PLAIN and EXTERNAL. Everything that would slow a test down or refuse it (flood protection,
/// the register rate limit, per-address limits, email verification) is off.
struct AthemeConfiguration {
    /// Atheme's own server name.
    var serverName: String
    /// The IRC server it links to (the `uplink` block's name must match InspIRCd's `<server name>`).
    var uplinkName: String
    /// InspIRCd's server-link port on 127.0.0.1.
    var uplinkPort: Int
    /// The link password, the same in both directions.
    var password: String
    /// The network name.
    var networkName: String

    /// Modules: `protocol/inspircd` speaks InspIRCd's spanning-tree protocol (its 1202 dialect, which
    /// InspIRCd 3 still accepts); `pbkdf2v2` hashes passwords; `nickserv/cert` is `CERT ADD` for EXTERNAL.
    static let modules = [
        "protocol/inspircd", "backend/opensex", "crypto/pbkdf2v2",
        "nickserv/main", "nickserv/help", "nickserv/register", "nickserv/identify", "nickserv/info",
        "nickserv/cert", "saslserv/main", "saslserv/plain", "saslserv/external",
    ]

    /// The configuration text.
    func render() -> String {
        var text = "/* Written by goapi-bridge's test harness (BridgeTesting/IRCServer); throwaway. */\n"
        for module in Self.modules {
            text += "loadmodule \"modules/\(module)\";\n"
        }
        text += """

            serverinfo {
                name = "\(serverName)";
                desc = "goapi-bridge test services";
                numeric = "00A";
                /* Reconnect quickly if the first link attempt races the server's start. */
                recontime = 1;
                netname = "\(networkName)";
                hidehostsuffix = "users.test";
                adminname = "goapi-bridge tests";
                adminemail = "tests@example.com";
                registeremail = "noreply@example.com";
                loglevel = { error; info; admin; network; };
                /* Accounts need no emailed confirmation, and tests may reuse an address. */
                auth = none;
                maxlogins = 100;
                maxusers = 1000;
                mdlimit = 30;
                emaillimit = 1000;
                emailtime = 300;
                casemapping = rfc1459;
            };

            uplink "\(uplinkName)" {
                host = "127.0.0.1";
                port = \(uplinkPort);
                password = "\(password)";
            };

            nickserv {
                nick = "NickServ";
                user = "NickServ";
                host = "\(serverName)";
                real = "Nickname Services";
            };

            saslserv {
                nick = "SaslServ";
                user = "SaslServ";
                host = "\(serverName)";
                real = "SASL Authentication Agent";
            };

            general {
                /* Zero turns flood detection off: tests register and identify in quick bursts. With
                   ratelimit_uses/ratelimit_period absent, REGISTER is not rate limited either. */
                flood_msgs = 0;
                flood_time = 10;
                commit_interval = 5;
            };

            """
        return text
    }
}
