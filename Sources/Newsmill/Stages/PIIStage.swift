/// The `pii` stage: finds e-mail addresses, IP addresses and phone numbers
/// (``PIIScanner``) and replaces each with a placeholder (`<EMAIL>`, `<IP>`, `<PHONE>`), as
/// DataTrove's PIIFormatter does before text goes to a model; or, with `action: tag`,
/// leaves the text as it is and lists the spans in `meta.pii` (`start`, `end` in code
/// points, `kind`), as Dolma's PII tagger does. Counters: `pii.email`, `pii.ip`,
/// `pii.phone`, and `pii.documents` (documents with at least one).
///
/// Replacing rewrites the text, so, like `normalize`, it must come before `segment`.
public struct PIIStage: Stage {
    public static let name = "pii"
    public static let summary =
        "replace e-mail addresses, IP addresses and phone numbers with placeholders (or list them in meta.pii)"
    public static let optionSpecs = [
        OptionSpec("kinds", default: "[email, ip, phone]", "what to find: email, ip (v4 and v6), phone"),
        OptionSpec(
            "action", default: "replace",
            "replace (the text gets placeholders; put the stage before segment) or tag (meta.pii lists the spans)"),
        OptionSpec("email", default: "<EMAIL>", "the placeholder of an e-mail address"),
        OptionSpec("ip", default: "<IP>", "the placeholder of an IP address"),
        OptionSpec("phone", default: "<PHONE>", "the placeholder of a phone number"),
    ]

    let kinds: Set<PIIScanner.Kind>
    /// Whether the text is rewritten (`action: replace`).
    public let replaces: Bool
    let placeholders: [[UInt8]]

    public init(options: StageOptions) throws(ConfigError) {
        var kinds: Set<PIIScanner.Kind> = []
        for name in try options.stringList("kinds", default: ["email", "ip", "phone"]) {
            guard let kind = PIIScanner.Kind.allCases.first(where: { $0.name == name }) else {
                throw .invalidOption(
                    key: "kinds", value: name, expected: "email, ip or phone", at: options.location(of: "kinds"))
            }
            kinds.insert(kind)
        }
        self.kinds = kinds
        replaces = try options.choice("action", default: "replace", from: ["replace", "tag"]) == "replace"
        placeholders = [
            Array(try options.string("email", default: "<EMAIL>").utf8),
            Array(try options.string("ip", default: "<IP>").utf8),
            Array(try options.string("phone", default: "<PHONE>").utf8),
        ]
    }

    public func process(_ document: inout Document, in context: StageContext) throws -> Verdict {
        var text = document.text
        let kinds = self.kinds
        let matches = text.withUTF8 { PIIScanner.scan($0, kinds: kinds) }
        guard !matches.isEmpty else { return .keep }
        var perKind = [0, 0, 0]
        for m in matches { perKind[m.kind.rawValue] += 1 }
        for kind in PIIScanner.Kind.allCases where perKind[kind.rawValue] > 0 {
            context.count("pii." + kind.name, perKind[kind.rawValue])
        }
        context.count("pii.documents", 1)
        if replaces {
            var out: [UInt8] = []
            text.withUTF8 { bytes in
                out.reserveCapacity(bytes.count)
                var at = 0
                for m in matches {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at..<m.start]))
                    out.append(contentsOf: placeholders[m.kind.rawValue])
                    at = m.end
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[at...]))
            }
            document.text = String(decoding: out, as: UTF8.self)
            if !document.sentences.isEmpty || !document.tokens.isEmpty || !document.entities.isEmpty {
                document.clearAnnotations()
            }
        } else {
            // Code-point offsets, as every other span in the output.
            var spans: [JSONValue] = []
            text.withUTF8 { bytes in
                var points = 0
                var at = 0
                func advance(to byte: Int) -> Int {
                    while at < byte {
                        if bytes[at] & 0xC0 != 0x80 { points += 1 }
                        at += 1
                    }
                    return points
                }
                for m in matches {
                    let start = advance(to: m.start)
                    let end = advance(to: m.end)
                    spans.append(
                        .object([
                            JSONMember("start", .int(start)), JSONMember("end", .int(end)),
                            JSONMember("kind", .string(m.kind.name)),
                        ]))
                }
            }
            document.setMetadata("pii", .array(spans))
        }
        return .keep
    }
}
