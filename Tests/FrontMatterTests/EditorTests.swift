import Foundation
import XCTest

@testable import FrontMatter

final class EditorTests: XCTestCase {
    let seedHead = """
        ---
        compliance:
          hipaa:
            controls:
            - 164.308(a)(1)(ii)(D)
            retention-period: 7-years   # keep
            review-frequency: quarterly
          soc2:
            controls: [CC7.3]
        created: '2026-01-10'
        project: credentialmate
        version: '1.0'
        ---

        # RIS-045: Title

        **Hit Count:** 1

        """

    func edit(_ text: String, _ path: [String], _ value: ScalarValue) throws -> String {
        String(decoding: try FrontMatterEditor.setting(path, to: value, in: Data(text.utf8)), as: UTF8.self)
    }

    func testReplacesOnlyTheValueBytes() throws {
        let edited = try edit(seedHead, ["compliance", "hipaa", "review-frequency"], .string("annual"))
        XCTAssertEqual(
            edited, seedHead.replacingOccurrences(of: "review-frequency: quarterly", with: "review-frequency: annual"))
        let plainWithComment = try edit(seedHead, ["compliance", "hipaa", "retention-period"], .string("6-years"))
        XCTAssertEqual(
            plainWithComment, seedHead.replacingOccurrences(of: "7-years   # keep", with: "6-years   # keep"))
    }

    func testKeepsQuotingStyle() throws {
        let edited = try edit(seedHead, ["updated"], .string("2026-03-01"))
        XCTAssertTrue(edited.contains("project: credentialmate\nupdated: '2026-03-01'\nversion: '1.0'\n"), edited)
        let created = try edit(seedHead, ["created"], .string("it's"))
        XCTAssertEqual(created, seedHead.replacingOccurrences(of: "created: '2026-01-10'", with: "created: 'it''s'"))
    }

    func testInsertsNestedKeysInSortedPlace() throws {
        let edited = try edit(seedHead, ["compliance", "iso27001", "review-frequency"], .string("quarterly"))
        let expected = seedHead.replacingOccurrences(
            of: "  soc2:\n", with: "  iso27001:\n    review-frequency: quarterly\n  soc2:\n")
        XCTAssertEqual(edited, expected)
        let appended = try edit(seedHead, ["compliance", "soc2", "evidence-type"], .string("documentation"))
        XCTAssertEqual(
            appended,
            seedHead.replacingOccurrences(
                of: "    controls: [CC7.3]\n", with: "    controls: [CC7.3]\n    evidence-type: documentation\n"))
        let afterList = try edit(seedHead, ["compliance", "hipaa", "phi-contains"], .string("none"))
        XCTAssertEqual(
            afterList,
            seedHead.replacingOccurrences(
                of: "    - 164.308(a)(1)(ii)(D)\n", with: "    - 164.308(a)(1)(ii)(D)\n    phi-contains: none\n"))
    }

    func testAddsFrontMatterWhenThereIsNone() throws {
        let edited = try edit("# RIS-1: T\n", ["updated"], .string("2026-03-01"))
        XCTAssertEqual(edited, "---\nupdated: '2026-03-01'\n---\n# RIS-1: T\n")
    }

    func testCRLFAndByteOrderMarkAreKept() throws {
        let text = "---\r\nid: RIS-1\r\nversion: '1.0'\r\n---\r\nbody\r\n"
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data(text.utf8))
        let edited = try FrontMatterEditor.setting(["version"], to: .string("1.1"), in: data)
        var expected = Data([0xEF, 0xBB, 0xBF])
        expected.append(Data(text.replacingOccurrences(of: "'1.0'", with: "'1.1'").utf8))
        XCTAssertEqual(edited, expected)
        let inserted = try FrontMatterEditor.setting(["project"], to: .string("x"), in: data)
        XCTAssertTrue(String(decoding: inserted, as: UTF8.self).contains("id: RIS-1\r\nproject: x\r\nversion"))
    }

    func testRefusesWhatItCannotEditSafely() {
        XCTAssertThrowsError(try edit("---\nnote: |\n  a\n  b\n---\n", ["note"], .string("x")))
        XCTAssertThrowsError(try edit("---\nbad: [\n---\n", ["bad"], .string("x")))
        XCTAssertThrowsError(try edit("---\nc: {a: 1}\n---\n", ["c", "b"], .integer(2)))
        XCTAssertThrowsError(try FrontMatterEditor.setting(["a"], to: .integer(1), in: Data([0x2D, 0xFF])))
    }

    func testRoundTripsEveryValueKind() throws {
        for value in [
            ScalarValue.integer(42), .bool(true), .string("needs: quoting"), .string("#hash"), .string("plain words"),
        ] {
            let edited = try edit(seedHead, ["project"], value)
            let reread = FrontMatterDocument(source: SourceText(string: edited), pathExtension: "md")
            XCTAssertTrue(reread.diagnostics.isEmpty)
            let before = seedHead.components(separatedBy: "\n")
            let after = edited.components(separatedBy: "\n")
            XCTAssertEqual(before.count, after.count)
            XCTAssertEqual(zip(before, after).filter { $0 != $1 }.count, 1, "only the project line changes")
        }
    }
}
