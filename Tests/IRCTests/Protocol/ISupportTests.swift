import IRC
import Testing

@Suite struct ISupportTests {
    /// From an InspIRCd 4 server.
    static let inspIRCd = [
        ":irc.inspircd.test 005 gptbot ACCEPT=30 AWAYLEN=200 BOT=B CALLERID=g CASEMAPPING=ascii CHANLIMIT=#:20 "
            + "CHANMODES=IXbeg,k,FHJLfjl,ACKMNOPQRSTUcimnprstz CHANNELLEN=60 CHANTYPES=# ELIST=CMNTU ESILENCE=CcdiNnPpTtx "
            + "EXCEPTS=e EXTBAN=,ACNOQRSTUacjmnprswz HOSTLEN=64 :are supported by this server",
        ":irc.inspircd.test 005 gptbot INVEX=I KEYLEN=32 KICKLEN=300 LINELEN=512 MAXLIST=I:100,X:100,b:100,e:100,g:100 "
            + "MAXTARGETS=20 MODES=20 MONITOR=30 NAMELEN=128 NAMESX NETWORK=InspNet NICKLEN=30 "
            + "PREFIX=(qaohv)~&@%+ SAFELIST :are supported by this server",
        ":irc.inspircd.test 005 gptbot SILENCE=32 STATUSMSG=~&@%+ TOPICLEN=330 UHNAMES USERIP USERLEN=10 "
            + "USERMODES=,,s,BDHILRSTWcdghikorwxz VBANLIST WATCH=32 WHOX :are supported by this server",
    ]

    /// From Libera.Chat (solanum).
    static let libera = [
        ":tantalum.libera.chat 005 gptbot CALLERID=g WHOX ETRACE FNC SAFELIST ELIST=CMNTU KNOCK MONITOR=100 "
            + "CHANTYPES=# EXCEPTS INVEX CHANMODES=eIbq,k,flj,CFLMPQRSTcgimnprstuz :are supported by this server",
        ":tantalum.libera.chat 005 gptbot CHANLIMIT=#:250 PREFIX=(ov)@+ MAXLIST=bqeI:100 MODES=4 NETWORK=Libera.Chat "
            + "STATUSMSG=@+ CASEMAPPING=rfc1459 NICKLEN=16 MAXNICKLEN=16 CHANNELLEN=50 TOPICLEN=390 DEAF=D "
            + ":are supported by this server",
        ":tantalum.libera.chat 005 gptbot TARGMAX=NAMES:1,LIST:1,KICK:1,WHOIS:1,PRIVMSG:4,NOTICE:4,ACCEPT:,MONITOR: "
            + "EXTBAN=$,agjrxz CLIENTVER=3.0 :are supported by this server",
    ]

    static func isupport(_ lines: [String]) throws -> ISupport {
        var isupport = ISupport()
        for line in lines {
            isupport.apply(try IRCMessage(parsing: line))
        }
        return isupport
    }

    @Test func endlessNewTokensAreCappedWhileKnownOnesStillChange() throws {
        var isupport = try Self.isupport(Self.libera)
        for line in 0..<2_000 {
            let tokens = (0..<13).map { "X\(line)Y\($0)=1" }.joined(separator: " ")
            isupport.apply(try IRCMessage(parsing: ":irc.example 005 gptbot \(tokens) :are supported by this server"))
        }
        #expect(isupport.values.count == ISupport.maximumTokenCount)
        isupport.apply(try IRCMessage(parsing: ":irc.example 005 gptbot CASEMAPPING=ascii -NETWORK :are supported"))
        #expect(isupport.caseMapping == .ascii, "a token already kept is still updated")
        #expect(isupport.network == nil, "and withdrawn")
        isupport.apply(try IRCMessage(parsing: ":irc.example 005 gptbot BOT=B :are supported"))
        #expect(isupport.botMode == "B", "a withdrawn token frees its place")
        #expect(isupport.values.count == ISupport.maximumTokenCount)
    }

    @Test func readsInspIRCd() throws {
        let isupport = try Self.isupport(Self.inspIRCd)
        #expect(isupport.caseMapping == .ascii)
        #expect(isupport.network == "InspNet")
        #expect(isupport.nickLength == 30)
        #expect(isupport.channelLength == 60)
        #expect(isupport.channelTypes == ["#"])
        #expect(isupport.prefixModes.map(\.mode) == ["q", "a", "o", "h", "v"])
        #expect(isupport.prefixModes.map(\.symbol) == ["~", "&", "@", "%", "+"])
        #expect(isupport.statusMessage == ["~", "&", "@", "%", "+"])
        #expect(isupport.botMode == "B")
        #expect(isupport.lineLength == 512)
        #expect(isupport["NAMESX"] == "")
        #expect(isupport["gptbot"] == nil, "the client nick is not a token")
        #expect(isupport["are supported by this server"] == nil, "the trailing text is not a token")
    }

