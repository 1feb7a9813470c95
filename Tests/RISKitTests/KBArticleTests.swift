import Foundation
import RISKit
import XCTest

/// `ris kb generate`: where an article goes, its link back to the record, and its text.
final class KBArticleTests: XCTestCase {
    private static let recordPath = "docs/06-ris/resolutions/RIS-050-disk-full.md"
    private static let recordText = """
        ---
        created: 2026-01-10
        updated: 2026-01-12
        project: acme
        compliance:
          soc2:
            retention-period: 7-years
        ---

        # RIS-050: Disk full on db-1

        **Date:** 2026-01-09
        **Severity:** HIGH
        **Category:** Storage / Databases

        ## Symptom

        No space left on device.

        ## Root Cause

        Logs were not rotated.

        ## Successful Solution

        Enable logrotate.

        ---

        ## Prevention Measures

        Alert at 80% disk.

        """

    private var document: RISDocument {
        DocumentParser.parse(data: Data(Self.recordText.utf8), path: Self.recordPath)
    }

    func testRelativePath() {
        XCTAssertEqual(
            KBArticle.relativePath(from: "docs/05-kb/storage/kb-disk-full.md", to: Self.recordPath),
            "../../06-ris/resolutions/RIS-050-disk-full.md")
        XCTAssertEqual(KBArticle.relativePath(from: "docs/a.md", to: "docs/b.md"), "b.md")
        XCTAssertEqual(KBArticle.relativePath(from: "kb.md", to: "docs/b.md"), "docs/b.md")
        XCTAssertEqual(KBArticle.relativePath(from: "a/b/c.md", to: "x.md"), "../../x.md")
        XCTAssertEqual(KBArticle.relativePath(from: "a/b/c.md", to: "a/d/e.md"), "../d/e.md")
    }

    func testDefaultPathFromTheCategoryAndTitle() {
        XCTAssertEqual(
            KBArticle.defaultPath(for: document, config: KnowledgeBaseConfig()),
            "docs/05-kb/storage-databases/kb-disk-full-on-db-1.md")
        var config = KnowledgeBaseConfig()
        config.kb = "/knowledge/"
        let plain = DocumentParser.parse(
            data: Data("# RIS-051: Queue backlog\n\n**Severity:** LOW\n".utf8), path: "RIS-051.md")
        XCTAssertEqual(KBArticle.defaultPath(for: plain, config: config), "knowledge/general/kb-queue-backlog.md")
        let yamlCategory = DocumentParser.parse(
            data: Data("---\ncategory: Networking\n---\n# RIS-052: DNS flaps\n".utf8),
            path: "RIS-052.md")
        XCTAssertEqual(KBArticle.defaultPath(for: yamlCategory, config: config), "knowledge/networking/kb-dns-flaps.md")
    }

    func testRenderPlacesTheRecordsSections() throws {
        let path = "docs/05-kb/storage/kb-disk-full.md"
        let text = try KBArticle.render(
            document: document, text: Self.recordText, sha256: "abc123", articlePath: path, template: nil)
        XCTAssertTrue(
            text.hasPrefix(
                """
                ---
                compliance:
                  soc2:
                    retention-period: 7-years
                created: '2026-01-12'
                derived-from:
                  id: RIS-050
                  path: docs/06-ris/resolutions/RIS-050-disk-full.md
                  sha256: abc123
                project: acme
                title: Disk full on db-1
                updated: '2026-01-12'
                version: '1.0'
                ---

                # Disk full on db-1

                > Derived from [RIS-050](../../06-ris/resolutions/RIS-050-disk-full.md).
                """), text)
        XCTAssertTrue(
            text.contains(
                "## Symptom\n\nNo space left on device.\n\n## Root Cause\n\nLogs were not rotated.\n\n"
                    + "## Fix\n\nEnable logrotate.\n"),
            text)
        XCTAssertTrue(text.contains("## Prevention\n\nAlert at 80% disk.\n"), text)
        XCTAssertTrue(text.contains("## Lessons Learned\n\n_Not written in the record._\n"), text)
        XCTAssertTrue(
            text.hasSuffix("- [RIS-050: Disk full on db-1](../../06-ris/resolutions/RIS-050-disk-full.md)\n"), text)
    }

    func testRenderIsDeterministic() throws {
        let path = "docs/05-kb/storage/kb-disk-full.md"
        let first = try KBArticle.render(
            document: document, text: Self.recordText, sha256: "abc123", articlePath: path, template: nil)
        let second = try KBArticle.render(
            document: document, text: Self.recordText, sha256: "abc123", articlePath: path, template: nil)
        XCTAssertEqual(first, second)
        let otherDigest = try KBArticle.render(
            document: document, text: Self.recordText, sha256: "def456", articlePath: path,
            template: nil)
        XCTAssertNotEqual(first, otherDigest)
        XCTAssertEqual(first.replacingOccurrences(of: "sha256: abc123", with: "sha256: def456"), otherDigest)
    }

    func testACustomTemplateAndABrokenOne() throws {
        let text = try KBArticle.render(
            document: document, text: Self.recordText, sha256: "x", articlePath: "kb/a.md",
            template: "{{{id}}}|{{{recordLink}}}|{{{recordPath}}}|{{{date}}}")
        XCTAssertEqual(
            text,
            "RIS-050|../docs/06-ris/resolutions/RIS-050-disk-full.md|"
                + "docs/06-ris/resolutions/RIS-050-disk-full.md|2026-01-09")
        XCTAssertThrowsError(
            try KBArticle.render(
                document: document, text: Self.recordText, sha256: "x", articlePath: "kb/a.md",
                template: "{{#unclosed}}")
        ) { error in
            XCTAssertTrue(
                (error as? RISKitError)?.description.hasPrefix("the template does not parse: ") == true,
                "\(error)")
        }
    }

    /// An empty `kb` is the root (no leading `/`), and a slug cut at 60 characters does not end in `-`.
    func testDefaultPathWithAnEmptyFolderAndALongTitle() {
        var config = KnowledgeBaseConfig()
        config.kb = ""
        let long = DocumentParser.parse(
            data: Data("# RIS-053: Abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi abcdefghi\n".utf8),
            path: "RIS-053.md")
        XCTAssertEqual(
            KBArticle.defaultPath(for: long, config: config),
            "general/kb-abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcdefghi-abcdefghi.md")
    }
}
