"""Writes small .npy files with numpy's own writer, so that the C# NpyFile reader is tested against real numpy
output (format versions 1.0/2.0/3.0, every supported dtype, and the rejected layouts).

Run from the repository root with the Debian interpreter (numpy 1.24):
    /usr/bin/python3 tools/reference/npy_fixtures.py
Output: tests/MultiRec.Tests/fixtures/npy/*.npy (a few hundred bytes each). Values: 3x4 arrays of k / 7 for
k = 0..11 (floats) or k - 5 (integers), so the C# test can recompute them.
"""
import os

import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join("tests", "MultiRec.Tests", "fixtures", "npy")


def save(name, array, version=None):
    path = os.path.join(OUT, name)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=False)
    os.replace(tmp, path)


def main():
    os.makedirs(OUT, exist_ok=True)
    k = np.arange(12).reshape(3, 4)
    f4 = (k.astype(np.float32) / np.float32(7)).astype("<f4")
    for version in [(1, 0), (2, 0), (3, 0)]:
        save(f"f4_v{version[0]}.npy", f4, version)
    save("f8.npy", (k / 7.0).astype("<f8"))
    save("i4.npy", (k - 5).astype("<i4"))
    save("i8.npy", (k - 5).astype("<i8"))
    save("u1.npy", k.astype("|u1"))
    save("b1.npy", (k % 3 == 0))
    save("fortran.npy", np.asfortranarray(f4))
    save("bigendian.npy", f4.astype(">f4"))
    save("complex.npy", f4.astype("<c8"))


if __name__ == "__main__":
    main()
