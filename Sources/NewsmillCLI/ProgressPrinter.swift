import Foundation
import Newsmill
import Synchronization

/// Shows progress on stderr: a live bar on a terminal, a plain line every 10 s otherwise
/// (cron logs).
final class ProgressPrinter: Sendable {
    private let terminal = standardErrorIsTerminal
    private let lastPlain = Mutex<Double>(-1)

    func show(_ p: RunProgress) {
        let mb = Double(p.bytesRead) / 1_000_000
        let rate = p.seconds > 0 ? mb / p.seconds : 0
        let fraction = p.bytesTotal > 0 ? min(1, Double(p.bytesRead) / Double(p.bytesTotal)) : (p.finished ? 1 : 0)
        var eta = "--"
        // A streamed run counts its inputs beside the run; until then the total is "?".
        let total = p.totalsKnown ? String(p.filesTotal) : "?"
        if fraction > 0.01, !p.finished {
            eta = Self.formatDuration(p.seconds / fraction - p.seconds)
        }
        if terminal {
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let line = String(
                format: "\r[%@] %3.0f%%  files %d/%@  docs %d  %.1f MB/s read  ETA %@ ",
                bar, fraction * 100, p.filesDone, total, p.documents, rate, eta)
            writeStandardError(line + (p.finished ? "\n" : ""))
        } else {
            let due = lastPlain.withLock { last -> Bool in
                if p.finished || last < 0 || p.seconds - last >= 10 {
                    last = p.seconds
                    return true
                }
                return false
            }
            guard due else { return }
            let line = String(
                format: "newsmill: %@ files %d/%@, documents %d, %.1f MB/s read, %.0f%%, ETA %@\n",
                p.finished ? "done:" : "progress:", p.filesDone, total, p.documents, rate,
                fraction * 100, eta)
            writeStandardError(line)
        }
    }

    static func formatDuration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }

    static func formatBytes(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return String(format: "%.1f GB", Double(bytes) / 1e9) }
        if bytes >= 1 << 20 { return String(format: "%.1f MB", Double(bytes) / 1e6) }
        if bytes >= 1 << 10 { return String(format: "%.1f kB", Double(bytes) / 1e3) }
        return "\(bytes) B"
    }
}
