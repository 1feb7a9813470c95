import Foundation
import XCTest

@testable import RISStore

final class BackgroundWritebackTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ris-writeback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The kernel's dirty pages, system-wide (/proc/meminfo), in kB.
    func dirtyKilobytes() throws -> Int {
        let lines = try String(contentsOfFile: "/proc/meminfo", encoding: .utf8).split(separator: "\n")
        let line = try XCTUnwrap(lines.first { $0.hasPrefix("Dirty:") })
        return try XCTUnwrap(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    /// Pages written and not yet on disk go there while the writer goes on: the kernel would
    /// hold them for 30 s (or until a tenth of the memory is dirty), and the commit's fdatasync
    /// would write them all, with the cores idle.
    func testDirtyPagesOfTheFileAreWrittenWhileItIsOpen() throws {
        let path = folder.appendingPathComponent("index.sqlite").path
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        let page = [UInt8](repeating: 0x5A, count: 1 << 20)
        let before = try dirtyKilobytes()
        for _ in 0..<64 {
            XCTAssertEqual(page.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, 1 << 20)
        }
        let written = try dirtyKilobytes()
        // The pages wait in memory (the kernel writes at 10% of it dirty, or after 30 s).
        // Other processes write too: what is checked is a drop of half the file's 64 MB.
        XCTAssertGreaterThanOrEqual(written - before, 48 * 1024, "dirty: \(before) kB, then \(written)")
        let writeback = try XCTUnwrap(BackgroundWriteback(path: path, interval: .milliseconds(20)))
        var lowest = written
        for _ in 0..<150 where written - lowest < 32 * 1024 {
            usleep(20_000)
            lowest = min(lowest, try dirtyKilobytes())
        }
        writeback.finish()
        XCTAssertGreaterThanOrEqual(written - lowest, 32 * 1024, "dirty: \(before) kB, then \(written), then \(lowest)")
    }

    /// `finish` closes the descriptor the thread held; a link, a FIFO or nothing is refused.
    func testFinishClosesTheFileAndOnlyARegularFileIsOpened() throws {
        let path = folder.appendingPathComponent("index.sqlite").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("x".utf8)))
        // The descriptors open on that file (other tests run beside this one, with files of
        // their own).
        func descriptorsOnTheFile() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path
            }.count
        }
        let writeback = try XCTUnwrap(BackgroundWriteback(path: path, interval: .milliseconds(1)))
        XCTAssertEqual(try descriptorsOnTheFile(), 1)
        writeback.finish()
        XCTAssertEqual(try descriptorsOnTheFile(), 0)
        for _ in 0..<20 { try XCTUnwrap(BackgroundWriteback(path: path, interval: .milliseconds(1))).finish() }
        XCTAssertEqual(try descriptorsOnTheFile(), 0)
        // Finishing twice waits for nothing the second time.
        let twice = try XCTUnwrap(BackgroundWriteback(path: path))
        twice.finish()
        twice.finish()
        XCTAssertEqual(try descriptorsOnTheFile(), 0)
        // A FIFO where the file was is refused at once, not waited on.
        let fifo = folder.appendingPathComponent("fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertNil(BackgroundWriteback(path: fifo))
        XCTAssertNil(BackgroundWriteback(path: folder.appendingPathComponent("missing").path))
        let link = folder.appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        XCTAssertNil(BackgroundWriteback(path: link))
    }
}
