/// Calendar periods that `counts` can group dates by (`group_by: date` with `period:`),
/// and the date formats news metadata carries, read without Foundation's date parsers:
///
/// - ISO 8601 and its relatives: `2024-01-31`, `2024-01-31T10:00:00Z`, `2024/01/31`,
///   `20240131`, and a date followed by anything;
/// - RFC 2822 (RSS feeds, e-mail): `Wed, 31 Jan 2024 10:00:00 +0000`, `31 Jan 2024`;
/// - Reuters-21578 and similar: `26-FEB-1987 15:01:01.79`;
/// - written English: `January 31, 2024`, `Jan 31 2024`.
///
/// The key of a period is `2024-01-31` (day), `2024-W05` (ISO week), `2024-01` (month) or
/// `2024` (year), so that keys sort in time order.
public enum DatePeriod: String, Sendable, CaseIterable {
    case day, week, month, year

    /// The group key of `text` for this period, or nil when `text` is not a date newsmill reads.
    public func key(_ text: String) -> String? {
        guard let (y, m, d) = DatePeriod.parse(text) else { return nil }
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        switch self {
        case .year: return pad(y, 4)
        case .month: return pad(y, 4) + "-" + pad(m, 2)
        case .day: return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
        case .week:
            let (wy, w) = DatePeriod.isoWeek(y, m, d)
            return pad(wy, 4) + "-W" + pad(w, 2)
        }
    }

    /// Year, month, day of a date in one of the formats above.
    static func parse(_ text: String) -> (Int, Int, Int)? {
        let b = Array(text.utf8)
        var i = 0
        func skipSpace() { while i < b.count && (b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x2C) { i += 1 } }
        func number(maxDigits: Int) -> (value: Int, digits: Int)? {
            var v = 0
            var n = 0
            while i < b.count, n < maxDigits, b[i] >= 0x30, b[i] <= 0x39 {
                v = v * 10 + Int(b[i] - 0x30)
                i += 1
                n += 1
            }
            return n == 0 ? nil : (v, n)
        }
        func month() -> Int? {
            var letters: [UInt8] = []
            while i < b.count, (b[i] | 0x20) >= 0x61, (b[i] | 0x20) <= 0x7A {
                letters.append(b[i] | 0x20)
                i += 1
            }
            if i < b.count && b[i] == 0x2E { i += 1 }  // "Jan."
            guard letters.count >= 3 else { return nil }
            let name = String(decoding: letters, as: UTF8.self)
            for (k, full) in months.enumerated() where full.hasPrefix(name) {
                return k + 1
            }
            return nil
        }
        func valid(_ y: Int, _ m: Int, _ d: Int) -> (Int, Int, Int)? {
            guard (1...9999).contains(y), (1...12).contains(m), d >= 1, d <= daysIn(y, m) else { return nil }
            return (y, m, d)
        }
        skipSpace()
        // A weekday first ("Wed, 31 Jan 2024"): skip it.
        if i < b.count, (b[i] | 0x20) >= 0x61, (b[i] | 0x20) <= 0x7A {
            var j = i
            while j < b.count, (b[j] | 0x20) >= 0x61, (b[j] | 0x20) <= 0x7A { j += 1 }
            let word = String(decoding: b[i..<j], as: UTF8.self).lowercased()
            if weekdays.contains(where: { $0.hasPrefix(word) && word.count >= 3 }) {
                i = j
                skipSpace()
            }
        }
        if i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
            guard let first = number(maxDigits: 8) else { return nil }
            if first.digits == 8 {  // 20240131
                return valid(first.value / 10000, first.value / 100 % 100, first.value % 100)
            }
            if first.digits == 4 {  // 2024-01-31, 2024/01/31
                guard i < b.count, b[i] == 0x2D || b[i] == 0x2F else { return nil }
                i += 1
                guard let m = number(maxDigits: 2), i < b.count, b[i] == 0x2D || b[i] == 0x2F else { return nil }
                i += 1
                guard let d = number(maxDigits: 2) else { return nil }
                return valid(first.value, m.value, d.value)
            }
            guard first.digits <= 2 else { return nil }
            // 31 Jan 2024, 26-FEB-1987
            if i < b.count && (b[i] == 0x2D || b[i] == 0x20) { i += 1 }
            guard let m = month() else { return nil }
            if i < b.count && (b[i] == 0x2D || b[i] == 0x20) { i += 1 }
            guard let y = number(maxDigits: 4), y.digits == 4 else { return nil }
            return valid(y.value, m, first.value)
        }
        // January 31, 2024; Jan 31 2024
        guard let m = month() else { return nil }
        skipSpace()
        guard let d = number(maxDigits: 2) else { return nil }
        // "31st"
        while i < b.count, (b[i] | 0x20) >= 0x61, (b[i] | 0x20) <= 0x7A { i += 1 }
        skipSpace()
        guard let y = number(maxDigits: 4), y.digits == 4 else { return nil }
        return valid(y.value, m, d.value)
    }

    private static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]
    private static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian calendar).
    static func dayNumber(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The ISO 8601 week-numbering year and week of a date (weeks start on Monday; week 1
    /// holds the year's first Thursday).
    static func isoWeek(_ y: Int, _ m: Int, _ d: Int) -> (year: Int, week: Int) {
        let n = dayNumber(y, m, d)
        let weekday = ((n % 7) + 7 + 3) % 7  // 0 = Monday (1970-01-01 was a Thursday)
        let thursday = n - weekday + 3
        // The year of that Thursday is the week's year.
        var wy = y
        if thursday < dayNumber(y, 1, 1) { wy = y - 1 } else if thursday >= dayNumber(y + 1, 1, 1) { wy = y + 1 }
        let week = (thursday - dayNumber(wy, 1, 1)) / 7 + 1
        return (wy, week)
    }
}
