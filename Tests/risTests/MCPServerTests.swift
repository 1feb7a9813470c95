import Foundation
import XCTest

/// `ris mcp` driven by an independent client, the official Python MCP SDK (`make deps` installs
/// it in `.build-py/`): every tool on a copy of the sample knowledge base, the results checked
/// in the files (the new record's bytes, the hit count's two lines, the audit event); then
/// hostile messages, after which the server still answers and the files are unchanged.
final class MCPServerTests: XCTestCase {
    static let python = ParseCommandTests.repository.appendingPathComponent(".build-py/bin/python")
    static let scripts = ParseCommandTests.repository.appendingPathComponent("Tests/mcp")

    func sample() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.copySampleKnowledgeBase {
            $0.hasPrefix(".ris/") && $0 != ".ris/config.yaml" && $0 != ".ris/.gitignore"
        }
        return folder
    }

    /// Runs a script of `Tests/mcp` with the venv's Python; its stdout is one JSON object.
    func script(_ name: String, _ arguments: [String], in folder: TemporaryFolder) throws -> [String: Any] {
        guard FileManager.default.isExecutableFile(atPath: Self.python.path) else {
            XCTFail("no \(Self.python.path): `make deps` creates it (python3 -m venv, pip install mcp)")
            return [:]
        }
        let result = try Binary.runProgram(
            Self.python.path, [Self.scripts.appendingPathComponent(name).path] + arguments, in: folder.url,
            timeout: 300)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(
            try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], result.stderr)
    }

    func text(_ folder: TemporaryFolder, _ path: String) throws -> String {
        try String(contentsOf: folder.url.appendingPathComponent(path), encoding: .utf8)
    }

    func testEveryToolThroughTheOfficialPythonClient() throws {
        let folder = try sample()
        let hotPatterns = ".claude/memory/hot-patterns.md"
        let before = try text(folder, hotPatterns)
        // The server's watcher, not `refresh-interval`, decides when the files are walked again:
        // the changes the client makes below are seen at once.
        try folder.write(".ris/config.yaml", try text(folder, ".ris/config.yaml") + "\nrefresh-interval: 5m\n")
        let report = try script("e2e_client.py", [Binary.risURL.path, folder.url.path], in: folder)

        XCTAssertEqual((report["server"] as? [String: Any])?["name"] as? String, "ris")
        let tools = try XCTUnwrap(report["tools"] as? [String: [String: Any]])
        XCTAssertEqual(
            Set(tools.keys), ["search", "match", "show", "similar", "list", "check", "add", "pattern_hit"])
        for (name, tool) in tools {
            let schema = try XCTUnwrap(tool["schema"] as? [String: Any], name)
            XCTAssertEqual(schema["type"] as? String, "object", name)
            XCTAssertEqual(schema["additionalProperties"] as? Bool, false, name)
            XCTAssertNotNil(schema["properties"] as? [String: Any], name)
        }
        func call(_ key: String) throws -> (structured: [String: Any], text: String, isError: Bool) {
            let result = try XCTUnwrap(report[key] as? [String: Any], key)
            return (
                result["structured"] as? [String: Any] ?? [:], result["text"] as? String ?? "",
                result["isError"] as? Bool ?? true
            )
        }
        func results(_ key: String) throws -> [[String: Any]] {
            try XCTUnwrap(try call(key).structured["results"] as? [[String: Any]], key)
        }

        XCTAssertEqual(try results("search").first?["id"] as? String, "RIS-046")
        // The server watches the folders: a file written, one in a new folder, one removed,
        // each seen at the next call.
        XCTAssertEqual(try results("afterWrite").map { $0["id"] as? String }, ["RIS-090"])
        XCTAssertEqual(try results("afterNewFolder").map { $0["id"] as? String }, ["RIS-091"])
        XCTAssertEqual(try results("afterRemove").count, 0)
        // RIS-045 requires encryption: named, never given.
        let withheld = try XCTUnwrap(try results("searchWithheld").first { $0["id"] as? String == "RIS-045" })
        XCTAssertEqual(withheld["withheld"] as? Bool, true)
        XCTAssertNil(withheld["snippet"])
        let shownWithheld = try call("showWithheld")
        XCTAssertEqual(shownWithheld.structured["withheld"] as? Bool, true)
        XCTAssertFalse(shownWithheld.text.contains("buildx"), shownWithheld.text)
        let resourceWithheld = report["resourceWithheld"] as? String ?? ""
        XCTAssertTrue(resourceWithheld.contains("withheld: this record requires encryption"), resourceWithheld)
        XCTAssertFalse(resourceWithheld.contains("buildx"), resourceWithheld)

        let shown = try call("show")
        XCTAssertEqual((shown.structured["record"] as? [String: Any])?["id"] as? String, "RIS-046")
        let headings = (shown.structured["sections"] as? [[String: Any]] ?? []).compactMap { $0["heading"] as? String }
        XCTAssertEqual(headings, ["Symptom", "Root Cause", "Timeline", "Resolution", "Related"])
        XCTAssertTrue(shown.text.contains("## Resolution"), shown.text)
        // The record is what `ris show --format json` gives (the server builds it without JSON
        // text), but for the CLI's `index` (when and from which bytes the index read it).
        let cliShow = try Binary.run(["show", "RIS-046", "--format", "json"], in: folder.url)
        XCTAssertEqual(cliShow.status, 0, cliShow.stderr)
        var cliRecord = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(cliShow.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(cliRecord.removeValue(forKey: "index"))
        XCTAssertEqual(shown.structured["record"] as? NSDictionary, cliRecord as NSDictionary)

        let match = try XCTUnwrap(try results("match").first)
        XCTAssertEqual(match["kind"] as? String, "hot-pattern")
        XCTAssertEqual(match["fix"] as? String, "Log in to ECR inside every CI job.")
        XCTAssertEqual(try results("list").count, 3)
        XCTAssertFalse(try call("similar").isError)
        // What a withheld record shares, or what its findings quote, is its content too.
        XCTAssertEqual(try call("similarWithheld").structured["withheld"] as? Bool, true)
        let withheldFindings = try XCTUnwrap(try call("checkWithheld").structured["findings"] as? [[String: Any]])
        XCTAssertFalse(withheldFindings.isEmpty)
        for finding in withheldFindings {
            XCTAssertTrue((finding["message"] as? String ?? "").hasPrefix("withheld:"), "\(finding)")
        }
        let findings = try XCTUnwrap(try call("check").structured["findings"] as? [[String: Any]])
        XCTAssertTrue(
            findings.contains {
                $0["rule"] as? String == "control-superseded"
                    && ($0["path"] as? String ?? "")
                        .hasPrefix("docs/06-ris/resolutions/RIS-046")
            }, "\(findings)")

        // `add` writes exactly what `ris add` writes (in a copy in the same state).
        let added = try call("add")
        XCTAssertFalse(added.isError, added.text)
        let path = try XCTUnwrap(added.structured["path"] as? String)
        XCTAssertEqual(added.structured["id"] as? String, "RIS-069")
        let twin = try sample()
        let cli = try Binary.run(
            [
                "add", "--title", "ECR push denied after token rotation", "--severity", "high", "--date", "2026-03-02",
                "--symptom", "denied: token expired\nat push", "--root-cause", "The token rotated mid-job.",
                "--resolution", "Log in again.",
            ],
            in: twin.url, environment: ["RIS_ACTOR": "agent-test@example.com"])
        XCTAssertEqual(cli.status, 0, cli.stderr)
        XCTAssertEqual(cli.stdout, path + "\n")
        XCTAssertEqual(try text(folder, path), try text(twin, path), "the same bytes as ris add")
        XCTAssertTrue(try text(folder, path).contains("## Resolution\n\nLog in again.\n\n---"))

        // The hit: two lines of the hot-patterns file changed, nothing else; the ambiguous one is refused.
        XCTAssertEqual(try call("hit").structured["hitCount"] as? Int, 2)
        let changed = zip(
            before.components(separatedBy: "\n"), try text(folder, hotPatterns).components(separatedBy: "\n")
        )
        .filter { $0 != $1 }
        XCTAssertEqual(changed.map(\.1), ["**Hit Count:** 2", "**Last Used:** 2026-03-03"])
        XCTAssertEqual(
            before.components(separatedBy: "\n").count,
            try text(folder, hotPatterns).components(separatedBy: "\n").count)
        let ambiguous = try call("hitAmbiguous")
        XCTAssertTrue(ambiguous.isError, ambiguous.text)

        let resources = try XCTUnwrap(report["resources"] as? [String])
        XCTAssertTrue(resources.contains("ris://record/RIS-046") && resources.contains("ris://hot-patterns"))
        XCTAssertEqual(
            report["resourceText"] as? String,
            try text(folder, "docs/06-ris/resolutions/RIS-046-ecr-login-token-expired.md"))
        XCTAssertTrue((report["prompt"] as? String ?? "").contains("denied: token expired"))

        let errors = try XCTUnwrap(report["errors"] as? [String: [String: Any]])
        for key in ["unknownTool", "wrongType", "unknownArgument", "missingArgument", "hugeQuery", "outOfRange"] {
            XCTAssertNotNil(errors[key]?["protocolError"], "\(key): \(errors[key] ?? [:])")
        }
        XCTAssertEqual((errors["noSuchRecord"]?["toolError"] as? [String: Any])?["isError"] as? Bool, true)
        XCTAssertEqual(report["concurrent"] as? [Bool], Array(repeating: false, count: 8))
    }

    /// An audited record given to an agent (the configuration allows encryption-required
    /// records): the read is an event naming the acting user and the MCP client.
    func testAnAuditedReadNamesTheClient() throws {
        let folder = try sample()
        let config = try text(folder, ".ris/config.yaml")
        try folder.write(".ris/config.yaml", config + "\nmcp:\n  allow-encryption-required: true\n")
        let report = try script(
            "e2e_client.py", [Binary.risURL.path, folder.url.path, "--show", "RIS-045"], in: folder)
        let shown = try XCTUnwrap(report["show"] as? [String: Any])
        XCTAssertTrue((shown["text"] as? String ?? "").contains("buildx"), "the content is given when allowed")
        let log = try Binary.run(["audit", "log", "--format", "json"], in: folder.url)
        let events = try XCTUnwrap(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
        let event = try XCTUnwrap(events.last)
        XCTAssertEqual(event["action"] as? String, "read:show")
        XCTAssertEqual(event["id"] as? String, "RIS-045")
        XCTAssertEqual(event["actor"] as? String, "agent-test@example.com")
        XCTAssertEqual(event["note"] as? String, "mcp client ris-e2e-client 1.2.3")
    }

    func testReadOnlyServesNoWritingTool() throws {
        let folder = try sample()
        let report = try script(
            "e2e_client.py", [Binary.risURL.path, folder.url.path, "--read-only"], in: folder)
        let tools = try XCTUnwrap(report["tools"] as? [String: Any])
        XCTAssertEqual(Set(tools.keys), ["search", "match", "show", "similar", "list", "check"])
        XCTAssertNotNil((report["add"] as? [String: Any])?["protocolError"])
        XCTAssertFalse(
            try FileManager.default.contentsOfDirectory(
                atPath: folder.url.appendingPathComponent("docs/06-ris/resolutions").path
            ).contains { $0.contains("069") })
    }

    func testHostileMessagesLeaveTheServerServingAndTheFilesAsTheyWere() throws {
        let folder = try sample()
        func files() throws -> [String: Data] {
            var contents: [String: Data] = [:]
            for path in FileManager.default.subpaths(atPath: folder.url.path) ?? [] where !path.hasPrefix(".ris") {
                var isFolder: ObjCBool = false
                let url = folder.url.appendingPathComponent(path)
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue {
                    contents[path] = try Data(contentsOf: url)
                }
            }
            return contents
        }
        let before = try files()
        let report = try script("fuzz_server.py", [Binary.risURL.path, folder.url.path], in: folder)
        XCTAssertEqual(report["initialized"] as? Bool, true)
        let alive = try XCTUnwrap(report["aliveAfterEach"] as? [Bool])
        XCTAssertEqual(alive.count, report["sent"] as? Int, "the server stopped before every message was sent")
        XCTAssertEqual(alive.firstIndex(of: false), nil, "no answer to a ping after a hostile message")
        XCTAssertEqual(report["stdoutOnlyMessages"] as? Bool, true, "stdout carries only protocol messages")
        XCTAssertEqual(
            report["framing"] as? [String: Bool],
            ["crlf": true, "pieces": true, "twoInOneWrite": true, "nonBlockingStdin": true],
            "each message answered however it arrives")
        XCTAssertEqual(report["exitStatus"] as? Int, 0, "a clean exit when stdin closes")
        XCTAssertEqual(try files(), before)
    }
}
