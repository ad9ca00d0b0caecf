"""The gazetteer's disk cache: built when missing, reused when warm, rebuilt when stale or
corrupt; and the columnar index gives back the entries it was built from."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from app.ingest.gazetteer import Entry, Gazetteer
from app.ingest.gazetteer.build import _Builder, _squeeze
from app.ingest.gazetteer.disk_cache import cache_dir, content_key, load_or_build


class Counter:
    """A build function that counts its calls."""

    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def cached_file(directory: Path) -> Path:
    files = list(directory.glob("demo-*.marshal"))
    assert len(files) == 1, files
    return files[0]


def test_missing_cache_is_built_then_reused(tmp_path: Path) -> None:
    build = Counter({"a": [1, 2]})
    assert load_or_build("demo", "k1", build, tmp_path) == {"a": [1, 2]}
    assert load_or_build("demo", "k1", build, tmp_path) == {"a": [1, 2]}
    assert build.calls == 1
    assert not list(tmp_path.glob("*.tmp"))  # the temp file was renamed into place


@pytest.mark.parametrize("garbage", [b"", b"not marshal at all", b"\xff\x00\x13", None])
def test_corrupt_cache_is_rebuilt(tmp_path: Path, garbage: bytes | None) -> None:
    load_or_build("demo", "k1", Counter([1]), tmp_path)
    path = cached_file(tmp_path)
    # None: a truncated but otherwise genuine file
    path.write_bytes(path.read_bytes()[:5] if garbage is None else garbage)
    build = Counter([2])
    assert load_or_build("demo", "k1", build, tmp_path) == [2]
    assert build.calls == 1
    assert marshal.loads(path.read_bytes()) == ("k1", [2])


def test_stale_cache_is_rebuilt_and_old_files_dropped(tmp_path: Path) -> None:
    load_or_build("demo", "old-key", Counter("old"), tmp_path)
    build = Counter("new")
    assert load_or_build("demo", "new-key", build, tmp_path) == "new"
    assert build.calls == 1
    assert marshal.loads(cached_file(tmp_path).read_bytes())[0] == "new-key"


def test_inner_key_is_checked_not_only_the_file_name(tmp_path: Path) -> None:
    load_or_build("demo", "k1", Counter("first"), tmp_path)
    path = cached_file(tmp_path)
    path.write_bytes(marshal.dumps(("another key", "wrong")))
    assert load_or_build("demo", "k1", Counter("rebuilt"), tmp_path) == "rebuilt"


def test_unwritable_cache_dir_still_returns_the_value(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    build = Counter([3])
    assert load_or_build("demo", "k1", build, blocker / "sub") == [3]
    assert build.calls == 1


def test_cache_dir_follows_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FRONTWIRE_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("FRONTWIRE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "frontwire"


def test_content_key_follows_file_contents(tmp_path: Path) -> None:
    data = tmp_path / "places.csv"
    data.write_text("name\nKaya\n")
    first = content_key(["3.0.2", data])
    data.write_text("name\nDjibo\n")
    assert content_key(["3.0.2", data]) != first
    assert content_key(["3.0.3", data]) != content_key(["3.0.2", data])


ENTRIES = [
    (Entry("Sittwe", "settlement", "MM", "Rakhine", 20.15, 92.9, 177743, 1298824),
     ["Sittwe", "Akyab"]),
    (Entry("Gaza Strip", "area", "PS", None, 31.4, 34.4, 0, None, curated=True), ["Gaza Strip"]),
    (Entry("Bab el-Mandeb", "area", None, None, None, None, 0, None, curated=True),
     ["Bab el-Mandeb"]),
    (Entry("Sake", "settlement", "CD", "North Kivu", -1.57, 29.04, 9000, 7), ["Sake"]),
    (Entry("Sake", "settlement", "JP", "Yamagata", 38.9, 139.8, 500, 8), ["Sake"]),
]


def test_columnar_index_round_trips_entries() -> None:
    builder = _Builder()
    for entry, names in ENTRIES:
        builder.index(entry, names)
    payload = {"names": builder.names,
               "strings": sorted(builder.strings, key=builder.strings.__getitem__),
               "columns": {k: c.tobytes() for k, c in builder.columns.items()},
               "exact": _squeeze(builder.exact), "loose": _squeeze(builder.loose),
               "admin1": {}, "countries": {}, "capitals": []}
    gaz = Gazetteer(marshal.loads(marshal.dumps(payload)))
    assert [gaz.entry(i) for i in range(len(ENTRIES))] == [e for e, _ in ENTRIES]
    assert gaz.exact["akyab"] == 0 * 4 + 2 and gaz.exact["sittwe"] == 0 * 4 + 3
    assert gaz.exact["sake"] == (3 * 4 + 3, 4 * 4 + 3)
