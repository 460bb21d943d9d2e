#!/usr/bin/env python3
"""Summarizes a callgrind profile: top functions by own and by inclusive instructions,
Swift names demangled, library paths shortened.

    python3 Benchmarks/callgrind_summary.py Benchmarks/out/callgrind.out [--top 25]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys


def annotate(path, inclusive):
    proc = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100",
                           path], capture_output=True, text=True, check=True)
    return proc.stdout


def demangle(text):
    tool = shutil.which("swift-demangle")
    argv = [tool, "--simplified"] if tool else ["swift", "demangle", "--simplified"]
    try:
        return subprocess.run(argv, input=text, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return text


ROW = re.compile(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(.*)$")


def rows(text, top, inclusive=False):
    out, total = [], None
    for line in text.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        count, pct, rest = m.groups()
        if "PROGRAM TOTALS" in rest:
            total = count
            continue
        rest = re.sub(r"^\S*?:(?=[^/])", "", rest, count=1) if rest.startswith(("???:", "./")) else rest
        lib = re.search(r"\[([^\]]+)\]\s*$", rest)
        name = rest[: lib.start()].strip() if lib else rest
        where = os.path.basename(lib.group(1)) if lib else ""
        if inclusive and (where.startswith(("libdispatch", "libswiftDispatch", "ld-linux", "libc.so"))
                          or name.startswith(("(below main)", "thunk for", "partial apply for thunk"))):
            continue  # the frames every call goes through
        out.append(f"{pct:>6}%  {count:>15}  {name[:110]}  [{where}]")
        if len(out) >= top:
            break
    return total, out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("profile")
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--title", default="")
    args = p.parse_args()
    if not shutil.which("callgrind_annotate"):
        sys.exit("callgrind_summary: callgrind_annotate not found (apt-get install valgrind)")
    total, own = rows(demangle(annotate(args.profile, False)), args.top)
    _, inclusive = rows(demangle(annotate(args.profile, True)), args.top, inclusive=True)
    if args.title:
        print(args.title)
    print(f"total instructions: {total}")
    print()
    print(f"top {args.top} functions by own (exclusive) instructions:")
    print("\n".join(own))
    print()
    print(f"top {args.top} by inclusive instructions (dispatch and start-up frames left out):")
    print("\n".join(inclusive))


if __name__ == "__main__":
    main()
