// Measures the normalize stage's throughput (MB of input text per second, one core) on
// real Reuters articles (read at run time from ../shared/data/news, never copied) and on
// messy variants generated from them: hard-wrapped, HTML, mojibake, Unicode spaces.
import Foundation
import Newsmill

let arguments = CommandLine.arguments
let here = URL(fileURLWithPath: #filePath)
let repo = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let folder = arguments.count > 1
    ? URL(fileURLWithPath: arguments[1])
    : repo.deletingLastPathComponent().appendingPathComponent("shared/data/news/txt")
let targetBytes = (arguments.count > 2 ? Int(arguments[2]) : nil) ?? 64_000_000

guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".txt") }).sorted(),
    !names.isEmpty
else {
    FileHandle.standardError.write(Data("no .txt articles in \(folder.path)\n".utf8))
    exit(1)
}
let articles = names.compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }

func wrap(_ paragraph: Substring, width: Int = 70) -> String {
    var lines: [String] = []
    var line = ""
    for word in paragraph.split(separator: " ") {
        if line.isEmpty {
            line = String(word)
        } else if line.count + 1 + word.count <= width {
            line += " " + word
        } else {
            lines.append(line)
            line = String(word)
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines.joined(separator: "\n")
}

func garble(_ text: String) -> String {
    // UTF-8 read as Windows-1252: how "’" becomes "â€™".
    let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D,
        0x17D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A,
        0x153, 0x9D, 0x17E, 0x178,
    ]
    var out = String.UnicodeScalarView()
    for b in text.utf8 {
        let v = b >= 0x80 && b < 0xA0 ? high[Int(b) - 0x80] : UInt32(b)
        out.append(Unicode.Scalar(v) ?? "?")
    }
    return String(out)
}

let variants: [(String, (String) -> String)] = [
    ("reuters (clean ASCII, one paragraph a line)", { $0 }),
    ("reuters, no final newline (nothing to change)", {
        String($0.utf8.count > 0 && $0.hasSuffix("\n") ? $0.dropLast() : $0[...])
    }),
    ("curly quotes + copyright line (seed-like UTF-8)", {
        $0.replacingOccurrences(of: "'", with: "’").replacingOccurrences(of: " \"", with: " “")
            + "\n© 2024 Example News. All rights reserved."
    }),
    ("hard-wrapped at 70, blank lines", { $0.split(separator: "\n").map { wrap($0) }.joined(separator: "\n\n") }),
    ("HTML (<p>, entities, script)", {
        "<html><head><script>var x = 1;</script></head><body>"
            + $0.split(separator: "\n").map { "<p>" + $0.replacingOccurrences(of: "&", with: "&amp;") + "</p>" }
            .joined(separator: "\n") + "</body></html>"
    }),
    ("mojibake (curly quotes garbled)", { garble($0.replacingOccurrences(of: "'", with: "’")) }),
    ("nbsp, tabs, CRLF, zero-width", {
        $0.replacingOccurrences(of: " said", with: "\u{00A0}said").replacingOccurrences(of: "\n", with: " \r\n\t")
            .replacingOccurrences(of: ". ", with: ".\u{200B} ")
    }),
]

let configurations: [(String, [String: String], Bool)] = [
    ("defaults", [:], false),
    ("defaults + title_line + dateline", ["title_line": "true", "dateline": "true"], false),
    ("normalize (defaults) + segment", [:], true),
]

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// CPU time of this thread, in seconds: on a shared machine, wall time also counts the
/// time other processes held the core.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

print("normalize throughput, one core, release; input: \(articles.count) articles from \(folder.path)")
let only = ProcessInfo.processInfo.environment["BENCH_VARIANT"].flatMap { Int($0) }
let onlyConfig = ProcessInfo.processInfo.environment["BENCH_CONFIG"].flatMap { Int($0) }
for (index, (variantName, transform)) in variants.enumerated() where only == nil || only == index {
    let texts = articles.map(transform)
    let bytesPerRound = texts.reduce(0) { $0 + $1.utf8.count }
    let rounds = max(1, targetBytes / bytesPerRound)
    for (configIndex, (configName, options, withSegment)) in configurations.enumerated()
    where onlyConfig == nil || onlyConfig == configIndex {
        let stage: NormalizeStage
        let segment: SegmentStage
        do {
            stage = try NormalizeStage(options: StageOptions(options, stageName: "normalize"))
            segment = try SegmentStage(options: StageOptions([:], stageName: "segment"))
        } catch {
            print("bad options: \(error)")
            exit(1)
        }
        let context = StageContext()
        var timings: [Double] = []
        var cpuTimings: [Double] = []
        var changed = 0
        for run in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = cpuSeconds()
            for _ in 0..<rounds {
                for text in texts {
                    var document = Document(id: "", source: SourceLocation(path: "", line: 0), text: text)
                    _ = try? stage.process(&document, in: context)
                    if withSegment { _ = try? segment.process(&document, in: context) }
                    if run == 0 && document.text.utf8.count != text.utf8.count { changed += 1 }
                }
            }
            timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            cpuTimings.append(cpuSeconds() - cpuStart)
        }
        let mb = Double(bytesPerRound * rounds) / 1e6
        let rate = mb / median(timings)
        let cpuRate = mb / median(cpuTimings)
        print(String(format: "%-48@ %-33@ %7.1f MB/s CPU, %7.1f MB/s wall (median of 5 x %.0f MB; %d of %d docs changed)",
                     variantName as NSString, configName as NSString, cpuRate, rate, mb, changed / rounds,
                     texts.count))
    }
}
