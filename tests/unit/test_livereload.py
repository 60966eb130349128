"""The live-reload script tag, its injection into HTML, and the build status board."""

from __future__ import annotations

import threading

from badgepress.serve.livereload import SCRIPT_PATH, Status, StatusBoard, inject_script


def test_script_goes_before_the_closing_body_tag():
    page = b"<html><body><p>Hi</p></body></html>"
    assert inject_script(page, "s-1") == (
        b'<html><body><p>Hi</p><script src="' + SCRIPT_PATH.encode() + b'" data-build="s-1">'
        b"</script></body></html>"
    )


def test_script_goes_before_the_last_body_tag_whatever_its_case():
    page = b"<BODY><pre>&lt;/body&gt; </body> in text</pre></BODY>\n"
    injected = inject_script(page, "s-1")
    assert injected.startswith(b"<BODY><pre>&lt;/body&gt; </body> in text</pre><script ")
    assert injected.endswith(b"</script></BODY>\n")


def test_page_without_body_tag_gets_the_script_at_its_end():
    assert inject_script(b"<p>fragment</p>", "s-2").startswith(b"<p>fragment</p><script ")


def test_build_id_is_escaped_in_the_attribute():
    assert b'data-build="a&quot;&lt;b"' in inject_script(b"</body>", 'a"<b')


def test_only_the_tag_is_added():
    page = "<body>é ü ✓</body>".encode()
    injected = inject_script(page, "x")
    assert (
        injected.replace(f'<script src="{SCRIPT_PATH}" data-build="x"></script>'.encode(), b"")
        == page
    )


def test_board_starts_with_no_build_and_counts_good_builds():
    board = StatusBoard("abc")
    assert board.current() == Status("")
    assert board.built() == Status("abc-1")
    assert board.built() == Status("abc-2")


def test_failed_build_keeps_the_last_good_id_and_adds_errors():
    board = StatusBoard("abc")
    board.built()
    failed = board.failed(["content/x.md:3: bad"])
    assert failed == Status("abc-1", ("content/x.md:3: bad",))
    assert board.built() == Status("abc-2")  # fixed: the errors are gone


def test_status_json_carries_build_and_errors():
    assert Status("a-1", ("p:1: <b>",)).to_json() == '{"build": "a-1", "errors": ["p:1: <b>"]}'


def test_waiting_stream_wakes_on_a_new_build():
    board = StatusBoard("abc")
    seen = board.current()
    timer = threading.Timer(0.05, board.built)
    timer.start()
    assert board.wait_for_change(seen, timeout=5) == Status("abc-1")
    timer.join()


def test_waiting_stream_times_out_with_the_same_status():
    board = StatusBoard("abc")
    seen = board.current()
    assert board.wait_for_change(seen, timeout=0.01) == seen


def test_closing_the_board_ends_waiting_streams():
    board = StatusBoard("abc")
    seen = board.current()
    threading.Timer(0.05, board.close).start()
    assert board.wait_for_change(seen, timeout=5) is None
