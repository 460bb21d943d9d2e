/// A span found by a rule: tokens `start..<end` of a document, with a label.
struct EntityTokenSpan: Sendable, Hashable {
    var start: Int32
    var end: Int32
    var label: EntityLabel
}

/// Precise rule patterns for DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL and CARDINAL
/// over token classes (``EntityTokenClass``), in the style of Reuters and OntoNotes:
/// "March 2, 1987", "last week", "the 1990s", "$1.5 billion", "6 mln dlrs", "20 cts",
/// "5.5 pct", "12%", "300 tonnes", "10:30 a.m.", "first", "48,310".
///
/// Matching runs left to right inside one sentence and takes the first pattern that
/// applies at a token, longest form first; matched tokens are skipped.
enum EntityPatterns {
    /// Appends the spans found in tokens `start..<end` (one sentence) to `spans`.
    static func match(
        _ classes: UnsafeBufferPointer<UInt32>, from start: Int, to end: Int,
        into spans: inout [EntityTokenSpan]
    ) {
        var i = start
        while i < end {
            if let (stop, label) = matchAt(classes, i, end) {
                spans.append(EntityTokenSpan(start: Int32(i), end: Int32(stop), label: label))
                i = stop
            } else {
                i += 1
            }
        }
    }

    @inline(__always)
    private static func has(_ c: UnsafeBufferPointer<UInt32>, _ i: Int, _ end: Int, _ cls: EntityTokenClass) -> Bool {
        i < end && c[i] & cls.rawValue != 0
    }

    /// The end of a number phrase starting at `i` ("1.5 billion", "two hundred"), or nil.
    private static func numberPhrase(_ c: UnsafeBufferPointer<UInt32>, _ i: Int, _ end: Int) -> Int? {
        guard has(c, i, end, .numeric) else { return nil }
        var j = i + 1
        while has(c, j, end, [.scale, .numberWord]) { j += 1 }
        return j
    }

    /// The end of a date that starts with a month name at `i`, or nil.
    private static func monthDate(_ c: UnsafeBufferPointer<UInt32>, _ i: Int, _ end: Int) -> Int? {
        guard has(c, i, end, .month), has(c, i, end, .capitalized) else { return nil }
        var j = i + 1
        if has(c, j, end, .dayNumber) {
            j += 1
            if has(c, j, end, .comma) && has(c, j + 1, end, .year) {
                j += 2
            } else if has(c, j, end, .year) {
                j += 1
            }
        } else if has(c, j, end, .year) {
            j += 1
        } else if has(c, j, end, .comma) && has(c, j + 1, end, .year) {
            j += 2  // "June, 1986"
        }
        if j == i + 1 && has(c, i, end, .ambiguousMonth) { return nil }
        return j
    }

    private static func matchAt(_ c: UnsafeBufferPointer<UInt32>, _ i: Int, _ end: Int) -> (Int, EntityLabel)? {
        // Money with a leading symbol: $1.5 billion.
        if has(c, i, end, .currencySymbol), let np = numberPhrase(c, i + 1, end) {
            return (np, .money)
        }
        if has(c, i, end, .number) && has(c, i, end, .percentWord) { return (i + 1, .percent) }  // 12%
        if let np = numberPhrase(c, i, end) {
            let j = np
            if has(c, j, end, .percentWord) { return (j + 1, .percent) }
            if has(c, j, end, .per) && has(c, j + 1, end, .cent) { return (j + 2, .percent) }
            if has(c, j, end, .currencyWord) { return (j + 1, .money) }
            if has(c, j, end, .currencyAdjective) {
                if has(c, j + 1, end, .currencyWord) { return (j + 2, .money) }
                if has(c, j + 1, end, .currencyAdjective) && has(c, j + 2, end, .currencyWord) {
                    return (j + 3, .money)
                }
            }
            if has(c, j, end, .unit) { return (j + 1, .quantity) }
            if has(c, j, end, .clockUnit) { return (j + 1, .time) }
            if has(c, j, end, .meridiem) || has(c, j, end, .timeZone) { return (j + 1, .time) }
            if has(c, j, end, .period) {
                return (has(c, j + 1, end, .ago) ? j + 2 : j + 1, .date)
            }
            if np == i + 1 && has(c, i, end, .dayNumber) && has(c, j, end, .month) {
                return (has(c, j + 1, end, .year) ? j + 2 : j + 1, .date)
            }
            if np == i + 1 && has(c, i, end, .year) { return (i + 1, .date) }
            return (np, .cardinal)
        }
        if has(c, i, end, .clock) {
            var j = i + 1
            if has(c, j, end, .meridiem) { j += 1 }
            if has(c, j, end, .timeZone) { j += 1 }
            return (j, .time)
        }
        if let j = monthDate(c, i, end) { return (j, .date) }
        if has(c, i, end, .weekday) {
            if has(c, i + 1, end, .comma), let j = monthDate(c, i + 2, end) { return (j, .date) }
            if has(c, i + 1, end, .dayPart) { return (i + 2, .time) }
            return (i + 1, .date)
        }
        if has(c, i, end, .relativeDay) {
            if has(c, i + 1, end, .dayPart) { return (i + 2, .time) }
            return (i + 1, .date)
        }
        if has(c, i, end, .timeWord) { return (i + 1, .time) }
        if has(c, i, end, .decade) { return (i + 1, .date) }
        if has(c, i, end, .the) && has(c, i + 1, end, .decade) { return (i + 2, .date) }
        if has(c, i, end, .fiscal) && has(c, i + 1, end, .year) { return (i + 2, .date) }
        let k = has(c, i, end, .the) ? i + 1 : i
        if has(c, k, end, .dateModifier) {
            let j = k + 1
            if has(c, j, end, .dayPart) { return (j + 1, .time) }
            if let np = numberPhrase(c, j, end), has(c, np, end, .period) { return (np + 1, .date) }
            if has(c, j, end, .period) { return (j + 1, .date) }
            if has(c, j, end, .weekday) { return (j + 1, .date) }
            if k == i, let m = monthDate(c, j, end) { return (m, .date) }
            if k == i && has(c, j, end, .year) { return (j + 1, .date) }
        }
        if has(c, k, end, .ordinalWord) && has(c, k + 1, end, .period) { return (k + 2, .date) }
        if has(c, i, end, [.ordinalNumber, .ordinalWord]) { return (i + 1, .ordinal) }
        return nil
    }
}
