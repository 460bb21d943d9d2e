#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on an output directory (`flock(2)` on `DIR/.lock`), so that two runs
/// never write the same outputs at once. The kernel releases it when the process ends,
/// however it ends.
public final class RunLock {
    private var fd: Int32
    public let path: String

    /// Takes the lock, or returns nil at once when another process holds it.
    public init?(directory: String) throws(IOFailure) {
        try FileSystem.makeDirectories(directory)
        path = directory + "/.lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw IOFailure(path: path, detail: "cannot open lock file: \(FileSystem.errorText(errno))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            return nil
        }
        // Note who holds it, for people looking at the directory.
        let note = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { release() }

    /// Releases the lock.
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }
}
