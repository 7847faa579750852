import BridgeTesting
import Testing

extension Trait where Self == ConditionTrait {
    /// Runs a suite only where InspIRCd is installed (Atheme too, for the SASL tests).
    static var inspircdInstalled: Self {
        .enabled(
            if: InspIRCdServer.isInstalled,
            "inspircd is not installed; run scripts/irc-test-deps.sh to run the end-to-end tests"
        )
    }

    /// Runs a suite only when the binary under test exists.
    static var bridgeBinaryBuilt: Self {
        .enabled(
            if: BridgeBinary.exists,
            Comment(
                rawValue: "no goapi-bridge binary at \(BridgeBinary.path); build it "
                    + "(swift build --product goapi-bridge) or set GOAPI_BRIDGE_BINARY"
            )
        )
    }
}
