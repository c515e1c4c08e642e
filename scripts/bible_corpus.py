#!/usr/bin/env python3
"""Build line-aligned train/valid/test corpora for nmt.

  bible_corpus.py bible    --out DIR [--force]
      Spanish-English Bible from the SWORD modules Debian ships
      (spaRV1909eb, engWEB2015eb), read with diatheke.
  bible_corpus.py parallel SRC TGT --out DIR [--valid N] [--test N]
                           [--seed S] [--src-lang L] [--tgt-lang L] [--force]
      A user's own pair of line-aligned files, split at random (fixed seed).

Both write train/valid/test.{src,tgt} plus manifest.txt (counts, choices,
sha256 sums) and do nothing when the manifest says the files are already
there for the same inputs and settings. Python standard library only.
"""
import argparse
import hashlib
import html
import os
import random
import re
import subprocess
import sys
import time

MANIFEST = "manifest.txt"
SPLITS = ("train", "valid", "test")

# ---------------------------------------------------------------------------
# Output shared by both corpora


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def output_names(src_lang, tgt_lang):
    return [f"{split}.{lang}" for split in SPLITS for lang in (src_lang, tgt_lang)]


def up_to_date(out_dir, params, names):
    """True when the manifest was written for `params` and every file still
    has the sum it records, so a rerun can skip the (slow) rebuild."""
    try:
        with open(os.path.join(out_dir, MANIFEST), encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return False
    if f"params: {params}" not in lines:
        return False
    sums = dict(reversed(line.split("  ", 1)) for line in lines
                if re.match(r"[0-9a-f]{64}  ", line))
    try:
        return all(sums.get(name) == sha256_of(os.path.join(out_dir, name))
                   for name in names)
    except FileNotFoundError:
        return False


def write_corpus(out_dir, splits, src_lang, tgt_lang, params, notes):
    """Write each split as two line-aligned files plus the manifest.

    `splits` maps split name -> list of (src, tgt); `notes` are extra
    manifest lines (sources, held-out choices). Files are written in binary
    with explicit LF so the bytes do not depend on platform or locale."""
    os.makedirs(out_dir, exist_ok=True)
    for split in SPLITS:
        for lang, side in ((src_lang, 0), (tgt_lang, 1)):
            with open(os.path.join(out_dir, f"{split}.{lang}"), "wb") as f:
                f.writelines((pair[side] + "\n").encode("utf-8")
                             for pair in splits[split])
    lines = ["# Written by scripts/bible_corpus.py; check with:",
             f"#   grep -E '^[0-9a-f]{{64}}  ' {MANIFEST} | sha256sum -c",
             f"params: {params}", *notes]
    lines += [f"pairs {split}: {len(splits[split])}" for split in SPLITS]
    lines += [f"{sha256_of(os.path.join(out_dir, name))}  {name}"
              for name in output_names(src_lang, tgt_lang)]
    with open(os.path.join(out_dir, MANIFEST), "wb") as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))


def summary(out_dir, splits):
    counts = ", ".join(f"{split} {len(splits[split])}" for split in SPLITS)
    print(f"wrote {out_dir}: {counts} pairs (details in {MANIFEST})")


# ---------------------------------------------------------------------------
# The Bible from SWORD

SRC_MODULE = ("spaRV1909eb", "es")   # Reina-Valera 1909
TGT_MODULE = ("engWEB2015eb", "en")  # World English Bible

# The 66 books both modules share, in canonical order, spelt as diatheke
# prints them with "-l en". The order defines the order of the output lines.
BOOKS = [
    "Genesis", "Exodus", "Leviticus", "Numbers", "Deuteronomy", "Joshua",
    "Judges", "Ruth", "I Samuel", "II Samuel", "I Kings", "II Kings",
    "I Chronicles", "II Chronicles", "Ezra", "Nehemiah", "Esther", "Job",
    "Psalms", "Proverbs", "Ecclesiastes", "Song of Solomon", "Isaiah",
    "Jeremiah", "Lamentations", "Ezekiel", "Daniel", "Hosea", "Joel", "Amos",
    "Obadiah", "Jonah", "Micah", "Nahum", "Habakkuk", "Zephaniah", "Haggai",
    "Zechariah", "Malachi", "Matthew", "Mark", "Luke", "John", "Acts",
    "Romans", "I Corinthians", "II Corinthians", "Galatians", "Ephesians",
    "Philippians", "Colossians", "I Thessalonians", "II Thessalonians",
    "I Timothy", "II Timothy", "Titus", "Philemon", "Hebrews", "James",
    "I Peter", "II Peter", "I John", "II John", "III John", "Jude",
    "Revelation of John",
]

