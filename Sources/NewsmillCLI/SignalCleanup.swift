import Dispatch
import Newsmill

#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Stops a run or merge cleanly on SIGTERM (Slurm at the time limit or on preemption,
/// Kubernetes when a pod is deleted), SIGINT (Ctrl-C) and SIGHUP: removes this process's
/// temporary outputs and scratch folders from the output directories, so that a stopped
/// run leaves exactly the previous outputs and run state, then exits with 128 + the signal
/// number (143, 130, 129), as a shell reports a process killed by it. Without this the
/// files stayed (hundreds of MB for a large run) until the next run swept them.
///
/// The signals are taken by Dispatch sources (the handler runs on a queue, not in a signal
/// handler, so it may list folders and unlink files). A signal ignored when the process
/// started (SIGHUP under `nohup`) stays ignored.
enum SignalCleanup {
    private nonisolated(unsafe) static var sources: [any DispatchSourceSignal] = []

    /// Whether `signo` was ignored when the process started: `nohup` ignores SIGHUP and a
    /// shell's background jobs ignore SIGINT; those must stay ignored.
    static func ignoredAtStart(_ signo: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(signo, nil, &current) == 0, let handler = current.__sigaction_handler.sa_handler else {
            return false
        }
        return unsafeBitCast(handler, to: Int.self) == 1  // SIG_IGN
    }

    /// Installs the handlers for the output directories `directories`.
    static func install(directories: [String]) {
        let queue = DispatchQueue(label: "newsmill.signals")
        for signo in [SIGTERM, SIGINT, SIGHUP] where !ignoredAtStart(signo) {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            source.setEventHandler {
                for directory in directories { RunLock.removeTemporaries(in: directory) }
                // On a terminal the progress bar holds the line: start a new one.
                let newline = isatty(2) == 1 ? "\n" : ""
                printError(
                    newline + "newsmill: stopped by signal \(signo); temporary files removed, previous outputs kept")
                _exit(128 + signo)
            }
            source.resume()
            sources.append(source)
        }
    }
}
