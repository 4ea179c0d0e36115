"""The MNIST images shipped in impl/mnist are what its README says: the sha256 sums it lists and,
where ../shared/data/mnist holds the originals, the output of the cut it prints."""

import gzip
import hashlib
import re
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parent.parent / "impl" / "mnist"
README = (SHIPPED / "README.md").read_text(encoding="utf-8")
ORIGINALS = SHIPPED.parent.parent.parent / "shared" / "data" / "mnist"
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


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason=f"the originals are not in {ORIGINALS}")
def test_the_readme_cut_reproduces_the_shipped_content(tmp_path, monkeypatch):
    code = re.search(r"```python\n(.*?)```", README, re.DOTALL).group(1)
    monkeypatch.chdir(SHIPPED.parent.parent)
    code = code.replace('Path("path/to/the/mnist/originals")', f"Path({str(ORIGINALS)!r})")
    exec(code.replace('Path("impl/mnist")', f"Path({str(tmp_path)!r})"), {})
    for name, (_, of_content) in SUMS.items():
        assert sha256(gzip.decompress((tmp_path / name).read_bytes())) == of_content, name
