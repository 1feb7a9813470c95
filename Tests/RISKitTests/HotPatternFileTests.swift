import Foundation
import RISKit
import XCTest

/// The hot-patterns file: slugs, choosing a pattern, counting a hit in place, appending entries.
final class HotPatternFileTests: XCTestCase {
    private static let text = """
        # Hot Patterns

        Known-error signatures. Look here first when an error appears.

        ## ECR: "authorization token has expired"

        **Keywords:** ecr, docker login, token expired

        **Root Cause:** Cached docker config outlives the 12-hour ECR token.

        **Solution:** Log in to ECR inside every CI job.

        **Related:** RIS-046
        **Hit Count:** 1
        **Last Used:** 2026-01-11

        ## Celery worker OOM

        **Keywords:** celery, oom, memory

        **Root Cause:** Prefetch multiplier too high.

        **Related:** RIS-047
        **Hit Count:** 4
        **Last Used:** 2026-01-02

        ## Celery beat duplicate tasks

        **Keywords:** celery, beat

        **Solution:** Run one beat per cluster.

        ---

        ## Disk full

        **Keywords:** disk

        **Root Cause:** Logs not rotated.

        """

    private func patterns(in text: String = HotPatternFileTests.text) -> [HotPattern] {
        DocumentParser.parse(data: Data(text.utf8), path: ".claude/memory/hot-patterns.md").hotPatterns
    }

    func testTheFileReadsAsFourPatterns() {
        let found = patterns()
        XCTAssertEqual(
            found.map(\.title),
            [
                #"ECR: "authorization token has expired""#, "Celery worker OOM",
                "Celery beat duplicate tasks", "Disk full",
            ])
        XCTAssertEqual(found.map(\.line), [5, 17, 27, 35])
        XCTAssertEqual(found[0].hitCountLine, 14)
        XCTAssertEqual(found[0].lastUsedLine, 15)
    }