    @Test func readsLibera() throws {
        let isupport = try Self.isupport(Self.libera)
        #expect(isupport.caseMapping == .rfc1459)
        #expect(isupport.network == "Libera.Chat")
        #expect(isupport.nickLength == 16)
        #expect(isupport.channelLength == 50)
        #expect(isupport.prefixModes == [.init(mode: "o", symbol: "@"), .init(mode: "v", symbol: "+")])
        #expect(isupport.botMode == nil)
        #expect(isupport.targetMaximum(for: "PRIVMSG") == 4)
        #expect(isupport.targetMaximum(for: "notice") == 4)
        #expect(isupport.targetMaximum(for: "MONITOR") == nil)
        #expect(isupport.targetMaximum(for: "JOIN") == nil)
        #expect(isupport.isChannel("#libera"))
        #expect(!isupport.isChannel("&local"), "CHANTYPES=# excludes &")
        #expect(isupport.allowsClientTag("+typing"))
    }

    @Test func defaultsWhenNothingWasAdvertised() {
        let isupport = ISupport()
        #expect(isupport.caseMapping == .rfc1459)
        #expect(isupport.network == nil)
        #expect(isupport.nickLength == nil)
        #expect(isupport.channelTypes == ["#", "&"])
        #expect(isupport.prefixModes.map(\.symbol) == ["@", "+"])
        #expect(isupport.statusMessage.isEmpty)
        #expect(isupport.lineLength == 512)
        #expect(isupport.targetMaximum(for: "PRIVMSG") == nil)
        #expect(isupport.clientTagDeny.isEmpty)
    }

    @Test func statusMessageTargetsNeedAnAdvertisedPrefixBeforeAChannel() throws {
        let libera = try Self.isupport(Self.libera)
        #expect(libera.isStatusMessage("@#chan"))
        #expect(libera.isStatusMessage("+#chan"))
        #expect(libera.isStatusMessage("@+#chan"))
        #expect(!libera.isStatusMessage("#chan"))
        #expect(!libera.isStatusMessage("%#chan"), "halfop is not advertised on Libera")
        #expect(!libera.isStatusMessage("@alice"))
        #expect(!libera.isStatusMessage("@"))
        #expect(!libera.isStatusMessage(""))
        #expect(!ISupport().isStatusMessage("@#chan"), "no STATUSMSG, no status messages")
        let overlapping = ISupport(tokens: ["CHANTYPES=#&", "STATUSMSG=&@"])
        #expect(!overlapping.isStatusMessage("&local"), "a channel named with a status character is a channel")
        #expect(!overlapping.isStatusMessage("&#local"), "nor is a & channel whose name goes on with #")
        #expect(overlapping.isStatusMessage("@&local"))
    }

    @Test func minusRemovesATokenAndLaterValuesReplaceEarlierOnes() {
        var isupport = ISupport(tokens: ["NETWORK=Old", "BOT=B", "LINELEN=2048"])
        #expect(isupport.lineLength == 2048)
        isupport.apply(tokens: ["-BOT", "NETWORK=New"])
        #expect(isupport.botMode == nil)
        #expect(isupport.network == "New")
    }

    @Test func decodesHexEscapes() {
        let isupport = ISupport(tokens: [#"NETWORK=Example\x20Net\x3D\x5Cok"#, #"X=\xC3\xA9\xZZ\x4"#])
        #expect(isupport.network == #"Example Net=\ok"#)
        #expect(isupport["X"] == #"é\xZZ\x4"#)
    }

    @Test func clientTagDenyRules() {
        let denyAllButTyping = ISupport(tokens: ["CLIENTTAGDENY=*,-typing,-draft/reply"])
        #expect(denyAllButTyping.clientTagDeny == ["*", "-typing", "-draft/reply"])
        #expect(denyAllButTyping.allowsClientTag("+typing"))
        #expect(denyAllButTyping.allowsClientTag("draft/reply"))
        #expect(!denyAllButTyping.allowsClientTag("+draft/react"))
        let denyOne = ISupport(tokens: ["CLIENTTAGDENY=draft/react"])
        #expect(!denyOne.allowsClientTag("+draft/react"))
        #expect(denyOne.allowsClientTag("+typing"))
    }

    @Test func malformedValuesFallBackSafely() {
        let isupport = ISupport(tokens: [
            "PREFIX=(ov)@", "LINELEN=lots", "NICKLEN=-3", "CASEMAPPING=rfc3454", "CHANTYPES=",
        ])
        #expect(isupport.prefixModes.isEmpty)
        #expect(isupport.lineLength == 512)
        #expect(isupport.nickLength == nil)
        #expect(isupport.caseMapping == .rfc1459)
        #expect(isupport.channelTypes.isEmpty)
        #expect(!isupport.isChannel("#a"))
    }

    @Test func ignoresOtherReplies() throws {
        var isupport = ISupport()
        isupport.apply(try IRCMessage(parsing: ":server 004 gptbot server ircd-1 iow :biklmnopstv"))
        #expect(isupport.values.isEmpty)
    }
}
