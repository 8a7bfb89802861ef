"""`cityloop report monthly`: a city's month as an HTML report with charts, its PDF, and CSVs.

    cityloop report monthly --city 330100 --month 2026-11 --out var/reports

writes into OUT `monthly-{city}-{month}.html`, `.pdf` and one `monthly-{city}-{month}-{table}.csv`
per table (UTF-8 with a BOM, so that spreadsheet programs read the Chinese names). Charts are
inline SVG drawn here, so the page needs no script and no other host, and prints as it shows.

The PDF is the page printed by headless Chromium (`CITYLOOP_CHROMIUM`, else `chromium` on the
PATH, else /usr/bin/chromium). Without Chromium the HTML and CSVs are written and a warning
says the PDF needs Chromium; only an explicit `--pdf` turns that into an error. Everything is
built in a temporary directory beside OUT and moved in at the end, so a bad city or month, or
a failed demanded PDF, leaves OUT untouched.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import typer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

import cityloop
from cityloop.cli._common import console, db_session, err_console, fail
from cityloop.cli.report_builder import MonthlyReport, ReportTable, build_monthly_report

TEMPLATES = Path(cityloop.__file__).parent / "web" / "templates" / "report"
FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif"
BLUE, GREEN, GREY = "#2f6fb2", "#3a9a5b", "#c8ccd2"
PDF_TIMEOUT = 120

app = typer.Typer(help="Reports of a city: the monthly statement as HTML, PDF and CSV.", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Reports of a city (kept a group so that more reports can join `monthly`)."""


# ---- charts: inline SVG --------------------------------------------------------------------------


def _label(text: str, limit: int = 14) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def hbar_svg(
    items: list[tuple[str, float]], *, color: str = BLUE, width: int = 520, fmt: str = "{:g}"
) -> str:
    """A horizontal bar chart: one labelled bar per item, its value at the bar's end."""
    if not items:
        return '<p class="empty">本月无数据</p>'
    row, left, right = 24, 150, 60
    height = row * len(items) + 8
    top = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="12" role="img">'
    ]
    for i, (name, value) in enumerate(items):
        y = 4 + i * row
        length = (width - left - right) * value / top
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{_label(name)}</text>')
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" fill="{color}"/>')
        parts.append(f'<text x="{left + length + 4:.1f}" y="{y + 15}">{escape(fmt.format(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def trend_svg(rows: list[dict[str, Any]], *, width: int = 700, height: int = 220) -> str:
    """Daily reported cases as bars and closures as a line, with the day of month below."""
    left, bottom, top_pad = 36, 28, 12
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    peak = max([1] + [max(r["reported"], r["closed"]) for r in rows])
    step = plot_w / max(1, len(rows))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" font-size="11" role="img">',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}" stroke="#888"/>',
    ]
    for tick in sorted({0, peak // 2, peak}):
        y = top_pad + plot_h - plot_h * tick / peak
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#eee"/>')
    points = []
    for i, r in enumerate(rows):
        x = left + i * step
        h = plot_h * r["reported"] / peak
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top_pad + plot_h - h:.1f}" width="{step - 2:.1f}" height="{h:.1f}" '
            f'fill="{BLUE}"/>'
        )
        points.append(f"{x + step / 2:.1f},{top_pad + plot_h - plot_h * r['closed'] / peak:.1f}")
        day = int(r["day"][8:])
        if day == 1 or day % 5 == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{height - 10}" text-anchor="middle">{day}</text>')
    if points:
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{GREEN}" stroke-width="2"/>')
    parts.append(
        f'<rect x="{width - 150}" y="2" width="10" height="10" fill="{BLUE}"/>'
        f'<text x="{width - 136}" y="11">上报</text>'
        f'<line x1="{width - 90}" y1="7" x2="{width - 76}" y2="7" stroke="{GREEN}" stroke-width="2"/>'
        f'<text x="{width - 72}" y="11">结案</text></svg>'
    )
    return "".join(parts)


def charts(report: MonthlyReport) -> dict[str, Markup]:
    """The report's charts as SVG markup, by name (safe: drawn above with every label escaped)."""
    t = report.tables
    return {
        "trend": Markup(trend_svg(t["daily"].rows)),
        "sources": Markup(hbar_svg([(r["label"], r["cases"]) for r in t["sources"].rows])),
        "categories": Markup(
            hbar_svg([(f"{r['code']} {r['name']}", r["cases"]) for r in t["categories"].rows])
        ),
        "departments": Markup(
            hbar_svg([(r["name"], r["composite"]) for r in t["departments"].rows], color=GREEN, fmt="{:.1f}")
        ),
    }


