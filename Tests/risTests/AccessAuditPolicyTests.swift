import Foundation
import XCTest

/// Every command, in every output format, that prints the content of a record requiring access
/// auditing logs the read: the commands are enumerated from the binary itself, so a command
/// added later fails here until it is decided how it reads records.
final class AccessAuditPolicyTests: XCTestCase {
    static let audited = "AUDITED-BODY-MARKER-5521"
    static let unreadable = "UNREADABLE-BLOCK-MARKER-7703"

    /// How each leaf command is run on the fixture (its `--format` is added when it has one).
    static let invocations: [String: [String]] = [
        "init": ["init"],
        "index": ["index"],
        "search": ["search", "marker"],
        "match": ["match", "docs/06-ris/resolutions/RIS-0003.md"],
        "show": ["show", "RIS-0001"],
        "edit": ["edit", "RIS-0001"],
        // With stdin at its end the server stops at once; its reads are MCPServerTests'.
        "mcp": ["mcp"],
        "list": ["list"],
        "similar": ["similar", "RIS-0003"],
        "add": ["add", "--title", "Added while enumerating", "--dry-run"],
        "kb generate": ["kb", "generate", "RIS-0001", "--dry-run"],
        "stale": ["stale"],
        "stats": ["stats", "--today", "2026-04-02"],
        "pattern list": ["pattern", "list"],
        "pattern show": ["pattern", "show", "Marker pattern"],
        "pattern add": ["pattern", "add", "RIS-0002"],
        "pattern hit": ["pattern", "hit", "Marker pattern"],
        "check": ["check"],
        "review export": ["review", "export", "--quarter", "2026-Q1"],
        "review record": ["review", "record", "RIS-0003", "--reviewer", "Dana"],
        "audit log": ["audit", "log"],
        "audit verify": ["audit", "verify"],
        "audit anchor": ["audit", "anchor"],
        "audit restart": ["audit", "restart", "--reason", "the trail was lost"],
        "parse": ["parse", "docs/06-ris/resolutions/RIS-0001.md", "docs/06-ris/resolutions/RIS-0002.md"],
        "help": ["help"],
    ]