# Whole books are held out so that evaluation verses are not near-copies of
# training verses. Each split mixes narrative, poetry/prophecy and epistles
# from both Testaments (~1,100-1,200 pairs). Gospels, Kings and Chronicles
# are avoided because they retell one another.
VALID_BOOKS = ["Ruth", "Ecclesiastes", "Hosea", "Jonah",
               "Galatians", "Ephesians", "James", "I John"]
TEST_BOOKS = ["Esther", "Lamentations", "Daniel",
              "I Corinthians", "I Peter"]

# One diatheke call per module: a range key dumps everything in seconds.
# For engWEB2015eb (NRSVA versification) the range also covers the
# deuterocanon, which the Spanish module lacks and which is skipped.
WHOLE_BIBLE = "Genesis 1:1-Revelation 22:21"

# diatheke prints each verse as "[preverse]Book C:V: text" on one line.
# The preverse part ends with a tag, so a key is what follows a tag or the
# start of the line; the book pattern also admits "Esther (Greek)".
VERSE_KEY = re.compile(r"(?:^|>)\s*((?:[1-4]|I{1,3}|IV)? ?[A-Z][^:<>]*?) "
                       r"(\d+):(\d+): ")
CANONICAL_TITLE = re.compile(r'<title\b[^>]*canonical="true"[^>]*>(.*?)</title>')
# Elements whose content is not verse text: headings, speaker labels in the
# Song of Songs, footnotes, cross-references.
NOT_TEXT = re.compile(r"<(title|speaker|note|reference)\b[^>]*>.*?</\1>")
# engWEB2015eb appends its glossary to Revelation 22:21 after the book's end.
BOOK_END = re.compile(r'<div\b[^>]*\beID="[^"]*"[^>]*\btype="book"[^>]*/>')
# Both modules sometimes write word elements back to back ("God</w><w>created",
# "enviada</transChange><w>por"); a word boundary is meant there.
WORD_JOIN = re.compile(r"(</(?:w|transChange)>)(?=<(?:w|transChange)\b)")
# ...except that Reina-Valera marks an enclitic pronoun the translators added
# to a verb as a separate element: "oyéndo</w><transChange>lo" is "oyéndolo".
# Verbs are told by their endings (infinitive, imperative, gerund) or an
# accent; capitalised words are left alone since they are mostly names.
ENCLITIC = re.compile(r"(\w+)</w><transChange\b[^>]*>"
                      r"(lo|la|los|las|le|les|me|te|se|nos|os)</transChange>")


def join_enclitic(m):
    verb, pronoun = m.groups()
    if verb[0].islower() and (verb.endswith(("r", "d", "ndo"))
                              or any(c in "áéíóú" for c in verb)):
        return verb + pronoun
    return m.group(0)


# Poetry lines, paragraphs and milestones separate words too.
BREAK_TAG = re.compile(r"</?(?:l|lg|lb|p|div|milestone|chapter|verse|item|list)\b[^>]*>")
TAG = re.compile(r"<[^>]*>")


def plain(osis):
    """Verse text from OSIS markup: no tags or notes, one line, single spaces."""
    osis = BOOK_END.split(osis, 1)[0]
    osis = NOT_TEXT.sub(" ", osis)
    osis = ENCLITIC.sub(join_enclitic, osis)
    osis = WORD_JOIN.sub(r"\1 ", osis)
    osis = BREAK_TAG.sub(" ", osis)
    text = html.unescape(TAG.sub("", osis)).replace("\u00b6", " ")
    return " ".join(text.split())


