"""A stack's page draws its steps as a path: the capstone marked, the hours added up."""

from __future__ import annotations

import re

from tests.support import build_site, copy_example

STACK = "content/credentials/restorative-practices/index.md"
CAPSTONE = "implementing-restorative-practices"


def _stack_page(tmp_path, edit_stack=None, edit_credential=None) -> str:
    repo = copy_example(tmp_path / "repo")
    if edit_stack:
        index = repo / STACK
        index.write_text(edit_stack(index.read_text()))
    if edit_credential:
        slug, edit = edit_credential
        path = repo / f"content/credentials/restorative-practices/{slug}.md"
        path.write_text(edit(path.read_text()))
    build_site(repo, tmp_path / "site")
    return (tmp_path / "site/stacks/restorative-practices/index.html").read_text()


def _steps(html: str) -> list[str]:
    return re.findall(r'<li class="path-step[^"]*"[^>]*>.*?</li>', html, re.S)


def test_the_capstone_is_the_one_marked_step_of_the_path(tmp_path):
    html = _stack_page(
        tmp_path, edit_stack=lambda t: t.replace("order:\n", f"capstone: {CAPSTONE}\norder:\n", 1)
    )
    steps = _steps(html)
    marked = [s for s in steps if "is-capstone" in s.split(">", 1)[0]]
    assert len(steps) == 5 and len(marked) == 1
    assert f'data-slug="{CAPSTONE}"' in marked[0] and 'class="tag">capstone<' in marked[0]
    assert "Earn 4 of the credentials below to receive the capstone" in html


def test_a_stack_without_a_capstone_marks_no_step(tmp_path):
    assert "is-capstone" not in _stack_page(tmp_path)


def test_hours_in_all_say_at_least_when_a_step_has_none(tmp_path):
    html = _stack_page(
        tmp_path, edit_credential=("affective-language", lambda t: t.replace("hours: 15\n", "", 1))
    )
    assert '<p class="path-summary">5 steps · at least 60 hours in all</p>' in html
