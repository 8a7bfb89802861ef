"""The administration's pages that write: parameters, calendar, dispatch rules, local codes.

Each form is all or nothing: the whole submission is checked first, and when anything is
wrong the form comes back with what was typed and every problem listed, and nothing is
stored. Forms are shown again with status 200, as pages (like the sign-in form).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cityloop.access import Principal
from cityloop.cities import describe_parameters, do_set_parameters, get_parameters
from cityloop.core.errors import CityLoopError
from cityloop.db.deps import SESSION
from cityloop.deadlines import do_import_calendar, export_calendar
from cityloop.dispatch import export_rules, import_rules, load_catalogue, rule_problems
from cityloop.taxonomy import TaxonomyImportFailed, do_import_local_codes, export_local_codes
from cityloop.web.admin.common import admin_page, admin_principal
from cityloop.web.session import check_same_origin
from cityloop.web.templating import SECURITY_HEADERS

router = APIRouter(include_in_schema=False)
MAX_TEXT = 500_000
Text = Annotated[str, Form(max_length=MAX_TEXT)]


def _saved(path: str) -> Response:
    return RedirectResponse(f"{path}?saved=1", status_code=303, headers=SECURITY_HEADERS)


def _guard(session: Session, request: Request, *, post: bool = False) -> Principal | Response:
    if post:
        check_same_origin(request)
    return admin_principal(session, request)


# Parameters ---------------------------------------------------------------------------------
def _parameter_rows(session: Session, city_code: str, typed: dict[str, str] | None) -> list[dict[str, Any]]:
    current = get_parameters(session, city_code).model_dump(mode="json")
    rows = []
    for row in describe_parameters():
        text = json.dumps(current[row["key"]], ensure_ascii=False)
        rows.append({**row, "text": typed.get(row["key"], text) if typed else text})
    return rows


@router.get("/admin", response_class=HTMLResponse)
def parameters_page(request: Request, session: Session = SESSION) -> Response:
    """The city's parameters, each as JSON text beside its description and default."""
    who = _guard(session, request)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    context = {"rows": _parameter_rows(session, who.city_code, None), "problems": []}
    return admin_page(request, session, who, "parameters", context)


def changed_parameters(
    form: dict[str, str], current: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The values the form changes (parsed from JSON), and the fields that are not JSON at all."""
    changed: dict[str, Any] = {}
    problems = []
    for key, text in form.items():
        try:
            value = json.loads(text)
        except ValueError:
            problems.append({"key": key, "message": "not a valid JSON value"})
            continue
        if key not in current or value != current[key]:
            changed[key] = value
    return changed, problems


@router.post("/admin", response_class=HTMLResponse)
async def save_parameters(request: Request, session: Session = SESSION) -> Response:
    """Store the changed parameters; nothing is stored when any value is wrong."""
    who = _guard(session, request, post=True)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    form = await request.form()
    typed = {k[2:]: str(v) for k, v in form.multi_items() if k.startswith("p:") and len(str(v)) <= MAX_TEXT}
    current = get_parameters(session, who.city_code).model_dump(mode="json")
    changed, problems = changed_parameters(typed, current)
    if not problems and changed:
        try:
            do_set_parameters(session, who.city_code, changed)
        except CityLoopError as exc:
            details = exc.details if isinstance(exc.details, list) else []
            problems = [{"key": str(p.get("key", "")), "message": str(p.get("message", ""))} for p in details]
            problems = problems or [{"key": "", "message": exc.message}]
    if not problems:
        return _saved("/admin")
    context = {"rows": _parameter_rows(session, who.city_code, typed), "problems": problems}
    return admin_page(request, session, who, "parameters", context)


# Calendar -----------------------------------------------------------------------------------
@router.post("/admin/calendar", response_class=HTMLResponse)
def import_calendar(request: Request, text: Text = "", session: Session = SESSION) -> Response:
    """Replace the working calendar with a YAML file's; nothing changes when the file is wrong."""
    who = _guard(session, request, post=True)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    error = None
    try:
        data = yaml.safe_load(text)
        do_import_calendar(session, city_code=who.city_code, data=data, source="admin")
    except yaml.YAMLError as exc:
        error = f"not valid YAML: {exc}"
    except CityLoopError as exc:
        error = exc.message
    if error is None:
        return _saved("/admin/calendar")

    context = {"calendar": export_calendar(session, who.city_code), "text": text, "error": error}
    return admin_page(request, session, who, "calendar", context)


# Dispatch rules -----------------------------------------------------------------------------
def _rules_context(session: Session, city_code: str, text: str | None, problems: list[Any]) -> dict[str, Any]:
    rules = export_rules(session, city_code)
    if text is None:
        text = yaml.safe_dump(rules, allow_unicode=True, sort_keys=False) if rules else "[]\n"
    return {"rules": rules, "text": text, "problems": problems}


@router.get("/admin/rules", response_class=HTMLResponse)
def rules_page(request: Request, session: Session = SESSION) -> Response:
    """The dispatch rules in priority order, and their text to edit and replace them with."""
    who = _guard(session, request)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    return admin_page(request, session, who, "rules", _rules_context(session, who.city_code, None, []))


def parse_rows(text: str, key: str) -> tuple[list[Any] | None, str | None]:
    """The rows of a YAML or JSON list (or of a mapping's `key` list); or why the text is not one."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return None, f"not valid YAML or JSON: {exc}"
    if isinstance(data, dict) and isinstance(data.get(key), list):
        data = data[key]
    if data is None:
        data = []
    if not isinstance(data, list):
        return None, f"the text must be a list of items (or a mapping with a '{key}' list)"
    return data, None


@router.post("/admin/rules", response_class=HTMLResponse)
def replace_rules(request: Request, text: Text = "", session: Session = SESSION) -> Response:
    """Make the rules those of the text, in its order; nothing changes when any rule is wrong."""
    who = _guard(session, request, post=True)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    rows, error = parse_rows(text, "rules")
    problems: list[dict[str, Any]] = []
    if rows is None:
        problems = [{"index": "", "key": "", "field": "", "message": error}]
    else:
        _items, problems = rule_problems(rows, load_catalogue(session, who.city_code))
        if not problems:
            import_rules(session, who.city_code, rows, replace=True)
            return _saved("/admin/rules")
    context = _rules_context(session, who.city_code, text, problems)
    return admin_page(request, session, who, "rules", context)


# Local taxonomy codes -----------------------------------------------------------------------
@router.get("/admin/taxonomy", response_class=HTMLResponse)
def taxonomy_page(request: Request, session: Session = SESSION) -> Response:
    """The city's local extension codes as taxonomy_local.csv text, to edit and import."""
    who = _guard(session, request)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    context = {"text": export_local_codes(session, who.city_code), "problems": []}
    return admin_page(request, session, who, "taxonomy", context)


@router.post("/admin/taxonomy", response_class=HTMLResponse)
def import_taxonomy(request: Request, text: Text = "", session: Session = SESSION) -> Response:
    """Replace the local codes with the CSV's; nothing changes when any line is wrong."""
    who = _guard(session, request, post=True)
    if not isinstance(who, Principal):
        return who
    assert who.city_code is not None
    try:
        do_import_local_codes(session, city_code=who.city_code, csv_text=text, source="admin")
    except TaxonomyImportFailed as exc:
        problems = (
            exc.details
            if isinstance(exc.details, list)
            else [{"line": "", "field": "", "message": exc.message}]
        )
        return admin_page(request, session, who, "taxonomy", {"text": text, "problems": problems})
    return _saved("/admin/taxonomy")
