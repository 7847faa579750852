import Testing

@testable import goapi_bridge

@Suite struct ConfigPathTests {
    @Test func printsKeysDottedAndIndicesBracketed() {
        let path = ConfigPath.root.appending("irc").appending("networks").appending(index: 0)
            .appending("channels").appending(index: 1).appending("name")
        #expect(path.description == "irc.networks[0].channels[1].name")
    }

    @Test func printsTheRootByName() {
        #expect(ConfigPath.root.description == "(root)")
    }

    @Test(arguments: [
        ("my key", #"goapi["my key"]"#),
        ("a.b", #"goapi["a.b"]"#),
        ("1st", #"goapi["1st"]"#),
        ("_ok2", "goapi._ok2"),
    ])
    func quotesKeysThatAreNotIdentifiers(key: String, printed: String) {
        #expect(ConfigPath.root.appending("goapi").appending(key).description == printed)
    }
}
