import Testing

@testable import IRC

/// The roster is filled from what the server says, so a server flooding NAMES replies or JOINs must not grow it
/// without bound; members it already knows keep working.
@Suite struct ChannelRosterTests {
    @Test func endlessNamesStopAtTheCapAcrossChannels() {
        var roster = ChannelRoster()
        roster.join(channel: "#a")
        roster.join(channel: "#b")
        roster.add("op", modes: ["o"], to: "#a")
        for index in 0..<70_000 {
            roster.add("a\(index)", modes: [], to: "#a")
            roster.add("b\(index)", modes: ["v"], to: "#b")
        }
        #expect(roster.count(in: "#a") + roster.count(in: "#b") == ChannelRoster.maximumMembers)
        #expect(roster.modes(of: "b69999", in: "#b").isEmpty, "a member past the cap is not known")
        roster.add("op", modes: ["v"], to: "#a")
        #expect(roster.modes(of: "op", in: "#a") == ["o", "v"], "known members still change")
        roster.setMode("o", on: false, for: "op", in: "#a")
        #expect(roster.modes(of: "op", in: "#a") == ["v"])
    }

    @Test func placesFreedByLeavingRenamingAndQuittingAreReused() {
        var roster = ChannelRoster()
        roster.join(channel: "#a")
        roster.join(channel: "#b")
        roster.add("both", modes: [], to: "#b")
        for index in 0..<(ChannelRoster.maximumMembers - 2) {
            roster.add("n\(index)", modes: [], to: "#a")
        }
        roster.add("both", modes: [], to: "#a")
        roster.add("late", modes: ["o"], to: "#a")
        #expect(roster.modes(of: "late", in: "#a").isEmpty, "the roster is full")

        // A nick change onto a nick already present leaves one entry where there were two.
        roster.rename("n0", to: "n1")
        roster.add("late", modes: ["o"], to: "#a")
        #expect(roster.modes(of: "late", in: "#a") == ["o"])

        roster.removeEverywhere("both")
        roster.add("after-quit-a", modes: ["o"], to: "#a")
        roster.add("after-quit-b", modes: ["o"], to: "#a")
        roster.add("full-again", modes: ["o"], to: "#a")
        #expect(roster.modes(of: "after-quit-b", in: "#a") == ["o"], "a quit frees a place in every channel")
        #expect(roster.modes(of: "full-again", in: "#a").isEmpty)

        roster.remove("n5", from: "#a")
        roster.add("after-part", modes: ["o"], to: "#a")
        #expect(roster.modes(of: "after-part", in: "#a") == ["o"])

        roster.part(channel: "#a")
        roster.join(channel: "#c")
        roster.add("fresh", modes: ["o"], to: "#c")
        #expect(roster.modes(of: "fresh", in: "#c") == ["o"], "leaving a channel frees its members' places")
    }

    @Test func endlessForcedJoinsStopAtTheChannelCap() {
        var roster = ChannelRoster()
        for index in 0..<5_000 {
            roster.join(channel: "#c\(index)")
            roster.add("someone", modes: ["o"], to: "#c\(index)")
        }
        let known = (0..<5_000).filter { roster.count(in: "#c\($0)") > 0 }.count
        #expect(known == ChannelRoster.maximumChannels)
        roster.part(channel: "#c0")
        roster.join(channel: "#new")
        roster.add("someone", modes: ["o"], to: "#new")
        #expect(roster.modes(of: "someone", in: "#new") == ["o"], "leaving a channel frees its place")
    }
}
