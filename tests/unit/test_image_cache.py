"""image_cache: drawn badges and cards come back from the last build, exactly as drawn."""

from __future__ import annotations

import os

from badgepress.images.image_cache import FOLDER, ImageCache
from tests.speed.support import tree
from tests.support import build_site, copy_example

PNG = b"\x89PNG\r\n\x1a\n"  # the signature every PNG starts with


class Drawer:
    def __init__(self, data: bytes = PNG + b"drawn"):
        self.data, self.calls = data, 0

    def __call__(self) -> bytes:
        self.calls += 1
        return self.data


def test_the_same_inputs_are_drawn_once_and_come_back_byte_for_byte(tmp_path):
    draw = Drawer()
    first = ImageCache(tmp_path).png("card", ("Title", 1), draw)
    again = ImageCache(tmp_path).png("card", ("Title", 1), draw)
    assert first == again == draw.data
    assert draw.calls == 1


def test_other_inputs_or_another_kind_draw_again(tmp_path):
    cache, draw = ImageCache(tmp_path), Drawer()
    cache.png("card", ("Title", 1), draw)
    cache.png("card", ("Title", 2), draw)
    cache.png("badge", ("Title", 1), draw)
    assert draw.calls == 3


def test_without_a_folder_every_picture_is_drawn(tmp_path):
    cache, draw = ImageCache(None), Drawer()
    cache.png("card", "x", draw)
    cache.png("card", "x", draw)
    assert draw.calls == 2


def test_a_read_only_cache_reads_but_never_writes(tmp_path):
    ImageCache(tmp_path).png("card", "kept", Drawer(PNG + b"kept"))
    reader, draw = ImageCache(tmp_path, writable=False), Drawer()
    assert reader.png("card", "kept", draw) == PNG + b"kept"
    reader.png("card", "new", draw)
    assert draw.calls == 1
    assert len(os.listdir(tmp_path)) == 1


def test_prune_forgets_what_this_build_did_not_ask_for(tmp_path):
    ImageCache(tmp_path).png("card", "old", Drawer())
    cache = ImageCache(tmp_path)
    cache.png("card", "new", Drawer())
    cache.prune()
    assert [name.startswith("card-") for name in os.listdir(tmp_path)] == [True]
    draw = Drawer()
    ImageCache(tmp_path).png("card", "new", draw)
    assert draw.calls == 0


def test_an_unwritable_folder_only_costs_a_drawing(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert ImageCache(blocked / "images").png("card", "x", Drawer(PNG + b"ok")) == PNG + b"ok"


def test_a_warm_cache_builds_the_same_bytes_as_a_cold_one(tmp_path):
    source = copy_example(tmp_path / "repo")
    build_site(source, tmp_path / "cold")
    cached = sorted((source / FOLDER).iterdir())
    assert any(p.name.startswith("badge-") for p in cached)  # the example draws badges
    assert any(p.name.startswith("card-") for p in cached)
    stamps = {p.name: p.stat().st_mtime_ns for p in cached}
    build_site(source, tmp_path / "warm")
    assert tree(tmp_path / "warm") == tree(tmp_path / "cold")
    assert {p.name: p.stat().st_mtime_ns for p in (source / FOLDER).iterdir()} == stamps
