#!/usr/bin/env python3
"""close_weights.py A B TOLERANCE: exit 0 when two nmt model files hold the
same tensors up to TOLERANCE (the largest |a - b| over every weight and
optimizer moment, relative to max(1, |a|)), the same other sections and the
same training position. Prints the largest difference found.

Several ranks sum their gradients in another order than one process, so
their weights differ in the last bits; this says by how much. The container
is read here (see tests/faults/same_weights.py), not through nmt.
"""
import array
import json
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "faults"))
from same_weights import comparable  # noqa: E402

POSITION = ("step", "epoch", "batch_in_epoch", "target_tokens", "skipped_steps")


def tensor(data):
    """(shape, values) of a float tensor section, or None for other sections."""
    if len(data) < 4:
        return None
    (rank,) = struct.unpack_from("<I", data, 0)
    if rank == 0 or rank > 8 or len(data) < 4 + 8 * rank:
        return None
    shape = struct.unpack_from("<%dQ" % rank, data, 4)
    count = 1
    for dim in shape:
        count *= dim
    if 4 + 8 * rank + 4 * count != len(data):
        return None
    values = array.array("f")
    values.frombytes(data[4 + 8 * rank:])
    return shape, values


def main():
    a_path, b_path, tolerance = sys.argv[1], sys.argv[2], float(sys.argv[3])
    (a, a_state), (b, b_state) = comparable(a_path), comparable(b_path)
    problems = [f"section {name} only in one file" for name in sorted(set(a) ^ set(b))]
    worst, worst_name = 0.0, ""
    for name in sorted(set(a) & set(b)):
        ta, tb = tensor(a[name]), tensor(b[name])
        if ta is None or tb is None:
            if a[name] != b[name]:
                problems.append(f"section {name} differs")
            continue
        if ta[0] != tb[0]:
            problems.append(f"section {name}: shape {ta[0]} vs {tb[0]}")
            continue
        for x, y in zip(ta[1], tb[1]):
            difference = abs(x - y) / max(1.0, abs(x))
            if not difference <= worst:  # NaN counts as the worst
                worst, worst_name = difference, name
    problems += [f"training state {key}: {a_state.get(key)} vs {b_state.get(key)}"
                 for key in POSITION if a_state.get(key) != b_state.get(key)]
    print(f"largest relative difference {worst:.3g} (in {worst_name or 'none'}), tolerance {tolerance:g}")
    if not worst <= tolerance:
        problems.append(f"weights differ by {worst:.3g} in {worst_name}, more than {tolerance:g}")
    for line in problems:
        print(f"{a_path} vs {b_path}: {line}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
