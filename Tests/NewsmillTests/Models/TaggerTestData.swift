@testable import Newsmill

/// Paths the tagger tests read: the repository's shipped models and the UD data in
/// ../shared/data/ud (tests that need the data are skipped, with this message, when absent).
enum TaggerTestData {
    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var path = #filePath
        for _ in 0..<4 { path = FileSystem.directory(of: path) }
        return path
    }()

    static let udDirectory = FileSystem.clean(repositoryRoot + "/../shared/data/ud")
    static let skipMessage = "UD data not found at \(udDirectory) (needs ../shared next to the repository)"

    static var udAvailable: Bool {
        FileSystem.status(udDirectory + "/en_ewt-ud-dev.conllu")?.isRegular == true
    }

    static func ud(_ name: String) -> String { udDirectory + "/" + name }

    static let posModelPath = repositoryRoot + "/models/" + ModelLocator.posModelName
    static let lemmaModelPath = repositoryRoot + "/models/" + ModelLocator.lemmaModelName

    /// The first `count` sentences of a UD file.
    static func sentences(_ name: String, count: Int) throws -> [CoNLLUSentence] {
        Array(try CoNLLUReader.read(path: ud(name)).prefix(count))
    }

    /// Loaded once per test process.
    static let shippedTagger: POSModel? = try? POSModel(contentsOf: posModelPath)
    static let shippedLemmatizer: Lemmatizer? = try? Lemmatizer(contentsOf: lemmaModelPath)

    /// `sentences` with the Penn tag conventions of WSJ text that scripts/pos/ptb_convert.py
    /// gives the training data: every "to" is TO, ellipses and dashes are ":".
    static func ptbConventions(_ sentences: [CoNLLUSentence]) -> [CoNLLUSentence] {
        sentences.map { sentence in
            var sentence = sentence
            for i in sentence.words.indices {
                let w = sentence.words[i]
                if w.form.lowercased() == "to" && w.xpos == "IN" {
                    sentence.words[i].xpos = "TO"
                } else if w.upos == "PUNCT" && ["...", "…", "--", "—", "–"].contains(w.form) {
                    sentence.words[i].xpos = ":"
                } else if w.upos == "PUNCT" && w.form == "-" && [",", "NFP"].contains(w.xpos) {
                    sentence.words[i].xpos = ":"
                }
            }
            return sentence
        }
    }
}
