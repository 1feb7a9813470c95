import CRISSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program and collects what it prints, with `posix_spawnp` and `waitpid`.
///
/// Foundation's `Process.waitUntilExit` polls its run loop in 50 ms steps, so every run of
/// `git config user.email` cost a search 50 ms of waiting after git had already exited.
public enum ChildProcess {
    /// What a finished program left: its exit status (128 + the signal when killed, 127 when
    /// it could not be started), its standard output and its standard error.
    public struct Result: Sendable {
        public var status: Int32
        public var output: Data
        public var error: Data
    }

    /// Where a program's output goes.
    public enum Streams: Sendable {
        /// Read into `Result.output` and `Result.error`; standard input is `input`, else `/dev/null`.
        case captured
        /// This process's own standard output and error, the terminal a person watches (a
        /// pager, an editor); standard input is `input`, else this process's own. Ctrl-C and
        /// Ctrl-\\ are the program's while it runs (less stops a search with it, an editor
        /// saves first): this process ignores them until the program has exited.
        case inherited
    }

    /// Runs `arguments[0]` (looked up in `PATH`) with the rest as its arguments. `input` is
    /// fed to its standard input; `environment` replaces this process's when given. Captured
    /// standard output and error are read together, so neither pipe fills and blocks the
    /// program.
    public static func run(
        _ arguments: [String], environment: [String: String]? = nil, input: Data? = nil,
        streams: Streams = .captured
    ) -> Result {
        let failed = Result(status: 127, output: Data(), error: Data("\(arguments.first ?? "") cannot be run".utf8))
        guard !arguments.isEmpty else { return failed }
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        var inputPipe: [Int32] = [-1, -1]
        let captured = streams == .captured
        if captured {
            guard ris_pipe_cloexec(&outputPipe) == 0 else { return failed }
            guard ris_pipe_cloexec(&errorPipe) == 0 else {
                closeAll(outputPipe)
                return failed
            }
        }
        if input != nil, ris_pipe_cloexec(&inputPipe) != 0 {
            closeAll(outputPipe + errorPipe)
            return failed
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input != nil {
            posix_spawn_file_actions_adddup2(&actions, inputPipe[0], STDIN_FILENO)
        } else if captured {
            posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        }
        if captured {
            posix_spawn_file_actions_adddup2(&actions, outputPipe[1], STDOUT_FILENO)
            posix_spawn_file_actions_adddup2(&actions, errorPipe[1], STDERR_FILENO)
        }

        let environmentLines = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environmentLines.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child starts with no blocked signal and SIGPIPE, SIGINT and SIGQUIT at their defaults, whatever the
        // calling thread blocks (a Dispatch worker blocks most): Ctrl-C and SIGTERM reach git.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        // A pager runs while ris ignores Ctrl-C; the program itself gets it as usual.
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGQUIT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // Until the program has exited (see `Streams.inherited`).
        let previousHandlers = captured ? nil : (signal(SIGINT, SIG_IGN), signal(SIGQUIT, SIG_IGN))
        defer {
            if let previousHandlers {
                signal(SIGINT, previousHandlers.0)
                signal(SIGQUIT, previousHandlers.1)
            }
        }
        var pid = pid_t()
        let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, &envp)
        // The child holds its own copies; the parent keeps only its ends.
        closeAll([outputPipe[1], errorPipe[1]])
        if input != nil { close(inputPipe[0]) }
        guard spawned == 0 else {
            closeAll([outputPipe[0], errorPipe[0]] + (input != nil ? [inputPipe[1]] : []))
            return failed
        }
        var result = Result(status: 0, output: Data(), error: Data())
        pump(
            input: input.map { (inputPipe[1], $0) }, output: outputPipe[0], error: errorPipe[0], into: &result)
        var status: Int32 = 0
        var waited: pid_t
        repeat { waited = waitpid(pid, &status, 0) } while waited < 0 && errno == EINTR
        guard waited == pid else {
            result.status = 127
            return result
        }
        let signal = status & 0x7f
        result.status = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return result
    }

    /// Feeds `input` and drains both outputs (-1 when not captured) with `poll`, until both
    /// outputs close.
    private static func pump(input: (Int32, Data)?, output: Int32, error: Int32, into result: inout Result) {
        var pending = input?.1 ?? Data()
        var inputDescriptor = input?.0 ?? -1
        if inputDescriptor >= 0 && pending.isEmpty {
            close(inputDescriptor)
            inputDescriptor = -1
        }
        var open: [Int32: Bool] = [:]
        for descriptor in [output, error] where descriptor >= 0 { open[descriptor] = true }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open.values.contains(true) || inputDescriptor >= 0 {
            var watched: [pollfd] = []
            if open[output] == true { watched.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if open[error] == true { watched.append(pollfd(fd: error, events: Int16(POLLIN), revents: 0)) }
            if inputDescriptor >= 0 { watched.append(pollfd(fd: inputDescriptor, events: Int16(POLLOUT), revents: 0)) }
            if poll(&watched, nfds_t(watched.count), -1) < 0 {
                if errno == EINTR { continue }
                // Closing the ends lets the program finish (EPIPE, EOF) rather than block on
                // a full pipe while this process waits for it.
                for (descriptor, isOpen) in open where isOpen { close(descriptor) }
                if inputDescriptor >= 0 { close(inputDescriptor) }
                return
            }
            for entry in watched where entry.revents != 0 {
                if entry.fd == inputDescriptor {
                    // A program that stops reading (or exits) closes the pipe: stop feeding it.
                    let written = pending.withUnsafeBytes {
                        writeWithoutSIGPIPE(inputDescriptor, $0.baseAddress, min($0.count, 65536))
                    }
                    if written > 0 { pending.removeFirst(written) }
                    if written < 0 && errno != EINTR && errno != EAGAIN || pending.isEmpty {
                        close(inputDescriptor)
                        inputDescriptor = -1
                    }
                    continue
                }
                let count = read(entry.fd, &buffer, buffer.count)
                if count > 0 {
                    if entry.fd == output {
                        result.output.append(buffer, count: count)
                    } else {
                        result.error.append(buffer, count: count)
                    }
                } else if count == 0 || errno != EINTR && errno != EAGAIN {
                    close(entry.fd)
                    open[entry.fd] = false
                }
            }
        }
    }

    /// `write`, with a program that has closed its input seen as EPIPE instead of a SIGPIPE
    /// that would end ris without a word: the signal is blocked on this thread for the call,
    /// and the one the call raised is taken off before it is unblocked.
    private static func writeWithoutSIGPIPE(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        let written = write(descriptor, bytes, count)
        let error = errno
        if written < 0 && error == EPIPE {
            var immediately = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSignal, nil, &immediately)
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        errno = error
        return written
    }

    private static func closeAll(_ descriptors: [Int32]) {
        for descriptor in descriptors where descriptor >= 0 { close(descriptor) }
    }
}
