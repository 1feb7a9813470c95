import Foundation
import FrontMatter

/// Changes to the files of a knowledge base, each one workflow: read, change, write back
/// atomically through the `ConfinedFolder`, under a lock, and only over the bytes that were
/// read (an editor saving meanwhile makes ris read again, never lose the save).
extension KnowledgeBase {
    /// How many times an edit is redone when the file changed between its read and its write.
    static let editAttempts = 5

    /// The file kept changing under an edit.
    static func keptChanging(_ path: String) -> RISKitError {
        RISKitError(
            .keptChanging,
            "\(path) kept changing while ris edited it (another program is writing it); nothing written, try again")
    }

    /// Replaces `path` with `transform` of its bytes, holding the lock `.ris/<lock>`. The write
    /// happens only if the file is still what was read; otherwise it is read and transformed
    /// again. `transform` returns nil to leave the file as it is. Returns the bytes written.
    @discardableResult
    public func edit(_ path: String, lock: String, _ transform: (Data) throws -> Data?) throws -> Data? {
        try files.withLock(.lock(lock)) {
            for _ in 0..<KnowledgeBase.editAttempts {
                guard let (data, identity) = try files.read(path, limit: config.maxFileBytes) else {
                    throw RISKitError.refusal("cannot read \(path): it does not exist")
                }
                guard let edited = try transform(data) else { return nil }
                do {
                    try files.write(path, edited, expecting: identity)
                    return edited
                } catch let error as RISKitError where error.kind == .changedMeanwhile {
                    continue
                }
            }
            throw KnowledgeBase.keptChanging(path)
        }
    }

    /// The record at `path` (relative to the root), read the confined way (a link leading out
    /// of the knowledge base is refused, not followed) and parsed with this knowledge base's
    /// options; its bytes, nil when it could not be read (the document then says why).
    public func record(at path: String) -> (document: RISDocument, data: Data?) {
        do {
            guard let (data, _) = try files.read(path, limit: config.maxFileBytes) else {
                return (
                    DocumentParser.unreadable(
                        path: path, RISKitError(.unreadable, "cannot read the file: it is gone")), nil
                )
            }
            return (DocumentParser.parse(data: data, path: path, options: config.parseOptions), data)
        } catch {
            return (DocumentParser.unreadable(path: path, RISKitError(.unreadable, "\(error)")), nil)
        }
    }

    /// A template of `.ris/templates/` (`ris.mustache`, `kb.mustache`), nil when there is none.
    /// Read as every file under `.ris/` is (a link is refused), and refused when it nests
    /// sections deeper than `MustacheLimits.maxDepth` (the renderer recurses).
    public func template(named name: String) throws -> String? {
        guard let (data, _) = try files.read(.template(name), limit: MustacheLimits.maxBytes) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        try MustacheLimits.check(text, name: ".ris/templates/" + name)
        return text
    }
}

/// Limits on user templates: the Mustache renderer parses and renders sections recursively,
/// so a template nesting thousands of sections would exhaust the stack.
public enum MustacheLimits {
    public static let maxDepth = 64
    public static let maxBytes = 1 << 20

    /// Refuses a template whose sections (`{{#x}}`, `{{^x}}`) nest deeper than `maxDepth`.
    public static func check(_ template: String, name: String) throws {
        var depth = 0
        var index = template.startIndex
        while let open = template.range(of: "{{", range: index..<template.endIndex) {
            guard open.upperBound < template.endIndex else { break }
            let sigil = template[open.upperBound]
            if sigil == "#" || sigil == "^" {
                depth += 1
                if depth > maxDepth {
                    throw RISKitError(
                        .templateTooLarge, "\(name) nests sections deeper than \(maxDepth) levels; not used")
                }
            } else if sigil == "/" {
                depth = max(0, depth - 1)
            }
            index = open.upperBound
        }
    }
}

/// One use of a hot pattern, counted.
public struct HotPatternHit: Sendable {
    public var pattern: HotPattern
    /// The count after this hit.
    public var hitCount: Int
}

extension KnowledgeBase {

    /// Counts one use of the hot pattern `query` picks: only the `Hit Count` and `Last Used`
    /// lines of the hot-patterns file change. The hit is logged first, so that a failed write
    /// of the count takes the log line back: a retry never counts twice.
    public func recordHit(on query: String, day: String, actor: String, at time: String) throws -> HotPatternHit {
        let path = config.hotPatterns
        return try files.withLock(.lock("hot-patterns")) {
            for _ in 0..<KnowledgeBase.editAttempts {
                guard let (data, identity) = try files.read(path, limit: config.maxFileBytes) else {
                    throw RISKitError(.unreadable, "cannot read the hot-patterns file \(path)")
                }
                let source = SourceText(data: data)
                if source.isBinary || source.diagnostics.contains(where: { $0.severity == .error }) {
                    throw RISKitError(.unreadable, "\(path) is not valid UTF-8 text; not edited")
                }
                let document = DocumentParser.parse(data: data, path: path, options: config.parseOptions)
                let chosen = try HotPatternFile.choose(query, in: document.hotPatterns, path: path)
                var bytes = Data(source.hadByteOrderMark ? [0xEF, 0xBB, 0xBF] : [])
                bytes.append(Data(HotPatternFile.recordingHit(on: chosen, date: day, in: source.text).utf8))
                let entry = HitLog.Entry(at: time, actor: actor, title: chosen.title, path: path)
                let logSize = try HitLog.append(entry, in: files)
                do {
                    try files.write(path, bytes, expecting: identity)
                } catch let error as RISKitError where error.kind == .changedMeanwhile {
                    try files.truncate(.hitLog, to: logSize)
                    continue
                } catch {
                    try? files.truncate(.hitLog, to: logSize)
                    throw error
                }
                return HotPatternHit(pattern: chosen, hitCount: (chosen.hitCount ?? 0) + 1)
            }
            throw KnowledgeBase.keptChanging(path)
        }
    }

    /// Every hit logged.
    public func hits() -> [HitLog.Entry] {
        guard let (data, _) = try? files.read(.hitLog, limit: 64 << 20) else { return [] }
        return HitLog.entries(in: data)
    }

    /// Appends `pattern` to the hot-patterns file unless an entry of that title is there.
    /// Returns whether it was added.
    public func addHotPattern(_ pattern: HotPattern, lastUsed: String?) throws -> Bool {
        let path = config.hotPatterns
        return try files.withLock(.lock("hot-patterns")) {
            for _ in 0..<KnowledgeBase.editAttempts {
                let read = try files.read(path, limit: config.maxFileBytes)
                let existing =
                    read.map {
                        DocumentParser.parse(data: $0.data, path: path, options: config.parseOptions).hotPatterns
                    } ?? []
                guard
                    let updated = HotPatternFile.appending(
                        pattern, lastUsed: lastUsed, to: read.map { SourceText(data: $0.data).text },
                        existing: existing)
                else { return false }
                do {
                    try files.write(path, Data(updated.utf8), createOnly: read == nil, expecting: read?.identity)
                    return true
                } catch let error as RISKitError where error.kind == .changedMeanwhile {
                    continue
                }
            }
            throw KnowledgeBase.keptChanging(path)
        }
    }
}
