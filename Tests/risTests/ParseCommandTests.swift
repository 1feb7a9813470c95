import Foundation
import XCTest

/// `ris parse` through the built binary: every shape of FORMAT.md section 2 and hostile input.
final class ParseCommandTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func json(_ result: RunResult) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: result.stdoutData)
        return try XCTUnwrap(value as? [[String: Any]], result.stdout)
    }

    /// Parses one file in JSON, checks the file is left byte for byte as it was, and returns the object.
    func parseOne(
        _ name: String, _ data: Data, expectStatus status: Int32, file: StaticString = #filePath, line: UInt = #line
    ) throws -> (object: [String: Any], stderr: String) {
        let folder = try TemporaryFolder()
        let path = try folder.write(name, data)
        let result = try Binary.run(["parse", "--format", "json", name], in: folder.url, file: file, line: line)
        XCTAssertEqual(result.status, status, result.stderr, file: file, line: line)
        XCTAssertEqual(try Data(contentsOf: path), data, "parse never changes a file", file: file, line: line)
        let objects = try json(result)
        XCTAssertEqual(objects.count, 1, file: file, line: line)
        return (objects[0], result.stderr)
    }

    func testSeedThroughTheBinary() throws {
        let seed = Self.repository.appendingPathComponent(
            "examples/kb/docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md")
        let (object, stderr) = try parseOne("seed.md", try Data(contentsOf: seed), expectStatus: 0)
        XCTAssertEqual(object["id"] as? String, "RIS-045")
        XCTAssertEqual(object["title"] as? String, "Lambda Deployment Failures Due to OCI Manifest Type on macOS")
        XCTAssertEqual(object["date"] as? String, "2025-12-28")
        XCTAssertEqual(object["severity"] as? String, "CRITICAL")
        XCTAssertEqual(object["status"] as? String, "RESOLVED")
        XCTAssertEqual(object["resolutionMinutes"] as? Int, 90)
        XCTAssertEqual(object["kind"] as? String, "ris")
        XCTAssertEqual(object["project"] as? String, "credentialmate")
        let timeline = try XCTUnwrap(object["timeline"] as? [[String: Any]])
        XCTAssertEqual(timeline.count, 16)
        XCTAssertEqual(timeline[0]["time"] as? String, "0:00")
        XCTAssertEqual(timeline[0]["event"] as? String, "User reports login failure with CORS errors")
        let patterns = try XCTUnwrap(object["hotPatterns"] as? [[String: Any]])
        XCTAssertEqual(patterns.count, 1)
        XCTAssertEqual(patterns[0]["title"] as? String, #"Lambda Deployment: "manifest media type not supported""#)
        XCTAssertEqual((patterns[0]["keywords"] as? [String])?.count, 6)
        XCTAssertEqual(patterns[0]["hitCount"] as? Int, 1)
        XCTAssertEqual(patterns[0]["lastUsed"] as? String, "2025-12-28")
        let compliance = try XCTUnwrap(object["compliance"] as? [String: [String: Any]])
        XCTAssertEqual(compliance["hipaa"]?["controls"] as? [String], ["164.308(a)(1)(ii)(D)", "164.312(a)(1)"])
        XCTAssertEqual(compliance["soc2"]?["controls"] as? [String], ["CC7.3", "CC8.1"])
        XCTAssertEqual(compliance["iso27001"]?["controls"] as? [String], ["A.12.1.1", "A.18.1.3"])
        let retention = compliance["hipaa"]?["retentionPeriod"] as? [String: Any]
        XCTAssertEqual(retention?["amount"] as? Int, 7)
        XCTAssertEqual(retention?["unit"] as? String, "years")
        XCTAssertEqual(compliance["hipaa"]?["reviewFrequency"] as? String, "quarterly")
        XCTAssertEqual(compliance["iso27001"]?["reviewFrequency"] as? String, "quarterly")
        XCTAssertEqual(compliance["hipaa"]?["phiContains"] as? String, "credential-data")
        XCTAssertEqual(compliance["hipaa"]?["accessAuditRequired"] as? Bool, true)
        XCTAssertEqual(compliance["soc2"]?["evidenceType"] as? String, "documentation")
        XCTAssertEqual(compliance["iso27001"]?["classification"] as? String, "internal")
        XCTAssertTrue(stderr.contains("seed.md:351:1: warning: a ```markdown block holds other fences"), stderr)
    }

    func testDocumentedJSONKeys() throws {
        let (object, _) = try parseOne("a.md", Data("# RIS-1: T\n".utf8), expectStatus: 0)
        XCTAssertEqual(
            Set(object.keys),
            [
                "path", "id", "title", "kind", "date", "severity", "status", "project", "resolutionMinutes", "shape",
                "fields", "frontMatter", "compliance", "sections", "timeline", "hotPatterns", "tags", "links",
                "codeBlocks", "diagnostics", "complianceAttributes", "salvaged",
            ])
    }

    func testEveryShapeOfSectionTwo() throws {
        let shapes: [(String, String, String)] = [
            ("closed.md", "---\nid: RIS-1\ntitle: T\n---\n# Body\n", "closed"),
            ("bare.md", "ris_id: RIS-2\ntitle: \"T\"\n---\n# Body\n", "bare-header"),
            ("record.yaml", "---\nid: RIS-3\nproblem:\n  summary: |\n    x\n", "yaml-record"),
            ("heading.md", "# RIS-4: Only a heading\n", "none"),
            (
                "unclosed.md", "---\nid: RIS-5\n# RIS-5: Heading inside\n\n**Date:** 2026-01-01\n\n---\n\n## Symptom\n",
                "unclosed"
            ),
        ]
        for (name, text, shape) in shapes {
            let (object, _) = try parseOne(name, Data(text.utf8), expectStatus: 0)
            XCTAssertEqual(object["shape"] as? String, shape, name)
            XCTAssertTrue((object["id"] as? String)?.hasPrefix("RIS-") ?? false, name)
        }
    }

    func testEmptyFile() throws {
        let (object, stderr) = try parseOne("empty.md", Data(), expectStatus: 0)
        XCTAssertEqual(object["id"] as? String, "empty")
        XCTAssertEqual(object["title"] as? String, "Empty")
        XCTAssertTrue(stderr.contains("empty.md:1:1: warning: empty file"), stderr)
    }

    func testBinaryFile() throws {
        let (object, stderr) = try parseOne(
            "image.md", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00]), expectStatus: 1)
        XCTAssertEqual(object["id"] as? String, "image")
        // The NUL byte is on the third line of the PNG signature.
        XCTAssertTrue(stderr.contains("image.md:3:1: error: binary file"), stderr)
    }

    func testInvalidUTF8() throws {
        var data = Data("---\nid: RIS-7\n---\n# RIS-7: Caf".utf8)
        data.append(contentsOf: [0xE9, 0x0A])
        let (object, stderr) = try parseOne("latin1.md", data, expectStatus: 1)
        XCTAssertEqual(object["id"] as? String, "RIS-7")
        XCTAssertTrue(stderr.contains("latin1.md:4:13: error: invalid UTF-8 (byte 0xE9)"), stderr)
    }

    func testCRLF() throws {
        let text = "---\r\nid: RIS-8\r\nbad: [\r\n---\r\n# RIS-8: Title\r\n\r\n**Severity:** HIGH\r\n"
        let (object, stderr) = try parseOne("crlf.md", Data(text.utf8), expectStatus: 1)
        XCTAssertEqual(object["title"] as? String, "Title")
        XCTAssertEqual(object["severity"] as? String, "HIGH")
        XCTAssertTrue(stderr.contains("crlf.md:4:1: error: YAML"), stderr)
    }

    func testByteOrderMark() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("---\nid: RIS-9\n---\n# RIS-9: Title\n".utf8))
        let (object, stderr) = try parseOne("bom.md", data, expectStatus: 0)
        XCTAssertEqual(object["shape"] as? String, "closed")
        XCTAssertEqual(object["id"] as? String, "RIS-9")
        XCTAssertEqual(stderr, "")
    }

    func testFiveMegabyteFile() throws {
        let frontMatter = "---\nid: RIS-10\n---\n"
        var text = frontMatter + "# RIS-10: Big\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
        var row = 0
        // Rows that end within the first MiB of the body are read as the table; the rest
        // of the file is plain text (see MarkdownParser and DocumentParser.maxMarkdownBytes).
        var rowsInFirstMebibyte = 0
        var lines = text.filter { $0 == "\n" }.count + 1
        var warningLine = 0
        while text.utf8.count < 5_000_000 {
            text +=
                "| \(row / 60):\(String(format: "%02d", row % 60)) | event number \(row) with some words to search |\n"
            row += 1
            lines += 1
            if text.utf8.count - frontMatter.utf8.count <= 1_048_576 {
                rowsInFirstMebibyte = row
                warningLine = lines
            }
        }
        let (object, stderr) = try parseOne("big.md", Data(text.utf8), expectStatus: 0)
        XCTAssertEqual((object["timeline"] as? [Any])?.count, rowsInFirstMebibyte)
        XCTAssertTrue(stderr.contains("big.md:\(warningLine):1: warning: the markdown is over 1 MiB"), stderr)
    }

    func testTwoMegabyteLine() throws {
        let text = "# RIS-11: Long line\n\n" + String(repeating: "manifest ", count: 240_000) + "\n"
        let (object, _) = try parseOne("long.md", Data(text.utf8), expectStatus: 0)
        XCTAssertEqual(object["id"] as? String, "RIS-11")
    }

    func testTabsInYAML() throws {
        let text = "---\nid: RIS-12\ncompliance:\n\thipaa:\n\t\tcontrols: [x]\n---\n# RIS-12: Tabs\n"
        let (object, stderr) = try parseOne("tabs.md", Data(text.utf8), expectStatus: 1)
        XCTAssertEqual(object["title"] as? String, "Tabs", "the body is still read")
        XCTAssertTrue(stderr.contains("tabs.md:4:1: error: YAML scanner:"), stderr)
    }

    func testAliasBomb() throws {
        var text = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        text += "---\n# RIS-13: Bomb\n\n**Severity:** LOW\n"
        let (object, stderr) = try parseOne("bomb.md", Data(text.utf8), expectStatus: 1)
        XCTAssertEqual(object["severity"] as? String, "LOW", "the body is still read")
        XCTAssertTrue(stderr.contains("alias bomb"), stderr)
        XCTAssertTrue(stderr.hasPrefix("bomb.md:"), stderr)
    }

    func testDeepNesting() throws {
        let text =
            "---\nx: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
            + "\n---\n# RIS-14: Deep\n"
        let (object, stderr) = try parseOne("deep.md", Data(text.utf8), expectStatus: 1)
        XCTAssertEqual(object["id"] as? String, "RIS-14")
        XCTAssertTrue(stderr.contains("deep.md:2:"), stderr)
        XCTAssertTrue(stderr.contains("nests deeper than"), stderr)
        let block =
            "---\n" + (0..<5000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
            + "\n---\n# RIS-15: Deep\n"
        let (blockObject, blockErr) = try parseOne("deep-block.md", Data(block.utf8), expectStatus: 1)
        XCTAssertEqual(blockObject["id"] as? String, "RIS-15")
        XCTAssertTrue(blockErr.contains("over the limit") || blockErr.contains("nests deeper"), blockErr)
        let markdown = "# RIS-16: Quotes\n\n" + String(repeating: "> ", count: 5000) + "deep\n"
        let (_, markdownErr) = try parseOne("deep-quote.md", Data(markdown.utf8), expectStatus: 0)
        XCTAssertTrue(markdownErr.contains("deep-quote.md:3:"), markdownErr)
    }

    func testWrongTypes() throws {
        let text = """
            ---
            compliance:
              hipaa:
                controls: {not: a list}
                retention-period: forever
                encryption-required: maybe
              soc2:
                review-frequency: quarterly
            ---
            # RIS-17: Wrong types
            """
        let (object, stderr) = try parseOne("types.md", Data(text.utf8), expectStatus: 1)
        XCTAssertTrue(stderr.contains("types.md:4:15: error: `controls` must be"), stderr)
        XCTAssertTrue(stderr.contains("types.md:5:23: error: `retention-period` must be"), stderr)
        XCTAssertTrue(stderr.contains("types.md:6:26: error: `encryption-required` must be true or false"), stderr)
        let compliance = try XCTUnwrap(object["compliance"] as? [String: [String: Any]])
        XCTAssertEqual(compliance["soc2"]?["reviewFrequency"] as? String, "quarterly", "the rest is read")
    }

    func testUnclosedFrontMatterWithHeadingInside() throws {
        let text =
            "---\nid: RIS-18\nproject: p\n# RIS-18: Forgot the fence\n\n**Status:** ✅ RESOLVED\n\n---\n\n## "
            + "Symptom\n\nboom\n"
        let (object, stderr) = try parseOne("forgot.md", Data(text.utf8), expectStatus: 0)
        XCTAssertEqual(object["shape"] as? String, "unclosed")
        XCTAssertEqual(object["title"] as? String, "Forgot the fence")
        XCTAssertEqual(object["status"] as? String, "RESOLVED")
        XCTAssertEqual(object["project"] as? String, "p")
        XCTAssertTrue(
            stderr.contains(
                "forgot.md:1:1: warning: front matter opened at line 1 is not closed before the heading at line 4"),
            stderr)
    }

    func testExitCodesAndMissingFiles() throws {
        let folder = try TemporaryFolder()
        try folder.write("ok.md", "# RIS-1: T\n")
        let missing = try Binary.run(["parse", "ok.md", "missing.md"], in: folder.url)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("missing.md:1:1: error: no such file or folder"), missing.stderr)
        XCTAssertTrue(missing.stdout.contains("RIS-1"), "the other files are still read")
        XCTAssertFalse(missing.stdout.contains("missing"), "nothing is invented for a file that is not there")
        let json = try Binary.run(["parse", "--format", "json", "missing.md", "ok.md"], in: folder.url)
        XCTAssertEqual(json.status, 1)
        XCTAssertEqual(
            (try JSONSerialization.jsonObject(with: json.stdoutData) as? [[String: Any]])?.compactMap {
                $0["path"] as? String
            }, ["ok.md"])
        let only = try Binary.run(["parse", "missing.md"], in: folder.url)
        XCTAssertEqual([only.status, Int32(only.stdout.count)], [1, 0], only.stdout)
        let usage = try Binary.run(["parse", "--format", "xml", "ok.md"], in: folder.url)
        XCTAssertEqual(usage.status, 2)
        let noFiles = try Binary.run(["parse"], in: folder.url)
        XCTAssertEqual(noFiles.status, 2)
        let help = try Binary.run(["parse", "--help"], in: folder.url)
        XCTAssertEqual(help.status, 0)
    }

    func testFolderOfTheSampleKnowledgeBase() throws {
        let result = try Binary.run(["parse", "--format", "json", "examples/kb"], in: Self.repository)
        XCTAssertEqual(result.status, 0, result.stderr)
        let objects = try json(result)
        let kinds = Dictionary(grouping: objects, by: { $0["kind"] as? String ?? "" }).mapValues(\.count)
        XCTAssertEqual(kinds["hot-pattern"], 1)
        XCTAssertEqual(kinds["kb"], 1)
        XCTAssertEqual(kinds["ris"], 5)
        XCTAssertEqual(
            Set(objects.compactMap { $0["shape"] as? String }),
            ["closed", "bare-header", "yaml-record", "none", "unclosed"])
    }
}
