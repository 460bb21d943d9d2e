/// Word classes the rule patterns for dates, times, amounts and numbers are written in.
///
/// A token's class comes from its bytes (digits, `1st`, `10:30`, `1990s`) and from a
/// keyword table looked up by the hash of its lowercased bytes.
struct EntityTokenClass: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    static let number = EntityTokenClass(rawValue: 1 << 0)  // 12, 1,500, 5.5, 3/4
    static let year = EntityTokenClass(rawValue: 1 << 1)  // 1987 (1800-2099)
    static let dayNumber = EntityTokenClass(rawValue: 1 << 2)  // 1-31
    static let decade = EntityTokenClass(rawValue: 1 << 3)  // 1990s, '80s
    static let ordinalNumber = EntityTokenClass(rawValue: 1 << 4)  // 1st, 22nd
    static let clock = EntityTokenClass(rawValue: 1 << 5)  // 10:30
    static let numberWord = EntityTokenClass(rawValue: 1 << 6)  // one ... ninety
    static let scale = EntityTokenClass(rawValue: 1 << 7)  // million, mln, billion
    static let ordinalWord = EntityTokenClass(rawValue: 1 << 8)  // first, second
    static let month = EntityTokenClass(rawValue: 1 << 9)
    static let weekday = EntityTokenClass(rawValue: 1 << 10)
    static let period = EntityTokenClass(rawValue: 1 << 11)  // week, months, quarter
    static let relativeDay = EntityTokenClass(rawValue: 1 << 12)  // today, yesterday
    static let dateModifier = EntityTokenClass(rawValue: 1 << 13)  // last, next, this, past
    static let ago = EntityTokenClass(rawValue: 1 << 14)
    static let dayPart = EntityTokenClass(rawValue: 1 << 15)  // morning, night
    static let timeWord = EntityTokenClass(rawValue: 1 << 16)  // noon, midnight, tonight
    static let meridiem = EntityTokenClass(rawValue: 1 << 17)  // a.m., pm
    static let timeZone = EntityTokenClass(rawValue: 1 << 18)  // GMT, EST
    static let clockUnit = EntityTokenClass(rawValue: 1 << 19)  // hours, minutes
    static let currencySymbol = EntityTokenClass(rawValue: 1 << 20)  // $, US$, £
    static let currencyWord = EntityTokenClass(rawValue: 1 << 21)  // dlrs, cts, yen
    static let percentWord = EntityTokenClass(rawValue: 1 << 22)  // %, pct, percent
    static let unit = EntityTokenClass(rawValue: 1 << 23)  // tonnes, km, barrels
    static let currencyAdjective = EntityTokenClass(rawValue: 1 << 24)  // U.S., Canadian
    static let the = EntityTokenClass(rawValue: 1 << 25)
    static let per = EntityTokenClass(rawValue: 1 << 26)
    static let cent = EntityTokenClass(rawValue: 1 << 27)
    static let fiscal = EntityTokenClass(rawValue: 1 << 28)
    static let comma = EntityTokenClass(rawValue: 1 << 29)
    static let ambiguousMonth = EntityTokenClass(rawValue: 1 << 30)  // may (needs a day or year)
    static let capitalized = EntityTokenClass(rawValue: 1 << 31)

    static let numeric: EntityTokenClass = [.number, .numberWord]
    /// The words of dates and times: every class from ``number`` to ``clockUnit`` (bits 0-19).
    static let dateAndTimeWords = EntityTokenClass(rawValue: (1 << 20) - 1)

    /// Keyword table: lowercase hash -> class bits.
    static let keywords: EntityHashTable = {
        var entries: [(UInt64, UInt32)] = []
        func add(_ words: String, _ cls: EntityTokenClass) {
            for w in words.split(separator: " ") { entries.append((EntityHash.lower(String(w)), cls.rawValue)) }
        }
        add(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                + "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                + "twenty-five", .numberWord)
        add("hundred thousand million billion trillion mln bln billion mn bn dozen", .scale)
        add(
            "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
                + "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
                + "thirtieth fortieth fiftieth hundredth", .ordinalWord)
        add(
            "january jan jan. february feb feb. march mar. april apr apr. june jun jun. july jul jul. "
                + "august aug aug. september sept sep sept. sep. october oct oct. november nov nov. "
                + "december dec dec.", .month)
        add("may", [.month, .ambiguousMonth])
        add(
            "monday tuesday wednesday thursday friday saturday sunday mon. tue. tues. wed. thu. "
                + "thur. thurs. fri. sat.", .weekday)
        add(
            "day days week weeks month months year years quarter quarters decade decades century "
                + "centuries weekend weekends half season seasons period periods year-end",
            .period)
        add("today yesterday tomorrow", .relativeDay)
        add(
            "last next this past coming previous prior preceding recent current same early late mid earlier later",
            .dateModifier)
        add("ago", .ago)
        add("morning afternoon evening night", .dayPart)
        add("noon midnight tonight overnight", .timeWord)
        add("am pm a.m. p.m.", .meridiem)
        add("gmt est edt pst pdt cst cdt bst cet utc", .timeZone)
        add("hours hour minutes minute seconds hrs mins", .clockUnit)
        add("$ us$ c$ a$ hk$ nz$ s$ £ € ¥", .currencySymbol)
        add(
            "dlrs dlr dollars dollar cts cents cent yen marks francs franc pounds stg sterling lire "
                + "lira guilders guilder pesos peso rupees rupee euros euro crowns kroner kronor krona "
                + "riyals riyal dinars dinar rand yuan roubles rubles rouble shillings baht ringgit "
                + "pence p rand escudos pesetas drachmas schillings dirhams", .currencyWord)
        add(
            "u.s. us canadian australian swiss french belgian dutch hong kong singapore "
                + "new zealand taiwan mexican", .currencyAdjective)
        add("% pct percent", .percentWord)
        add(
            "tonnes tonne tons ton kilos kilo kg kgs kilograms kilogram grams gram km kilometers "
                + "kilometres kilometer kilometre miles mile meters metres meter metre feet foot ft "
                + "inches inch lbs lb ounces ounce oz ozs bushels bushel barrels barrel bpd acres acre "
                + "hectares hectare gallons gallon liters litres liter litre bales bale cubic sq "
                + "megawatts megawatt mw kilowatts kw degrees tonnes/year cwt carats mph cu", .unit)
        add("the", .the)
        add("per", .per)
        add("cent", .cent)
        add("fiscal", .fiscal)
        add(",", .comma)
        return EntityHashTable(entries)
    }()

    /// A crop or fiscal year written as a range of two years, "1987/88" or "1988/1989"
    /// (the second the year after the first).
    static func isYearRange(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard p[start + 4] == 0x2F else { return false }
        func digits(_ from: Int, _ to: Int) -> Int? {
            var v = 0
            for i in from..<to {
                guard p[i] &- 0x30 < 10 else { return nil }
                v = v * 10 + Int(p[i] &- 0x30)
            }
            return v
        }
        guard let first = digits(start, start + 4), first >= 1800, first <= 2098,
            let second = digits(start + 5, end)
        else { return false }
        return end - start == 7 ? second == (first + 1) % 100 : second == first + 1
    }

    /// The class of the token `p[start..<end]` whose lowercase hash is `lowerHash`.
    static func of(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, lowerHash: UInt64) -> EntityTokenClass {
        var cls = EntityTokenClass(rawValue: keywords.value(for: lowerHash))
        let first = p[start]
        if first &- 0x41 < 26 { cls.insert(.capitalized) }
        let n = end - start
        if first &- 0x30 < 10 || (first == 0x27 && n > 1 && p[start + 1] &- 0x30 < 10) {
            // Digits with separators; ordinals (1st); decades (1990s, '80s); clock (10:30).
            var digits = 0
            var value = 0
            var seps = 0
            var colon = false
            var i = first == 0x27 ? start + 1 : start
            while i < end, p[i] &- 0x30 < 10 || p[i] == 0x2C || p[i] == 0x2E || p[i] == 0x2F || p[i] == 0x3A {
                if p[i] &- 0x30 < 10 {
                    digits += 1
                    if digits <= 6 { value = value * 10 + Int(p[i] &- 0x30) }
                } else {
                    seps += 1
                    if p[i] == 0x3A { colon = true }
                }
                i += 1
            }
            let rest = end - i
            if rest == 0 && first != 0x27 && p[end - 1] &- 0x30 < 10 {
                if colon {
                    cls.insert(.clock)
                } else {
                    cls.insert(.number)
                    if seps == 0 && digits == 4 && value >= 1800 && value <= 2099 { cls.insert(.year) }
                    if seps == 0 && digits <= 2 && value >= 1 && value <= 31 { cls.insert(.dayNumber) }
                    if seps == 1 && (n == 7 || n == 9) && isYearRange(p, start, end) { cls.insert(.year) }
                }
            } else if rest == 1 && (p[i] == 0x73) && seps == 0 && (digits == 2 || digits == 4) {
                cls.insert(.decade)
            } else if rest == 2 && seps == 0 {
                let a = EntityHash.lowered(p[i]), b = EntityHash.lowered(p[i + 1])
                if (a == 0x73 && b == 0x74) || (a == 0x6E && b == 0x64) || (a == 0x72 && b == 0x64)
                    || (a == 0x74 && b == 0x68)
                {
                    cls.insert(.ordinalNumber)
                    if value >= 1 && value <= 31 { cls.insert(.dayNumber) }
                } else if a == 0x70 && b == 0x6D || a == 0x61 && b == 0x6D {
                    cls.insert(.clock)  // 10pm
                }
            } else if rest == 1 && p[i] == 0x25 {
                cls.insert(.number)  // "12%" as one token: percent handled by the pattern
                cls.insert(.percentWord)
            }
        }
        return cls
    }
}
