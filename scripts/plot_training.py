#!/usr/bin/python3
"""Draws the learning curves of an `nmt train --log-json FILE` run to a PNG.

  scripts/plot_training.py train.jsonl [-o curves.png] [--title TEXT]

Left: training and validation perplexity by step (log scale). Right:
validation greedy BLEU by step, the best validations marked. Needs matplotlib
(Debian: python3-matplotlib).
"""
import argparse
import json
import sys


def read_log(path):
    train, valid = [], []
    with open(path, encoding="utf-8") as log:
        for number, line in enumerate(log, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                sys.exit(f"{path}:{number}: not a JSON object ({error.msg})")
            kind = record.get("type")
            if kind == "train":
                train.append(record)
            elif kind == "valid":
                valid.append(record)
    if not train and not valid:
        sys.exit(f"{path}: no training or validation records (is it an nmt train --log-json file?)")
    return train, valid


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log", help="the --log-json file of nmt train")
    parser.add_argument("-o", "--output", help="PNG to write (default: LOG with .png)")
    parser.add_argument("--title", help="title above the plots")
    args = parser.parse_args()
    output = args.output or (args.log.rsplit(".", 1)[0] if "." in args.log else args.log) + ".png"
    train, valid = read_log(args.log)

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        sys.exit("plot_training.py needs matplotlib: apt-get install python3-matplotlib")

    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    if train:
        left.plot([r["step"] for r in train], [r["perplexity"] for r in train], label="training", lw=1)
    if valid:
        left.plot([r["step"] for r in valid], [r["perplexity"] for r in valid], "o-", label="validation", ms=3)
    left.set_yscale("log")
    left.set_xlabel("step")
    left.set_ylabel("perplexity")
    left.grid(True, which="both", alpha=0.3)
    left.legend()
    if valid:
        steps = [r["step"] for r in valid]
        right.plot(steps, [r["bleu"] for r in valid], "o-", ms=3, label="validation BLEU (greedy)")
        best = [r for r in valid if r.get("best")]
        right.plot([r["step"] for r in best], [r["bleu"] for r in best], "*", ms=9, label="saved as best")
        right.legend()
    right.set_xlabel("step")
    right.set_ylabel("BLEU")
    right.grid(True, alpha=0.3)
    if args.title:
        figure.suptitle(args.title)
    figure.tight_layout()
    figure.savefig(output, dpi=100)
    print(output)


if __name__ == "__main__":
    main()
