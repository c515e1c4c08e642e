#!/usr/bin/env python3
"""Exit 0 when two nmt model files hold the same weights (and optimizer state),
bit for bit, and the same training position; differences are printed.

Reads the container itself (magic, version, sections, XXH64 trailer; see
core/include/nmt/core/model_file.h) rather than asking nmt, so a bug in nmt's
reader cannot hide one in its writer. Wall-clock fields of the training state
are the only thing allowed to differ.
"""
import json
import struct
import sys

WALL_CLOCK = {"seconds", "overhead_seconds"}


def sections(path):
    data = open(path, "rb").read()
    if data[:8] != b"NMTMODEL":
        sys.exit(f"{path}: not an nmt model file")
    _version, count = struct.unpack_from("<II", data, 8)
    offset, found = 16, {}
    for _ in range(count):
        (length,) = struct.unpack_from("<I", data, offset)
        offset += 4
        name = data[offset:offset + length].decode()
        offset += length
        (size,) = struct.unpack_from("<Q", data, offset)
        offset += 8
        found[name] = data[offset:offset + size]
        offset += size
    if offset + 8 != len(data):
        sys.exit(f"{path}: {len(data) - offset} bytes after the sections, expected the 8-byte checksum")
    return found


def comparable(path):
    found = sections(path)
    state = json.loads(found.pop("training/state", b"{}"))
    found.pop("training/config", None)  # the command line, which names the model file
    return found, {k: v for k, v in state.items() if k not in WALL_CLOCK}


def main():
    (a, a_state), (b, b_state) = comparable(sys.argv[1]), comparable(sys.argv[2])
    differences = [f"section {name} only in one file" for name in sorted(set(a) ^ set(b))]
    differences += [f"section {name} differs" for name in sorted(set(a) & set(b)) if a[name] != b[name]]
    differences += [f"training state {key}: {a_state.get(key)} vs {b_state.get(key)}"
                    for key in sorted(set(a_state) | set(b_state)) if a_state.get(key) != b_state.get(key)]
    for line in differences:
        print(f"{sys.argv[1]} vs {sys.argv[2]}: {line}")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
