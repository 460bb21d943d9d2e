/// Gold-annotated sentences flattened for training and evaluation: all word forms in one
/// byte buffer, with per-word byte ranges and gold tag ids.
struct TaggedCorpus {
    var text: [UInt8] = []
    var starts: [Int32] = []
    var ends: [Int32] = []
    /// `upos` of a word whose UPOS column is `_`: only its Penn tag is known (silver data).
    static let unknownUPOS: UInt8 = 255
    /// Gold Penn tag and UPOS ids per word (0 when the data has none we know;
    /// ``unknownUPOS`` when the UPOS column is `_`).
    var xpos: [UInt8] = []
    var upos: [UInt8] = []
    /// Gold lemmas per word.
    var lemmas: [String] = []
    /// Word index where each sentence starts; one extra entry at the end.
    var sentenceStarts: [Int] = [0]

    init(_ sentences: [CoNLLUSentence]) {
        for sentence in sentences {
            for word in sentence.words {
                starts.append(Int32(text.count))
                text.append(contentsOf: word.form.utf8)
                ends.append(Int32(text.count))
                text.append(0x20)
                xpos.append(PennTag.id(word.xpos) ?? PennTag.id("XX") ?? 0)
                upos.append(word.upos == "_" ? Self.unknownUPOS : UPOS.id(word.upos) ?? UPOS.id("X") ?? 0)
                lemmas.append(word.lemma)
            }
            sentenceStarts.append(starts.count)
        }
    }

    var sentenceCount: Int { sentenceStarts.count - 1 }
    var wordCount: Int { starts.count }

    func words(ofSentence s: Int) -> Range<Int> { sentenceStarts[s]..<sentenceStarts[s + 1] }

    func form(_ i: Int) -> ArraySlice<UInt8> { text[Int(starts[i])..<Int(ends[i])] }

    /// Tags every sentence with `model`; returns predicted classes per word.
    func predict(with model: POSModel) -> [UInt16] {
        var result = [UInt16](repeating: 0, count: wordCount)
        let scratch = POSScratch()
        text.withUnsafeBufferPointer { buffer in
            for s in 0..<sentenceCount {
                let range = words(ofSentence: s)
                for (k, i) in range.enumerated() { scratch.setToken(k, start: starts[i], end: ends[i]) }
                model.tag(text: buffer, count: range.count, scratch: scratch)
                for (k, i) in range.enumerated() { result[i] = UInt16(scratch.predictedClass(k)) }
            }
        }
        return result
    }

    /// Penn tag and UPOS accuracy of `model` on this corpus.
    func accuracy(of model: POSModel) -> (xpos: Double, upos: Double) {
        let predicted = predict(with: model)
        var xposRight = 0
        var uposRight = 0
        for i in 0..<wordCount {
            let c = Int(predicted[i])
            if model.classXPOS[c] == xpos[i] { xposRight += 1 }
            if model.classUPOS[c] == upos[i] { uposRight += 1 }
        }
        let n = Double(max(wordCount, 1))
        return (Double(xposRight) / n, Double(uposRight) / n)
    }
}
