/// The nearest of a set of names to a misspelt one, for "did you mean" in usage errors.
public enum Spelling {
    /// The candidate closest to `word` by edit distance, when close enough to be a slip (at
    /// most a third of its length, and at least one edit allowed). A word under four characters
    /// (`-x`) is too short to tell a slip from another word: no guess.
    public static func nearest(_ word: String, among candidates: [String]) -> String? {
        let word = Array(word.lowercased())
        guard word.count >= 4 else { return nil }
        let allowed = max(1, word.count / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, Array(candidate.lowercased()))
            if distance <= allowed, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
