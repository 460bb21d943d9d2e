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

    /// Removes what runs killed before they finished left in the locked directory: their
    /// temporary files (`.NAME.tmp-PID`, outputs and states not yet renamed into place) and
    /// scratch folders (`.newsmill-scratch-PID`), in the directory and in each folder of
    /// its `runs/` (an incremental run's), and run folders that this leaves empty. Entries
    /// of this process are kept. Only the holder of the lock may do this (it is a method of
    /// the lock): no other run can be writing there. Returns the paths removed.
    @discardableResult
    public func sweepStaleFiles() -> [String] {
        guard fd >= 0 else { return [] }
        let directory = FileSystem.directory(of: path)
        var removed: [String] = []
        Self.sweep(directory, into: &removed)
        let runs = directory + "/runs"
        for name in FileSystem.list(runs) ?? [] {
            let folder = runs + "/" + name
            guard FileSystem.status(folder)?.isDirectory == true, Self.sweep(folder, into: &removed) else { continue }
            if FileSystem.list(folder)?.isEmpty == true, rmdir(folder) == 0 { removed.append(folder) }
        }
        return removed
    }

    /// Removes the temporary files and scratch folders of process `pid` (this one by
    /// default) from an output directory and the folders of its `runs/`: what a run that is
    /// being stopped (SIGTERM from Slurm or Kubernetes, Ctrl-C) would otherwise leave until
    /// the next run sweeps it. Returns the paths removed.
    @discardableResult
    public static func removeTemporaries(in directory: String, ofProcess pid: Int32 = getpid()) -> [String] {
        var removed: [String] = []
        sweep(directory, into: &removed, owner: { $0 == pid })
        let runs = directory + "/runs"
        for name in FileSystem.list(runs) ?? [] {
            let folder = runs + "/" + name
            guard FileSystem.status(folder)?.isDirectory == true, sweep(folder, into: &removed, owner: { $0 == pid })
            else { continue }
            // The run folder this run made, now empty.
            if FileSystem.list(folder)?.isEmpty == true, rmdir(folder) == 0 { removed.append(folder) }
        }
        return removed
    }

    /// Removes the stale entries of one folder (of other processes, by default); true when it
    /// removed any.
    @discardableResult
    private static func sweep(
        _ folder: String, into removed: inout [String], owner matches: (Int32) -> Bool = { $0 != getpid() }
    ) -> Bool {
        var any = false
        for name in FileSystem.list(folder) ?? [] {
            guard let (owner, isScratch) = staleOwner(name), matches(owner) else { continue }
            let full = folder + "/" + name
            if isScratch {
                guard FileSystem.status(full)?.isDirectory == true else { continue }
                AggregateScratch(directory: full, partials: 1).removeAll()
            } else {
                guard FileSystem.status(full)?.isRegular == true else { continue }
                FileSystem.remove(full)
            }
            removed.append(full)
            any = true
        }
        return any
    }

    /// The process that made an entry named like a temporary file (`.NAME.tmp-PID`) or a
    /// scratch folder (`.newsmill-scratch-PID`), or nil for other names.
    static func staleOwner(_ name: String) -> (pid: Int32, isScratch: Bool)? {
        let bytes = Array(name.utf8)
        var k = bytes.count
        while k > 0, bytes[k - 1] >= 0x30, bytes[k - 1] <= 0x39 { k -= 1 }
        guard k < bytes.count, bytes.count - k <= 9,
            let pid = Int32(String(decoding: bytes[k...], as: UTF8.self)), pid > 0
        else { return nil }
        let stem = bytes[..<k]
        if stem.elementsEqual(".newsmill-scratch-".utf8) { return (pid, true) }
        let suffix = ".tmp-".utf8
        guard stem.count > suffix.count + 1, stem.first == UInt8(ascii: "."),
            stem.suffix(suffix.count).elementsEqual(suffix)
        else { return nil }
        return (pid, false)
    }

    /// Releases the lock.
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }
}
