#!/usr/bin/env python3
"""DataTrove's trivial pipeline (read JSONL, count words, write gzip JSONL) on a subset
of the bench corpus' shards.

Run inside Benchmarks/.venv (run.sh installs `datatrove` there). Links the first
`--shards` JSONL shards into a scratch folder, then times LocalPipelineExecutor.run()
over JsonlReader -> a step that stores len(text.split()) in metadata["words"] ->
JsonlWriter(compression="gzip"), with `--tasks` tasks on as many workers (Python
import time excluded, worker start-up included). Prints one JSON object.
"""

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
import time


def count_words(data, rank=0, world_size=1):
    for document in data:
        document.metadata["words"] = len(document.text.split())
        yield document


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    p.add_argument("--shards", type=int, default=2, help="how many JSONL shards to read")
    p.add_argument("--tasks", type=int, default=os.cpu_count() or 1)
    p.add_argument("--scratch", help="scratch folder (default: a temporary one)")
    args = p.parse_args()

    import datatrove
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    scratch = args.scratch or tempfile.mkdtemp(prefix="newsmill-datatrove-")
    shutil.rmtree(scratch, ignore_errors=True)
    inputs = os.path.join(scratch, "in")
    os.makedirs(inputs)
    shards = sorted(n for n in os.listdir(os.path.join(args.corpus, "shards")) if n.endswith(".jsonl.gz"))
    documents = text_bytes = words = 0
    for name in shards[: args.shards]:
        path = os.path.abspath(os.path.join(args.corpus, "shards", name))
        os.symlink(path, os.path.join(inputs, name))
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    text = json.loads(line)["text"]
                    documents += 1
                    text_bytes += len(text.encode("utf-8"))
                    words += len(text.split())

    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(inputs, glob_pattern="*.jsonl.gz"),
            count_words,
            JsonlWriter(os.path.join(scratch, "out"), compression="gzip"),
        ],
        tasks=args.tasks,
        workers=args.tasks,
        logging_dir=os.path.join(scratch, "logs"),
        skip_completed=False,
    )
    # DataTrove logs every task to stderr; keep stdout for our JSON.
    t0 = time.perf_counter()
    executor.run()
    seconds = time.perf_counter() - t0
    written = 0
    for root, _dirs, files in os.walk(os.path.join(scratch, "out")):
        for name in files:
            with gzip.open(os.path.join(root, name), "rt", encoding="utf-8") as f:
                written += sum(1 for line in f if line.strip())
    if not args.scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    version = getattr(datatrove, "__version__", None)
    if version is None:
        from importlib.metadata import version as package_version
        version = package_version("datatrove")
    json.dump({"tool": "datatrove", "version": version, "tasks": args.tasks, "shards": min(args.shards, len(shards)),
               "seconds": seconds, "documents": documents, "documents_written": written,
               "text_bytes": text_bytes, "words": words}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
