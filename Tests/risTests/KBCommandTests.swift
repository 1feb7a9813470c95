import Foundation
import XCTest

/// `ris kb generate` and `ris stale` through the built binary.
final class KBCommandTests: XCTestCase {
    var folder: TemporaryFolder!
    let record = "docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"
    let article = "docs/05-kb/general/kb-lambda-deployment-failures-due-to-oci-manifest-type-on-macos.md"

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.write(
            record, try Data(contentsOf: ParseCommandTests.repository.appendingPathComponent("examples/kb/" + record)))
        XCTAssertEqual(try run(["init"]).status, 0)
    }

    func run(_ arguments: [String]) throws -> RunResult { try Binary.run(arguments, in: folder.url) }

    func testGenerateIsDeterministicAndNeverOverwritesWithoutForce() throws {
        let first = try run(["kb", "generate", "RIS-045", "--format", "json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: first.stdoutData) as? [String: String])?["path"], article)
        let url = folder.url.appendingPathComponent(article)
        let bytes = try Data(contentsOf: url)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains("derived-from:\n  id: RIS-045\n  path: \(record)\n  sha256: "), text)
        XCTAssertTrue(
            text.contains("  hipaa:\n    access-audit-required: true\n    controls:\n    - 164.308(a)(1)(ii)(D)\n"),
            "the record's compliance block")
        XCTAssertTrue(
            text.contains("(../../06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md)"),
            "a relative link back")
        XCTAssertTrue(
            text.contains("## Fix\n\n**Command:**\n```bash\ndocker buildx build --platform linux/amd64"),
            "the fix with its commands")
        XCTAssertTrue(
            text.contains(
                "## Symptom\n\nLambda deployment failed with error:\n```\nAn error occurred "
                    + "(InvalidParameterValueException)"
            ))

        let again = try run(["kb", "generate", "RIS-045"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("give --force"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: url), bytes)
        XCTAssertEqual(try run(["kb", "generate", "RIS-045", "--force"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: url), bytes, "the same record gives identical bytes")
        let dry = try run(["kb", "generate", "RIS-045", "--dry-run"])
        XCTAssertEqual(dry.stdoutData, bytes + Data("\n".utf8))
        // The article parses as a KB article with the record's compliance.
        let parsed = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try run(["parse", "--format", "json", article]).stdoutData)
                as? [[String: Any]])
        XCTAssertEqual(parsed.first?["kind"] as? String, "kb")
        XCTAssertEqual(
            ((parsed.first?["compliance"] as? [String: Any])?["soc2"] as? [String: Any])?["controls"] as? [String],
            ["CC7.3", "CC8.1"])
    }

    func testStaleFindsChangedAndMissingSources() throws {
        XCTAssertEqual(try run(["kb", "generate", "RIS-045"]).status, 0)
        XCTAssertEqual(try run(["kb", "generate", "RIS-045", "--output", "docs/05-kb/copy.md"]).status, 0)
        let fresh = try run(["stale", "--format", "json"])
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertEqual(fresh.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[\n\n]")
        let url = folder.url.appendingPathComponent(record)
        try (try String(contentsOf: url, encoding: .utf8) + "\nA late note.\n").write(
            to: url, atomically: true, encoding: .utf8)
        let changed = try run(["stale", "--format", "json"])
        XCTAssertEqual(changed.status, 1)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: changed.stdoutData) as? [[String: String]])
        XCTAssertEqual(Set(entries.map { $0["path"] ?? "" }), [article, "docs/05-kb/copy.md"])
        XCTAssertEqual(Set(entries.map { $0["reason"] ?? "" }), ["changed"])
        try FileManager.default.removeItem(at: url)
        let missing = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try run(["stale", "--format", "json"]).stdoutData)
                as? [[String: String]])
        XCTAssertEqual(Set(missing.map { $0["reason"] ?? "" }), ["missing"])
        XCTAssertEqual(
            try run(["kb", "generate", "RIS-045", "--output", "../outside.md"]).status, 1, "the record is gone")
    }

    func testOutputOutsideTheKnowledgeBaseIsRefused() throws {
        let result = try run(["kb", "generate", "RIS-045", "--output", "../../etc/kb.md"])
        XCTAssertEqual(result.status, 2)
        XCTAssertFalse(
            FileManager.default.fileExists(
                atPath: folder.url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                    "etc/kb.md"
                ).path))
    }
}
