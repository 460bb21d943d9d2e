import CZlib

/// Version information written into reports.
public enum NewsmillInfo {
    /// newsmill's version.
    public static let version = "0.1.0"
    /// The zlib library's version.
    public static var zlibVersion: String { String(cString: CZlib.zlibVersion()) }
}
