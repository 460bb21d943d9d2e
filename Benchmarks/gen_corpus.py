#!/usr/bin/env python3
"""Deterministic scale corpus for `make bench` (Python standard library only).

Builds thousands of gzip articles (`articles/YYYY/MM/DD-N-slug.txt.gz`, one paragraph a
line) plus gzip JSONL shards (`shards/*.jsonl.gz`, `{"id","title","date","source",
"text"}` a line; every third shard written as several concatenated gzip members),
by seeded recombination of the paragraphs of the project's corpus/ and, when present,
../shared/data/news (Reuters-21578, read at run time only: the generated corpus lives
under Benchmarks/corpus/, which git ignores, and must never be committed or shipped).

Generation stops when the target size of *text* (UTF-8 bytes of the documents' text)
is reached. The same sources, size and seed give byte-identical files (gzip headers
carry no name and mtime 0).

    python3 Benchmarks/gen_corpus.py                     # 100MB -> Benchmarks/corpus/100MB
    python3 Benchmarks/gen_corpus.py --size 1GB
    python3 Benchmarks/gen_corpus.py --size 5MB --out /tmp/c5

MANIFEST.json in the output folder records the counts (files, documents, text
bytes, whitespace-separated words, compressed bytes) the benchmark reports use.
"""

import argparse
import gzip
import io
import json
import os
import random
import re
import shutil
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMAT_VERSION = 1
SIZE_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9,
              "KIB": 2**10, "MIB": 2**20, "GIB": 2**30}


