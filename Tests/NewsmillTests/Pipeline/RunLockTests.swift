import Foundation
import Testing

@testable import Newsmill

#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output directory's lock, and the sweep of what killed runs left, which only its
/// holder may do.
@Suite struct RunLockTests {
    @Test(
        arguments: [
            (".newsmill-scratch-123", Int32(123), true),
            ("..newsmill-state.json.tmp-77", 77, false),
            (".aggregates.jsonl.tmp-4194304", 4_194_304, false),
            (".report.json.tmp-1", 1, false),
            (".newsmill-scratch-", nil, false),
            (".newsmill-scratch-12a", nil, false),
            (".tmp-12", nil, false),
            ("report.json.tmp-12", nil, false),
            (".report.json.tmp-", nil, false),
            (".report.json.tmp-0", nil, false),
            (".report.json.tmp-12345678901", nil, false),
            (".report.json.tmp--3", nil, false),
            (".report.json", nil, false),
            (".lock", nil, false),
        ] as [(String, Int32?, Bool)])
    func namesOfTemporariesAndScratchFolders(_ name: String, _ pid: Int32?, _ isScratch: Bool) {
        let owner = RunLock.staleOwner(name)
        #expect(owner?.pid == pid)
        if pid != nil { #expect(owner?.isScratch == isScratch) }
    }

    @Test func theHolderSweepsWhatOtherProcessesLeftAndKeepsTheRest() throws {
        let dir = TestSupport.temporaryDirectory()
        let me = getpid()
        let other = me == 999_999 ? 999_998 : 999_999
        let stale = [
            "..newsmill-state.json.tmp-\(other)", ".aggregates.jsonl.tmp-\(other)",
            "runs/20260101T000000Z/.documents.jsonl.gz.tmp-\(other)",
            "runs/20260102T000000Z/.errors.jsonl.tmp-\(other)", "runs/20260102T000000Z/.report.json.tmp-\(other)",
            "runs/20260103T000000Z/.errors.jsonl.tmp-\(other)",
        ]
        let kept = [
            ".newsmill-state.json", "aggregates.jsonl", "notes.tmp-\(other)", ".aggregates.jsonl.tmp-\(me)",
            "runs/20260102T000000Z/documents.jsonl.gz", "runs/20251231T000000Z/report.json",
            "runs/20260101T000000Z/sub/.x.tmp-\(other)",
        ]
        for name in stale + kept { try TestSupport.write("x", to: dir + "/" + name) }
        try TestSupport.write("run", to: dir + "/.newsmill-scratch-\(other)/all-1")
        try TestSupport.write("run", to: dir + "/runs/20260102T000000Z/.newsmill-scratch-\(other)/all-2")
        try TestSupport.write("mine", to: dir + "/.newsmill-scratch-\(me)/all-3")
        // An empty run folder the sweep did not empty stays.
        try FileManager.default.createDirectory(
            atPath: dir + "/runs/20251230T000000Z", withIntermediateDirectories: true)

        let lock = try #require(try RunLock(directory: dir))
        let removed = lock.sweepStaleFiles().map { String($0.dropFirst(dir.count + 1)) }
        #expect(
            Set(removed)
                == Set(
                    stale + [
                        ".newsmill-scratch-\(other)", "runs/20260102T000000Z/.newsmill-scratch-\(other)",
                        "runs/20260103T000000Z",
                    ]))
        for name in stale { #expect(FileSystem.status(dir + "/" + name) == nil, "\(name)") }
        for name in kept { #expect(FileSystem.status(dir + "/" + name) != nil, "\(name)") }
        #expect(FileSystem.status(dir + "/.newsmill-scratch-\(other)") == nil)
        #expect(FileSystem.status(dir + "/.newsmill-scratch-\(me)/all-3") != nil)
        // The killed run's folder that held only temporaries is gone; runs/20260101T000000Z
        // still holds sub/; runs/20251230T000000Z was empty before.
        #expect(
            FileSystem.list(dir + "/runs") == [
                "20251230T000000Z", "20251231T000000Z", "20260101T000000Z",
                "20260102T000000Z",
            ])

        // A released lock sweeps nothing.
        try TestSupport.write("x", to: dir + "/.report.json.tmp-\(other)")
        lock.release()
        #expect(lock.sweepStaleFiles().isEmpty)
        #expect(FileSystem.status(dir + "/.report.json.tmp-\(other)") != nil)
    }
}
