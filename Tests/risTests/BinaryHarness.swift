import Foundation
import Synchronization
import XCTest

/// Runs the built `ris` binary the way a user or a script does.
struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
}

enum Binary {
    static var risURL: URL {
        // Another build to test, by path: `make test` runs these tests on the release binary too,
        // built with the flags users' copies have.
        if let chosen = ProcessInfo.processInfo.environment["RIS_TEST_BINARY"], !chosen.isEmpty {
            return URL(fileURLWithPath: chosen)
        }
        // The test bundle sits beside the products on Linux (.build/debug/*.xctest).
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("ris"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ris"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    /// Runs `ris arguments` in `directory`; a run over `timeout` seconds is killed and fails the test (a hang).
    static func run(
        _ arguments: [String], in directory: URL, timeout: TimeInterval = 60,
        environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line
    ) throws -> RunResult {
        try runProgram(
            risURL.path, arguments, in: directory, timeout: timeout, environment: environment, file: file, line: line)
    }

    /// Runs any program the same way.
    static func runProgram(
        _ program: String, _ arguments: [String], in directory: URL, timeout: TimeInterval = 60,
        environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line
    ) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // No test waits on a person's editor: `ris edit` runs `true` unless a test says otherwise.
        env["VISUAL"] = "true"
        env["EDITOR"] = "true"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so that a large output cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            process.terminate()
            XCTFail(
                "ris \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s", file: file,
                line: line)
        }
        process.waitUntilExit()
        group.wait()
        return RunResult(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self),
            stdoutData: outData)
    }
}

extension Binary {
    /// Runs one `ris` command per argument list, all at once, and returns the results in order.
    static func runConcurrently(_ argumentLists: [[String]], in directory: URL, environment: [String: String] = [:])
        -> [RunResult?]
    {
        let group = DispatchGroup()
        let lock = NSLock()
        nonisolated(unsafe) var results = [RunResult?](repeating: nil, count: argumentLists.count)
        for (index, arguments) in argumentLists.enumerated() {
            group.enter()
            DispatchQueue.global().async {
                let result = try? Binary.run(arguments, in: directory, environment: environment)
                lock.lock()
                results[index] = result
                lock.unlock()
                group.leave()
            }
        }
        group.wait()
        return results
    }
}

/// A temporary folder removed after the test, or at the latest when the test process exits
/// (XCTest keeps each test case, and what it holds, alive until then).
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ris-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryFolder.removedAtExit
        _ = TemporaryFolder.left.withLock { $0.insert(url.path) }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
        _ = TemporaryFolder.left.withLock { $0.remove(url.path) }
    }

    private static let left = Mutex<Set<String>>([])
    private static let removedAtExit: Void = { atexit { TemporaryFolder.removeLeft() } }()

    private static func removeLeft() {
        for path in left.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A copy of `examples/kb` here, leaving out the paths `skip` accepts.
    func copySampleKnowledgeBase(skipping skip: (String) -> Bool) throws {
        let sample = ParseCommandTests.repository.appendingPathComponent("examples/kb")
        for path in try FileManager.default.subpathsOfDirectory(atPath: sample.path) where !skip(path) {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: sample.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { try write(path, try Data(contentsOf: sample.appendingPathComponent(path))) }
        }
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> URL {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file
    }
}
