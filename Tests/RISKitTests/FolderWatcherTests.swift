import Foundation
import RISKit
import XCTest

final class FolderWatcherTests: XCTestCase {
    func testEveryKindOfChangeIsSeenOnceAndRisOwnFolderIsNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("docs/old"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent(".ris"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let watcher = try XCTUnwrap(FolderWatcher(root: root))
        XCTAssertTrue(watcher.changedSinceLastCheck(), "the first call: nothing is known yet")
        XCTAssertFalse(watcher.changedSinceLastCheck())
        let file = root.appendingPathComponent("docs/old/RIS-001.md")
        try Data("# RIS-001: A\n".utf8).write(to: file)
        XCTAssertTrue(watcher.changedSinceLastCheck(), "a file created")
        XCTAssertFalse(watcher.changedSinceLastCheck())
        let handle = try FileHandle(forWritingTo: file)
        handle.seekToEndOfFile()
        handle.write(Data("more\n".utf8))
        try handle.close()
        XCTAssertTrue(watcher.changedSinceLastCheck(), "a file appended to")
        try Data("index".utf8).write(to: root.appendingPathComponent(".ris/index.sqlite"))
        XCTAssertFalse(watcher.changedSinceLastCheck(), "ris's own folder is not the knowledge base")
        let folder = root.appendingPathComponent("docs/new")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        XCTAssertTrue(watcher.changedSinceLastCheck(), "a folder created")
        try Data("# RIS-002: B\n".utf8).write(to: folder.appendingPathComponent("RIS-002.md"))
        XCTAssertTrue(watcher.changedSinceLastCheck(), "a file in the new folder: it is watched too")
        try FileManager.default.moveItem(at: file, to: folder.appendingPathComponent("RIS-001.md"))
        XCTAssertTrue(watcher.changedSinceLastCheck(), "a file moved")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("RIS-001.md"))
        XCTAssertTrue(watcher.changedSinceLastCheck(), "a file removed")
        XCTAssertFalse(watcher.changedSinceLastCheck())
    }
}
