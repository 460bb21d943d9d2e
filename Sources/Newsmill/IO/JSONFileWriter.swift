/// A ``JSONWriter`` that hands its bytes to an ``OutputFile`` whenever a megabyte has
/// gathered, so that a large output (all the terms of a corpus) is never whole in memory.
/// Without a file, it keeps everything (for callers that need the bytes).
public struct JSONFileWriter {
    /// The writer to append to; call ``flushIfFull()`` between values.
    public var writer = JSONWriter(capacity: 1 << 16)
    private let file: OutputFile?

    /// Writes to `file` (nil: keep the bytes in `writer`).
    public init(file: OutputFile?) {
        self.file = file
    }

    /// Writes the buffer out when it holds a megabyte or more.
    public mutating func flushIfFull() throws(IOFailure) {
        if writer.bytes.count >= 1 << 20 { try flush() }
    }

    /// Writes the buffer out.
    public mutating func flush() throws(IOFailure) {
        guard let file, !writer.bytes.isEmpty else { return }
        try file.write(writer.bytes)
        writer.reset()
    }
}
