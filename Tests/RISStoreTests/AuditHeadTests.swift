import XCTest

@testable import RISStore

/// The head of the audit trail as a file: written by ris, checked out by git.
final class AuditHeadTests: XCTestCase {
    func testAHeadCheckedOutWithCRLFLineEndsIsTheSameHead() throws {
        let heads = [
            AuditTrail.Head(count: 0, hash: ""),
            AuditTrail.Head(count: 3, hash: "abc"),
            AuditTrail.Head(count: 3, hash: "abc", pending: .init(count: 5, hash: "def")),
        ]
        for head in heads {
            XCTAssertEqual(AuditTrail.Head.parse(head.text), head)
            XCTAssertEqual(AuditTrail.Head.parse(head.text.replacingOccurrences(of: "\n", with: "\r\n")), head)
        }
        XCTAssertEqual(AuditTrail.Head.parse("7 abc\r\n"), AuditTrail.Head(count: 7, hash: "abc", isLegacy: true))
        XCTAssertNil(AuditTrail.Head.parse("ris-audit-head 2\r\nevents 3\r\n"), "no `last` line")
        XCTAssertNil(AuditTrail.Head.parse("\r\n\r\n"))
    }
}
