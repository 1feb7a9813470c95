import Foundation
import XCTest

/// Long output on a terminal goes through the pager; short output, pipes, `--no-pager` and an
/// empty pager print straight; a pager that cannot run loses nothing. Run in a terminal of
/// `rows` lines made by script(1).
final class PagerTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.copySampleKnowledgeBase { $0.hasPrefix(".ris/") && $0 != ".ris/config.yaml" }
    }

    /// `ris ARGUMENTS` on a terminal of `rows` rows with `pager` as RIS_PAGER: what the
    /// terminal showed, and what the pager was given (written to a file by the pager command).
    func onTerminal(_ arguments: [String], rows: Int, pager: String?) throws -> (screen: String, paged: String?) {
        let paged = folder.url.appendingPathComponent("paged.txt")
        try? FileManager.default.removeItem(at: paged)
        let command = ([Binary.risURL.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        var environment = ["NO_COLOR": "1", "PAGER": "false"]
        if let pager { environment["RIS_PAGER"] = pager.replacingOccurrences(of: "$OUT", with: paged.path) }
        let result = try Binary.runProgram(
            "/usr/bin/script", ["-qec", "stty rows \(rows) cols 100; " + command, "/dev/null"], in: folder.url,
            environment: environment)
        let screen = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        return (screen, try? String(contentsOf: paged, encoding: .utf8))
    }

    func testOutputTallerThanTheScreenGoesThroughThePager() throws {
        let straight = try Binary.run(["list"], in: folder.url, environment: ["COLUMNS": "100"]).stdout
        let (screen, paged) = try onTerminal(["list"], rows: 5, pager: "cat > '$OUT'")
        XCTAssertEqual(paged, straight, "the pager is given the whole table")
        XCTAssertFalse(screen.contains("RIS-045"), "nothing printed past the pager: \(screen)")
        // A pager quitting early (as a person quits less) is not an error.
        let quitting = try onTerminal(["list"], rows: 5, pager: "head -1")
        XCTAssertTrue(quitting.screen.hasPrefix("ID "), quitting.screen)
        XCTAssertFalse(quitting.screen.contains("error"), quitting.screen)
    }

    /// Lines longer than the terminal is wide wrap: a screen holds fewer of them.
    func testWrappedLinesCountAsTheRowsTheyTake() throws {
        let lines = try Binary.run(["show", "RIS-046"], in: folder.url).stdout.filter { $0 == "\n" }.count
        func onTerminal(columns: Int) throws -> Bool {
            let paged = folder.url.appendingPathComponent("paged.txt")
            try? FileManager.default.removeItem(at: paged)
            let command = "'\(Binary.risURL.path)' show RIS-046"
            _ = try Binary.runProgram(
                "/usr/bin/script", ["-qec", "stty rows \(lines + 3) cols \(columns); " + command, "/dev/null"],
                in: folder.url, environment: ["RIS_PAGER": "cat > '\(paged.path)'"])
            return FileManager.default.fileExists(atPath: paged.path)
        }
        XCTAssertFalse(try onTerminal(columns: 400), "every line fits a row")
        XCTAssertTrue(try onTerminal(columns: 30), "long lines wrap onto more rows than the screen has")
    }

    func testShortOutputPipesAndNoPagerPrintStraight() throws {
        let tall = try onTerminal(["list"], rows: 100, pager: "cat > '$OUT'")
        XCTAssertNil(tall.paged, "the table fits the screen")
        XCTAssertTrue(tall.screen.contains("RIS-045"))
        let noPager = try onTerminal(["list", "--no-pager"], rows: 5, pager: "cat > '$OUT'")
        XCTAssertNil(noPager.paged)
        XCTAssertTrue(noPager.screen.contains("RIS-045"))
        let empty = try onTerminal(["show", "RIS-045"], rows: 5, pager: "")
        XCTAssertTrue(
            empty.screen.contains("Resolution Time: 90 minutes"), "an empty RIS_PAGER means none: \(empty.screen)")
        let json = try onTerminal(["list", "--format", "json"], rows: 5, pager: "cat > '$OUT'")
        XCTAssertNil(json.paged, "JSON is for programs: never paged")
        // PAGER=false stands for any pager set in the environment: RIS_PAGER wins over it.
        XCTAssertNil(try onTerminal(["list"], rows: 5, pager: "cat > '$OUT'").screen.range(of: "could not be run"))
    }

    func testAPagerThatCannotRunLosesNothing() throws {
        let (screen, _) = try onTerminal(["list"], rows: 5, pager: "no-such-pager-here")
        XCTAssertTrue(screen.contains("ris: warning: the pager 'no-such-pager-here' could not be run"), screen)
        XCTAssertTrue(screen.contains("RIS-045"), screen)
    }
}
