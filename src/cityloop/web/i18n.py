"""The pages' words in zh-CN (the source language) and en, and how a request chooses its language.

Templates are written in Chinese and mark every phrase with `_()` or `{% trans %}`; English
comes from the Babel (gettext) catalogue `locale/en/LC_MESSAGES/messages.po`, read once at
start-up. A test extracts every marked phrase from the templates (Babel's Jinja2 extractor)
and fails on any without English and on any English that no page uses, so a missing
translation never reaches a page silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from fastapi import Request
from jinja2 import pass_context
from jinja2.runtime import Context

from cityloop.core.i18n import DEFAULT_LOCALE, LOCALES

#: The cookie remembering the visitor's language.
LANG_COOKIE = "lang"

#: The English catalogue: `locale/en/LC_MESSAGES/messages.po`, a standard gettext catalogue
#: (update it with `make messages`: pybabel extracts the marked phrases of the templates).
LOCALE_DIR = Path(__file__).parent / "locale"


def load_catalogue(locale: str) -> dict[str, str]:
    """The translated phrases of `locale` (entries without a translation are left out)."""
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
    }


EN: dict[str, str] = load_catalogue("en")


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Mark a phrase for `make messages` that reaches `_()` as a value, not a literal."""
    return message


#: Phrases that reach `_()` as values rather than literals.
DYNAMIC: set[str] = {
    # The callback ratings (cases.workflow SATISFACTION) and who acted (web.track ACTOR_KINDS).
    N_("满意"), N_("基本满意"), N_("不满意"), N_("系统"), N_("工作人员"), N_("市民"),
    # The outcome of a citizen's rating (web.track CALLBACK_MESSAGES).
    N_("感谢您的评价。"), N_("联系方式与反映问题时填写的不一致。"), N_("这个问题已经评价过了。"),
    N_("问题办结后才能评价。"), N_("请选择一项评价。"),
}  # fmt: skip


ROLE_NAMES: dict[str, tuple[str, str]] = {
    "inspector": ("监督员", "Inspector"),
    "operator": ("受理员", "Operator"),
    "shift_leader": ("值班长", "Shift leader"),
    "dispatcher": ("派遣员", "Dispatcher"),
    "department": ("处置部门", "Department"),
    "field_worker": ("处置人员", "Field worker"),
    "leader": ("领导", "Leader"),
    "admin": ("管理员", "Administrator"),
    "system": ("系统", "System"),
}


def gettext_for(locale: str, message: str) -> str:
    """`message` (Chinese) in `locale`; a phrase without English stays Chinese rather than vanish."""
    if locale == "en":
        return EN.get(message, message)
    return message


@pass_context
def gettext(context: Context, message: str) -> str:
    return gettext_for(context.get("locale", DEFAULT_LOCALE), message)


@pass_context
def ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return gettext_for(context.get("locale", DEFAULT_LOCALE), singular if n == 1 else plural)


def role_name(role: str, locale: str) -> str:
    zh, en = ROLE_NAMES.get(role, (role, role))
    return en if locale == "en" else zh


def request_locale(request: Request) -> tuple[str, bool]:
    """The request's language (`?lang=`, then the cookie, then Chinese) and whether `?lang=` chose it."""
    asked = request.query_params.get("lang")
    if asked in LOCALES:
        return asked, True
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LOCALES:
        return remembered, False
    return DEFAULT_LOCALE, False


def i18n_globals() -> dict[str, Any]:
    return {"LOCALES": LOCALES}
