import Foundation
import XCTest

/// Damaged copies of the seed record: ris reads every one, prints every one, and never crashes.
final class MutationTests: XCTestCase {
    /// A small deterministic generator, so that a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
    }

    func testDamagedRecordsAreAllReadAndReported() throws {
        let seed = try Data(
            contentsOf: ParseCommandTests.repository.appendingPathComponent(
                "examples/kb/docs/06-ris/resolutions/RIS-RESOLUTION-045-lambda-manifest-type-docker-macos.md"))
        let pieces: [[UInt8]] =
            [
                "---", "```", "```markdown", "\n", "\r\n", "*", "&a", "*a", "[", "{", "|", "#", "\t", ": ", "\"", "> ",
                "**Hit Count:**", "| a | b |\n|---|---|\n",
            ].map { Array($0.utf8) } + [[0xFF], [0xC3]]
        var generator = Generator(state: 2026)
        let folder = try TemporaryFolder()
        let count = 120
        for index in 0..<count {
            var bytes = [UInt8](seed)
            for _ in 0..<(1 + generator.next(30)) {
                let position = generator.next(bytes.count + 1)
                switch generator.next(3) {
                case 0: bytes.insert(contentsOf: pieces[generator.next(pieces.count)], at: position)
                case 1: bytes.removeSubrange(position..<min(bytes.count, position + 1 + generator.next(50)))
                default:
                    let from = generator.next(bytes.count + 1)
                    bytes.insert(
                        contentsOf: bytes[from..<min(bytes.count, from + 1 + generator.next(200))], at: position)
                }
            }
            try folder.write(String(format: "f%03d.%@", index, index % 5 == 0 ? "yaml" : "md"), Data(bytes))
        }
        let result = try Binary.run(["parse", "--format", "json", "."], in: folder.url)
        XCTAssertTrue(result.status == 0 || result.status == 1, "exit \(result.status): \(result.stderr.suffix(500))")
        let objects = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
        XCTAssertEqual(objects.count, count, "no file is skipped")
        for object in objects {
            XCTAssertFalse((object["id"] as? String ?? "").isEmpty)
            XCTAssertFalse((object["title"] as? String ?? "").isEmpty)
            let errors = (object["diagnostics"] as? [[String: Any]] ?? []).filter {
                $0["severity"] as? String == "error"
            }
            for error in errors {
                // Every error printed in the JSON is also on stderr, positioned.
                let path = object["path"] as! String
                XCTAssertTrue(result.stderr.contains("\(path):\(error["line"]!):\(error["column"]!): error: "), path)
            }
        }
    }
}
