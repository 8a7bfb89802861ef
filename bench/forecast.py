"""The 48-hour volume forecast benchmark on real Boston 2015 311 data (neighbourhood × subject).

    python bench/forecast.py [--data-dir DIR]

The model's knobs (`SeasonalModel` defaults) were chosen on origins in H1 only; the figure to
read is "h2": origins from 2015-07-01 on, which the choice never saw (history before each origin
is used, as it would be live). "year" runs every origin from week 8. MAPE is the weighted MAPE
of each series' 48-hour total; the naive is the same 48 hours one week earlier.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime
from pathlib import Path

from cityloop.analytics import backtest, boston_series

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    folder = args.data_dir / "boston311_2015"
    started = time.perf_counter()
    data = boston_series([folder / "boston311_2015_H1.csv", folder / "boston311_2015_H2.csv"])
    loaded = time.perf_counter()
    out = {
        "year": backtest(data),
        "h2": backtest(data, after=datetime.fromisoformat("2015-07-01T00:00:00-04:00")),
        "load_seconds": round(loaded - started, 2),
        "backtest_seconds": round(time.perf_counter() - loaded, 2),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
