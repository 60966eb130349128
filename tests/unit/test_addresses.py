"""The address-like words of an assertion's text, found in time linear in its length."""

from __future__ import annotations

import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from badgepress.content.addresses import addresses

# What the scan finds, written as the regex it once was (and which took quadratic time).
PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


@settings(max_examples=2000, derandomize=True, deadline=None)
@given(st.text(alphabet="aZ9._%+-@ !/", max_size=60))
def test_the_address_words_are_those_the_address_pattern_finds(text):
    assert addresses(text) == {match.lower() for match in PATTERN.findall(text)}


def test_addresses_after_one_another_and_in_a_run_are_all_found():
    text = "x@a.b_c@d.e mail jane.doe+badge@example.org, not @x.y or a@b or a@.b"
    assert addresses(text) == {"x@a.b", "_c@d.e", "jane.doe+badge@example.org"}


def test_a_long_run_of_letters_before_an_at_sign_is_read_once():
    # The regex read the run to its end from each of its letters: 20,000 took 0.25 s, this
    # megabyte would take hours. A generous tripwire, not a benchmark.
    started = time.process_time()
    assert addresses("a" * 1_000_000 + "@") == set()
    assert addresses(("a" * 1000 + "@!") * 1000) == set()
    assert time.process_time() - started < 5
