#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the folder of default model files, so that an installed `newsmill` (and one run
/// from a checkout) finds its models without being told.
///
/// Order: `$NEWSMILL_MODELS`; `../share/newsmill/models` beside the executable (an
/// installed layout, `prefix/bin/newsmill`); the repository's `models/` from a build
/// folder (`.build/release/newsmill`, also through the `.build/<triple>/release` link);
/// finally `./models`.
public enum NERModelLocator {
    /// The default entity model's file name.
    public static let defaultFileName = "en-ner.nmm"

    /// Candidate folders, in the order they are tried.
    public static func candidateDirectories(
        environment: String? = environmentValue("NEWSMILL_MODELS"),
        executable: String? = executablePath()
    ) -> [String] {
        var dirs: [String] = []
        if let env = environment, !env.isEmpty { dirs.append(env) }
        if let exe = executable {
            let dir = FileSystem.directory(of: exe)
            dirs.append(FileSystem.clean(dir + "/../share/newsmill/models"))
            dirs.append(FileSystem.clean(dir + "/../../models"))
            dirs.append(FileSystem.clean(dir + "/../../../models"))
        }
        dirs.append("models")
        return dirs
    }

    /// The first existing `name` among the candidate folders, or the path in the first
    /// folder when none has it (so the error names where it was expected).
    public static func defaultModelPath(
        named name: String = defaultFileName,
        environment: String? = environmentValue("NEWSMILL_MODELS"),
        executable: String? = executablePath()
    ) -> String {
        let dirs = candidateDirectories(environment: environment, executable: executable)
        for dir in dirs {
            let path = dir + "/" + name
            if FileSystem.status(path)?.isRegular == true { return path }
        }
        return (dirs.first ?? "models") + "/" + name
    }

    /// An environment variable's value.
    public static func environmentValue(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        return String(cString: raw)
    }

    /// The running executable's path (`/proc/self/exe` on Linux, else argv[0]).
    public static func executablePath() -> String? {
        #if os(Linux)
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            if n > 0 {
                return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        #endif
        return CommandLine.arguments.first
    }
}
