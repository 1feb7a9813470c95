import Foundation
import Logging
import MCP

/// MCP's stdio transport: one JSON-RPC message per line on stdin, one per line on stdout.
///
/// The SDK's `StdioTransport` makes both descriptors non-blocking and polls stdin, sleeping
/// 10 ms whenever nothing is there: each request waited up to 10 ms before it was read (5 ms
/// on average, more for a pasted log that arrives in several pieces), and an idle server woke
/// 100 times a second. Non-blocking mode is also set on the open file the client shares with
/// the server, not on the server's descriptor alone. Here a thread of its own blocks in
/// `read(2)` and hands each line over as it is complete, and writes block until written.
public actor LineTransport: Transport {
    public nonisolated let logger = Logger(label: "ris.mcp.transport", factory: { _ in SwiftLogNoOpLogHandler() })
    private let input: Int32
    private let output: Int32
    private let messages: AsyncThrowingStream<Data, Swift.Error>
    private let continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation
    private var reading = false

    /// A line longer than this is handed over cut (the server answers it with a parse
    /// error) and the rest of it is skipped: a client that never sends a newline cannot
    /// make the server hold its output in memory without end.
    public static let maximumMessageBytes = 64 << 20

    public init(input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO) {
        self.input = input
        self.output = output
        (messages, continuation) = AsyncThrowingStream.makeStream()
    }

    public func connect() async throws {
        guard !reading else { return }
        reading = true
        let (input, continuation) = (self.input, self.continuation)
        let thread = Thread { LineTransport.readLines(from: input, into: continuation) }
        thread.name = "ris-mcp stdin"
        thread.start()
    }

    public func disconnect() async {
        continuation.finish()
    }

    public func send(_ data: Data) async throws {
        var message = data
        message.append(UInt8(ascii: "\n"))
        try message.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(output, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
                }
                offset += written
            }
        }
    }

    public func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        messages
    }

    /// Reads `input` until it closes, yielding each non-empty line without its newline.
    static func readLines(from input: Int32, into continuation: AsyncThrowingStream<Data, Swift.Error>.Continuation) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var pending: [UInt8] = []
        var skippingRest = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK:
                    // A stdin left non-blocking by another program sharing it: wait until it has data.
                    var ready = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                default:
                    let failure = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                    continuation.finish(throwing: MCPError.transportError(failure))
                    return
                }
            }
            guard count > 0 else { break }
            var start = 0
            while let newline = buffer[start..<count].firstIndex(of: UInt8(ascii: "\n")) {
                if !skippingRest {
                    pending += buffer[start..<newline]
                    if !pending.isEmpty { continuation.yield(Data(pending)) }
                }
                pending.removeAll(keepingCapacity: true)
                skippingRest = false
                start = newline + 1
            }
            guard !skippingRest else { continue }
            pending += buffer[start..<count]
            if pending.count > maximumMessageBytes {
                continuation.yield(Data(pending.prefix(maximumMessageBytes)))
                pending.removeAll()
                skippingRest = true
            }
        }
        if !pending.isEmpty && !skippingRest { continuation.yield(Data(pending)) }
        continuation.finish()
    }
}
