#!/usr/bin/env python3
"""Groups lemma errors by cause, from `newsmill evaluate --dump FILE` output.

    newsmill evaluate --gold ../shared/data/ud/en_ewt-ud-dev.conllu --dump /tmp/ewt.tsv
    scripts/lemma/errors.py /tmp/ewt.tsv [--train ../shared/data/ud/en_ewt-ud-train.conllu ...] [--examples N]

Each dump line: form, gold Penn tag, gold UPOS, gold lemma, predicted Penn tag, predicted
UPOS, predicted lemma, lemma from the gold tags. A wrong lemma goes to the first class
that fits, in this order:

- contraction: 's n't 're 'm 'll 'd 've and their clitic pieces (wo, ca are checked too)
- punctuation/symbol: gold or predicted tag is punctuation or a symbol
- number/digits: CD or NUM, or digits in the form
- casing, PROPN<->common (tagger): the lemma is right but for case, and the tagger put
  the word on the wrong side of proper noun / common word
- casing, other (tagger) / casing, other: right but for case otherwise
- wrong POS upstream: the tags are wrong and the lemma from the gold tags is right
- convention, pronoun/determiner: gold UPOS PRON or DET
- hyphenated; abbreviation/all-caps
- wrong POS upstream + rule: wrong tags, and the gold tags would not have helped
- rule, seen form / rule, unseen form: right tags, wrong lemma; the form (lower-cased)
  is or is not in the --train files
"""
import argparse
import collections
import re

PUNCT_TAGS = {',', '.', ':', '``', "''", 'HYPH', 'NFP', '-LRB-', '-RRB-', 'SYM', '$'}
CLITICS = {"'s", "n't", "'re", "'m", "'ll", "'d", "'ve", "wo", "ca", "nt", "s", "d", "ll", "re", "ve", "m"}


def classify(w, train_forms):
    form, gx, gu, gl, px, pu, pl = w[:7]
    gold_tag_lemma = w[7] if len(w) > 7 else None
    if pl == gl:
        return None
    lf = form.lower().replace('\u2019', "'")
    if lf in CLITICS and gu in ('AUX', 'PART', 'VERB', 'PRON'):
        return 'contraction'
    if gu in ('PUNCT', 'SYM') or gx in PUNCT_TAGS or px in PUNCT_TAGS:
        return 'punctuation/symbol'
    if gu == 'NUM' or gx == 'CD' or re.search(r'\d', form):
        return 'number/digits'
    upstream = gx != px or gu != pu
    if pl.lower() == gl.lower():
        if upstream and (gu == 'PROPN' or gx.startswith('NNP')) != (pu == 'PROPN' or px.startswith('NNP')):
            return 'casing, PROPN<->common (tagger)'
        return 'casing, other (tagger)' if upstream else 'casing, other'
    if upstream and gold_tag_lemma == gl:
        return 'wrong POS upstream'
    if gu in ('PRON', 'DET'):
        return 'convention, pronoun/determiner'
    if '-' in form[1:-1]:
        return 'hyphenated'
    if re.fullmatch(r"[A-Za-z]+\.", form) or (form.isupper() and len(form) > 1):
        return 'abbreviation/all-caps'
    if upstream:
        return 'wrong POS upstream + rule'
    if train_forms is None:
        return 'rule'
    return 'rule, seen form' if form.lower() in train_forms else 'rule, unseen form'


def train_forms(paths):
    forms = set()
    for p in paths:
        for line in open(p, encoding='utf-8'):
            c = line.split('\t')
            if len(c) == 10 and c[0].isdigit():
                forms.add(c[1].lower())
    return forms


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dumps', nargs='+')
    ap.add_argument('--train', action='append', default=[])
    ap.add_argument('--examples', type=int, default=4)
    a = ap.parse_args()
    forms = train_forms(a.train) if a.train else None
    for path in a.dumps:
        words = [l.rstrip('\n').split('\t') for l in open(path, encoding='utf-8') if l.strip()]
        classes = collections.Counter()
        examples = collections.defaultdict(collections.Counter)
        for w in words:
            c = classify(w, forms)
            if c:
                classes[c] += 1
                examples[c][f'{w[0]} {w[1]}/{w[4]}: {w[6]} -> {w[3]}'] += 1
        errors = sum(classes.values())
        print(f'{path}: lemma {100 * (len(words) - errors) / len(words):.2f}% ({errors} errors, {len(words)} words)\n')
        print('| class | errors | examples (form gold/predicted tag: predicted -> gold lemma) |')
        print('|---|---:|---|')
        for c, n in classes.most_common():
            ex = '; '.join(k + (f' ×{v}' if v > 1 else '') for k, v in examples[c].most_common(a.examples))
            print(f'| {c} | {n} | {ex} |')
        print()


if __name__ == '__main__':
    main()
