import Testing

@testable import Newsmill

/// scripts/pos/lexical_classes.py, which gives word forms the dictionary classes the tagger
/// trains with (`newsmill train pos --lexical`), run for real on a miniature WordNet and
/// word list written in the real files' formats (CI machines may lack the Debian packages).
@Suite struct LexicalClassesScriptTests {
    static let script = TestSupport.repoRoot + "/scripts/pos/lexical_classes.py"

    /// Writes the miniature dictionaries; returns (word list path, WordNet folder).
    static func dictionaries() throws -> (words: String, wordnet: String) {
        let dir = TestSupport.temporaryDirectory()
        let wn = dir + "/wordnet"
        try TestSupport.write(
            """
              1 This software and database is being provided to you, the LICENSEE, by
            goose n 1 1 @ 1 0 01855672
            run n 2 1 @ 2 0 00189565 00190115
            paris n 1 1 @ 1 0 08932568
            applause n 1 1 @ 1 0 06891022

            """, to: wn + "/index.noun")
        try TestSupport.write(
            """
            run v 2 1 @ 2 2 01926311 01928138
            abet v 1 1 @ 1 0 00775156

            """, to: wn + "/index.verb")
        try TestSupport.write("big a 1 1 & 1 0 01382086\n", to: wn + "/index.adj")
        try TestSupport.write("quickly r 1 0 1 0 00085811\n", to: wn + "/index.adv")
        try TestSupport.write(
            """
              1 This software and database is being provided to you, the LICENSEE, by
            08932568 15 n 01 Paris 0 001 @ 08524735 n 0000 | the capital of France
            01855672 05 n 01 goose 0 001 @ 01845627 n 0000 | web-footed bird

            """, to: wn + "/data.noun")
        for name in ["data.verb", "data.adj", "data.adv"] { try TestSupport.write("", to: wn + "/" + name) }
        try TestSupport.write("geese goose\n", to: wn + "/noun.exc")
        try TestSupport.write("ran run\nabetted abet\n", to: wn + "/verb.exc")
        try TestSupport.write("bigger big\n", to: wn + "/adj.exc")
        try TestSupport.write(
            """
            run%2:38:00:: 1 40
            run%1:04:00:: 1 12
            goose%1:05:00:: 1 3

            """, to: wn + "/cntlist.rev")
        try TestSupport.write(
            "applause\nbig\nbigger\nNASA\nParis\nParis's\nquickly\nran\nrunning\nruns\n", to: dir + "/words")
        return (dir + "/words", wn)
    }

    static func classes(_ stdout: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in stdout.split(separator: "\n") {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            if parts.count == 2 { out[String(parts[0])] = String(parts[1]) }
        }
        return out
    }

    @Test func formsGetWordNetPartsOfSpeechInflectionsAndCase() throws {
        let (words, wordnet) = try Self.dictionaries()
        let result = try TestSupport.run(["python3", Self.script, "--words", words, "--wordnet", wordnet])
        #expect(result.status == 0, "\(result.stderr)")
        let c = Self.classes(result.stdout)
        #expect(c["run"] == "n,v,D=v")  // a lemma of both; SemCor tags the verb more often
        #expect(c["ran"] == "v+,L")  // an inflection, from the exception list
        #expect(c["runs"] == "n+,v+,L")  // inflections, from morphy's suffix rules
        // Doubled consonants only come from the exception lists (the real verb.exc has
        // "running run"; this miniature's does not).
        #expect(c["running"] == "L")
        #expect(c["geese"] == "n+")
        #expect(c["goose"] == "n,D=n")
        #expect(c["bigger"] == "a+,L")
        #expect(c["paris"] == "n,C,P")  // capitalized in the list and in WordNet
        #expect(c["nasa"] == "U")
        #expect(c["applause"] == "n,L")
        #expect(c["quickly"] == "r,L")
        #expect(c["abetted"] == "v+")
        #expect(c["paris's"] == nil)  // possessives are never tokens
        // Sorted, and the same bytes on a second run.
        let forms = result.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] }
        #expect(forms == forms.sorted())
        let again = try TestSupport.run(["python3", Self.script, "--words", words, "--wordnet", wordnet])
        #expect(again.stdout == result.stdout)
        // The trainer reads what the script writes.
        let entries = try POSTrainer.readLexical(Array(result.stdout.utf8), path: "lexical.tsv")
        #expect(entries.count == c.count)
    }

    @Test func missingDictionariesSayHowToInstallThem() throws {
        let result = try TestSupport.run([
            "python3", Self.script, "--words", "/nonexistent/words", "--wordnet", "/nonexistent/wordnet",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("apt-get install wamerican-large wordnet-base"), "\(result.stderr)")
    }
}
