import Foundation
import XCTest

@testable import RISKit

final class ChildProcessTests: XCTestCase {
    func testCollectsOutputErrorAndStatus() {
        let result = ChildProcess.run(["sh", "-c", "printf out; printf err >&2; exit 3"])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(String(decoding: result.output, as: UTF8.self), "out")
        XCTAssertEqual(String(decoding: result.error, as: UTF8.self), "err")
    }

    func testFeedsInputLargerThanAPipeWhileDrainingOutput() {
        // 1 MB each way: a pipe holds 64 KB, so feeding and reading must interleave.
        let input = Data((0..<1_048_576).map { UInt8($0 % 251) })
        let result = ChildProcess.run(["cat"], input: input)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, input)
    }

    func testStandardInputIsEmptyWhenNoInputIsGiven() {
        let result = ChildProcess.run(["sh", "-c", "wc -c"])
        XCTAssertEqual(String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespaces), "0\n")
    }

    func testEnvironmentReplacesThisProcesses() {
        let result = ChildProcess.run(
            ["sh", "-c", "printf %s \"$RIS_CHILD_TEST\""],
            environment: ["RIS_CHILD_TEST": "x", "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(String(decoding: result.output, as: UTF8.self), "x")
    }

    /// A program that exits without reading its input: ris sees EPIPE, not a SIGPIPE that
    /// would end it (this test process too) without a word.
    func testAProgramThatDoesNotReadItsInputDoesNotKillTheCaller() {
        let result = ChildProcess.run(["true"], input: Data(count: 4 << 20))
        XCTAssertEqual(result.status, 0)
    }

    func testAProgramThatCannotBeRunIs127AndAKilledOneIs128PlusTheSignal() {
        let missing = ChildProcess.run(["ris-no-such-program-\(UUID().uuidString)"])
        XCTAssertEqual(missing.status, 127)
        XCTAssertEqual(ChildProcess.run(["sh", "-c", "kill -TERM $$"]).status, 128 + SIGTERM)
    }
}

final class TimestampTests: XCTestCase {
    func testWritesWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0, 951_782_400, 1_795_790_312.75, 4_102_444_799, -86_401] as [TimeInterval] {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(Timestamp.iso8601(date), formatter.string(from: date), "\(seconds)")
        }
    }
}

final class FileScannerOrderTests: XCTestCase {
    /// Writes a file at each of `names` (relative paths) and checks that the walk finds them
    /// all, in the order of their UTF-8 bytes.
    func assertWalkOrder(of names: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in names {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("# x\n".utf8).write(to: url)
        }
        let paths = FileScanner.scan(root: root, config: KnowledgeBaseConfig()).files.map(\.path)
        XCTAssertEqual(Set(paths), Set(names), file: file, line: line)
        XCTAssertEqual(paths, names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, file: file, line: line)
    }

    /// The walk yields paths in the order of their UTF-8 bytes (SQLite's BINARY order), which
    /// the refresh merges against the index: a folder sorts as its name and a `/`.
    func testTheWalkIsInPathByteOrder() throws {
        let names = [
            "a-b.md", "a/x.md", "a/y/z.md", "a0.md", "a.md", "b.md", "Z.md", "é.md", "e\u{301}.md", "ab/c.md",
            "a b.md", "docs/ris/RIS-10.md", "docs/ris/RIS-9.md", "docs-old.md",
        ]
        try assertWalkOrder(of: names)
    }

    /// Names sharing a long prefix, of every length around the 8 bytes compared at once past it,
    /// with folders among them (a folder sorts as its name and a `/`).
    func testNamesWithASharedPrefixAreInPathByteOrder() throws {
        var names = [
            "RIS-RESOLUTION-1.md", "RIS-RESOLUTION-1/x.md", "RIS-RESOLUTION-1-a.md", "RIS-RESOLUTION-10.md",
            "RIS-RESOLUTION-1.mdx/y.md", "RIS-RESOLUTION-12345678.md", "RIS-RESOLUTION-123456789.md",
            "RIS-RESOLUTION-12345678/z.md", "RIS-RESOLUTION-1234567/z.md", "RIS-RESOLUTION-1234567.md",
            "RIS-RESOLUTION-.md", "RIS-RESOLUTION-é.md", "RIS-RESOLUTION-\u{7f}.md",
        ]
        names += (0..<40).map { "RIS-RESOLUTION-\(String(repeating: "0", count: $0 % 12))\($0).md" }
        try assertWalkOrder(of: names)
    }

