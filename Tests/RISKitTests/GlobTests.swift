import Foundation
import RISKit
import XCTest

/// The globs of `include` and `exclude`.
final class GlobTests: XCTestCase {
    func testDoubleStarSuffix() {
        let glob = Glob("**/*.md")
        XCTAssertTrue(glob.matches("RIS-045.md"))
        XCTAssertTrue(glob.matches("docs/06-ris/resolutions/RIS-045.md"))
        XCTAssertFalse(glob.matches("docs/RIS-045.markdown"))
        XCTAssertFalse(glob.matches("docs/README.md.bak"))
    }

    func testAPatternWithoutAFolderMatchesAtAnyDepth() {
        let glob = Glob("RIS-*.md")
        XCTAssertTrue(glob.matches("RIS-045.md"))
        XCTAssertTrue(glob.matches("docs/ris/RIS-045.md"))
        XCTAssertFalse(glob.matches("docs/ris/KB-045.md"))
    }

    func testStarStaysInsideOneFolderName() {
        let glob = Glob("docs/*.md")
        XCTAssertTrue(glob.matches("docs/a.md"))
        XCTAssertFalse(glob.matches("docs/sub/a.md"))
        XCTAssertFalse(glob.matches("other/docs/a.md"))
        // A leading `./` or `/` anchors at the root, as written.
        XCTAssertTrue(Glob("./docs/*.md").matches("docs/a.md"))
        XCTAssertTrue(Glob("/docs/*.md").matches("docs/a.md"))
        XCTAssertFalse(Glob("/docs/*.md").matches("x/docs/a.md"))
    }

    func testDoubleStarInTheMiddleMatchesZeroOrMoreFolders() {
        let glob = Glob("docs/**/RIS-*.md")
        XCTAssertTrue(glob.matches("docs/RIS-1.md"))
        XCTAssertTrue(glob.matches("docs/a/b/c/RIS-1.md"))
        XCTAssertFalse(glob.matches("src/a/RIS-1.md"))
        XCTAssertFalse(glob.matches("docs/a/KB-1.md"))
    }

    func testQuestionMarkIsOneCharacter() {
        let glob = Glob("RIS-0??.md")
        XCTAssertTrue(glob.matches("RIS-045.md"))
        XCTAssertFalse(glob.matches("RIS-0450.md"))
        XCTAssertFalse(glob.matches("RIS-04.md"))
    }

    func testCharacterSetsAndTheirNegation() {
        XCTAssertTrue(Glob("RIS-[0123].md").matches("RIS-2.md"))
        XCTAssertFalse(Glob("RIS-[0123].md").matches("RIS-7.md"))
        XCTAssertTrue(Glob("RIS-[!0123].md").matches("RIS-7.md"))
        XCTAssertFalse(Glob("RIS-[!0123].md").matches("RIS-2.md"))
        XCTAssertTrue(Glob("RIS-[^a].md").matches("RIS-b.md"))
        XCTAssertFalse(Glob("RIS-[^a].md").matches("RIS-a.md"))
    }

    func testFolderPrefix() {
        let glob = Glob("node_modules/**")
        XCTAssertTrue(glob.matches("node_modules/pkg/README.md"))
        XCTAssertFalse(glob.matches("node_modules"))
        XCTAssertFalse(glob.matches("node_modules_old/README.md"))
        XCTAssertFalse(glob.matches("src/node_modules/README.md"))
    }

    func testMatchesEverythingBelow() {
        let modules = Glob("node_modules/**")
        XCTAssertTrue(modules.matchesEverything(below: "node_modules"))
        XCTAssertTrue(modules.matchesEverything(below: "node_modules/pkg"))
        XCTAssertFalse(modules.matchesEverything(below: "node_modules_old"))
        XCTAssertFalse(modules.matchesEverything(below: "src"))

        let builds = Glob("**/build/**")
        XCTAssertTrue(builds.matchesEverything(below: "build"))
        XCTAssertTrue(builds.matchesEverything(below: "app/ios/build"))
        XCTAssertFalse(builds.matchesEverything(below: "app/ios"))
        XCTAssertTrue(builds.matches("app/build/out.md"))

        // A pattern that does not end in `**` says nothing about a whole folder.
        XCTAssertFalse(Glob("docs/*.md").matchesEverything(below: "docs"))
        XCTAssertFalse(Glob("**/*.md").matchesEverything(below: "docs"))
    }

    /// `?` is one character, also when its UTF-8 takes several bytes; so is the step of `*`.
    func testQuestionMarkTakesAWholeMultiByteCharacter() {
        XCTAssertTrue(Glob("?.md").matches("é.md"))
        XCTAssertTrue(Glob("r?sum?.md").matches("résumé.md"))
        XCTAssertFalse(Glob("??.md").matches("é.md"), "é is one character, not two")
        XCTAssertTrue(Glob("*é.md").matches("café.md"))
    }

    /// Matching a path's bytes (the walk's fast path) agrees with matching its String.
    func testMatchingBytesAgreesWithMatchingTheString() {
        let patterns = [
            "**/*.md", "*.yaml", "node_modules/**", ".git/**", "docs/ris/**", "docs/*.md", "**/RIS-*.md", "a/**/b.md",
        ]
        let paths = [
            "a.md", "docs/ris/RIS-1.md", "node_modules/x/y.md", "node_modules", "node_modulesx/y.md", ".git/HEAD",
            "docs/a.yaml", "x.yaml", "a/b.md", "a/c/b.md", "md", ".md", "docs/ris", "é/ü.md", "a.mdx",
        ]
        for pattern in patterns {
            let glob = Glob(pattern)
            for path in paths {
                var text = path
                let fromBytes = text.withUTF8 { glob.matches(utf8: UnsafeRawBufferPointer($0)) }
                XCTAssertEqual(fromBytes ?? glob.matches(path), glob.matches(path), "\(pattern) on \(path)")
            }
        }
        var path = "docs/a.md"
        XCTAssertNotNil(path.withUTF8 { Glob("**/*.md").matches(utf8: UnsafeRawBufferPointer($0)) })
        XCTAssertNil(path.withUTF8 { Glob("docs/*.md").matches(utf8: UnsafeRawBufferPointer($0)) })
    }
}
