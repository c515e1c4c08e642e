#!/usr/bin/env python3
"""A language-identification corpus from the fortune files Debian ships.

    langid_corpus.py --out DIR [--per-language N] [--held-out M] LANG=PACKAGE ...

Each fortune (the text between two lines holding only "%") becomes one line:
its lines joined with spaces, whitespace collapsed. Fortunes under 20 or over
300 characters, not UTF-8, or seen before are left out. A fortune goes to
test, valid or train by a hash of its text (10 %, 10 %, 80 %), so reruns give
the same bytes; at most N per language go to train (default 3000) and M to
each of valid and test (default 500), the fortunes of each language in hash
order. Writes DIR/{train,valid,test}.txt,
the labels (the LANG codes) line-aligned in DIR/{train,valid,test}.labels,
and DIR/manifest.txt with the counts.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys

SKIPPED = {"art", "ascii-art", "banner"}  # pictures, not sentences


def package_files(package):
    listing = subprocess.run(["dpkg", "-L", package], check=True, capture_output=True, text=True).stdout
    for path in listing.splitlines():
        name = os.path.basename(path)
        if (path.startswith("/usr/share/games/fortunes/") and os.path.isfile(path) and not os.path.islink(path)
                and not name.endswith((".dat", ".u8")) and name not in SKIPPED):
            yield path


def fortunes(path):
    data = open(path, "rb").read()
    for block in re.split(rb"^%\s*$", data, flags=re.M):
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            continue
        text = " ".join(text.split())
        if 20 <= len(text) <= 300:
            yield text


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--per-language", type=int, default=3000)
    parser.add_argument("--held-out", type=int, default=500)
    parser.add_argument("languages", nargs="+", metavar="LANG=PACKAGE")
    args = parser.parse_args()
    splits = {"train": [], "valid": [], "test": []}
    counts = []
    seen = set()
    for spec in args.languages:
        language, _, package = spec.partition("=")
        texts = []
        for path in sorted(package_files(package)):
            for text in fortunes(path):
                if text not in seen:
                    seen.add(text)
                    texts.append(text)
        if not texts:
            sys.exit(f"langid_corpus: no fortunes in {package} (is it installed?)")
        texts.sort(key=digest)
        taken = {"train": 0, "valid": 0, "test": 0}
        for text in texts:
            bucket = int(digest(text)[:8], 16) % 10
            split = "test" if bucket == 0 else "valid" if bucket == 1 else "train"
            if taken[split] >= (args.per_language if split == "train" else args.held_out):
                continue
            splits[split].append((digest(language + text), text, language))
            taken[split] += 1
        counts.append(f"{language} ({package}): {len(texts)} fortunes, train {taken['train']}, "
                      f"valid {taken['valid']}, test {taken['test']}")
    os.makedirs(args.out, exist_ok=True)
    for split, rows in splits.items():
        rows.sort()  # languages interleaved, in a fixed order
        with open(os.path.join(args.out, split + ".txt"), "w", encoding="utf-8") as text_file, \
                open(os.path.join(args.out, split + ".labels"), "w", encoding="utf-8") as label_file:
            for _, text, language in rows:
                text_file.write(text + "\n")
                label_file.write(language + "\n")
    with open(os.path.join(args.out, "manifest.txt"), "w", encoding="utf-8") as manifest:
        manifest.write("\n".join(counts) + "\n")
    print("\n".join(counts))


if __name__ == "__main__":
    main()
