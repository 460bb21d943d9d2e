import Foundation
import Synchronization

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Runs an external command as a stage: each worker starts the command once and keeps it
/// running; every document is written to its stdin as one JSON line (newsmill's output
/// shape, all fields) and the command answers with one line on stdout: the document
/// back (changed as it likes), or `null` / an empty object `{}` to drop it.
///
/// The command is an argument list, run without a shell (its program is looked up on
/// `PATH`, or, with a `/`, relative to `directory`, when the pipeline is loaded), or one
/// string, run by `/bin/sh -c` (as Docker's shell form). It must flush stdout after each
/// line; Python children get `PYTHONUNBUFFERED=1`. A command that exits before answering
/// its first document three times in a row on a worker is not started again there: the
/// rest of that worker's documents fail at once with the reason (no process per document).
public struct ExecStage: Stage {
    public static let name = "exec"
    public static let summary = "run an external command that reads documents as JSONL on stdin and writes them back"
    public static let optionSpecs = [
        OptionSpec(
            "command", default: "(required)",
            "the program and its arguments, as a list (no shell); or one string, run by /bin/sh -c"),
        OptionSpec("timeout", default: "60", "seconds to wait for the command's answer to one document"),
        OptionSpec("directory", default: "(the pipeline file's)", "the command's working directory"),
    ]

    let command: [String]
    let timeoutSeconds: Int
    let directory: String
    /// How messages name the command: its program's file name (the first word of a shell line).
    let displayName: String
    private let key: String
    /// Children that exit before their first answer this many times in a row are not restarted.
    static let startFailuresBeforeGivingUp = 3

    private static let counter = Atomic<Int>(0)

    public init(options: StageOptions) throws(ConfigError) {
        directory = options.resolvePath(try options.string("directory", default: "."))
        if case .scalar(let line, _)? = options.node("command") {
            guard !line.allSatisfy(\.isWhitespace) else { throw .missingKey("command", at: options.location) }
            command = ["/bin/sh", "-c", line]
            displayName = FileSystem.baseName(of: String(line.split(whereSeparator: \.isWhitespace)[0]))
        } else {
            var list = try options.stringList("command", default: [])
            guard let program = list.first, !program.isEmpty else {
                throw .missingKey("command", at: options.location)
            }
            guard let path = Self.findProgram(program, directory: directory) else {
                throw .invalidOption(
                    key: "command", value: program,
                    expected: program.contains("/")
                        ? "an executable file (relative paths start at \(directory))"
                        : "a program on PATH (or write the command as one string, run by /bin/sh -c)",
                    at: options.location(of: "command"))
            }
            list[0] = path
            command = list
            displayName = FileSystem.baseName(of: program)
        }
        timeoutSeconds = try options.int("timeout", default: 60, in: 1...86_400)
        key = "exec#\(Self.counter.add(1, ordering: .relaxed).newValue)"
    }

    /// The executable `program` names: a path (relative to `directory`) when it has a `/`,
    /// else the first match on `PATH`; nil when there is none.
    static func findProgram(_ program: String, directory: String) -> String? {
        func executable(_ path: String) -> Bool {
            guard let st = FileSystem.status(path), st.isRegular else { return false }
            return access(path, X_OK) == 0
        }
        if program.contains("/") {
            let path = FileSystem.resolve(program, relativeTo: directory)
            return executable(path) ? path : nil
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let path = (folder.isEmpty ? "." : String(folder)) + "/" + program
            if executable(path) { return path }
        }
        return nil
    }

    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        let health = context.scratch(key: key + "#health") { ExecHealth() }
        if let reason = health.gaveUp { throw ExecError(reason) }
        let child: ExecChild
        do {
            child = try context.scratch(key: key) {
                try ExecChild(command: command, directory: directory, name: displayName)
            }
        } catch {
            health.gaveUp = "\(error); not started again on this worker"
            throw error
        }
        var writer = JSONWriter(capacity: document.text.utf8.count * 2 + 256)
        DocumentEncoder().encode(document, into: &writer)
        let reply: [UInt8]
        do {
            reply = try child.exchange(writer.bytes, timeoutSeconds: timeoutSeconds)
        } catch {
            context.dropScratch(key: key)  // start a fresh child for the next document
            if child.answered {
                health.failuresInARow = 0
            } else {
                health.failuresInARow += 1
                if health.failuresInARow >= Self.startFailuresBeforeGivingUp {
                    health.gaveUp =
                        "\(error) (\(health.failuresInARow) times in a row before its first answer; "
                        + "not started again on this worker)"
                }
            }
            throw error
        }
        health.failuresInARow = 0
        let value: JSONValue
        do {
            value = try JSONParser.parse(reply)
        } catch {
            throw ExecError("command \(displayName) answered with invalid JSON: \(error)")
        }
        if value == .null || value == .object([]) {
            return .drop(reason: "dropped by \(displayName)")
        }
        do {
            document = try DocumentDecoder.decode(value, source: document.source)
        } catch {
            throw ExecError("command \(displayName) answered with an invalid document: \(error)")
        }
        return .keep
    }
}

/// Why an `exec` stage could not process a document.
public struct ExecError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A worker's record of how its child processes fared (see ``ExecStage``).
final class ExecHealth {
    var failuresInARow = 0
    /// Set when the command is not started again; every document then fails with it.
    var gaveUp: String?
}

/// One running child process with pipes to its stdin and stdout (one per worker).
final class ExecChild {
    private let process = Process()
    private let stdinFD: Int32
    private let stdoutFD: Int32
    private let stdinPipe = Pipe()
    private let stdoutPipe = Pipe()
    private var buffer: [UInt8] = []
    private let name: String
    /// Whether it has answered a document.
    private(set) var answered = false

    init(command: [String], directory: String, name: String) throws {
        self.name = name
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        if command[0].contains("/") {
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = command
        }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw ExecError("cannot start \(name): \(error.localizedDescription)")
        }
        stdinFD = stdinPipe.fileHandleForWriting.fileDescriptor
        stdoutFD = stdoutPipe.fileHandleForReading.fileDescriptor
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning {
            // Give it a moment to finish after EOF, then stop it.
            for _ in 0..<50 where process.isRunning { usleep(10_000) }
            if process.isRunning { process.terminate() }
        }
        process.waitUntilExit()
    }

    /// Writes one line and reads one line back.
    func exchange(_ line: [UInt8], timeoutSeconds: Int) throws -> [UInt8] {
        var offset = 0
        while offset < line.count {
            // Non-empty here, so the buffer has an address.
            let n = line.withUnsafeBytes { bytes -> Int in
                guard let base = bytes.baseAddress else { return 0 }
                return write(stdinFD, base + offset, line.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw ExecError("command \(name) stopped reading its input (\(FileSystem.errorText(errno)))")
            }
            offset += n
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutSeconds) * 1_000_000_000
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let reply = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                answered = true
                return reply
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline { throw ExecError("command \(name) gave no answer within \(timeoutSeconds) s") }
            var pfd = pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)
            let waitMs = Int32(min(UInt64(Int32.max), (deadline - now) / 1_000_000 + 1))
            let ready = poll(&pfd, 1, waitMs)
            if ready < 0 {
                if errno == EINTR { continue }
                throw ExecError("poll failed: \(FileSystem.errorText(errno))")
            }
            if ready == 0 { continue }
            let n = chunk.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ExecError("cannot read from command \(name): \(FileSystem.errorText(errno))")
            }
            if n == 0 {
                process.waitUntilExit()
                throw ExecError("command \(name) exited (status \(process.terminationStatus)) before answering")
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }
}
