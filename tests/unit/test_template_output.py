"""Printed values are escaped exactly as Jinja's own code generator escapes them."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.compiler import CodeGenerator

from badgepress.render.template_output import FastOutputCodeGenerator, escape_output

TEMPLATE = (
    "{{ text }}|{{ markup }}|{{ number }}|{{ none }}|{{ items }}|{{ text ~ markup }}|"
    "{% set block %}<b>{{ text }}</b>{% endset %}{{ block }}|{{ text | upper }}|"
    "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(text) }}|{% autoescape false %}{{ text }}{% endautoescape %}"
)


def _environment(generator, autoescape=True) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=autoescape)
    env.code_generator_class = generator
    return env


@given(st.text())
def test_escape_output_is_markupsafe_escape_as_text(text):
    assert escape_output(text) == str(markupsafe.escape(text))
    assert type(escape_output(text)) is str


@given(st.text())
def test_templates_print_the_same_text_as_with_jinjas_code_generator(text):
    values = {
        "text": text,
        "markup": markupsafe.Markup("<i>safe</i> & sound"),
        "number": 3.5,
        "none": None,
        "items": ["<a>", 1],
    }
    for autoescape in (True, False):
        ours = _environment(FastOutputCodeGenerator, autoescape).from_string(TEMPLATE)
        jinjas = _environment(CodeGenerator, autoescape).from_string(TEMPLATE)
        assert ours.render(values) == jinjas.render(values)


def test_the_generated_code_escapes_printed_values_with_escape_output():
    source = _environment(FastOutputCodeGenerator).compile("{{ text }}", raw=True)
    assert "escape_output(" in source
    assert "escape_output(" not in _environment(FastOutputCodeGenerator, False).compile(
        "{{ text }}", raw=True
    )


def test_undefined_values_still_fail_loudly():
    env = _environment(FastOutputCodeGenerator)
    env.undefined = jinja2.StrictUndefined
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