def parse_size(text):
    """'100MB' -> 100_000_000 (decimal units; KiB/MiB/GiB are binary)."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    if not m or m.group(2).upper() not in SIZE_UNITS:
        raise argparse.ArgumentTypeError(f"bad size {text!r}: expected e.g. 100MB, 1GB, 512KiB")
    return int(float(m.group(1)) * SIZE_UNITS[m.group(2).upper()])


def size_label(n):
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if n >= factor and n % factor == 0:
            return f"{n // factor}{unit}"
    return f"{n}B"


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    return data.decode("utf-8")


def load_sources(news_dir):
    """Returns (articles, titles, origin): articles are lists of paragraphs."""
    articles, titles, origin = [], [], []
    corpus = os.path.join(REPO, "corpus")
    for root, _dirs, files in sorted(os.walk(corpus)):
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.endswith((".txt", ".txt.gz")):
                paras = [p for p in read_text(path).split("\n") if p.strip()]
                if paras:
                    articles.append(paras)
            elif name.endswith((".jsonl", ".jsonl.gz")):
                for line in read_text(path).split("\n"):
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    paras = [p for p in str(record.get("text", "")).split("\n") if p.strip()]
                    if paras:
                        articles.append(paras)
                    if record.get("title"):
                        titles.append(str(record["title"]))
    origin.append(f"corpus/ ({len(articles)} articles)")
    if news_dir and os.path.isdir(os.path.join(news_dir, "txt")):
        txt = os.path.join(news_dir, "txt")
        n = 0
        for name in sorted(os.listdir(txt)):
            if not name.endswith(".txt"):
                continue
            lines = [p for p in read_text(os.path.join(txt, name)).split("\n") if p.strip()]
            if len(lines) < 2:
                continue
            titles.append(lines[0])
            articles.append(lines[1:])
            n += 1
        origin.append(f"{os.path.relpath(news_dir, REPO)} ({n} articles, read at run time)")
    if not articles:
        sys.exit("gen_corpus: no source text found in corpus/")
    if not titles:
        titles = [a[0][:60] for a in articles]
    return articles, titles, origin


class Recombiner:
    """Makes articles from runs of consecutive paragraphs of random source articles."""

    COPYRIGHT = "\u00a9 {year} Newsmill Sample Wire. All rights reserved."

    def __init__(self, articles, titles, seed):
        self.articles = articles
        self.titles = titles
        self.rng = random.Random(seed)

    def article(self):
        rng = self.rng
        target = rng.choice((3, 5, 6, 8, 10, 12, 14, 16, 18, 20, 24, 30, 40))  # paragraphs
        paras = []
        while len(paras) < target:
            source = rng.choice(self.articles)
            start = rng.randrange(len(source))
            run = rng.randint(1, 4)
            paras.extend(source[start:start + run])
        paras = paras[:target]
        year = rng.randint(1987, 2025)
        if rng.random() < 0.25:  # the publisher's line some articles end with
            paras.append(self.COPYRIGHT.format(year=year))
        date = f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return rng.choice(self.titles), date, paras


def gzip_bytes(data, level):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=level, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def generate(args):
    target = args.size
    label = size_label(target)
    out = args.out or os.path.join(REPO, "Benchmarks", "corpus", label)
    news = None if args.no_news else (args.news or os.path.join(os.path.dirname(REPO), "shared", "data", "news"))
    articles, titles, origin = load_sources(news)
    manifest_path = os.path.join(out, "MANIFEST.json")
    settings = {"format": FORMAT_VERSION, "size": target, "seed": args.seed, "sources": origin,
                "shard_fraction": args.shard_fraction, "shard_text_bytes": args.shard_text_bytes,
                "level": args.level}
    if os.path.exists(manifest_path) and not args.force:
        with open(manifest_path) as f:
            old = json.load(f)
        if old.get("settings") == settings:
            print(f"gen_corpus: {out} is up to date ({old['text_bytes'] / 1e6:.1f} MB of text)")
            return out
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)

    rec = Recombiner(articles, titles, args.seed)
    stats = {"files": 0, "article_files": 0, "shard_files": 0, "multi_member_shards": 0, "documents": 0,
             "text_bytes": 0, "words": 0, "gz_bytes": 0, "raw_bytes": 0}
    shard_lines, shard_text, shard_members, shard_no = [], 0, [], 0
    shard_text_total = 0
    article_no = 0

    def flush_shard():
        nonlocal shard_lines, shard_text, shard_no
        if not shard_lines:
            return
        raw = "".join(shard_lines).encode("utf-8")
        multi = shard_no % 3 == 2
        if multi:  # concatenated members of 500 lines each: valid gzip (cat a.gz b.gz)
            parts = [gzip_bytes("".join(shard_lines[i:i + 500]).encode("utf-8"), args.level)
                     for i in range(0, len(shard_lines), 500)]
            data = b"".join(parts)
            stats["multi_member_shards"] += 1
        else:
            data = gzip_bytes(raw, args.level)
        path = os.path.join(out, "shards", f"wire-{shard_no:04d}.jsonl.gz")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        stats["files"] += 1
        stats["shard_files"] += 1
        stats["gz_bytes"] += len(data)
        stats["raw_bytes"] += len(raw)
        shard_lines, shard_text = [], 0
        shard_no += 1

    while stats["text_bytes"] < target:
        title, date, paras = rec.article()
        # Alternate so that the shards hold `shard_fraction` of the text at every point.
        to_shard = shard_text_total < args.shard_fraction * (stats["text_bytes"] + 1)
        if to_shard:
            text = "\n".join(paras)
            n = stats["documents"]
            record = {"id": f"wire-{n:08d}", "title": title, "date": date, "source": "newsmill-bench", "text": text}
            shard_lines.append(json.dumps(record, ensure_ascii=False) + "\n")
            size = len(text.encode("utf-8"))
            shard_text += size
            shard_text_total += size
            if shard_text >= args.shard_text_bytes:
                flush_shard()
        else:
            text = "\n".join(paras) + "\n"
            raw = text.encode("utf-8")
            size = len(raw)
            y, m, d = date.split("-")
            slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "article"
            path = os.path.join(out, "articles", y, m, f"{d}-{article_no:07d}-{slug}.txt.gz")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            data = gzip_bytes(raw, args.level)
            with open(path, "wb") as f:
                f.write(data)
            article_no += 1
            stats["files"] += 1
            stats["article_files"] += 1
            stats["gz_bytes"] += len(data)
            stats["raw_bytes"] += size
        stats["documents"] += 1
        stats["text_bytes"] += size
        stats["words"] += len(text.split())
    flush_shard()

    manifest = dict(stats)
    manifest["settings"] = settings
    manifest["label"] = label
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"gen_corpus: wrote {out}: {stats['article_files']} articles, {stats['shard_files']} shards "
          f"({stats['multi_member_shards']} multi-member), {stats['documents']} documents, "
          f"{stats['text_bytes'] / 1e6:.1f} MB of text, {stats['words']} words, "
          f"{stats['gz_bytes'] / 1e6:.1f} MB gzip")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=parse_size, default=parse_size("100MB"),
                   help="target size of text (default 100MB; e.g. 1GB)")
    p.add_argument("--out", help="output folder (default Benchmarks/corpus/<SIZE>)")
    p.add_argument("--seed", type=int, default=1987)
    p.add_argument("--news", help="Reuters folder (default ../shared/data/news when present)")
    p.add_argument("--no-news", action="store_true", help="use the project's corpus/ only")
    p.add_argument("--shard-fraction", type=float, default=0.5, help="share of the text in JSONL shards")
    p.add_argument("--shard-text-bytes", type=parse_size, default=parse_size("4MB"),
                   help="text per JSONL shard (default 4MB)")
    p.add_argument("--level", type=int, default=6, help="gzip level of the generated files")
    p.add_argument("--force", action="store_true", help="regenerate even when up to date")
    args = p.parse_args()
    generate(args)


if __name__ == "__main__":
    main()
