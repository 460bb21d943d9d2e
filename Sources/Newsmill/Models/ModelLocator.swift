#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the shipped models folder without being told: `$NEWSMILL_MODELS`, then, relative to
/// the running executable, `models/` beside it, `../share/newsmill/models` (`make install`),
/// and the repository's `models/` seen from `.build/release/newsmill` (also through the
/// `.build/<triple>/release` path the symlink resolves to).
public enum ModelLocator {
    /// The default part-of-speech model's file name.
    public static let posModelName = "en-pos.nmm"
    /// The default lemmatizer's file name.
    public static let lemmaModelName = "en-lemma.nmm"

    /// Candidate folders, in the order they are tried.
    public static func candidateDirectories(environment: String? = nil, executable: String? = nil) -> [String] {
        var dirs: [String] = []
        if let env = environment ?? getenvString("NEWSMILL_MODELS"), !env.isEmpty { dirs.append(env) }
        for exe in [executable ?? executablePath(), CommandLine.arguments.first].compactMap({ $0 }) {
            let bin = FileSystem.directory(of: exe)
            for relative in ["models", "../share/newsmill/models", "../../models", "../../../models"] {
                let dir = FileSystem.clean(FileSystem.resolve(relative, relativeTo: bin))
                if !dirs.contains(dir) { dirs.append(dir) }
            }
        }
        return dirs
    }

    /// The path of a model file in the first candidate folder that has it.
    public static func find(_ name: String) -> String? {
        for dir in candidateDirectories() {
            let path = FileSystem.resolve(name, relativeTo: dir)
            if FileSystem.status(path)?.isRegular == true { return path }
        }
        return nil
    }

    static func getenvString(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }

    /// The running executable's path (`/proc/self/exe` on Linux).
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