def read_module(module):
    """Map (book, chapter, verse) -> plain text (possibly empty) for a module."""
    out = subprocess.run(
        ["diatheke", "-b", module, "-l", "en", "-f", "internal", "-k", WHOLE_BIBLE],
        check=True, capture_output=True, env=dict(os.environ, LC_ALL="C.UTF-8"),
    ).stdout.decode("utf-8")
    verses, key, last_preverse = {}, None, None
    for line in out.splitlines():
        m = VERSE_KEY.search(line)
        if not m:
            if key and line != f"({module})":  # a verse continued on a new line
                verses[key] += " " + line
            continue
        key = (m.group(1), int(m.group(2)), int(m.group(3)))
        preverse = line[:m.start()]
        # diatheke repeats the last preverse heading on every later verse that
        # has none; each real one differs from its predecessor by its unique
        # sID markers. Canonical titles (psalm superscriptions, the Hebrew
        # letters of Psalm 119) are verse text in Reina-Valera, so keep them.
        titles = []
        if preverse and preverse != last_preverse:
            titles = [plain(t) for t in CANONICAL_TITLE.findall(preverse)]
        last_preverse = preverse or last_preverse
        verses[key] = " ".join(titles + [line[m.end():]])
    return {key: plain(text) for key, text in verses.items()}


def build_bible(args):
    src_module, src_lang = SRC_MODULE
    tgt_module, tgt_lang = TGT_MODULE
    params = (f"bible {src_module} {tgt_module} valid={','.join(VALID_BOOKS)} "
              f"test={','.join(TEST_BOOKS)} format=3")
    if not args.force and up_to_date(args.out, params,
                                     output_names(src_lang, tgt_lang)):
        print(f"{args.out} is up to date (use --force to rebuild)")
        return

    start = time.monotonic()
    texts = {}
    for module in (src_module, tgt_module):
        texts[module] = read_module(module)
        books = len({key[0] for key in texts[module]})
        print(f"read {module}: {books} books, {len(texts[module])} verses "
              f"({time.monotonic() - start:.1f}s)")
    src, tgt = texts[src_module], texts[tgt_module]

    for module, verses in texts.items():
        only = sorted({b for b, _, _ in verses} - set(BOOKS), key=str)
        if only:
            print(f"skipped books only in {module}: {', '.join(only)}")

    # Reina-Valera leaves a verse empty where its own numbering differs
    # (Jonah 1:17 is its 2:1, Job 38:39-41 its 39:1-3, ...); the displaced
    # text shifts that chapter and the next, so pairing by number there
    # would misalign. Empty English verses are only omitted readings
    # (Acts 8:37) and lose just that verse.
    chapters = {key[:2] for key in src}
    shifted = {(b, c + d) for (b, c, v), text in src.items()
               if not text and tgt.get((b, c, v)) for d in (0, 1)} & chapters
    keys = [k for k in src.keys() & tgt.keys()
            if k[0] in BOOKS and src[k] and tgt[k] and k[:2] not in shifted]
    # A few renumberings leave no gap (Judges 14:20, I Kings 22:43-53); they
    # show as neighbouring verses whose lengths differ by far more than the
    # two languages do. One such verse is a textual variant (I John 5:7),
    # two or more in a chapter are taken for a shift.
    outliers = {}
    for k in keys:
        if not 0.45 < len(src[k]) / len(tgt[k]) < 2.2:
            outliers[k[:2]] = outliers.get(k[:2], 0) + 1
    shifted |= {chapter for chapter, n in outliers.items() if n >= 2}
    shifted = sorted(shifted, key=lambda bc: (BOOKS.index(bc[0]), bc[1]))
    keys = sorted((k for k in keys if k[:2] not in shifted),
                  key=lambda k: (BOOKS.index(k[0]), k[1], k[2]))

    splits = {split: [] for split in SPLITS}
    for key in keys:
        split = ("valid" if key[0] in VALID_BOOKS else
                 "test" if key[0] in TEST_BOOKS else "train")
        splits[split].append((src[key], tgt[key]))

    dropped = ", ".join(f"{b} {c}" for b, c in shifted)
    print(f"dropped chapters with differing verse numbering: {dropped}")
    print(f"valid books: {', '.join(VALID_BOOKS)}")
    print(f"test books:  {', '.join(TEST_BOOKS)}")
    notes = [f"source: {src_module} ({src_lang}) / {tgt_module} ({tgt_lang}) "
             "via diatheke, aligned by book/chapter/verse",
             f"valid books: {', '.join(VALID_BOOKS)}",
             f"test books: {', '.join(TEST_BOOKS)}",
             f"dropped chapters (verse numbering differs): {dropped}"]
    write_corpus(args.out, splits, src_lang, tgt_lang, params, notes)
    summary(args.out, splits)
    print(f"built in {time.monotonic() - start:.1f}s")


