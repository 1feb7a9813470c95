import Foundation
import XCTest

/// Search that finds what people type (docs/search.md, "When nothing, or little, matches"), and
/// hot patterns picked the ways people name them, on the built binary.
final class SearchFallbackTests: XCTestCase {
    static let environment = ["RIS_ACTOR": "searcher@example.com"]
    var folder: TemporaryFolder!

    override func setUpWithError() throws {
        folder = try TemporaryFolder()
        try folder.copySampleKnowledgeBase {
            $0.hasPrefix(".ris/") && $0 != ".ris/config.yaml" && $0 != ".ris/.gitignore"
        }
    }

    func run(_ arguments: [String]) throws -> RunResult {
        try Binary.run(arguments, in: folder.url, environment: Self.environment)
    }

    func ids(_ result: RunResult) throws -> [String] {
        let objects = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]], result.stderr)
        return objects.compactMap { $0["id"] as? String }
    }

    func testATypoGetsASuggestionAndAPartWordFindsTheLongerToken() throws {
        let typo = try run(["search", "lamda"])
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("no record has 'lamda'; did you mean: lambda?"), typo.stderr)

        let part = try run(["search", "InvalidParameterValue", "--format", "json"])
        XCTAssertEqual(part.status, 0, part.stderr)
        XCTAssertEqual(try ids(part).first, "RIS-045")
        XCTAssertTrue(part.stderr.contains("part of a longer one (invalidparametervalue*"), part.stderr)
        XCTAssertFalse(part.stdout.contains("note"), "notes go to stderr, stdout is JSON only")

        let joined = try run(["search", "build", "kit", "--format", "json"])
        XCTAssertTrue(try ids(joined).contains("RIS-045"), "build kit finds BuildKit")
    }

    func testMostOfTheWordsWhenNoRecordHasAll() throws {
        let result = try run(["search", "celery", "worker", "keeps", "restarting", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try ids(result).first, "RIS-RESOLUTION-047")
        XCTAssertTrue(
            result.stderr.contains("no record has all the words; showing records with most of them"), result.stderr)
    }

    func testAShortDashWordIsAWordAndTheDoubleDashEndsOptions() throws {
        let result = try run(["search", "--format", "paths", "--", "docker", "-v"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("'-v' is searched as a word"), result.stderr)
        XCTAssertFalse(result.stderr.contains("'--'"), result.stderr)
        // A word of two or more characters beside words to find still excludes.
        let excluded = try run(["search", "docker", "-lambda", "--format", "json"])
        XCTAssertFalse(try ids(excluded).contains("RIS-045"), excluded.stdout)
    }

    func testTheExactPhraseComesFirst() throws {
        let other = try TemporaryFolder()
        try other.write(".ris/config.yaml", "version: 1\n")
        // Scattered words, repeated (BM25 likes it), and the exact message once.
        try other.write(
            "docs/RIS-001.md",
            "# RIS-001: Token refresh\n\n## Symptom\n\nThe token was revoked. Later the session expired, token "
                + "again, session again, token and session.\n")
        try other.write(
            "docs/RIS-002.md",
            "# RIS-002: Login loop\n\n## Symptom\n\n```\nsession token expired\n```\n")
        XCTAssertEqual(try Binary.run(["index"], in: other.url).status, 0)
        let result = try Binary.run(["search", "session", "token", "expired", "--format", "json"], in: other.url)
        XCTAssertEqual(try ids(result), ["RIS-002", "RIS-001"])
    }

    func testASuggestionNeverSpellsAnAuditedRecordsWords() throws {
        try folder.write(
            "docs/06-ris/resolutions/RIS-090-audited.md",
            """
            ---
            compliance:
              hipaa:
                access-audit-required: true
                retention-period: 7-years
            ---
            # RIS-090: Audited

            The word quokkaphrenia is only here.
            """)
        try folder.write(
            "docs/06-ris/resolutions/RIS-091-plain.md", "# RIS-091: Plain\n\nThe word wombatorium is only here.\n")
        let audited = try run(["search", "quokkaphxenia"])
        XCTAssertEqual(audited.status, 1)
        XCTAssertFalse(audited.stderr.contains("did you mean"), audited.stderr)
        let plain = try run(["search", "wombatxrium"])
        XCTAssertTrue(plain.stderr.contains("did you mean: wombatorium?"), plain.stderr)
    }

    func testAPatternByKeywordOrPathAndLine() throws {
        // A keyword in no title: the hot-patterns file's entry and RIS-045's own entry (one
        // title) both have it: the file's is the pattern.
        let keyword = try run(["pattern", "show", "InvalidParameterValueException", "--format", "json"])
        XCTAssertEqual(keyword.status, 0, keyword.stderr)
        let chosen = try XCTUnwrap(try JSONSerialization.jsonObject(with: keyword.stdoutData) as? [String: Any])
        XCTAssertEqual(chosen["path"] as? String, ".claude/memory/hot-patterns.md")
        // Several of different titles are listed with path:line.
        let ambiguous = try run(["pattern", "show", "docker"])
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssertTrue(
            ambiguous.stderr.contains(".claude/memory/hot-patterns.md:5  Lambda Deployment"), ambiguous.stderr)
        let byLine = try run(["pattern", "show", "hot-patterns.md:5", "--format", "json"])
        XCTAssertEqual(byLine.status, 0, byLine.stderr)
        let pattern = try XCTUnwrap(try JSONSerialization.jsonObject(with: byLine.stdoutData) as? [String: Any])
        XCTAssertEqual(pattern["line"] as? Int, 5)
        XCTAssertEqual(pattern["path"] as? String, ".claude/memory/hot-patterns.md")

        let hit = try run(["pattern", "hit", ".claude/memory/hot-patterns.md:25", "--date", "2026-04-01"])
        XCTAssertEqual(hit.status, 0, hit.stderr)
        XCTAssertTrue(hit.stdout.contains("authorization token has expired\": 2 hits"), hit.stdout)
    }
}