    func testSlug() {
        XCTAssertEqual(
            HotPatternFile.slug(#"Lambda Deployment: "manifest media type not supported""#),
            "lambda-deployment-manifest-media-type-not-supported")
        XCTAssertEqual(HotPatternFile.slug("  --Disk FULL on db_1!! (2026) "), "disk-full-on-db-1-2026")
        XCTAssertEqual(HotPatternFile.slug("Café déjà vu"), "café-déjà-vu")
        XCTAssertEqual(HotPatternFile.slug("!!!"), "")
    }

    func testChooseByPartOfATitleASlugOrARelatedID() throws {
        let all = patterns()
        XCTAssertEqual(
            try HotPatternFile.choose("AUTHORIZATION token", in: all).title, #"ECR: "authorization token has expired""#)
        XCTAssertEqual(try HotPatternFile.choose("ecr-authorization-token-has-expired", in: all).line, 5)
        XCTAssertEqual(try HotPatternFile.choose("celery-worker", in: all).title, "Celery worker OOM")
        XCTAssertEqual(try HotPatternFile.choose("ris-047", in: all).title, "Celery worker OOM")
        XCTAssertEqual(try HotPatternFile.choose("  disk full ", in: all).title, "Disk full")
    }

    func testChooseByKeywordOrPathAndLine() throws {
        var lambda = HotPattern(title: "Lambda Deployment: manifest media type not supported", line: 5)
        lambda.keywords = ["lambda", "manifest", "InvalidParameterValueException"]
        var ecr = HotPattern(title: "ECR: authorization token has expired", line: 24)
        ecr.keywords = ["ecr", "docker login"]
        let all = [lambda, ecr]
        let path = ".claude/memory/hot-patterns.md"
        // A keyword that is in no title; then a part of a keyword.
        XCTAssertEqual(try HotPatternFile.choose("InvalidParameterValueException", in: all, path: path).line, 5)
        XCTAssertEqual(try HotPatternFile.choose("invalidparametervalue", in: all, path: path).line, 5)
        XCTAssertEqual(try HotPatternFile.choose("docker login", in: all, path: path).line, 24)
        // path:line, whole or by its last parts; a line that is no title picks nothing.
        XCTAssertEqual(try HotPatternFile.choose("\(path):24", in: all, path: path).line, 24)
        XCTAssertEqual(try HotPatternFile.choose("hot-patterns.md:5", in: all, path: path).line, 5)
        XCTAssertThrowsError(try HotPatternFile.choose("hot-patterns.md:6", in: all, path: path))
        // Several by one rule: listed with path:line.
        XCTAssertThrowsError(try HotPatternFile.choose("e", in: all, path: path)) { error in
            XCTAssertEqual(
                "\(error)",
                "'e' matches 2 hot patterns; give one of these (path:line) or more of the title:\n"
                    + "  \(path):5  Lambda Deployment: manifest media type not supported\n"
                    + "  \(path):24  ECR: authorization token has expired")
        }
    }

    func testAnExactTitleWinsOverLongerOnes() throws {
        let all = [HotPattern(title: "Disk full on replica", line: 3), HotPattern(title: "Disk full", line: 9)]
        XCTAssertEqual(try HotPatternFile.choose("disk full", in: all).line, 9)
    }

    func testAmbiguousAndNotFound() {
        let all = patterns()
        XCTAssertThrowsError(try HotPatternFile.choose("celery", in: all)) { error in
            guard let failure = error as? RISKitError, failure.kind == .hotPatternAmbiguous else {
                return XCTFail("not ambiguous: \(error)")
            }
            XCTAssertTrue(failure.isUsage)
            XCTAssertEqual(failure.candidates.map(\.line), [17, 27])
            XCTAssertEqual(
                "\(error)",
                "'celery' matches 2 hot patterns; give one of these (path:line) or more of the title:\n"
                    + "  line 17  Celery worker OOM\n  line 27  Celery beat duplicate tasks")
        }
        XCTAssertThrowsError(try HotPatternFile.choose("kafka lag", in: all)) { error in
            XCTAssertEqual("\(error)", "no hot pattern matches 'kafka lag'")
        }
        XCTAssertThrowsError(try HotPatternFile.choose("   ", in: all)) { error in
            XCTAssertEqual((error as? RISKitError)?.kind, .hotPatternNotFound)
        }
    }

    func testRecordingAHitChangesOnlyTheCountAndDateLines() throws {
        let pattern = try HotPatternFile.choose("ecr", in: patterns())
        let updated = HotPatternFile.recordingHit(on: pattern, date: "2026-03-01", in: Self.text)
        let before = Self.text.components(separatedBy: "\n")
        let after = updated.components(separatedBy: "\n")
        XCTAssertEqual(after.count, before.count)
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        XCTAssertEqual(changed, [13, 14])
        XCTAssertEqual(after[13], "**Hit Count:** 2")
        XCTAssertEqual(after[14], "**Last Used:** 2026-03-01")
        // Read again, the pattern says so.
        let reread = patterns(in: updated)[0]
        XCTAssertEqual(reread.hitCount, 2)
        XCTAssertEqual(reread.lastUsed, "2026-03-01")
    }

    func testAMissingCountIsAddedAtTheEndOfTheEntry() throws {
        let pattern = try HotPatternFile.choose("beat", in: patterns())
        XCTAssertNil(pattern.hitCountLine)
        let updated = HotPatternFile.recordingHit(on: pattern, date: "2026-03-01", in: Self.text)
        // After the entry's last line of text, before its blank line and the rule.
        XCTAssertEqual(
            updated,
            Self.text.replacingOccurrences(
                of: "**Solution:** Run one beat per cluster.\n",
                with: "**Solution:** Run one beat per cluster.\n**Hit Count:** 1\n**Last Used:** 2026-03-01\n"))
    }

    func testRender() {
        var pattern = HotPattern(title: "Disk full", line: 0)
        pattern.keywords = ["disk", "logrotate"]
        pattern.symptom = "No space left on device"
        pattern.rootCause = "Logs\nnot rotated."
        pattern.solution = "rm -rf /var/log/old\nsystemctl restart logrotate"
        pattern.related = ["RIS-050"]
        XCTAssertEqual(
            HotPatternFile.render(pattern, lastUsed: nil),
            """
            ## Disk full

            **Keywords:** disk, logrotate

            **Symptom:** No space left on device

            **Root Cause:** Logs not rotated.

            **Solution:**
            ```
            rm -rf /var/log/old
            systemctl restart logrotate
            ```

            **Related:** RIS-050
            **Hit Count:** 0
            **Last Used:** never

            """)
    }

    func testAppendingIsIdempotentForAnExistingTitle() throws {
        var pattern = HotPattern(title: "Kafka consumer lag", line: 0)
        pattern.related = ["RIS-060"]
        pattern.hitCount = 0
        let once = try XCTUnwrap(
            HotPatternFile.appending(pattern, lastUsed: "2026-03-01", to: Self.text, existing: patterns()))
        XCTAssertEqual(once, Self.text + "\n" + HotPatternFile.render(pattern, lastUsed: "2026-03-01"))
        XCTAssertEqual(patterns(in: once).map(\.title).last, "Kafka consumer lag")
        // Appending it again, or any case of its title, changes nothing.
        XCTAssertNil(HotPatternFile.appending(pattern, lastUsed: "2026-03-02", to: once, existing: patterns(in: once)))
        pattern.title = "KAFKA CONSUMER LAG"
        XCTAssertNil(HotPatternFile.appending(pattern, lastUsed: "2026-03-02", to: once, existing: patterns(in: once)))
    }

    func testAppendingToNoFileStartsOne() throws {
        let pattern = HotPattern(title: "Disk full", line: 0)
        let text = try XCTUnwrap(HotPatternFile.appending(pattern, lastUsed: nil, to: nil, existing: []))
        XCTAssertTrue(
            text.hasPrefix(
                "# Hot Patterns\n\nKnown-error signatures. Look here first when an error appears.\n\n"
                    + "## Disk full\n\n"), text)
        XCTAssertEqual(
            HotPatternFile.appending(pattern, lastUsed: nil, to: "# Mine", existing: []),
            "# Mine\n\n" + HotPatternFile.render(pattern, lastUsed: nil))
    }

    /// `"\r\n"` is one Character: a split on Characters found no line, and the hit changed nothing.
    func testAHitInACRLFFileChangesItsTwoLinesAndKeepsTheLineEnds() throws {
        let crlf = Self.text.replacingOccurrences(of: "\n", with: "\r\n")
        let pattern = try HotPatternFile.choose("ecr", in: patterns(in: crlf))
        let updated = HotPatternFile.recordingHit(on: pattern, date: "2026-03-01", in: crlf)
        XCTAssertEqual(
            updated,
            crlf.replacingOccurrences(
                of: "**Hit Count:** 1\r\n**Last Used:** 2026-01-11",
                with: "**Hit Count:** 2\r\n**Last Used:** 2026-03-01"))
        // An entry without the lines gets them, in the file's line ends (this trapped before).
        let disk = try HotPatternFile.choose("disk", in: patterns(in: crlf))
        let added = HotPatternFile.recordingHit(on: disk, date: "2026-03-01", in: crlf)
        XCTAssertTrue(
            added.hasSuffix("**Root Cause:** Logs not rotated.\r\n**Hit Count:** 1\r\n**Last Used:** 2026-03-01\r\n"),
            added)
        XCTAssertFalse(
            added.unicodeScalars.split(separator: "\n").contains { $0.last != "\r" }, "every line ends in CR LF")
    }
}