    /// ris's own folder is never read, at any depth, nor are `.` and `..` (which would read as a
    /// loop); names that only look like them are (`.risk/`, `..ris.md`, `.a/`, `.rix/`, `...md`).
    func testOnlyTheRISFolderAndTheDotEntriesAreSkipped() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let read = [
            ".risk/a.md", "..ris.md", ".r.md", "...md", ".ris.md", "sub/.rismd/b.md", "sub/c.md", "sub/.rix/e.md",
            ".rxs/f.md", ".a/g.md", "sub/.b/h.md",
        ]
        for path in read + [".ris/index.md", "sub/.ris/d.md"] {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        // Nothing excluded: the walk itself skips them, whatever `exclude` says.
        var config = KnowledgeBaseConfig()
        config.include = ["**/*"]
        config.exclude = []
        let scan = FileScanner.scan(root: root, config: config)
        XCTAssertEqual(scan.files.map(\.path), read.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        XCTAssertEqual(scan.problems.map(\.message), [])
    }

    /// A folder of more than 1,024 files is read on several threads: nothing is lost or repeated.
    func testALargeFolderIsReadWhole() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-scan-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let names = (0..<3000).map { "r-\($0).md" }
        for name in names { try Data(name.utf8).write(to: root.appendingPathComponent(name)) }
        let files = FileScanner.scan(root: root, config: KnowledgeBaseConfig()).files
        XCTAssertEqual(files.map(\.path), names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        XCTAssertTrue(files.allSatisfy { $0.size == Int64($0.path.utf8.count) && $0.inode != 0 })
    }
}

final class AccessAuditKeyScanTests: XCTestCase {
    /// The fail-closed scan counts every spelling of the key, anywhere in the text.
    func testCountsEverySpellingOfTheKey() {
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "hipaa:\n  access-audit-required: true\n"), 1)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "ACCESS_AUDIT_REQUIRED: yes"), 1)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "x: {\"Access Audit Required\": 1}"), 1)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "accessauditrequired = true"), 1)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "aaccess-audit-required:\naccess-audit-required :"), 2)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "access-audit-required is described below"), 0)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "access-audit: required"), 0)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: ""), 0)
        XCTAssertEqual(AccessPolicy.accessAuditKeys(in: "é access-audit-required: true é"), 1)
    }

    /// The count of a scan from `access`, byte by byte (the scan before the one from `audit`).
    func reference(_ text: String) -> Int {
        let bytes = Array(text.utf8)
        let words: [[UInt8]] = [Array("access".utf8), Array("audit".utf8), Array("required".utf8)]
        func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
        func word(_ expected: [UInt8], at index: Int) -> Bool {
            index + expected.count <= bytes.count
                && (0..<expected.count).allSatisfy { lower(bytes[index + $0]) == expected[$0] }
        }
        var count = 0
        var index = 0
        while index < bytes.count {
            guard word(words[0], at: index) else {
                index += 1
                continue
            }
            var cursor = index + words[0].count
            var matched = true
            for next in words.dropFirst() {
                if cursor < bytes.count, [0x2D, 0x5F, 0x20].contains(bytes[cursor]) { cursor += 1 }
                guard word(next, at: cursor) else {
                    matched = false
                    break
                }
                cursor += next.count
            }
            if matched {
                while cursor < bytes.count, [0x22, 0x27, 0x20].contains(bytes[cursor]) { cursor += 1 }
                if cursor < bytes.count, bytes[cursor] == 0x3A || bytes[cursor] == 0x3D { count += 1 }
            }
            index = max(index + 1, matched ? cursor : index + 1)
        }
        return count
    }

    /// The scan finds each `required` eight bytes at a time: on 20,000 generated texts (the words
    /// in every case, separators, quotes, near misses, bytes around them at every offset of an
    /// eight-byte step) it counts what a scan from `access` byte by byte counts.
    func testTheCountIsTheByteByByteScans() {
        let pieces = [
            "access", "ACCESS", "Access", "audit", "AUDIT", "Audit", "required", "REQUIRED", "-", "_", " ", "  ", ":",
            "=",
            "\"", "'", "a", "u", "U", "q", "Q", "x", "\n", "é", "acces", "udit", "requ", "uired",
            "access-audit-required: ",
            "accessAuditRequired=", "日本",
        ]
        var generator = SystemRandomNumberGenerator()
        var found = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...16, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let expected = reference(text)
            XCTAssertEqual(AccessPolicy.accessAuditKeys(in: text), expected, text.debugDescription)
            found += expected
        }
        XCTAssertGreaterThan(found, 1_000, "texts with the key were among those compared")
    }
}

final class ProcessEnvironmentTests: XCTestCase {
    func testAVariableIsReadAsProcessInfoReadsIt() {
        let name = "RIS_TEST_VARIABLE_\(getpid())"
        XCTAssertNil(ProcessEnvironment.value(name))
        for value in ["", "plain", "with = sign", "é\u{301} ünïcode"] {
            setenv(name, value, 1)
            XCTAssertEqual(ProcessEnvironment.value(name), value)
            XCTAssertEqual(ProcessEnvironment.value(name), ProcessInfo.processInfo.environment[name])
        }
        unsetenv(name)
        XCTAssertNil(ProcessEnvironment.value(name))
    }
}
