import Foundation
import XCTest

@testable import FrontMatter

/// `YAMLEventReader` reads valid YAML from libyaml's events; Yams' `compose` and
/// `SafeYAML.convert` are the reference. Every document it reads must give the same tree
/// (values, kinds, styles, positions), and what it leaves to Yams must be what Yams reads.
final class YAMLEventReaderTests: XCTestCase {
    /// Documents written to reach every branch: styles, anchors and aliases, nesting, repeated
    /// and complex keys, tags, escapes, line endings.
    static let handWritten: [String] = [
        "",
        "# only a comment\n",
        "id: RIS-045\ntitle: Disk full\nseverity: HIGH\n",
        "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: 0x1F\ng: .inf\nh: -3e4\ni: yes\nj: 2026-01-02\nk:\n",
        "quoted: 'single ''inner'''\ndouble: \"tab\\there \\u00e9 \\x00 nul\"\n",
        "literal: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\n\nafter: x\n",
        "list:\n  - a\n  - b: c\n    d: [1, 2, {e: f}]\n  - - nested\n    - deeper\n",
        "flow: {a: 1, b: [x, y], 'c d': \"e\"}\nempty_map: {}\nempty_list: []\n",
        "base: &base\n  retention: 6-years\n  review: quarterly\nhipaa: *base\nsoc2:\n  <<: *base\n  extra: 1\n",
        "scalar: &s value\ncopy: *s\nlist: [*s, *s]\n",
        "dup: 1\ndup: 2\n",
        "same: 1\n'same': 2\n",
        "? complex key\n: value\n",
        "? [a, b]\n: value\n",
        "tagged: !!str 123\ncustom: !thing value\nint: !!int '7'\n",
        "undefined: *nowhere\n",
        "first: 1\n---\nsecond: 2\n",
        "a: 1\n...\n",
        "--- \nx: 1\n",
        "crlf: one\r\nnext: two\r\n",
        "\u{FEFF}bom: first\n",
        "unicode: \"Grüße 🚨 日本\"\nplain: naïve café\n",
        "multi: this plain scalar\n  goes on\n  over lines\n",
        "bad: [unclosed\n",
        "bad: 'unclosed\nnext: 1\n",
        "key: value: another\n",
        "\tindented: with a tab\n",
        "- top\n- level\n- list\n",
        "just a scalar\n",
        "a:\n  b:\n    c:\n      d:\n        e: deep\n",
        "compliance:\n  hipaa:\n    controls: ['164.312(b)', 164.308(a)(1)]\n    retention-period: 6-years\n",
        "anchor_in_list:\n  - &x {a: 1}\n  - *x\n  - *x\n",
        "self: &loop [1, *loop]\n",
        // A byte order mark at the start of a scalar, which Yams drops (found in review).
        "a: \"\\uFEFFx\"\n", "a: \"\u{FEFF}x\"\nb: '\u{FEFF}y'\nc: \u{FEFF}z\n", "a: |\n  \u{FEFF}x\n",
        "a: \"\\uFEFF\"\n",
        "\"\\uFEFFk\": 1\nk: 2\n", "a: x\u{FEFF}y\n",
    ]

