import Foundation
import XCTest

@testable import RISKit

final class ChildProcessTests: XCTestCase {
    func testCollectsOutputErrorAndStatus() {
        let result = ChildProcess.run(["sh", "-c", "printf out; printf err >&2; exit 3"])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(String(decoding: result.output, as: UTF8.self), "out")
        XCTAssertEqual(String(decoding: result.error, as: UTF8.self), "err")
    }

    func testFeedsInputLargerThanAPipeWhileDrainingOutput() {
        // 1 MB each way: a pipe holds 64 KB, so feeding and reading must interleave.
        let input = Data((0..<1_048_576).map { UInt8($0 % 251) })
        let result = ChildProcess.run(["cat"], input: input)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, input)
    }

    func testStandardInputIsEmptyWhenNoInputIsGiven() {
        let result = ChildProcess.run(["sh", "-c", "wc -c"])
        XCTAssertEqual(String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespaces), "0\n")
    }

    func testEnvironmentReplacesThisProcesses() {
        let result = ChildProcess.run(
            ["sh", "-c", "printf %s \"$RIS_CHILD_TEST\""],
            environment: ["RIS_CHILD_TEST": "x", "PATH": "/usr/bin:/bin"])
        XCTAssertEqual(String(decoding: result.output, as: UTF8.self), "x")
    }

    func testAProgramThatCannotBeRunIs127AndAKilledOneIs128PlusTheSignal() {
        let missing = ChildProcess.run(["ris-no-such-program-\(UUID().uuidString)"])
        XCTAssertEqual(missing.status, 127)
        XCTAssertEqual(ChildProcess.run(["sh", "-c", "kill -TERM $$"]).status, 128 + SIGTERM)
    }
}

final class TimestampTests: XCTestCase {
    func testWritesWhatISO8601DateFormatterWrites() {
        let formatter = ISO8601DateFormatter()
        for seconds in [0, 951_782_400, 1_795_790_312.75, 4_102_444_799, -86_401] as [TimeInterval] {
            let date = Date(timeIntervalSince1970: seconds)
            XCTAssertEqual(Timestamp.iso8601(date), formatter.string(from: date), "\(seconds)")
        }
    }
}
