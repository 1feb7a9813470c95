/// A path glob as in `.gitignore` and most tools: `*` within a folder name, `?` one
/// character, `**` any number of folders, `[abc]` a set. Paths use `/`.
public struct Glob: Sendable, Hashable {
    public let pattern: String
    private let segments: [String]
    /// `**/*.md`: any file whose name ends so (these bytes); matched without splitting the path.
    private let suffixBytes: [UInt8]?
    /// `node_modules/**`: everything below a literal folder.
    private let folderPrefix: String?
    /// `folderPrefix` as bytes, for `matches(utf8:)`.
    private let prefixBytes: [UInt8]?

    public init(_ pattern: String) {
        self.pattern = pattern
        var trimmed = pattern
        while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        if trimmed.hasPrefix("/") { trimmed.removeFirst() }
        // A pattern without a folder part matches at any depth, as in .gitignore.
        if !trimmed.contains("/") { trimmed = "**/" + trimmed }
        segments = trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let literal: (String) -> Bool = { !$0.contains(where: { "*?[".contains($0) }) }
        if segments.count == 2, segments[0] == "**", segments[1].hasPrefix("*"),
            literal(String(segments[1].dropFirst()))
        {
            suffixBytes = Array(segments[1].dropFirst().utf8)
        } else {
            suffixBytes = nil
        }
        if segments.count >= 2, segments.last == "**", segments.dropLast().allSatisfy(literal) {
            // An array's `joined` is the standard library's specialised one; a slice's is generic
            // and asks the runtime for its conformances (a scan of the binary's ~7,400 records).
            folderPrefix = Array(segments.dropLast()).joined(separator: "/")
        } else {
            folderPrefix = nil
        }
        prefixBytes = folderPrefix.map { Array($0.utf8) }
    }

    /// Whether a relative path given as UTF-8 bytes matches, when that is told without making
    /// it a String (`**/*.md`, `node_modules/**`); nil for other patterns (`matches(_:)`).
    public func matches(utf8 path: UnsafeRawBufferPointer) -> Bool? {
        if let suffixBytes {
            let start = path.count - suffixBytes.count
            return start >= 0 && Glob.equal(path, from: start, suffixBytes)
        }
        if let prefixBytes {
            return path.count > prefixBytes.count && Glob.equal(path, from: 0, prefixBytes)
                && path[prefixBytes.count] == UInt8(ascii: "/")
        }
        return nil
    }

    /// Whether `path` holds `bytes` from `start` on (which it has room for). A plain loop: the
    /// generic `suffix` and `elementsEqual` took about 170 instructions a path in the refresh.
    private static func equal(_ path: UnsafeRawBufferPointer, from start: Int, _ bytes: [UInt8]) -> Bool {
        for offset in bytes.indices where path[start + offset] != bytes[offset] { return false }
        return true
    }

    /// Whether a relative path (`docs/ris/RIS-045.md`) matches.
    public func matches(_ path: String) -> Bool {
        // Byte comparison: Character-wise suffix tests are the cost of a whole refresh here.
        var text = path
        if let matched = text.withUTF8({ matches(utf8: UnsafeRawBufferPointer($0)) }) { return matched }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        let pattern = segments.map { Array($0.utf8) }
        return Glob.match(pattern[...], parts[...])
    }

    /// Whether everything below the folder `path` matches (`node_modules/**` for `node_modules`).
    public func matchesEverything(below path: String) -> Bool {
        guard segments.last == "**" else { return false }
        if let folderPrefix { return path == folderPrefix || path.hasPrefix(folderPrefix + "/") }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
        let pattern = segments.dropLast().map { Array($0.utf8) }
        return Glob.match(pattern[...], parts[...])
    }

    private static func match(_ pattern: ArraySlice<[UInt8]>, _ path: ArraySlice<[UInt8]>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == Array("**".utf8) {
            let rest = pattern.dropFirst()
            var remaining = path
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let segment = path.first, matchSegment(first[...], segment[...]) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    private static func matchSegment(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var n = name.startIndex
        var starP: Int?
        var starN = 0
        while n < name.endIndex {
            if p < pattern.endIndex {
                let c = pattern[p]
                if c == UInt8(ascii: "*") {
                    starP = p
                    starN = n
                    p += 1
                    continue
                }
                if c == UInt8(ascii: "?") {
                    // One character: a whole UTF-8 sequence, not one byte of it.
                    p += 1
                    n += 1
                    while n < name.endIndex, name[n] & 0xC0 == 0x80 { n += 1 }
                    continue
                }
                if c == UInt8(ascii: "["), let close = pattern[(p + 1)...].firstIndex(of: UInt8(ascii: "]")) {
                    var set = pattern[(p + 1)..<close]
                    let negate = set.first == UInt8(ascii: "!") || set.first == UInt8(ascii: "^")
                    if negate { set = set.dropFirst() }
                    if set.contains(name[n]) != negate {
                        p = close + 1
                        n += 1
                        continue
                    }
                } else if c == name[n] {
                    p += 1
                    n += 1
                    continue
                }
            }
            guard let star = starP else { return false }
            p = star + 1
            starN += 1
            while starN < name.endIndex, name[starN] & 0xC0 == 0x80 { starN += 1 }
            n = starN
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }
}