# ---- HTML, CSV, PDF -------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def cell(value: Any, key: str) -> str:
    """A table cell as the page shows it: rates as percentages, missing values as a dash."""
    if value is None:
        return "—"
    if key.endswith("_rate"):
        return percent(value)
    if key == "composite":
        return f"{value:.1f}"
    return str(value)


def render_html(report: MonthlyReport) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))
    env.filters.update(percent=percent, cell=cell)
    return env.get_template("monthly.html").render(
        report=report, h=report.headline, charts=charts(report), zone=ZoneInfo(report.timezone)
    )


def write_csv(path: Path, table: ReportTable) -> None:
    keys = [k for k, _ in table.columns]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=keys, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(table.rows)


def summary_table(report: MonthlyReport) -> ReportTable:
    rows = [{"figure": k, "value": "" if v is None else v} for k, v in report.headline.items()]
    return ReportTable("summary", "主要指标", [("figure", "指标"), ("value", "数值")], rows)


def find_chromium() -> str | None:
    """The Chromium to print with: CITYLOOP_CHROMIUM when set (empty or missing means none)."""
    chosen = os.environ.get("CITYLOOP_CHROMIUM")
    if chosen is not None:
        return chosen if chosen and Path(chosen).is_file() else None
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None)


def print_pdf(chromium: str, html: Path, pdf: Path) -> str | None:
    """Print `html` to `pdf` with headless Chromium; None on success, else what went wrong."""
    with tempfile.TemporaryDirectory(prefix="cityloop-chromium-") as profile:
        command = [
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=PDF_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"{chromium}: {exc}"
    if not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
        return f"{chromium} exited {done.returncode} without a PDF: {done.stderr.strip()[-300:]}"
    return None


def write_report(report: MonthlyReport, work: Path, *, pdf: bool | None) -> tuple[list[Path], str | None]:
    """Write the report's files into `work`; returns them and a warning (PDF left out) or None."""
    stem = f"monthly-{report.city_code}-{report.month}"
    html = work / f"{stem}.html"
    html.write_text(render_html(report), encoding="utf-8")
    files = [html]
    for table in [summary_table(report), *report.tables.values()]:
        path = work / f"{stem}-{table.name}.csv"
        write_csv(path, table)
        files.append(path)
    if pdf is False:
        return files, None
    chromium = find_chromium()
    problem = "Chromium not found" if chromium is None else print_pdf(chromium, html, work / f"{stem}.pdf")
    if problem is None:
        return [*files, work / f"{stem}.pdf"], None
    message = f"PDF not written: {problem}. The PDF needs headless Chromium (set CITYLOOP_CHROMIUM)."
    if pdf:
        fail(message, code="report.pdf_failed")
    return files, message


def move_into(files: list[Path], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    moved = []
    for path in files:
        target = out / path.name
        os.replace(path, target)
        moved.append(target)
    return moved


@app.command("monthly")
def monthly(
    city: str = typer.Option(..., "--city", help="Division code of the city (e.g. 330100)."),
    month: str = typer.Option(..., "--month", help="The month, YYYY-MM, in the city's local time."),
    out: Path = typer.Option(..., "--out", help="Directory to write the report into (created if absent)."),
    pdf: bool | None = typer.Option(
        None,
        "--pdf/--no-pdf",
        help="Demand the PDF (fail without Chromium) or skip it; default: when possible.",
    ),
) -> None:
    """Write the monthly report of CITY: HTML with charts, its PDF, and one CSV per table."""
    if out.exists() and not out.is_dir():
        fail(f"{out} exists and is not a directory", code="report.bad_out")
    with db_session() as session:
        report = build_monthly_report(session, city_code=city, month=month)
    parent = out.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".cityloop-report-", dir=parent) as work:
        files, warning = write_report(report, Path(work), pdf=pdf)
        written = move_into(files, out)
    if warning:
        err_console.print(f"[yellow]warning[/]: {warning}", highlight=False, soft_wrap=True)
    h = report.headline
    console.print(
        f"city {city} · {month}: {h['reported']} cases, {h['closed']} closed, "
        f"on time {percent(h['on_time_rate'])} → {len(written)} files in {out}",
        highlight=False,
        soft_wrap=True,
    )
    for path in written:
        console.print(f"  {path}", highlight=False, soft_wrap=True)
