#!/usr/bin/env python3
"""Dictionary classes of English word forms, for the tagger's `--lexical` option.

The tagger's own lexicon knows only the words of its training data; most of its errors
are on words it never saw (EWT dev: "Applause", "Encryption" tagged NNP). This script
gives every word of two general dictionaries a *class*: what the dictionaries say the
lower-cased form can be, as a short label such as `n,v+,L,C`:

- `n`, `v`, `a`, `r`: the form is a WordNet lemma of that part of speech (noun, verb,
  adjective, adverb); `n+`, `v+`, `a+`: it is an inflection of one (WordNet's morphy:
  its exception lists and suffix rules, "geese" -> goose, "running" -> run);
- `D=x`: the part of speech x whose senses were tagged most often in SemCor (WordNet's
  `cntlist.rev`), when the form is a lemma seen there at least three times;
- `L`: the lower-case form is in the word list (a common word); `C`: a capitalized
  form is (a name: "Paris"); `U`: an all-capital form is ("NASA"); `P`: WordNet has a
  capitalized lemma of that spelling.

Sources (Debian packages; nothing of them is stored in the repository, only the model
features learnt from these labels):
- `/usr/share/dict/american-english-large` (package `wamerican-large`, SCOWL 2020.12.07,
  © Kevin Atkinson and others; permissive licence, see /usr/share/doc/wamerican-large/copyright);
- `/usr/share/wordnet` (package `wordnet-base`, WordNet 3.0, © 2006 Princeton
  University; WordNet 3.0 licence, BSD-like, see /usr/share/doc/wordnet-base/copyright).

Writes `form<TAB>class` lines, sorted, to standard output or `--out`. Deterministic.

    apt-get install wamerican-large wordnet-base
    python3 scripts/pos/lexical_classes.py --out /tmp/newsmill-pos-data/lexical.tsv
"""

import argparse
import os
import sys
from collections import defaultdict

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
# WordNet's morphy suffix rules (morph.c).
RULES = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"),
          ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}
SS_TYPE = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}


def read_wordnet(root):
    lemmas = {p: set() for p in POS_FILES}
    proper = set()
    for p, name in POS_FILES.items():
        with open(os.path.join(root, "index." + name), encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                lemma = line.split(" ", 1)[0]
                if "_" not in lemma:
                    lemmas[p].add(lemma)
        with open(os.path.join(root, "data." + name), encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                fields = line.split(" ")
                count = int(fields[3], 16)
                for k in range(count):
                    word = fields[4 + 2 * k]
                    if "(" in word:  # adjective markers: "galore(ip)"
                        word = word[: word.index("(")]
                    if "_" not in word and word[:1].isupper():
                        proper.add(word.lower())
    exceptions = {p: defaultdict(set) for p in POS_FILES}
    for p, name in POS_FILES.items():
        path = os.path.join(root, name + ".exc")
        if not os.path.exists(path):
            continue
        with open(path, encoding="latin-1") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and "_" not in parts[0]:
                    exceptions[p][parts[0]].update(parts[1:])
    tagged = defaultdict(lambda: defaultdict(int))
    with open(os.path.join(root, "cntlist.rev"), encoding="latin-1") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3 or "%" not in parts[0]:
                continue
            lemma, rest = parts[0].split("%", 1)
            pos = SS_TYPE.get(rest[:1])
            if pos and "_" not in lemma:
                tagged[lemma][pos] += int(parts[2])
    return lemmas, proper, exceptions, tagged


def read_words(path):
    lower, capital, upper = set(), set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if not w or "'" in w or " " in w:
                continue
            l = w.lower()
            if w == l:
                lower.add(l)
            elif len(w) > 1 and w == w.upper():
                upper.add(l)
            else:
                capital.add(l)
    return lower, capital, upper


def label(form, lemmas, proper, exceptions, tagged, lower, capital, upper):
    parts = []
    for p in ("n", "v", "a", "r"):
        if form in lemmas[p]:
            parts.append(p)
            continue
        bases = set(exceptions[p].get(form, ()))
        for suffix, replacement in RULES[p]:
            if form.endswith(suffix) and len(form) > len(suffix) + 1:
                bases.add(form[: len(form) - len(suffix)] + replacement)
        if any(b in lemmas[p] for b in bases):
            parts.append(p + "+")
    counts = tagged.get(form)
    if counts:
        total = sum(counts.values())
        best = max(sorted(counts), key=lambda p: counts[p])
        if total >= 3:
            parts.append("D=" + best)
    if form in lower:
        parts.append("L")
    if form in capital:
        parts.append("C")
    if form in upper:
        parts.append("U")
    if form in proper:
        parts.append("P")
    return ",".join(parts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", default="/usr/share/dict/american-english-large")
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--out", help="output file (default: standard output)")
    args = ap.parse_args()
    for path in (args.words, args.wordnet):
        if not os.path.exists(path):
            sys.exit(f"lexical_classes.py: {path} is missing: apt-get install wamerican-large wordnet-base")
    lemmas, proper, exceptions, tagged = read_wordnet(args.wordnet)
    lower, capital, upper = read_words(args.words)
    forms = set(lower) | capital | upper | proper
    for p in POS_FILES:
        forms |= lemmas[p]
        forms |= set(exceptions[p])
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    classes = defaultdict(int)
    written = 0
    for form in sorted(forms):
        if not form or any(c.isspace() for c in form):
            continue
        l = label(form, lemmas, proper, exceptions, tagged, lower, capital, upper)
        if not l:
            continue
        out.write(f"{form}\t{l}\n")
        classes[l] += 1
        written += 1
    if out is not sys.stdout:
        out.close()
    print(f"lexical_classes.py: {written} forms, {len(classes)} classes", file=sys.stderr)


if __name__ == "__main__":
    main()
