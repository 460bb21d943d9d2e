import Foundation
import Testing

@testable import Newsmill

/// Helpers shared by the tests: paths, temporary folders, real subprocesses.
enum TestSupport {
    /// The repository's root folder.
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// ../shared beside the repository.
    static var sharedRoot: String { FileSystem.clean(repoRoot + "/../shared") }

    /// The debug `newsmill` binary (`make test` builds it first), or NEWSMILL_BIN.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["NEWSMILL_BIN"] { return path }
        return repoRoot + "/.build/debug/newsmill"
    }

    /// This test process's folder of temporary folders, removed when the process exits
    /// (a run of the suite holds up to about 160 MB there; left behind, runs filled the disk).
    static let temporaryRoot: String = {
        let root = NSTemporaryDirectory() + "newsmill-tests/run-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestSupport.temporaryRoot) }
        return root
    }()

    /// A new empty temporary folder (inside ``temporaryRoot``).
    static func temporaryDirectory(_ name: String = #function) -> String {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        let path = temporaryRoot + "/\(clean)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes text to a file, creating folders.
    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: FileSystem.directory(of: path), withIntermediateDirectories: true)
        // Not `atomically`: Foundation on Linux leaves a /tmp/TemporaryDirectory.* folder behind
        // for every atomic write.
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Writes bytes to a file, creating folders.
    static func write(bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: FileSystem.directory(of: path), withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program (found on PATH) and waits for it.
    @discardableResult
    static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:],
        directory: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0].contains("/") ? arguments[0] : "/usr/bin/env")
        process.arguments = arguments[0].contains("/") ? Array(arguments.dropFirst()) : arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child never blocks.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a Python 3 snippet with arguments; returns its stdout. Fails the test on error.
    static func python(_ code: String, _ arguments: [String] = [], python: String = "python3") throws -> String {
        let result = try run([python, "-c", code] + arguments)
        if result.status != 0 {
            Issue.record("python failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// Gzips a file with the real gzip tool (keeps the original, -n for stable bytes).
    static func gzip(_ path: String) throws {
        let result = try run(["gzip", "-nkf", path])
        #expect(result.status == 0, "gzip failed: \(result.stderr)")
    }

    /// Decompresses a (possibly multi-member) gzip file with Python's gzip module.
    static func gunzip(_ path: String) throws -> String {
        try python("import gzip,sys; sys.stdout.write(gzip.open(sys.argv[1]).read().decode())", [path])
    }
}

/// A whitespace tokenizer used to give documents tokens and sentences in engine tests
/// (a real stage, registered through the public registry API as a user package would).
struct WhitespaceTestStage: Stage {
    static let name = "test-whitespace"
    static let optionSpecs: [OptionSpec] = []
    init(options: StageOptions) throws(ConfigError) {}

    func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        document.clearAnnotations()
        let utf8 = Array(document.text.utf8)
        var start = -1
        var sentenceStart = -1
        for k in 0...utf8.count {
            let b: UInt8 = k < utf8.count ? utf8[k] : 0x0A
            let space = b == 0x20 || b == 0x0A
            if space, start >= 0 {
                document.tokens.append(Token(start..<k))
                start = -1
            } else if !space, start < 0 {
                start = k
                if sentenceStart < 0 { sentenceStart = k }
            }
            if b == 0x0A, sentenceStart >= 0, let last = document.tokens.last {
                document.sentences.append(Span(start: Int32(sentenceStart), end: last.end))
                sentenceStart = -1
            }
        }
        for i in document.tokens.indices {
            document.tokens[i].sentence = Int32(document.sentences.firstIndex { $0.end >= document.tokens[i].end } ?? 0)
        }
        context.count("test.documents")
        return .keep
    }
}

/// A filter that drops documents containing a word (for drop accounting tests).
struct DropWordTestStage: Stage {
    static let name = "test-drop"
    static let optionSpecs = [OptionSpec("word", default: "", "")]
    let word: String
    init(options: StageOptions) throws(ConfigError) { word = try options.string("word", default: "") }
    func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        document.text.contains(word) ? .drop(reason: "contains \(word)") : .keep
    }
}

extension StageRegistry {
    /// The standard registry plus the test stages.
    static let testing: StageRegistry = {
        var registry = StageRegistry.standard
        registry.register(WhitespaceTestStage.self)
        registry.register(DropWordTestStage.self)
        return registry
    }()
}
