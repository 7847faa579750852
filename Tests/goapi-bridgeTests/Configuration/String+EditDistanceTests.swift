import Foundation
import Testing

@testable import goapi_bridge

@Suite struct StringEditDistanceTests {
    @Test(arguments: [
        ("", "abc", 3),
        ("model", "model", 0),
        ("modle", "model", 1),
        ("nck", "nick", 1),
        ("kitten", "sitting", 3),
    ])
    func countsEditsWithTranspositionsAsOne(from: String, to: String, distance: Int) {
        #expect(from.editDistance(to: to) == distance)
    }

    static let goapiKeys = ["baseURL", "apiKey", "model", "gizmoId", "gizmoModel", "replyTimeoutSeconds"]

    @Test(
        arguments: [
            ("modle", "model"),
            ("baseUrl", "baseURL"),
            ("apikey", "apiKey"),
            ("gizmoID", "gizmoId"),
            ("replyTimeout", nil),
            ("x", nil),
            ("colour", nil),
        ] as [(String, String?)]
    )
    func suggestsOnlyCloseKeys(typo: String, suggestion: String?) {
        #expect(typo.closestMatch(among: Self.goapiKeys) == suggestion)
    }
}
