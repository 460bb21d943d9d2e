#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// zstd decompression in the process, through the system's `libzstd.so.1` loaded at run
/// time (Debian's libzstd1, which most systems have; its headers, libzstd-dev, are not
/// needed to build). When the library is not there, zstd data goes through the `zstd`
/// program instead (``Decompressor``), which costs a process a file: about 1.7 ms.
enum Zstd {
    struct InBuffer {
        var src: UnsafeRawPointer?
        var size: Int
        var pos: Int
    }

    struct OutBuffer {
        var dst: UnsafeMutableRawPointer?
        var size: Int
        var pos: Int
    }

    typealias Create = @convention(c) () -> OpaquePointer?
    typealias Free = @convention(c) (OpaquePointer?) -> Int
    /// `ZSTD_decompressStream(stream, ZSTD_outBuffer *, ZSTD_inBuffer *)`: the buffers are
    /// ``OutBuffer`` and ``InBuffer`` (three machine words each, as in C).
    typealias Decompress = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer, UnsafeMutableRawPointer) -> Int
    typealias IsError = @convention(c) (Int) -> UInt32
    typealias ErrorName = @convention(c) (Int) -> UnsafePointer<CChar>?
    typealias DecompressAll = @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?, Int) -> Int

    struct Library: @unchecked Sendable {
        let create: Create
        let free: Free
        let decompress: Decompress
        let isError: IsError
        let errorName: ErrorName
        let decompressAll: DecompressAll

        func message(_ code: Int) -> String {
            guard let name = errorName(code) else { return "error \(code)" }
            return String(
                decoding: UnsafeBufferPointer(start: name, count: strlen(name)).map { UInt8(bitPattern: $0) },
                as: UTF8.self)
        }
    }

    /// The library, or nil when it cannot be loaded (or `NEWSMILL_ZSTD=program` asks for
    /// the `zstd` program).
    static let library: Library? = {
        if let choice = getenv("NEWSMILL_ZSTD"), String(cString: choice) == "program" { return nil }
        for name in ["libzstd.so.1", "libzstd.so", "libzstd.1.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            func symbol<T>(_ name: String, _ type: T.Type) -> T? {
                guard let p = dlsym(handle, name) else { return nil }
                return unsafeBitCast(p, to: type)
            }
            if let create = symbol("ZSTD_createDStream", Create.self),
                let free = symbol("ZSTD_freeDStream", Free.self),
                let decompress = symbol("ZSTD_decompressStream", Decompress.self),
                let isError = symbol("ZSTD_isError", IsError.self),
                let errorName = symbol("ZSTD_getErrorName", ErrorName.self),
                let decompressAll = symbol("ZSTD_decompress", DecompressAll.self)
            {
                return Library(
                    create: create, free: free, decompress: decompress, isError: isError, errorName: errorName,
                    decompressAll: decompressAll)
            }
            dlclose(handle)
        }
        return nil
    }()

    struct Failure: Error {
        var message: String
    }

    /// Decompresses a whole buffer whose decompressed size is known (a Parquet page).
    static func decompress(_ data: [UInt8], size: Int, with library: Library) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        let result = out.withUnsafeMutableBytes { o in
            data.withUnsafeBytes { i in library.decompressAll(o.baseAddress, o.count, i.baseAddress, i.count) }
        }
        if library.isError(result) != 0 { throw Failure(message: library.message(result)) }
        guard result == size else { throw Failure(message: "\(result) bytes where the page says \(size)") }
        return out
    }
}

/// One zstd decompression stream (every frame of a file, one after another).
final class ZstdStream {
    private let library: Zstd.Library
    private let stream: OpaquePointer
    /// What the last call returned: 0 when a frame has just ended (the data may stop there).
    private(set) var frameEnded = true

    init?(library: Zstd.Library) {
        guard let stream = library.create() else { return nil }
        self.library = library
        self.stream = stream
    }

    deinit { _ = library.free(stream) }

    /// Decompresses from `input` (advancing `consumed`) into `output`; returns the bytes
    /// written.
    func decompress(
        _ input: UnsafeRawBufferPointer, consumed: inout Int, into output: UnsafeMutableRawBufferPointer
    ) throws(Zstd.Failure) -> Int {
        var inBuffer = Zstd.InBuffer(src: input.baseAddress, size: input.count, pos: consumed)
        var outBuffer = Zstd.OutBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let result = withUnsafeMutablePointer(to: &outBuffer) { o in
            withUnsafeMutablePointer(to: &inBuffer) { i in
                library.decompress(stream, UnsafeMutableRawPointer(o), UnsafeMutableRawPointer(i))
            }
        }
        if library.isError(result) != 0 { throw Zstd.Failure(message: library.message(result)) }
        consumed = inBuffer.pos
        frameEnded = result == 0
        return outBuffer.pos
    }
}