    func makeKnowledgeBase() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write(".ris/config.yaml", "version: 1\n")
        func record(_ id: String, _ compliance: String, marker: String) -> String {
            """
            ---
            compliance:
            \(compliance)
            created: '2026-01-10'
            ---
            # \(id): Record \(id)

            **Date:** 2026-02-01
            **Severity:** HIGH

            ## Symptom

            The marker \(marker) is in the body.

            ## Hot Pattern Entry

            ```markdown
            ### Marker pattern \(id)
            **Keywords:** marker
            **Symptom:** \(marker)
            **Solution:** restart
            **Hit Count:** 1
            ```
            """
        }
        try folder.write(
            "docs/06-ris/resolutions/RIS-0001.md",
            record(
                "RIS-0001", "  hipaa:\n    access-audit-required: true\n    retention-period: 7-years",
                marker: Self.audited))
        // A compliance block that cannot be read whole: nothing says reads are not audited.
        try folder.write(
            "docs/06-ris/resolutions/RIS-0002.md",
            record(
                "RIS-0002", "  hipaa:\n    controls: [164.312(b)\n    access-audit-required: false",
                marker: Self.unreadable))
        try folder.write(
            "docs/06-ris/resolutions/RIS-0003.md",
            record("RIS-0003", "  soc2:\n    controls: [CC7.2]", marker: "plain marker text"))
        XCTAssertEqual(try Binary.run(["index"], in: folder.url).status, 1, "RIS-0002's YAML error")
        return folder
    }

    func events(_ folder: TemporaryFolder) throws -> [[String: Any]] {
        let log = try Binary.run(["audit", "log", "--format", "json"], in: folder.url)
        guard log.status == 0 else { return [] }
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
    }

    /// The leaf commands and their `--format` values, from the binary's own description.
    func commands() throws -> [(name: String, formats: [String])] {
        let dump = try Binary.run(["--experimental-dump-help"], in: FileManager.default.temporaryDirectory)
        let root = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: dump.stdoutData) as? [String: Any])?["command"] as? [String: Any])
        var result: [(String, [String])] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let name = path + [command["commandName"] as? String ?? "?"]
            let subcommands = command["subcommands"] as? [[String: Any]] ?? []
            if subcommands.isEmpty {
                let arguments = command["arguments"] as? [[String: Any]] ?? []
                let format = arguments.first {
                    ($0["names"] as? [[String: Any]] ?? []).contains { $0["name"] as? String == "format" }
                }
                result.append((name.dropFirst().joined(separator: " "), format?["allValues"] as? [String] ?? []))
            }
            for subcommand in subcommands { walk(subcommand, name) }
        }
        walk(root, [])
        return result
    }

    func testEveryCommandThatPrintsAuditedContentLogsTheRead() throws {
        let commands = try commands()
        XCTAssertGreaterThanOrEqual(commands.count, 20)
        var checked = 0
        var printedContent = 0
        for (name, formats) in commands {
            guard let invocation = Self.invocations[name] else {
                XCTFail(
                    "`ris \(name)` is not enumerated: decide whether it prints record content, and add it to the table")
                continue
            }
            for format in formats.isEmpty ? [nil] : formats.map(Optional.some) {
                // A fresh knowledge base each time: every run starts from the same files and trail.
                let folder = try makeKnowledgeBase()
                let before = try events(folder).count
                let arguments = invocation + (format.map { ["--format", $0] } ?? [])
                let result = try Binary.run(arguments, in: folder.url)
                XCTAssertFalse(result.stderr.contains("Fatal error"), "\(arguments)")
                let new = try events(folder).dropFirst(before)
                for (marker, path) in [
                    (Self.audited, "docs/06-ris/resolutions/RIS-0001.md"),
                    (Self.unreadable, "docs/06-ris/resolutions/RIS-0002.md"),
                ]
                where result.stdout.contains(marker) {
                    printedContent += 1
                    XCTAssertTrue(
                        new.contains {
                            $0["path"] as? String == path && ($0["action"] as? String ?? "").hasPrefix("read")
                        },
                        "`ris \(arguments.joined(separator: " "))` printed content of \(path) and logged no read: "
                            + "\(new)"
                    )
                }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 40, "every command in every format")
        XCTAssertGreaterThanOrEqual(printedContent, 12, "the fixture makes most reading commands print the markers")
    }

    func testAnUnreadableComplianceBlockStaysInTheReview() throws {
        let folder = try makeKnowledgeBase()
        let result = try Binary.run(["review", "export", "--quarter", "2026-Q1", "--format", "json"], in: folder.url)
        let export = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], result.stderr)
        let records = try XCTUnwrap(export["records"] as? [[String: Any]])
        let broken = try XCTUnwrap(
            records.first { $0["id"] as? String == "RIS-0002" }, "the record must not vanish from the review")
        XCTAssertEqual(broken["reviewState"] as? String, "compliance block unreadable")
        XCTAssertEqual(broken["accessAuditRequired"] as? Bool, true)
        XCTAssertTrue(
            try events(folder).contains {
                $0["path"] as? String == "docs/06-ris/resolutions/RIS-0002.md"
                    && $0["action"] as? String == "read:export"
            })
    }

    func testAnUnreadableComplianceBlockIsAudited() throws {
        let folder = try makeKnowledgeBase()
        let result = try Binary.run(["show", "RIS-0002"], in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        let logged = try events(folder)
        XCTAssertEqual(logged.map { $0["path"] as? String }, ["docs/06-ris/resolutions/RIS-0002.md"])
        XCTAssertEqual(logged.first?["action"] as? String, "read:show")
        // A record that says it needs no auditing, read whole, is not logged.
        _ = try Binary.run(["show", "RIS-0003"], in: folder.url)
        XCTAssertEqual(try events(folder).count, 1)
    }
}
