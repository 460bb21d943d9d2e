/// Cleans a document's text before anything points into it: HTML, mojibake, Unicode
/// normalization, invisible characters, whitespace and paragraphs, hard-wrapped wire
/// copy, optional typography folding, boilerplate lines, and optionally the title line
/// and the wire dateline, which move to the metadata.
///
/// The output text is one paragraph a line, lines trimmed, "\n" between paragraphs, no
/// blank lines. Every step can be switched off or tuned (see ``optionSpecs``). Text that
/// is already clean is scanned, not copied: the document is left untouched.
public struct NormalizeStage: Stage {
    public static let name = "normalize"
    public static let summary =
        "clean text: HTML, mojibake, NFC, invisible characters, whitespace, wrapped lines, boilerplate, title, dateline"

    public static let optionSpecs: [OptionSpec] = [
        OptionSpec("unicode", default: "nfc", "Unicode normalization: nfc, nfkc or none"),
        OptionSpec("mojibake", default: "true", "repair UTF-8 misread as Windows-1252/Latin-1 (\"â€™\" -> \"’\")"),
        OptionSpec("html_entities", default: "true", "decode HTML character references (&amp; &eacute; &#8217;)"),
        OptionSpec(
            "html_tags", default: "auto",
            "strip HTML tags: auto (when the text is confidently HTML), always or never"),
        OptionSpec(
            "html_boilerplate", default: "true",
            "in HTML, drop what nav, aside, footer and form elements hold (menus, sidebars, page footers, forms)"),
        OptionSpec("invisible", default: "true", "remove control, zero-width and bidi-format characters, and BOMs"),
        OptionSpec(
            "whitespace", default: "true",
            "collapse whitespace, trim lines, drop blank lines (one paragraph a line)"),
        OptionSpec("spaces", default: "true", "fold no-break and other Unicode spaces to a plain space"),
        OptionSpec("quotes", default: "false", "fold curly quotes to ' and \""),
        OptionSpec("dashes", default: "false", "fold hyphen and en-dash variants to -, em dashes to --"),
        OptionSpec("ellipsis", default: "false", "fold … to ..."),
        OptionSpec("unwrap", default: "auto", "rejoin hard-wrapped lines into paragraphs: auto, always or never"),
        OptionSpec("wrap_min_width", default: "55", "shortest typical line of hard-wrapped text (characters)"),
        OptionSpec("wrap_max_width", default: "80", "longest typical line of hard-wrapped text (characters)"),
        OptionSpec(
            "dehyphenate", default: "auto",
            "hyphen at a wrapped line's end: auto (document usage, then rules), keep or join"),
        OptionSpec(
            "boilerplate", default: "true",
            "remove the built-in boilerplate lines (copyright, Read more, share prompts, bylines...)"),
        OptionSpec(
            "boilerplate_patterns", default: "[]",
            "more boilerplate lines: prefix:TEXT (or TEXT), contains:TEXT, line:TEXT, regex:PATTERN"),
        OptionSpec("boilerplate_max_length", default: "250", "only lines up to this many bytes can be boilerplate"),
        OptionSpec("title_line", default: "false", "move the first line to meta.title"),
        OptionSpec(
            "dateline", default: "false",
            "move a wire dateline (\"WASHINGTON, March 2 - \") at the body's start to meta.dateline"),
    ]

    var form: UnicodeNormalization.Form
    var mojibake: Bool
    var htmlEntities: Bool
    var htmlTags: String
    var htmlBoilerplate: Bool
    var layout: Layout.Options
    var unwrap: String
    var wrap: HardWrap.Options
    var boilerplate: Boilerplate?
    var titleLine: Bool
    var dateline: Bool

