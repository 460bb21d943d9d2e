import CZlib

/// Version information written into reports.
public enum NewsmillInfo {
    /// newsmill's version.
    public static let version = "0.1.0"
    /// The zlib library's version.
    public static var zlibVersion: String { String(cString: CZlib.zlibVersion()) }

    /// The x86-64 level the binary was compiled for: `x86-64-v3` (AVX2, BMI2, FMA; what
    /// `make build` chooses on a machine that has them, `CPU=` overrides it) or `generic`.
    public static var cpuLevel: String {
        #if NEWSMILL_X86_64_V3
            "x86-64-v3"
        #else
            "generic"
        #endif
    }

    /// Whether this machine runs x86-64-v3 code (CPUID: AVX2, BMI1/2, FMA, F16C, MOVBE, and the
    /// OS saves the AVX registers); true on other architectures.
    public static var machineRunsX86_64V3: Bool { newsmill_cpu_runs_x86_64_v3() != 0 }

    /// Exits with a message (status 69) when the binary was compiled for a CPU level this
    /// machine lacks, before any code that uses it runs (the check is C, compiled for any
    /// x86-64). Call it first thing in `main`.
    public static func requireCPULevel() {
        #if NEWSMILL_X86_64_V3
            newsmill_require_x86_64_v3()
        #endif
    }
}
