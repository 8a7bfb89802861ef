"""Every phrase the templates mark for translation has its English (no browser needed)."""

from __future__ import annotations

from jinja2.ext import babel_extract

from cityloop.cases.workflow import SATISFACTION
from cityloop.web.i18n import DYNAMIC, EN
from cityloop.web.templating import TEMPLATES
from cityloop.web.track import ACTOR_KINDS


def marked_phrases() -> dict[str, str]:
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        with path.open("rb") as handle:
            for _line, _function, message, _comments in babel_extract(handle, ("_", "gettext"), [], {}):
                if isinstance(message, str):
                    found[message] = path.name
                elif isinstance(message, tuple) and message and isinstance(message[0], str):
                    found[message[0]] = path.name  # a phrase with keyword arguments
    return found


def test_every_marked_phrase_has_english() -> None:
    phrases = marked_phrases()
    assert len(phrases) > 50
    missing = {m: where for m, where in phrases.items() if m not in EN}
    assert missing == {}


def test_the_catalogue_has_no_phrase_that_no_page_uses() -> None:
    unused = sorted(set(EN) - set(marked_phrases()) - DYNAMIC)
    assert unused == []


def test_the_phrases_given_as_values_are_declared() -> None:
    assert set(SATISFACTION) | set(ACTOR_KINDS.values()) <= DYNAMIC
    assert set(EN) >= DYNAMIC


def test_the_english_catalogue_is_a_clean_gettext_catalogue() -> None:
    from babel.messages.pofile import read_po

    from cityloop.web.i18n import LOCALE_DIR

    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="en")
    entries = [m for m in catalog if m.id]
    assert len(entries) == len(EN)
    assert not [m.id for m in entries if m.fuzzy or not m.string]
    assert not list(catalog.obsolete)