    public init(options: StageOptions) throws(ConfigError) {
        let form = try options.choice("unicode", default: "nfc", from: ["nfc", "nfkc", "none"])
        self.form = UnicodeNormalization.Form(rawValue: form) ?? .nfc
        mojibake = try options.bool("mojibake", default: true)
        htmlEntities = try options.bool("html_entities", default: true)
        htmlTags = try options.choice("html_tags", default: "auto", from: ["auto", "always", "never"])
        htmlBoilerplate = try options.bool("html_boilerplate", default: true)
        layout = Layout.Options(
            invisible: try options.bool("invisible", default: true),
            whitespace: try options.bool("whitespace", default: true),
            spaces: try options.bool("spaces", default: true),
            quotes: try options.bool("quotes", default: false),
            dashes: try options.bool("dashes", default: false),
            ellipsis: try options.bool("ellipsis", default: false))
        unwrap = try options.choice("unwrap", default: "auto", from: ["auto", "always", "never"])
        let minWidth = try options.int("wrap_min_width", default: 55, in: 10...1000)
        let maxWidth = try options.int("wrap_max_width", default: 80, in: 10...1000)
        guard minWidth <= maxWidth else {
            throw .invalidOption(
                key: "wrap_min_width", value: String(minWidth),
                expected: "at most wrap_max_width (\(maxWidth))",
                at: options.location(of: "wrap_min_width"))
        }
        let dehyphenate = try options.choice("dehyphenate", default: "auto", from: ["auto", "keep", "join"])
        wrap = HardWrap.Options(
            minWidth: minWidth, maxWidth: maxWidth,
            dehyphenate: HardWrap.Dehyphenate(rawValue: dehyphenate) ?? .auto)
        let defaults = try options.bool("boilerplate", default: true)
        let patterns = try options.stringList("boilerplate_patterns", default: [])
        let maxLength = try options.int("boilerplate_max_length", default: 250, in: 1...100_000)
        if defaults || !patterns.isEmpty {
            do {
                boilerplate = try Boilerplate(patterns: patterns, defaults: defaults, maxLength: maxLength)
            } catch {
                throw .invalidOption(
                    key: "boilerplate_patterns", value: error.pattern,
                    expected: "a pattern (\(error.detail))",
                    at: options.location(of: "boilerplate_patterns"))
            }
        } else {
            boilerplate = nil
        }
        titleLine = try options.bool("title_line", default: false)
        dateline = try options.bool("dateline", default: false)
    }

