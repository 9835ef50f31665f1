"""`make bench`: every benchmark, one after the other, printing figures.

Set IFTE_BENCH_SIZES (e.g. "1000 5000") to choose the repository sizes of the
build benchmark; the default is 1,000, 5,000 and 20,000 entries. IFTE_BENCH_ADD_SIZES
does the same for adding an entry (`bench_add_entry.py`; default 1,000, 10,000 and
20,000).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    "bench_search.py",
    "bench_search_page.py",
    "bench_deploy.py",
    "bench_add_entry.py",
    "bench_build.py",
    "bench_stats.py",
]


def main() -> int:
    sizes = os.environ.get("IFTE_BENCH_SIZES", "").split()
    failed = []
    for name in BENCHES:
        script = HERE / name
        if not script.exists():
            continue
        print(f"\n######## {name} ########", flush=True)
        args = sizes if name == "bench_build.py" else []
        if subprocess.run([sys.executable, str(script), *args], cwd=HERE.parent).returncode:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
