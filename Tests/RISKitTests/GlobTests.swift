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

    /// The byte fast paths (`**/*.md`, `node_modules/**`) agree with the general matcher, reached
    /// through the same pattern written with a one-character set (`[d]` is not a literal).
    func testFastPathsAgreeWithTheGeneralMatcher() {
        let patterns = [
            ("**/*.md", "**/*.m[d]"), ("*.yaml", "**/*.yam[l]"), ("node_modules/**", "node_module[s]/**"),
            (".git/**", ".gi[t]/**"), ("docs/ris/**", "docs/ri[s]/**"),
        ]
        let paths = [
            "a.md", "docs/ris/RIS-1.md", "node_modules/x/y.md", "node_modules", "node_modulesx/y.md", ".git/HEAD",
            "docs/a.yaml", "x.yaml", "a/b.md", "a/c/b.md", "md", ".md", "docs/ris", "é/ü.md", "a.mdx",
            "docs/ris/x/y.yaml", "amd", "a/xmd", "xode_modules/y.md", "node_moduleX/y.md", "docs/riX/a.md",
            "a.yamX", "Xyaml",
        ]
        for (fast, general) in patterns {
            // The folder itself: the fast path matches only what is below it (the walk asks
            // `matchesEverything(below:)` for a folder), where `**` also matches no folder at all.
            let folder = String(fast.dropLast(3))
            if fast.hasSuffix("/**") {
                XCTAssertFalse(Glob(fast).matches(folder))
                XCTAssertTrue(Glob(fast).matchesEverything(below: folder))
            }
            for path in paths where path != folder {
                var text = path
                let fromBytes = text.withUTF8 { Glob(fast).matches(utf8: UnsafeRawBufferPointer($0)) }
                XCTAssertEqual(fromBytes, Glob(general).matches(path), "\(fast) on \(path)")
                XCTAssertEqual(Glob(fast).matches(path), Glob(general).matches(path), "\(fast) on \(path)")
            }
        }
        var path = "docs/a.md"
        XCTAssertNil(path.withUTF8 { Glob("docs/*.md").matches(utf8: UnsafeRawBufferPointer($0)) })
        XCTAssertNil(path.withUTF8 { Glob("**/*.m[d]").matches(utf8: UnsafeRawBufferPointer($0)) })
    }
}
