import Testing

@testable import Newsmill

/// scripts/pos/ptb_convert.py, which makes the tagger's training data follow the Penn
/// Treebank's WSJ conventions, run for real on a small UD-style file.
@Suite struct PTBConventionsScriptTests {
    static let script = TestSupport.repoRoot + "/scripts/pos/ptb_convert.py"

    // "A long-term plan" (long ADJ, term NOUN, joined by HYPH, modifying "plan"), a
    // preposition "to", quotes, a dash and an ellipsis; "New York-based" has a proper-noun
    // part and still modifies a noun; "co-chair" is not prenominal.
    static let input = """
        # sent_id = s1
        # text = A long-term plan to "grow" -- he said...
        1\tA\ta\tDET\tDT\t_\t4\tdet\t_\t_
        2\tlong\tlong\tADJ\tJJ\t_\t4\tamod\t_\tSpaceAfter=No
        3\t-\t-\tPUNCT\tHYPH\t_\t4\tpunct\t_\tSpaceAfter=No
        4\tterm\tterm\tNOUN\tNN\t_\t5\tcompound\t_\t_
        5\tplan\tplan\tNOUN\tNN\t_\t0\troot\t_\t_
        6\tto\tto\tADP\tIN\t_\t8\tcase\t_\t_
        7\t"\t"\tPUNCT\t``\t_\t8\tpunct\t_\tSpaceAfter=No
        8\tgrow\tgrow\tNOUN\tNN\t_\t5\tnmod\t_\tSpaceAfter=No
        9\t"\t"\tPUNCT\t''\t_\t8\tpunct\t_\t_
        10\t--\t--\tPUNCT\t,\t_\t12\tpunct\t_\t_
        11\the\the\tPRON\tPRP\t_\t12\tnsubj\t_\t_
        12\tsaid\tsay\tVERB\tVBD\t_\t5\tparataxis\t_\tSpaceAfter=No
        13\t...\t...\tPUNCT\t,\t_\t12\tpunct\t_\t_

        # sent_id = s2
        # text = The co-chair of a York-based firm
        1\tThe\tthe\tDET\tDT\t_\t4\tdet\t_\t_
        2\tco\tco\tNOUN\tNN\t_\t4\tcompound\t_\tSpaceAfter=No
        3\t-\t-\tPUNCT\tHYPH\t_\t4\tpunct\t_\tSpaceAfter=No
        4\tchair\tchair\tNOUN\tNN\t_\t0\troot\t_\t_
        5\tof\tof\tADP\tIN\t_\t10\tcase\t_\t_
        6\ta\ta\tDET\tDT\t_\t10\tdet\t_\t_
        7\tYork\tYork\tPROPN\tNNP\t_\t9\tobl\t_\tSpaceAfter=No
        8\t-\t-\tPUNCT\tHYPH\t_\t9\tpunct\t_\tSpaceAfter=No
        9\tbased\tbase\tVERB\tVBN\t_\t10\tamod\t_\t_
        10\tfirm\tfirm\tNOUN\tNN\t_\t4\tnmod\t_\t_


        """

    static func convert(_ flags: [String]) throws -> [CoNLLUSentence] {
        let dir = TestSupport.temporaryDirectory()
        try TestSupport.write(input, to: dir + "/in.conllu")
        let result = try TestSupport.run(["python3", script, dir + "/in.conllu", dir + "/out.conllu"] + flags)
        #expect(result.status == 0, "\(result.stderr)")
        return try CoNLLUReader.read(path: dir + "/out.conllu")
    }

    static func tagged(_ s: CoNLLUSentence) -> [String] { s.words.map { "\($0.form)/\($0.xpos)" } }

    @Test func tagsFollowPTB() throws {
        let out = try Self.convert([])
        #expect(out.count == 2)
        #expect(
            Self.tagged(out[0]) == [
                "A/DT", "long/JJ", "-/HYPH", "term/NN", "plan/NN", "to/TO", "\"/``", "grow/NN", "\"/''",
                "--/:", "he/PRP", "said/VBD", ".../:",
            ])
        // UPOS is UD's: the preposition stays ADP.
        #expect(out[0].words[5].upos == "ADP")
    }

    @Test func hyphenatedWordsAreJoinedAndTaggedByFunction() throws {
        let out = try Self.convert(["--merge-hyphens-only", "--ptb-forms-all"])
        #expect(
            Self.tagged(out[0]) == [
                "A/DT", "long-term/JJ", "plan/NN", "to/TO", "``/``", "grow/NN", "''/''", "--/:", "he/PRP",
                "said/VBD", ".../:",
            ])
        #expect(Self.tagged(out[1]) == ["The/DT", "co-chair/NN", "of/IN", "a/DT", "York-based/JJ", "firm/NN"])
        #expect(out[1].words[1].lemma == "co-chair")
        #expect(out[1].words[4].upos == "ADJ")
    }

    @Test func mergedCopiesFollowTheOriginalsAndSilverCanDropUPOS() throws {
        let out = try Self.convert(["--merge-hyphens", "--drop-upos"])
        #expect(out.map(\.id) == ["s1", "s2", "s1-ptbhyph", "s2-ptbhyph"])
        #expect(out[0].words.allSatisfy { $0.upos == "_" })
        #expect(out[3].words.map(\.form) == ["The", "co-chair", "of", "a", "York-based", "firm"])
    }
}
