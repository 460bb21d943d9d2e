#!/usr/bin/env python3
"""Joins the per-sentence GUM entity file that scripts/ner/build_data.py writes back into
whole documents (one line per GUM document, sentences joined by a line break, offsets
shifted), so that document-level behaviour (the ner stage's history feature, surname
propagation) is measured as a pipeline sees it:

    python3 scripts/ner/gum_documents.py /work/ner-data/gum-dev.jsonl /tmp/gum-dev-docs.jsonl
    .build/release/newsmill evaluate entities /tmp/gum-dev-docs.jsonl --gold-tokens --names-only
"""
import collections
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    docs = collections.OrderedDict()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.setdefault(d["id"].rsplit("-", 1)[0], []).append(d)
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for doc_id, parts in docs.items():
            text, tokens, sents, ents, ignore = "", [], [], [], []
            for p in parts:
                offset = len(text) + (1 if text else 0)
                text += ("\n" if text else "") + p["text"]
                tokens += [[a + offset, b + offset] for a, b in p["tokens"]]
                sents += [[a + offset, b + offset] for a, b in p["sents"]]
                ents += [dict(e, start=e["start"] + offset, end=e["end"] + offset) for e in p["ents"]]
                ignore += [[a + offset, b + offset] for a, b in p.get("ignore", [])]
            record = {"id": doc_id, "text": text, "tokens": tokens, "sents": sents, "ents": ents, "ignore": ignore}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(docs)} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
