/// The InspIRCd 3 configuration file the harness writes for one server.
///
/// It starts from what Debian ships in `/etc/inspircd/inspircd.conf` (server, admin, one client bind, a
/// `<connect>` class, the oper classes) and changes what a test server needs; each change says why next to it.
/// Every path is absolute because InspIRCd resolves relative ones against Debian's system directories.
struct InspIRCdConfiguration {
    /// The services link, when services run.
    struct Services {
        /// The link password, the same in both directions.
        var password: String
        /// The loopback port InspIRCd listens on for the services link.
        var port: Int
    }

    /// The IRC server's name.
    var serverName: String
    /// The network name (`NETWORK=` in ISUPPORT).
    var networkName: String
    /// The services server's name (Atheme's `serverinfo::name`): `<link name>`, `<uline>`, `<sasl target>`.
    var servicesName: String
    /// The TLS client port on 127.0.0.1.
    var tlsPort: Int
    /// The plaintext client port on 127.0.0.1.
    var plaintextPort: Int
    /// The server certificate (PEM).
    var certificateFile: String
    /// The server certificate's private key (PEM).
    var privateKeyFile: String
    /// The file InspIRCd logs to (the same file its console output is captured in).
    var logFile: String
    /// The MOTD file.
    var motdFile: String
    /// The name of the oper block tests can use (`OPER name password`).
    var operatorName: String
    /// That oper block's password.
    var operatorPassword: String
    /// Flood settings for the `<connect>` class.
    var floodControl: InspIRCdServer.FloodControl
    /// The linked services, if any.
    var services: Services?
    /// Raw configuration appended at the end.
    var extra: String

    /// Modules loaded on every test server, in this order.
    ///
    /// - `ssl_gnutls`: Debian builds InspIRCd with GnuTLS only (there is no `m_ssl_openssl.so`).
    /// - `sslinfo`: exposes the client certificate fingerprint, which `sasl` forwards for EXTERNAL.
    /// - `cap` and `ircv3*`: capability negotiation and `account-notify`/`away-notify`/`extended-join`
    ///   (`ircv3`), `account-tag`, `batch`, `cap-notify`, `echo-message`, `server-time`, `msgid`, and
    ///   `message-tags` with client tags such as `+typing` and `+reply` (`ircv3_ctctags`).
    /// - `botmode`: user mode `+B` and the `BOT=B` ISUPPORT token.
    /// - `chanhistory`: channel mode `+H`, which replays a channel's last lines to whoever joins it.
    /// - `sasl`, `services_account`: SASL through the services server and the account tracking that
    ///   `account-tag` and Atheme need (Atheme refuses to link without `services_account`).
    /// - `spanningtree`: the server-to-server protocol services link with.
    /// - `svshold`: lets services hold nicks; Atheme warns at link time without it.
    static let modules = [
        "ssl_gnutls", "sslinfo", "cap", "ircv3", "ircv3_accounttag", "ircv3_batch", "ircv3_capnotify",
        "ircv3_echomessage", "ircv3_servertime", "ircv3_msgid", "ircv3_ctctags", "botmode", "chanhistory", "sasl",
        "services_account", "spanningtree", "svshold",
    ]

    /// The configuration text.
    func render() -> String {
        var text = """
            # Written by goapi-bridge's test harness (BridgeTesting/IRCServer); throwaway, loopback only.
            <server name="\(serverName)" description="goapi-bridge test server" network="\(networkName)" id="1AA">
            <admin name="goapi-bridge tests" nick="tests" email="tests@example.com">

            """
        for module in Self.modules {
            text += "<module name=\"\(module)\">\n"
        }
        text += """

            # hash="sha256": GnuTLS's default fingerprint hash in InspIRCd 3 is md5; SASL EXTERNAL and
            # NickServ CERT ADD use the SHA-256 fingerprint. requestclientcert lets clients present one.
            <sslprofile name="Clients" provider="gnutls" certfile="\(certificateFile)" keyfile="\(privateKeyFile)"
                        hash="sha256" requestclientcert="yes">

            # Loopback only, on ports the harness picked as free: never reachable from outside, and several
            # test servers can run at once.
            <bind address="127.0.0.1" port="\(tlsPort)" type="clients" sslprofile="Clients">
            <bind address="127.0.0.1" port="\(plaintextPort)" type="clients">

            # resolvehostnames="no": otherwise every connection waits for a reverse DNS lookup, which on a
            #   machine without DNS means the resolver's timeout per client.
            # localmax/globalmax: Debian ships 3 connections per IP; every test client comes from 127.0.0.1.
            # threshold/commandrate/fakelag: flood control, off unless a test asks for it (Options.floodControl).
            # softsendq/recvq: roomy so a burst of test traffic is neither delayed nor dropped.
            <connect name="main" allow="*" timeout="20" pingfreq="120" hardsendq="1048576" softsendq="1048576"
                     recvq="65536" threshold="\(floodControl.threshold)" commandrate="\(floodControl.commandRate)"
                     fakelag="\(floodControl.fakeLag ? "yes" : "no")" localmax="1000" globalmax="1000"
                     resolvehostnames="no" useident="no" limit="5000" maxchans="100">

            # An oper for tests that need to KILL or KICK the bot.
            <class name="Everything" commands="*" privs="*" usermodes="*" chanmodes="*" snomasks="*">
            <type name="NetAdmin" classes="Everything" host="netadmin.test">
            <oper name="\(operatorName)" password="\(operatorPassword)" host="*@*" type="NetAdmin">

            # flush="1": the harness reads this log to see which ports were bound; InspIRCd buffers 20 lines.
            <log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="\(logFile)" flush="1">
            <files motd="\(motdFile)">
            <options prefixquit="Quit: " syntaxhints="no" announcets="yes" pingwarning="15">
            <security hideserver="" userstats="Pu" flatlinks="no" hidesplits="no" hideulines="no" hidebans="no"
                      maxtargets="20">

            """
        text += """

            # Services: <sasl target> is where AUTHENTICATE goes (the sasl module refuses to load without it)
            # and the <uline> gives that server the power to set accounts. InspIRCd offers the sasl capability
            # only while the target is linked, so without services there simply is no SASL.
            <uline server="\(servicesName)" silent="yes">
            <sasl target="\(servicesName)">

            """
        if let services {
            text += """
                # Atheme connects in over plaintext loopback.
                <bind address="127.0.0.1" port="\(services.port)" type="servers">
                <link name="\(servicesName)" ipaddr="127.0.0.1" port="\(services.port)"
                      allowmask="127.0.0.0/8" sendpass="\(services.password)" recvpass="\(services.password)">

                """
        }
        if !extra.isEmpty {
            text += "\n" + extra + "\n"
        }
        return text
    }
}
