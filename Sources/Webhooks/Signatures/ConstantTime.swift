import Crypto
import Foundation

/// Compares two secrets without leaking, through timing, how much of them matched or how long the expected one
/// is: both are hashed first and the digests compared in full.
func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
    let lhs = SHA256.hash(data: Data(given.utf8))
    let rhs = SHA256.hash(data: Data(expected.utf8))
    var difference: UInt8 = 0
    for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
    return difference == 0
}
