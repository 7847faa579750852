extension String {
    /// The known word a typo most likely meant, or `nil` when nothing is close enough to be a useful guess.
    ///
    /// Comparison ignores case (`baseUrl` means `baseURL`) and counts a swap of neighbours as one edit
    /// (`modle` means `model`). The allowed distance grows with the word's length, at most three edits.
    func closestMatch(among candidates: [String]) -> String? {
        let threshold = Swift.max(1, Swift.min(3, count / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = lowercased().editDistance(to: candidate.lowercased())
            if distance <= threshold, distance < best?.distance ?? Int.max {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions.
    func editDistance(to other: String) -> Int {
        let source = Array(self)
        let target = Array(other)
        guard !source.isEmpty else { return target.count }
        guard !target.isEmpty else { return source.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: target.count + 1), count: source.count + 1)
        for i in 0...source.count { table[i][0] = i }
        for j in 0...target.count { table[0][j] = j }
        for i in 1...source.count {
            for j in 1...target.count {
                let cost = source[i - 1] == target[j - 1] ? 0 : 1
                table[i][j] = Swift.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, source[i - 1] == target[j - 2], source[i - 2] == target[j - 1] {
                    table[i][j] = Swift.min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[source.count][target.count]
    }
}
