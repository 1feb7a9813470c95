import Foundation
import RISKit
import XCTest

@testable import RISStore

/// A process that keeps its database queues (the `ris` command) closes a store's connection
/// when the store goes, and keeps the closed queue until it exits.
final class DatabaseLifetimeTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("ris-lifetime-\(UUID().uuidString)")
        try KnowledgeBase.initialize(at: root)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func logSize() throws -> Int {
        let log = root.appendingPathComponent(".ris/index.sqlite-wal").path
        return try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
    }

    /// The log a refresh wrote is checkpointed and cut when the store goes, as SQLite does at a
    /// close: the connection was closed, though its queue is kept.
    func testAStoreThatGoesClosesItsConnectionAndKeepsItsQueue() throws {
        // From here on this test process keeps its queues, as `ris` does.
        DatabaseLifetime.keepQueuesUntilExit()
        try write("a.md", "# RIS-001: Disk full\n\nThe disk filled.\n")
        _ = try IndexStore(knowledgeBase: KnowledgeBase(root: root)).refresh()
        let kept = DatabaseLifetime.keptCount
        try write("b.md", "# RIS-002: Quota\n\nThe quota ran out.\n")
        do {
            let store = try IndexStore(knowledgeBase: KnowledgeBase(root: root))
            XCTAssertEqual(try store.refresh().added, 1)
            XCTAssertGreaterThan(try logSize(), 0)
            XCTAssertEqual(try store.search("quota").count, 1)
        }
        XCTAssertEqual(try logSize(), 0)
        XCTAssertEqual(DatabaseLifetime.keptCount, kept + 1)
        // The next store reads what the closed one wrote.
        XCTAssertEqual(try IndexStore(knowledgeBase: KnowledgeBase(root: root)).search("quota").count, 1)
    }
}
