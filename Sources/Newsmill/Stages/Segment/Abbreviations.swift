/// The abbreviation data the segmenter uses, and the kinds that decide whether an
/// abbreviation's period can end a sentence.
///
/// Keys are written without their final period ("Mr", "U.S", "a.m"). Lists are data: a
/// pipeline file adds to them with the segment stage's `abbreviations` and
/// `title_abbreviations` options.
struct Abbreviations: Sendable {
    /// How an abbreviation behaves at a possible sentence end.
    enum Kind: UInt8, Sendable {
        /// Goes before a name ("Mr.", "Dr.", "Mt."): never ends a sentence.
        case title = 1
        /// Goes before a number ("No. 5", "Vol. 2"): abbreviation only before a digit.
        case number = 2
        /// May end a sentence ("Inc.", "Jan.", "etc."): ends one when a typical
        /// sentence-opening word follows.
        case general = 3
        /// Never ends a sentence ("e.g.", "i.e.", "vs.").
        case never = 4
        /// "a.m." and "p.m.": upper-case forms end a sentence before any capital.
        case time = 5
        /// A firm's suffix written capitalized ("Inc.", "Corp.", "Ltd."): ends a sentence
        /// before any capitalised word but a title of the firm's officers ("Acme Inc. Shares
        /// rose" against "Acme Corp. Chairman John Smith said").
        case firm = 6
    }

    /// Firms' suffixes: capitalized, of kind ``Kind/firm``; lower-case and all-capitals forms
    /// (headlines) are ``Kind/general``.
    static let firms = ["Inc", "Corp", "Co", "Cos", "Ltd", "Plc", "Bros"]

    /// Officers' titles that follow a firm's name inside a sentence.
    static let officers = [
        "Chairman", "Chairwoman", "President", "Chief", "Vice", "Executive", "Director", "Directors", "Managing",
        "Senior", "Treasurer", "Secretary", "Spokesman", "Spokeswoman", "Chmn", "CEO", "Pres", "Founder",
    ]

    /// Prepositive titles; lower-case and upper-case forms are accepted too.
    static let titles = [
        "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Mme", "Mlle", "Dr", "Drs", "Prof", "Profs", "Gen", "Gens",
        "Lt", "Col", "Capt", "Cmdr", "Cdr", "Maj", "Sgt", "Cpl", "Pvt", "Pfc", "Adm", "Brig", "Rep", "Reps",
        "Sen", "Sens", "Gov", "Govs", "Pres", "Supt", "Rev", "Revd", "Hon", "Fr", "Msgr", "Amb", "Atty",
        "Insp", "Det", "Mt", "Mts", "Ft", "St", "Sts", "Ste", "Sra", "Srta", "Lieut", "Comdr", "Cmdt",
        "Sec", "Secy", "Treas", "Asst", "Assoc", "Dep", "Dist", "Rt", "Hosp", "P.S", "P.P.S",
    ]

    /// Abbreviations that stand before a number.
    static let numberPrefixes = [
        "No", "Nos", "Nr", "Vol", "Vols", "pp", "Fig", "Figs", "Art", "Arts", "Ch", "Chap", "Sec", "Ref",
        "Op", "Para", "Pt", "Ex", "Tel", "Ph", "Rm", "Apt", "Ext", "N°", "Nº",
    ]

    /// Abbreviations that may end a sentence; all casings accepted.
    static let general = [
        "Assn", "Dept", "Depts", "Univ", "Jr", "Sr", "Esq",
        "Ave", "Blvd", "Rd", "Hwy", "Pl", "Sq", "Pkwy", "Ln", "Cres", "Ct", "Dr", "etc", "al", "approx",
        "est", "govt", "yr", "yrs", "mo", "mos", "wk", "wks", "min", "mins", "max", "misc", "ca", "ed",
        "eds", "ibid", "oz", "lb", "lbs", "ft", "sq", "mph", "hr", "hrs", "sec", "secs", "cu", "gal",
        "tsp", "tbsp", "doz", "pt", "qt", "attn", "info", "intl", "natl", "dept", "div", "vol", "ext",
        "ass'n", "cont", "incl", "dir", "mgr", "mfg", "mkt", "orig", "prev", "rev", "std", "temp", "var",
        "abbr", "esp", "fwd", "tel", "Bldg", "Mtn", "Jct",
    ]

    /// Abbreviations that never end a sentence.
    static let never = ["e.g", "i.e", "vs", "v", "viz", "cf", "eg", "ie", "a.k.a", "aka"]

    /// Times of day.
    static let times = ["a.m", "p.m"]

