import Foundation
import Testing

@testable import Newsmill

/// The release binary's CPU level (scripts/swift-cpu-flags.sh, `make build CPU=...`) and the
/// start-up check of a binary built for x86-64-v3.
@Suite struct CPULevelTests {
    /// The CPUID check agrees with the kernel's flags in /proc/cpuinfo.
    @Test func theCPUIDCheckAgreesWithTheKernel() throws {
        #if arch(x86_64) && os(Linux)
            let info = String(decoding: try FileSystem.readFile("/proc/cpuinfo"), as: UTF8.self)
            let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("flags") })
            let flags = Set(line.split(separator: " ").map(String.init))
            let v3 = ["avx", "avx2", "bmi1", "bmi2", "fma", "f16c", "movbe", "xsave"].allSatisfy(flags.contains)
            #expect(NewsmillInfo.machineRunsX86_64V3 == v3, "\(flags.sorted())")
        #else
            #expect(NewsmillInfo.machineRunsX86_64V3)
        #endif
    }

    /// The test build is compiled without the flags: generic, and the start-up check passes.
    @Test func theDebugBuildIsGeneric() throws {
        #expect(NewsmillInfo.cpuLevel == "generic")
        let result = try TestSupport.run([TestSupport.binary, "--version"])
        #expect(result.status == 0)
    }

    @Test func theFlagsScriptChoosesTheLevel() throws {
        let script = TestSupport.repoRoot + "/scripts/swift-cpu-flags.sh"
        let generic = try TestSupport.run(["sh", script, "generic"])
        #expect(generic.status == 0 && generic.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let v3 = try TestSupport.run(["sh", script, "x86-64-v3"])
        #expect(v3.stdout.contains("-target-cpu") && v3.stdout.contains("-DNEWSMILL_X86_64_V3"))
        let auto = try TestSupport.run(["sh", script])
        #expect(auto.stdout.contains("-DNEWSMILL_X86_64_V3") == (NewsmillInfo.machineRunsX86_64V3 && isX86_64))
        let bad = try TestSupport.run(["sh", script, "pentium"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unknown CPU level 'pentium'"))
    }

    var isX86_64: Bool {
        #if arch(x86_64)
            true
        #else
            false
        #endif
    }
}
