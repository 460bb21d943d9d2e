#!/usr/bin/env python3
"""Convert UD English CoNLL-U (EWT, GUM) to the Penn Treebank conventions of Wall
Street Journal text, for training and measuring newsmill's tagger.

The UD English treebanks write Penn tags (XPOS) with a few conventions of their own
that differ from the Penn Treebank's WSJ annotation, and they split hyphenated words
(`long - term`) where PTB text keeps them whole (`long-term`). This script rewrites:

* tags (every sentence):
  - `to` tagged IN (a preposition in UD) -> TO, as PTB tags every `to`
    (UPOS stays ADP, so UD's distinction is still predicted in `pos`);
  - ellipses (`...`, `…`) and dashes (`--`, `—`, `–`, and a spaced `-` tagged `,`
    or NFP) -> `:`, as in PTB;
  - a semicolon tagged `,` (EWT's convention) -> `:`, as PTB tags every `;`;
  - the quote forms `` ``` `` ``` and `''` -> ``` `` ``` and `''` whatever their tag was (a
    few UD sentences tag a `''` as an opening quote); PTB's form is its tag;
* forms (with --ptb-forms every second sentence, --ptb-forms-all every sentence):
  quotes as PTB writes them (`"` -> ``` `` ``` or `''` by their tag, `'` -> `` ` ``
  when tagged ``` `` ```), brackets as `-LRB-`, `-RRB-`, `-LSB-`, `-RSB-`, `-LCB-`,
  `-RCB-`, and `/` inside a word as `\\/`; so a model also knows the forms of PTB
  token files;
* hyphenated words (with --merge-hyphens: a copy of each sentence that has any, after
  the originals; with --merge-hyphens-only: instead of the original): the words of
  `A - B` written without spaces become one word `A-B`, tagged as PTB does (its
  tagging guidelines, "hyphenated words"): JJ when the word modifies a following noun
  (`a long-term/JJ plan`, `third-quarter/JJ profit`), NNP(S) when all its parts are
  proper nouns, CD when all are numbers, else the tag of its syntactic head
  (`co-chair/NN`, `re-elected/VBN`). The dependency tree of the sentence decides the
  head and what the word modifies.

Usage:
    scripts/pos/ptb_convert.py IN.conllu OUT.conllu [--ptb-forms|--ptb-forms-all]
        [--merge-hyphens|--merge-hyphens-only] [--drop-upos]

--drop-upos writes `_` in the UPOS column: `newsmill train pos` then learns only the
Penn tag from those words (for silver data whose UPOS follows other conventions).

Deterministic; prints counts of what it changed to stderr.
"""
import argparse
import collections
import sys

DASHES = {"--", "---", "—", "–", "―"}
ELLIPSES = {"...", "…", ". . .", "....", "…."}
BRACKETS = {"(": "-LRB-", ")": "-RRB-", "[": "-LSB-", "]": "-RSB-", "{": "-LCB-", "}": "-RCB-"}
NOMINAL = {"NOUN", "PROPN"}
counts = collections.Counter()


def read(path):
    """Yields (comments, rows) per sentence; rows are lists of 10 fields (ranges kept)."""
    comments, rows = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if rows:
                    yield comments, rows
                comments, rows = [], []
            elif line.startswith("#"):
                comments.append(line)
            else:
                rows.append(line.split("\t"))
    if rows:
        yield comments, rows


def is_word(r):
    return "-" not in r[0] and "." not in r[0]


def space_after(r):
    return "SpaceAfter=No" not in r[9].split("|")


def convert_tags(rows):
    for r in rows:
        if not is_word(r):
            continue
        form, upos, xpos = r[1], r[3], r[4]
        if form.lower() == "to" and xpos == "IN":
            r[4] = "TO"
            counts["to IN->TO"] += 1
        elif upos == "PUNCT" and form in ELLIPSES and xpos != ":":
            r[4] = ":"
            counts["ellipsis->:"] += 1
        elif upos == "PUNCT" and form in DASHES and xpos != ":":
            r[4] = ":"
            counts["dash->:"] += 1
        elif upos == "PUNCT" and form == "-" and xpos in {",", "NFP"}:
            r[4] = ":"
            counts["spaced hyphen->:"] += 1
        elif form == ";" and xpos == ",":
            r[4] = ":"
            counts["semicolon->:"] += 1
        elif form in ("``", "''") and xpos != form:
            r[4] = form
            counts["quote form->its tag"] += 1


def ptb_forms(rows):
    for r in rows:
        if not is_word(r):
            continue
        form, xpos = r[1], r[4]
        new = form
        if form == '"':
            new = "``" if xpos == "``" else "''" if xpos == "''" else form
        elif form == "'" and xpos == "``":
            new = "`"
        elif form in BRACKETS:
            new = BRACKETS[form]
        elif "/" in form and len(form) > 1:
            new = form.replace("/", "\\/")
        if new != form:
            r[1] = new
            if r[2] == form:
                r[2] = new
            counts["ptb form"] += 1


