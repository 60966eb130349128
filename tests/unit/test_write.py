import os

import pytest

from badgepress.build.write import MARKER, UnsafeOutput, write_site


def test_writes_files_and_reports_counts(tmp_path):
    out = tmp_path / "site"
    report = write_site({"index.html": b"home", "a/b.json": b"{}"}, out)
    assert (out / "a" / "b.json").read_bytes() == b"{}"
    assert (report.written, report.unchanged, report.removed) == (2, 0, 0)


def test_unchanged_bytes_are_not_rewritten(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"home"}, out)
    os.utime(out / "index.html", (1, 1))
    report = write_site({"index.html": b"home"}, out)
    assert (report.written, report.unchanged) == (0, 1)
    assert (out / "index.html").stat().st_mtime == 1


def test_stale_files_and_empty_folders_disappear(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"1", "old/page.html": b"2"}, out)
    report = write_site({"index.html": b"1"}, out)
    assert report.removed == 1
    assert not (out / "old").exists()
    assert (out / MARKER).is_file()


def test_refuses_paths_outside_the_output_folder(tmp_path):
    for bad in ("../escape.html", "/etc/passwd", "a/../../b"):
        with pytest.raises(UnsafeOutput):
            write_site({bad: b"x"}, tmp_path / "site")
    assert not (tmp_path / "escape.html").exists()


def test_refuses_a_non_empty_folder_it_did_not_create(tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(UnsafeOutput, match="did not create"):
        write_site({"index.html": b"x"}, precious)
    assert (precious / "thesis.docx").read_bytes() == b"years of work"


def test_an_interrupted_write_is_repaired_by_the_next(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"complete page"}, out)
    (out / "index.html").write_bytes(b"compl")  # as if a build died mid-way
    (out / ".index.html.tmp999").write_bytes(b"leftover")
    write_site({"index.html": b"complete page"}, out)
    assert (out / "index.html").read_bytes() == b"complete page"
    assert not (out / ".index.html.tmp999").exists()
