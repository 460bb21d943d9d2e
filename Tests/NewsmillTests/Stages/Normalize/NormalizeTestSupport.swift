import Foundation

@testable import Newsmill

/// Runs a byte pass of the normalize stage on a string: the output when the pass changed
/// the text, else the input itself.
func runNormalizePass(_ text: String, _ pass: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Bool) -> String {
    var text = text
    var buffer: [UInt8] = []
    return text.withUTF8 { input in
        pass(input, &buffer) ? String(decoding: buffer, as: UTF8.self) : String(decoding: input, as: UTF8.self)
    }
}

/// The whole normalize stage on a string with the given options.
func normalizedText(_ text: String, _ options: [String: String] = [:]) throws -> String {
    let stage = try NormalizeStage(options: StageOptions(options, stageName: "normalize"))
    return stage.normalize(text).text ?? text
}

/// The repository root (the folder holding Package.swift), found from this file's path.
func normalizeRepositoryRoot(_ file: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: file).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        url.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}

/// ../shared next to the repository, if present.
func normalizeSharedFolder() -> URL? {
    let url = normalizeRepositoryRoot().deletingLastPathComponent().appendingPathComponent("shared")
    return FileManager.default.fileExists(atPath: url.path) ? url : nil
}

/// Runs `python3 -c code` with `input` on stdin; returns stdout, or nil if Python is
/// not available.
func runNormalizePython(_ code: String, input: String) throws -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", code]
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    do {
        try process.run()
    } catch {
        return nil
    }
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    let data = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
}
