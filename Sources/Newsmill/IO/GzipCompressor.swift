import CZlib

/// Compresses byte buffers into complete gzip members with zlib's `deflate`.
///
/// Each call to ``compress(_:into:)`` writes one self-contained member; members
/// concatenate into a valid multi-member gzip file, so workers can compress their own
/// batches in parallel and the writer only appends. The header carries no time stamp,
/// so the same input always gives the same bytes.
public final class GzipCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    public let level: Int32

    /// deflate's strategies: `default` (LZ77 + Huffman), `huffman` (Huffman only), `rle`
    /// (run lengths only). On token-level JSON, level 1 `default` is as fast as the other
    /// two and its output is half their size; they pay off on text without repeats.
    public enum Strategy: String, Sendable {
        case `default`, huffman, rle
        var zlibValue: Int32 {
            switch self {
            case .default: Z_DEFAULT_STRATEGY
            case .huffman: Z_HUFFMAN_ONLY
            case .rle: Z_RLE
            }
        }
    }

    /// A compressor at `level` (0 stored, 1 fastest … 9 smallest).
    public init(level: Int, strategy: Strategy = .default) {
        self.level = Int32(max(0, min(9, level)))
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: gzip wrapper; memLevel 8.
        let status = newsmill_deflateInit2(stream, self.level, Z_DEFLATED, 15 + 16, 8, strategy.zlibValue)
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    // MARK: Streaming: begin(), append(_:into:) any number of times, finish(into:): one member.

    /// Starts a new member.
    public func begin() { deflateReset(stream) }

    /// Compresses `input` into `output` (appending; some of it may stay in zlib until the
    /// next call).
    public func append(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
        guard !input.isEmpty else { return }
        run(input, flush: Z_NO_FLUSH, into: &output)
    }

    /// Ends the member begun by ``begin()``.
    public func finish(into output: inout [UInt8]) {
        run(UnsafeBufferPointer(start: nil, count: 0), flush: Z_FINISH, into: &output)
    }

    private func run(_ input: UnsafeBufferPointer<UInt8>, flush: Int32, into output: inout [UInt8]) {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = uInt(input.count)
        while true {
            // Room for about what level 1 makes of token JSON (a quarter), grown as needed.
            let room = max(1 << 16, input.count / 3)
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: room))
            let status = output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_out = outBuf.baseAddress.map { $0 + start }
                stream.pointee.avail_out = uInt(room)
                return deflate(stream, flush)
            }
            precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed: \(status)")
            let left = Int(stream.pointee.avail_out)
            output.removeLast(left)
            if flush == Z_FINISH ? status == Z_STREAM_END : (stream.pointee.avail_in == 0 && left > 0) { return }
        }
    }

    /// Appends one gzip member holding `input` to `output`.
    public func compress(_ input: [UInt8], into output: inout [UInt8]) {
        begin()
        input.withUnsafeBufferPointer { append($0, into: &output) }
        finish(into: &output)
    }

    /// One gzip member holding `input`.
    public func compress(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        compress(input, into: &out)
        return out
    }
}
