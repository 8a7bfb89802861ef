"""The pages' words in zh-CN (the source language) and en, and how a request chooses its language.

Templates are written in Chinese and mark every phrase with `_()` or `{% trans %}`; English
comes from `EN`, a small catalogue kept next to the code. A test extracts every marked phrase
from the templates (Jinja2's Babel-compatible extractor) and fails on any without English, so
a missing translation never reaches a page silently. Chosen over compiled .po/.mo files
because the catalogue is small and needs no build step.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from jinja2 import pass_context
from jinja2.runtime import Context

from cityloop.core.i18n import DEFAULT_LOCALE, LOCALES

#: The cookie remembering the visitor's language.
LANG_COOKIE = "lang"

EN: dict[str, str] = {
    # Layout
    "城市运行管理服务": "City services",
    "语言": "Language",
    "跳到正文": "Skip to content",
    "工作人员登录": "Staff sign-in",
    "退出登录": "Sign out",
    "本页需要启用 JavaScript 才能在地图上标点和上传照片。": "This page needs JavaScript to place a pin on the map and upload photos.",
    # Citizen: city chooser and report form
    "选择城市": "Choose a city",
    "反映问题": "Report a problem",
    "告诉我们城市里哪里出了问题，我们会派人处理，并告知进展。": "Tell us what is wrong in the city: we send someone to fix it and keep you informed.",
    "问题类别": "Category",
    "搜索类别，如 井盖、占道、垃圾": "Search categories, e.g. manhole, vending, litter",
    "不确定？可以不选，我们会根据描述判断。": "Not sure? Leave it: we will classify from your description.",
    "没有找到匹配的类别。": "No matching category.",
    "位置": "Location",
    "在地图上点击以标出位置，或填写地址。": "Click the map to place a pin, or type an address.",
    "地图": "Map",
    "在地图中心标点": "Pin the map centre",
    "已标点": "Pinned",
    "尚未标点": "No pin yet",
    "地址": "Address",
    "照片": "Photos",
    "最多 6 张，每张不超过 10 MB。": "Up to 6 photos of at most 10 MB each.",
    "正在上传…": "Uploading…",
    "上传失败": "Upload failed",
    "问题描述": "Description",
    "联系方式": "Contact",
    "匿名反映": "Report anonymously",
    "姓名": "Name",
    "手机号码": "Phone",
    "电子邮箱": "Email",
    "附近相似的问题": "Similar problems nearby",
    "标点或选择类别后，这里会列出附近尚未办结的相似问题。如果就是您要反映的，点击“关注”即可，不必重复反映。": "Once you place a pin or choose a category, open problems nearby are listed here. If one is yours, follow it instead of reporting it again.",
    "附近没有相似的未办结问题。": "No similar open problem nearby.",
    "关注此问题": "Follow this one",
    "已关注": "Following",
    "人关注": "followers",
    "提交": "Submit",
    "正在提交…": "Submitting…",
    "提交失败": "Submitting failed",
    "已收到您的反映": "Your report has been received",
    "案件编号": "Case number",
    "查看进度": "Track progress",
    "您的反映已收到，正在等待人工处理。": "Your report was received and waits for a person to handle it.",
    # Track
    "案件进度": "Case progress",
    "查询进度": "Track a case",
    "输入案件编号": "Enter the case number",
    "查询": "Look up",
    "当前状态": "Current state",
    "类别": "Category",
    "反映时间": "Reported",
    "办理过程": "Timeline",
    "处置后照片": "Photos after the fix",
    "已合并到案件": "Merged into case",
    "回访评价": "Your rating",
    "满意": "Satisfied",
    "基本满意": "Fairly satisfied",
    "不满意": "Not satisfied",
    "评价": "Rating",
    "意见": "Comment",
    "提交评价": "Send rating",
    "您的评价": "Your rating",
    "系统": "System",
    "工作人员": "Staff",
    "市民": "Citizen",
    "反映问题时填写的手机号码或电子邮箱": "The phone number or email you reported with",
    "感谢您的评价。": "Thank you for your rating.",
    "联系方式与反映问题时填写的不一致。": "That is not the contact you reported with.",
    "这个问题已经评价过了。": "This case has already been rated.",
    "问题办结后才能评价。": "A case can be rated once it is closed.",
    "请选择一项评价。": "Please choose a rating.",
    # Sign-in
    "登录": "Sign in",
    "城市": "City",
    "用户名": "Username",
    "密码": "Password",
    "用户名或密码错误。": "Wrong username or password.",
    "欢迎": "Welcome",
    "您的角色": "Your roles",
    "工作台": "Workspace",
    "页面不存在": "Page not found",
    "返回首页": "Back to the front page",
}

#: Phrases that reach `_()` as values rather than literals: the callback ratings (cases.workflow
#: SATISFACTION) and who acted on a case (web.track ACTOR_KINDS).
DYNAMIC: set[str] = {
    "满意", "基本满意", "不满意", "系统", "工作人员", "市民",
    # The outcome of a citizen's rating (web.track CALLBACK_MESSAGES).
    "感谢您的评价。", "联系方式与反映问题时填写的不一致。", "这个问题已经评价过了。", "问题办结后才能评价。", "请选择一项评价。",
}  # fmt: skip


def add_catalogue(en: dict[str, str], dynamic: frozenset[str] | set[str] = frozenset()) -> None:
    """Merge an area's phrases (see `cityloop.web.AREAS`). A phrase that an earlier area already
    translates keeps that English (one word, one translation across the pages)."""
    for phrase, english in en.items():
        EN.setdefault(phrase, english)
    DYNAMIC.update(dynamic)


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