    /// What normalizing one text did; the counters go to the report.
    struct Outcome {
        /// The new text, or nil when the text did not change.
        var text: String?
        var title: String?
        var dateline: String?
        var htmlDocuments = 0
        var htmlEntities = 0
        var htmlTags = 0
        var mojibakeRepairs = 0
        var unicodeNormalized = 0
        var unwrappedDocuments = 0
        var joinedLines = 0
        var dehyphenated = 0
        var layoutChanged = 0
        var boilerplateLines = 0
    }

    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        let scratch = context.scratch(NormalizeScratch.self) { NormalizeScratch() }
        let existingTitle = titleLine ? document.metadata("title")?.stringValue : nil
        let outcome = normalize(document.text, scratch: scratch, existingTitle: existingTitle)
        if let text = outcome.text {
            document.text = text
            if !document.sentences.isEmpty || !document.tokens.isEmpty || !document.entities.isEmpty {
                document.clearAnnotations()
            }
            context.count("normalize.changed_documents", 1)
        }
        if let title = outcome.title {
            document.setMetadata("title", .string(title))
            context.count("normalize.titles", 1)
        }
        if let line = outcome.dateline {
            document.setMetadata("dateline", .string(line))
            context.count("normalize.datelines", 1)
        }
        let counters: [(String, Int)] = [
            ("normalize.html_documents", outcome.htmlDocuments),
            ("normalize.html_entities", outcome.htmlEntities),
            ("normalize.html_tags", outcome.htmlTags),
            ("normalize.mojibake_repairs", outcome.mojibakeRepairs),
            ("normalize.unicode_normalized", outcome.unicodeNormalized),
            ("normalize.unwrapped_documents", outcome.unwrappedDocuments),
            ("normalize.joined_lines", outcome.joinedLines),
            ("normalize.dehyphenated_words", outcome.dehyphenated),
            ("normalize.layout_changed", outcome.layoutChanged),
            ("normalize.boilerplate_lines", outcome.boilerplateLines),
        ]
        for (name, amount) in counters where amount > 0 { context.count(name, amount) }
        return .keep
    }

    /// Normalizes one text (the whole stage, without a document).
    func normalize(_ text: String, scratch: NormalizeScratch = NormalizeScratch(), existingTitle: String? = nil)
        -> Outcome
    {
        var outcome = Outcome()
        var work = WorkingText(text: text, scratch: scratch)
        defer { work.giveBack(to: scratch) }
        var summary = work.withBytes { ByteFlags.scan($0) }
        var flags = summary.flags
        var scannedVersion = 0
        func rescan() {
            guard work.version != scannedVersion else { return }
            summary = work.withBytes { ByteFlags.scan($0) }
            flags = summary.flags
            scannedVersion = work.version
        }

        if (htmlEntities || htmlTags == "always") && flags & ByteFlags.markup != 0 {
            work.pass { input, out in
                let html = htmlTags == "always" || (htmlTags == "auto" && HTMLCleaner.looksLikeHTML(input))
                let result = HTMLCleaner.clean(
                    input, html: html, entities: htmlEntities, dropBoilerplate: htmlBoilerplate, into: &out)
                if html { outcome.htmlDocuments = 1 }
                outcome.htmlEntities = result.entities
                outcome.htmlTags = result.tags
                return result.changed
            }
        }
        rescan()
        if mojibake && flags & (ByteFlags.c3 | ByteFlags.specialLead) != 0 {
            work.pass { input, out in
                guard MojibakeRepair.mayContainMojibake(input) else { return false }
                var spare = scratch.extra
                scratch.extra = []
                defer { scratch.extra = spare }
                outcome.mojibakeRepairs = MojibakeRepair.repairAll(input, into: &out, spare: &spare)
                return outcome.mojibakeRepairs > 0
            }
        }
        rescan()
        if form != .none && flags & ByteFlags.nonASCII != 0 {
            work.pass { input, out in
                let changed = UnicodeNormalization.apply(input, form: form, into: &out)
                if changed { outcome.unicodeNormalized = 1 }
                return changed
            }
        }
        rescan()
        if unwrap != "never" {
            let ascii = flags & ByteFlags.nonASCII == 0
            work.pass { input, out in
                let width = HardWrap.detect(input, options: wrap, force: unwrap == "always", ascii: ascii)
                guard let width else { return false }
                let result = HardWrap.rejoin(input, width: width, options: wrap, into: &out)
                guard result.joined > 0 else { return false }
                outcome.unwrappedDocuments = 1
                outcome.joinedLines = result.joined
                outcome.dehyphenated = result.dehyphenated
                return true
            }
        }
        rescan()
        let fullLayout = layout != Layout.Options(invisible: true, whitespace: true, spaces: layout.spaces)
        if fullLayout || summary.layoutMayChange {
            work.pass { input, out in
                let changed: Bool
                if !fullLayout && summary.onlyEdges {
                    changed = Layout.trimEdges(input, into: &out)
                } else {
                    changed = Layout.apply(input, options: layout, into: &out)
                }
                if changed { outcome.layoutChanged = 1 }
                return changed
            }
        }
        if let boilerplate {
            work.pass { input, out in
                outcome.boilerplateLines = boilerplate.apply(input, into: &out)
                return outcome.boilerplateLines > 0
            }
        }
        if titleLine {
            work.pass { input, out in
                let end = input.firstIndex(of: 0x0A) ?? input.count
                guard end > 0 else { return false }
                let line = String(decoding: UnsafeBufferPointer(rebasing: input[0..<end]), as: UTF8.self)
                if let existingTitle, existingTitle != line { return false }
                if existingTitle == nil { outcome.title = line }
                out.removeAll(keepingCapacity: true)
                if end < input.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: input[(end + 1)...])) }
                return true
            }
        }
        if dateline {
            work.pass { input, out in
                let end = input.firstIndex(of: 0x0A) ?? input.count
                guard let match = Dateline.match(UnsafeBufferPointer(rebasing: input[0..<end])) else { return false }
                outcome.dateline = String(
                    decoding: UnsafeBufferPointer(rebasing: input[0..<match.valueEnd]),
                    as: UTF8.self)
                out.removeAll(keepingCapacity: true)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[match.bodyStart...]))
                return true
            }
        }
        if work.modified {
            outcome.text = work.makeString()
        }
        return outcome
    }
}