    /// The front matter of every record in the repository's fixtures, corpora and examples.
    static func repositoryDocuments() throws -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var documents: [String] = []
        for folder in ["Tests", "examples"] {
            let enumerator = FileManager.default.enumerator(
                at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard ["md", "yaml", "yml"].contains(url.pathExtension),
                    let text = try? String(contentsOf: url, encoding: .utf8)
                else { continue }
                if url.pathExtension == "md" {
                    guard text.hasPrefix("---\n") else { continue }
                    let body = text.dropFirst(4)
                    guard let end = body.range(of: "\n---") else { continue }
                    documents.append(String(body[..<end.lowerBound]) + "\n")
                } else {
                    documents.append(text)
                }
            }
        }
        return documents
    }

    /// Compares with Yams on `yaml`: a document read here is read identically by Yams; one
    /// left to Yams is one Yams refuses, unless `mayDefer` (keys that may repeat, a key that
    /// is not a scalar: Yams decides those). True when read here.
    @discardableResult
    func check(
        _ yaml: String, lineOffset: Int = 0, limits: YAMLLimits = .default, mayDefer: Bool = false,
        file: StaticString = #filePath, line: UInt = #line
    ) -> Bool {
        let reference = SafeYAML.readThroughYams(yaml, lineOffset: lineOffset, limits: limits)
        switch (YAMLEventReader.read(yaml, lineOffset: lineOffset, limits: limits), reference) {
        case (.document(let root), .success(let expected)):
            XCTAssertEqual(root, expected, "read differently: \(yaml.debugDescription)", file: file, line: line)
            return true
        case (.document, .failure(let failure)):
            XCTFail(
                "read, where Yams says \(failure.diagnostic.message): \(yaml.debugDescription)", file: file, line: line)
            return true
        case (.unusual, .success):
            if !mayDefer { XCTFail("left to Yams, which reads it: \(yaml.debugDescription)", file: file, line: line) }
            return false
        case (.unusual, .failure):
            return false
        }
    }

    /// Left to Yams on purpose although Yams may read them: keys that may repeat, a key that is
    /// not a scalar, a scalar that starts with a byte order mark (Yams drops it).
    static func isDeferred(_ yaml: String) -> Bool {
        ["same: 1\n'same': 2\n", "? [a, b]\n: value\n"].contains(yaml) || yaml.contains("\u{FEFF}")
            || yaml.contains("\\uFEFF")
    }

    /// A key text seen twice in one mapping is left to Yams, among few keys or many (the seen
    /// keys are compared one by one up to 16, then hashed).
    func testARepeatedKeyIsLeftToYamsAmongFewKeysOrMany() {
        for count in [2, 15, 16, 17, 40] {
            let keys = (0..<count).map { "key\($0): \($0)" }
            let distinct = keys.joined(separator: "\n") + "\n"
            guard case .document(let root) = YAMLEventReader.read(distinct, lineOffset: 0, limits: .default) else {
                XCTFail("\(count) distinct keys not read")
                continue
            }
            XCTAssertEqual(root, try? SafeYAML.readThroughYams(distinct, lineOffset: 0, limits: .default).get())
            for repeated in Set([0, count / 2, count - 1]) {
                let yaml = distinct + "key\(repeated): again\n"
                guard case .unusual = YAMLEventReader.read(yaml, lineOffset: 0, limits: .default) else {
                    XCTFail("key\(repeated) repeated after \(count) keys was read")
                    continue
                }
            }
            // The same text written another way (quoted) is the same key, and so is the same
            // text in another Unicode form (String equality, as the Set's).
            XCTAssertFalse(check(distinct + "'key0': again\n", mayDefer: true))
            let composed = distinct + "caf\u{E9}: 1\n"
            XCTAssertTrue(check(composed))
            XCTAssertFalse(check(composed + "cafe\u{301}: 2\n", mayDefer: true))
        }
    }

    func testHandWrittenDocumentsReadAsYamsReadsThem() {
        var read = 0
        for yaml in Self.handWritten where check(yaml, lineOffset: 3, mayDefer: Self.isDeferred(yaml)) {
            read += 1
        }
        XCTAssertGreaterThanOrEqual(read, 23, "read \(read) of \(Self.handWritten.count)")
    }

    /// Every record's front matter in the repository (and the broken ones the fixtures hold):
    /// read here exactly when Yams reads it, and identically.
    func testRepositoryRecordsReadAsYamsReadsThem() throws {
        let documents = try Self.repositoryDocuments()
        XCTAssertGreaterThan(documents.count, 50)
        var read = 0
        for yaml in documents where check(yaml, lineOffset: 1) { read += 1 }
        XCTAssertGreaterThan(read, 50, "read \(read) of \(documents.count)")
    }

    /// Every prefix of a record's front matter (most of them broken somewhere): what is read
    /// here is read as Yams reads it, and what is not is left to it.
    func testEveryPrefixReadsAsYamsReadsIt() {
        let yaml = Self.handWritten.filter {
            $0.hasPrefix("base:") || $0.hasPrefix("list:") || $0.hasPrefix("quoted:") || $0.hasPrefix("compliance:")
        }.joined()
        var read = 0
        for end in yaml.indices where check(String(yaml[..<end])) { read += 1 }
        XCTAssertGreaterThan(read, 50)
    }

    /// `allText(joinedBy:)` builds one String; it must equal `allText` joined, separators
    /// included, on every shape of document (null scalars skipped, empty ones kept).
    func testAllTextJoinedEqualsTheListJoined() throws {
        var compared = 0
        for yaml in try Self.handWritten + Self.repositoryDocuments() + ["a: ''\nb: ~\nc: ''\n", "- ''\n- ''\n"] {
            guard case .success(let root) = SafeYAML.readThroughYams(yaml, lineOffset: 0, limits: .default),
                let root
            else { continue }
            for separator in [" ", "\n", ""] {
                XCTAssertEqual(
                    root.allText(joinedBy: separator), root.allText.joined(separator: separator), yaml.debugDescription)
            }
            compared += 1
        }
        XCTAssertGreaterThan(compared, 70)
    }

    /// The limits: what would pass them is read; what would not is left to Yams, which
    /// refuses it with its own message.
    func testLimitsAreLeftToYams() {
        let bomb =
            "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n"
        XCTAssertTrue(check(bomb))
        let small = YAMLLimits(maxNodes: 100)
        guard case .unusual = YAMLEventReader.read(bomb, lineOffset: 0, limits: small) else {
            return XCTFail("over the node budget: left to Yams")
        }
        guard case .failure(let failure) = SafeYAML.read(bomb, firstLine: 1, limits: small) else {
            return XCTFail("refused")
        }
        XCTAssertTrue(failure.diagnostic.message.contains("alias bomb"), failure.diagnostic.message)
        let deep = "a:\n  b:\n    c:\n      d: [1, [2]]\n"
        XCTAssertTrue(check(deep, limits: YAMLLimits(maxDepth: 6)))
        guard case .unusual = YAMLEventReader.read(deep, lineOffset: 0, limits: YAMLLimits(maxDepth: 5)) else {
            return XCTFail("too deep: left to Yams")
        }
        let aliasDeep = "a: &a {b: {c: 1}}\nd: {e: *a}\n"
        XCTAssertTrue(check(aliasDeep, limits: YAMLLimits(maxDepth: 4)))
        guard case .unusual = YAMLEventReader.read(aliasDeep, lineOffset: 0, limits: YAMLLimits(maxDepth: 3)) else {
            return XCTFail("an alias expanding too deep: left to Yams")
        }
    }
}