# ---------------------------------------------------------------------------
# A user's own parallel files


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [line.rstrip("\r\n") for line in f]


def build_parallel(args):
    names = output_names(args.src_lang, args.tgt_lang)
    inputs = " ".join(sha256_of(p) for p in (args.src, args.tgt))
    params = (f"parallel {inputs} valid={args.valid} test={args.test} "
              f"seed={args.seed}")
    if not args.force and up_to_date(args.out, params, names):
        print(f"{args.out} is up to date (use --force to rebuild)")
        return

    src, tgt = read_lines(args.src), read_lines(args.tgt)
    if len(src) != len(tgt):
        sys.exit(f"error: line counts differ: {args.src} has {len(src)} lines, "
                 f"{args.tgt} has {len(tgt)}")
    pairs = [(s.strip(), t.strip()) for s, t in zip(src, tgt)
             if s.strip() and t.strip()]
    dropped = len(src) - len(pairs)
    if args.valid + args.test >= len(pairs):
        sys.exit(f"error: {len(pairs)} non-empty pairs cannot give "
                 f"{args.valid} valid + {args.test} test pairs and leave any "
                 "for training")

    # A seeded shuffle picks the held-out pairs; each split keeps file order.
    order = list(range(len(pairs)))
    random.Random(args.seed).shuffle(order)
    held = {"valid": set(order[:args.valid]),
            "test": set(order[args.valid:args.valid + args.test])}
    splits = {split: [] for split in SPLITS}
    for i, pair in enumerate(pairs):
        split = ("valid" if i in held["valid"] else
                 "test" if i in held["test"] else "train")
        splits[split].append(pair)

    print(f"{len(pairs)} pairs ({dropped} with an empty side dropped)")
    notes = [f"source: {args.src} ({args.src_lang}) / {args.tgt} ({args.tgt_lang})",
             f"split: random with seed {args.seed}; "
             f"{dropped} pairs with an empty side dropped"]
    write_corpus(args.out, splits, args.src_lang, args.tgt_lang, params, notes)
    summary(args.out, splits)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="corpus", required=True)

    bible = sub.add_parser("bible", help="Spanish-English Bible from SWORD")
    bible.add_argument("--out", default="data/bible")
    bible.add_argument("--force", action="store_true", help="rebuild even if up to date")
    bible.set_defaults(build=build_bible)

    par = sub.add_parser("parallel", help="split a user's own parallel files")
    par.add_argument("src")
    par.add_argument("tgt")
    par.add_argument("--out", required=True)
    par.add_argument("--valid", type=int, default=1000, help="pairs (default 1000)")
    par.add_argument("--test", type=int, default=1000, help="pairs (default 1000)")
    par.add_argument("--seed", type=int, default=1)
    par.add_argument("--src-lang", default="src", help="extension of source files")
    par.add_argument("--tgt-lang", default="tgt", help="extension of target files")
    par.add_argument("--force", action="store_true", help="rebuild even if up to date")
    par.set_defaults(build=build_parallel)

    args = parser.parse_args()
    if getattr(args, "valid", 0) < 0 or getattr(args, "test", 0) < 0:
        parser.error("--valid and --test must not be negative")
    args.build(args)


if __name__ == "__main__":
    main()