/// Per-worker buffers of the normalize stage, reused from document to document.
final class NormalizeScratch {
    var buffers: [[UInt8]] = [[], []]
    var extra: [UInt8] = []
}

/// Byte flags of a whole text, from one table-driven scan.
enum ByteFlags {
    static let nonASCII: UInt8 = 1
    static let markup: UInt8 = 2
    static let c3: UInt8 = 4
    /// C0 controls other than LF (tab and CR included), and DEL.
    static let control: UInt8 = 8
    /// Lead bytes of the characters ``Layout`` may change (C2, E1, E2, E3, EF).
    static let specialLead: UInt8 = 16
    /// Space or LF; in ``Summary/pairs``: two of them next to each other.
    static let whitespace: UInt8 = 32

    /// What one scan found.
    struct Summary {
        var flags: UInt8 = 0
        /// `whitespace` when a space or LF follows a space or LF.
        var pairs: UInt8 = 0
        /// The text starts or ends with a space or LF.
        var edges = false

        /// Whether ``Layout`` with whitespace and invisible handling on could change the text.
        var layoutMayChange: Bool {
            flags & (ByteFlags.control | ByteFlags.specialLead) != 0 || pairs != 0 || edges
        }
        /// Whether the only layout change is whitespace at the text's ends.
        var onlyEdges: Bool {
            flags & (ByteFlags.control | ByteFlags.specialLead) == 0 && pairs == 0
        }
    }

    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 256)
        for b in 0..<0x20 where b != 0x0A { t[b] = control }
        t[0x7F] = control
        for b in 0x80..<0x100 { t[b] = nonASCII }
        t[0xC3] |= c3
        for b in [0xC2, 0xE1, 0xE2, 0xE3, 0xEF] { t[b] |= specialLead }
        t[0x3C] = markup
        t[0x26] = markup
        t[0x20] = whitespace
        t[0x0A] = whitespace
        return t
    }()

    static func scan(_ p: UnsafeBufferPointer<UInt8>) -> Summary {
        table.withUnsafeBufferPointer { t in
            var acc: UInt8 = 0
            var pairs: UInt8 = 0
            var previous: UInt8 = 0
            for b in p {
                let v = t[Int(b)]
                acc |= v
                pairs |= previous & v
                previous = v
            }
            var summary = Summary(flags: acc, pairs: pairs & whitespace)
            if let first = p.first, let last = p.last {
                summary.edges = (t[Int(first)] | t[Int(last)]) & whitespace != 0
            }
            return summary
        }
    }
}

/// The text being normalized: the original string until a pass changes it, then bytes
/// in one of two buffers that passes write back and forth.
struct WorkingText {
    private var text: String
    private var current: [UInt8]
    private var spare: [UInt8]
    private(set) var modified = false
    /// Counts the passes that changed the text.
    private(set) var version = 0

    init(text: String, scratch: NormalizeScratch) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
        current = scratch.buffers[0]
        spare = scratch.buffers[1]
        scratch.buffers = [[], []]
    }

    func giveBack(to scratch: NormalizeScratch) {
        scratch.buffers = [current, spare]
    }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if modified { return current.withUnsafeBufferPointer(body) }
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    /// Runs one pass: `body` reads the input and, when it returns true, has written the
    /// new text into its output buffer.
    mutating func pass(_ body: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Bool) {
        var out = spare
        spare = []
        let changed = withBytes { input in body(input, &out) }
        if changed {
            spare = current
            current = out
            modified = true
            version += 1
        } else {
            spare = out
        }
    }

    func makeString() -> String {
        String(decoding: current, as: UTF8.self)
    }
}
