#if canImport(Glibc)
    @preconcurrency import Glibc
#endif

/// Writes a line to standard error.
func printError(_ message: String) {
    writeStandardError(message + "\n")
}

/// Writes text to standard error as it is.
func writeStandardError(_ text: String) {
    fputs(text, stderr)
}

/// Whether standard error is a terminal.
var standardErrorIsTerminal: Bool { isatty(2) != 0 }
