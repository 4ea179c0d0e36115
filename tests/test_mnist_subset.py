"""The MNIST files in the repository are what their READMEs say: the images shipped in impl/mnist
(the sha256 sums listed, the output of the cut printed) and the spec's index of MNIST's test set in
spec/mnist (its sum, the images shipped indexed with their labels, the output of the code printed),
the code run where ../shared/data/mnist holds the originals."""

import gzip
import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from spec import mnist_index

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "impl" / "mnist"
README = (SHIPPED / "README.md").read_text(encoding="utf-8")
INDEX = ROOT / "spec" / "mnist" / "t10k-index.npy"
INDEX_README = (INDEX.parent / "README.md").read_text(encoding="utf-8")
ORIGINALS = ROOT.parent / "shared" / "data" / "mnist"
needs_originals = pytest.mark.skipif(
    not ORIGINALS.is_dir(), reason=f"the originals are not in {ORIGINALS}"
)
# | `file.gz` | `sha256 of the file` | `sha256 of its content` |
SUMS = {
    name: (of_file, of_content)
    for name, of_file, of_content in re.findall(
        r"^\| `(\S+\.gz)` \| `([0-9a-f]{64})` \| `([0-9a-f]{64})` \|$", README, re.MULTILINE
    )
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_readme_lists_every_shipped_file():
    assert sorted(SUMS) == sorted(p.name for p in SHIPPED.glob("*.gz"))


@pytest.mark.parametrize("name", sorted(SUMS))
def test_shipped_file_has_the_listed_sums(name):
    data = (SHIPPED / name).read_bytes()
    assert (sha256(data), sha256(gzip.decompress(data))) == SUMS[name]


def run_readme_code(readme: str, out: Path) -> None:
    """Run the README's Python block on the originals, writing to `out`."""
    code = re.search(r"```python\n(.*?)```", readme, re.DOTALL).group(1)
    code = code.replace('Path("path/to/the/mnist/originals")', f"Path({str(ORIGINALS)!r})")
    exec(re.sub(r'Path\("(impl|spec)/mnist"\)', f"Path({str(out)!r})", code), {})


@needs_originals
def test_the_readme_cut_reproduces_the_shipped_content(tmp_path):
    run_readme_code(README, tmp_path)
    for name, (_, of_content) in SUMS.items():
        assert sha256(gzip.decompress((tmp_path / name).read_bytes())) == of_content, name


def test_the_index_has_the_listed_sum():
    listed = re.search(r"sha256 of `t10k-index.npy`: `([0-9a-f]{64})`", INDEX_README).group(1)
    assert sha256(INDEX.read_bytes()) == listed


def test_the_index_knows_every_shipped_image_and_its_label():
    labels = mnist_index.labels_of_test_images()
    assert len(labels) == 10_000
    for part in ("train", "test"):
        images = gzip.decompress((SHIPPED / f"{part}-images-idx3-ubyte.gz").read_bytes())[16:]
        given = gzip.decompress((SHIPPED / f"{part}-labels-idx1-ubyte.gz").read_bytes())[8:]
        digests = mnist_index.digests(np.frombuffer(images, np.uint8).reshape(-1, 28, 28))
        assert [labels.get(d) for d in digests] == list(given), part


@needs_originals
def test_the_readme_code_reproduces_the_index(tmp_path):
    run_readme_code(INDEX_README, tmp_path)
    assert (tmp_path / INDEX.name).read_bytes() == INDEX.read_bytes()