    /// Months, days and US states: exact case or all capitals only (so "ill." and "sat."
    /// at a sentence end stay ordinary words).
    static let caseSensitive = [
        "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
        "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri", "Sat", "Sun",
        "Ala", "Ariz", "Ark", "Calif", "Cal", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan",
        "Kans", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nebr", "Nev",
        "Okla", "Ore", "Oreg", "Pa", "Penn", "Tenn", "Tex", "Vt", "Va", "Wash", "Wis", "Wisc", "Wyo",
        "Alta", "Ont", "Que", "Sask",
    ]

    /// Words that typically open a sentence; after a "general" abbreviation they signal
    /// that the abbreviation's period also ends the sentence.
    static let sentenceStarters = [
        "A", "An", "The", "He", "She", "It", "I", "We", "They", "You", "His", "Her", "Its", "Our", "Their",
        "My", "Your", "This", "That", "These", "Those", "There", "Here", "What", "When", "Where", "Who",
        "Why", "How", "However", "But", "So", "Yet", "If", "In", "On", "At", "As", "After", "Before", "By",
        "For", "From", "With", "Without", "During", "Since", "While", "Although", "Though", "Because",
        "Meanwhile", "Moreover", "Also", "Then", "Thus", "Still", "Now", "Some", "Many", "Most", "More",
        "All", "Both", "Each", "Being", "Did", "Do", "Does", "Can", "Could", "Should", "Will", "Would",
        "Millions", "Thousands", "Such", "Even", "Only", "Under", "Among", "According", "Instead", "Last",
        "Earlier", "Later", "Let", "Please", "Yes",
    ]

    /// Lookup from abbreviation (without final period) to ``Kind`` raw value.
    let table: ByteStringTable
    /// Lookup of sentence-opening words.
    let starters: ByteStringTable

    /// The built-in lists plus `extraGeneral` and `extraTitles` (final periods optional).
    init(extraGeneral: [String] = [], extraTitles: [String] = []) {
        var entries: [(key: String, value: UInt8)] = []
        // Lower-case, capitalized and given forms; the all-capitals form only for words
        // written capitalized in the lists ("INC.", "MR.", "NO."), so that acronyms such as
        // "EST" or "FT" do not turn into abbreviations of "est." and "ft.".
        func addAllCasings(_ words: [String], _ kind: Kind) {
            for word in words {
                entries.append((word.lowercased(), kind.rawValue))
                entries.append((word.prefix(1).uppercased() + word.dropFirst().lowercased(), kind.rawValue))
                if word.first?.isUppercase == true || word.contains(".") {
                    entries.append((word.uppercased(), kind.rawValue))
                }
                entries.append((word, kind.rawValue))
            }
        }
        func addExact(_ words: [String], _ kind: Kind) {
            for word in words {
                entries.append((word, kind.rawValue))
                entries.append((word.uppercased(), kind.rawValue))
            }
        }
        addExact(Self.caseSensitive, .general)
        addAllCasings(Self.general, .general)
        for word in Self.firms {
            entries.append((word.lowercased(), Kind.general.rawValue))
            entries.append((word.uppercased(), Kind.general.rawValue))
            entries.append((word, Kind.firm.rawValue))
        }
        addAllCasings(Self.times, .time)
        addAllCasings(Self.titles, .title)
        addAllCasings(Self.numberPrefixes, .number)
        addAllCasings(Self.never, .never)
        func strip(_ word: String) -> String {
            var word = word.trimmingSpaces()
            while word.hasSuffix(".") { word.removeLast() }
            return word
        }
        addExact(extraGeneral.map(strip).filter { !$0.isEmpty }, .general)
        addExact(extraTitles.map(strip).filter { !$0.isEmpty }, .title)
        table = ByteStringTable(entries, foldingCase: false)
        starters = ByteStringTable(Self.sentenceStarters.map { ($0, 1) }, foldingCase: false)
        officerTitles = ByteStringTable(Self.officers.map { ($0, 1) }, foldingCase: false)
    }

    /// Lookup of officers' titles.
    let officerTitles: ByteStringTable

    /// Whether `b[start..<end]` is an officer's title ("Chairman").
    @inline(__always)
    func isOfficerTitle(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        officerTitles.lookup(b, start, end) != nil
    }

    /// The kind of the abbreviation `b[start..<end]` (without its final period), if listed.
    @inline(__always)
    func kind(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Kind? {
        guard let raw = table.lookup(b, start, end) else { return nil }
        return Kind(rawValue: raw)
    }

    /// Whether `b[start..<end]` is a typical sentence-opening word.
    @inline(__always)
    func isSentenceStarter(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        starters.lookup(b, start, end) != nil
    }
}
