"""zh-CN and en text. Chinese is the default; English the second language.

`Text` carries both renderings of one message; `translate(key, locale)` reads the shared
catalogue of short interface words used by the CLI and API.
"""

from __future__ import annotations

from dataclasses import dataclass

LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "zh-CN"


def normalise_locale(locale: str | None) -> str:
    """Map `zh`, `zh_CN`, `zh-Hans`, `en-GB`... onto one of LOCALES."""
    if not locale:
        return DEFAULT_LOCALE
    low = locale.replace("_", "-").lower()
    if low.startswith("en"):
        return "en"
    return DEFAULT_LOCALE


@dataclass(frozen=True)
class Text:
    zh: str
    en: str | None = None

    def get(self, locale: str | None = None) -> str:
        if normalise_locale(locale) == "en" and self.en:
            return self.en
        return self.zh


_CATALOGUE: dict[str, Text] = {}


def register(messages: dict[str, Text]) -> None:
    """Add messages to the catalogue; a package calls this at import with its own keys."""
    _CATALOGUE.update(messages)


def translate(key: str, locale: str | None = None, **params: object) -> str:
    text = _CATALOGUE.get(key)
    if text is None:
        return key
    rendered = text.get(locale)
    return rendered.format(**params) if params else rendered


register(
    {
        "city": Text("城市", "City"),
        "district": Text("区", "District"),
        "street": Text("街道", "Street"),
        "community": Text("社区", "Community"),
        "grid": Text("单元网格", "Unit grid"),
        "not_found": Text("未找到", "Not found"),
    }
)