def hyphen_groups(words):
    """Index ranges [i, j] of words joined by hyphens without spaces."""
    groups, i, n = [], 0, len(words)
    while i < n:
        j = i
        while (j + 2 < n and words[j + 1][1] == "-" and words[j + 1][4] == "HYPH"
               and not space_after(words[j]) and not space_after(words[j + 1])
               and words[j + 2][1] != "-"):
            j += 2
        if j > i:
            groups.append((i, j))
            i = j + 1
        else:
            i += 1
    return groups


def merge_hyphens(rows):
    """Returns new rows with hyphen groups merged, or None when there is none."""
    if any(not is_word(r) for r in rows):
        # Multiword-token lines: keep the words only (the trainer reads words).
        rows = [r for r in rows if is_word(r)]
    words = [list(r) for r in rows]
    groups = hyphen_groups(words)
    if not groups:
        return None
    index_of = {w[0]: k for k, w in enumerate(words)}
    out, k = [], 0
    for (i, j) in groups:
        out.extend(words[k:i])
        parts = words[i:j + 1]
        content = [w for w in parts if w[4] != "HYPH"]
        ids = {w[0] for w in parts}
        heads = [w for w in parts if w[6] not in ids]
        head = heads[-1] if heads else parts[-1]
        ext = index_of.get(head[6]) if head[6] != "0" else None
        prenominal = (ext is not None and ext > j and words[ext][3] in NOMINAL
                      and head[7].split(":")[0] not in {"punct", "cc", "conj", "appos", "flat"})
        form = "".join(w[1] for w in parts)
        if all(w[4] in {"NNP", "NNPS"} for w in content):
            tag, upos = content[-1][4], "PROPN"
            lemma = form
            counts["hyphen NNP"] += 1
        elif all(w[4] == "CD" for w in content):
            tag, upos, lemma = "CD", "NUM", form
            counts["hyphen CD"] += 1
        elif prenominal:
            tag, upos, lemma = "JJ", "ADJ", form.lower()
            counts["hyphen JJ (prenominal)"] += 1
        else:
            tag, upos = head[4], head[3]
            if head is parts[-1]:
                lemma = "".join(w[1] for w in parts[:-1]).lower() + head[2]
            else:
                lemma = form.lower() if upos != "PROPN" else form
            counts["hyphen head " + tag] += 1
        merged = [head[0], form, lemma, upos, tag, "_", head[6], head[7], "_", parts[-1][9]]
        out.append(merged)
        k = j + 1
    out.extend(words[k:])
    # Renumber; HEAD columns are left as they were (the trainer does not read them).
    for n, w in enumerate(out, 1):
        w[0] = str(n)
        w[6], w[7], w[8] = "_", "_", "_"
    return out


def write(f, comments, rows):
    for c in comments:
        f.write(c + "\n")
    for r in rows:
        f.write("\t".join(r) + "\n")
    f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input")
    ap.add_argument("output")
    forms = ap.add_mutually_exclusive_group()
    forms.add_argument("--ptb-forms", action="store_true")
    forms.add_argument("--ptb-forms-all", action="store_true")
    merge = ap.add_mutually_exclusive_group()
    merge.add_argument("--merge-hyphens", action="store_true")
    merge.add_argument("--merge-hyphens-only", action="store_true")
    ap.add_argument("--drop-upos", action="store_true",
                    help="write `_` for UPOS (silver data: train on the Penn tag only)")
    args = ap.parse_args()
    copies = []
    with open(args.output, "w", encoding="utf-8") as f:
        for n, (comments, rows) in enumerate(read(args.input)):
            convert_tags(rows)
            if args.drop_upos:
                for r in rows:
                    if is_word(r):
                        r[3] = "_"
            if args.ptb_forms_all or (args.ptb_forms and n % 2 == 1):
                ptb_forms(rows)
            if args.merge_hyphens or args.merge_hyphens_only:
                merged = merge_hyphens(rows)
                if merged is not None:
                    kept = [c for c in comments if not c.startswith("# text")
                            and not c.startswith("# newdoc") and not c.startswith("# newpar")]
                    kept = [c + "-ptbhyph" if c.startswith("# sent_id") else c for c in kept]
                    if args.merge_hyphens_only:
                        write(f, [c for c in comments if not c.startswith("# text")], merged)
                        continue
                    copies.append((kept, merged))
            write(f, comments, rows)
        for comments, rows in copies:
            write(f, comments, rows)
    for k, v in sorted(counts.items()):
        print(f"{k}\t{v}", file=sys.stderr)


if __name__ == "__main__":
    main()
