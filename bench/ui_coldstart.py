"""Cold start to the sign-in window (target ≤ 1.5 s), measured from process spawn.

    .venv/bin/python bench/ui_coldstart.py [--runs 7]

Each run starts a fresh interpreter that does what ``python -m ui`` does up to the sign-in
window (imports, config, QApplication with font/language/stylesheet, the DeskApp, show) and
prints when the window has been shown and the event loop turned once; the parent measures the
wall time from spawn to that line. Database and PBX start only after this point, as in the desk.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child() -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer

    from ui.app import DeskApp, build_application
    from ui.config import load_config

    config = load_config()
    app = build_application([sys.argv[0]], config)
    desk = DeskApp(app, config)
    desk.signin.show()

    def shown() -> None:
        heavy = [m for m in ("sqlalchemy", "telephony.desk", "hotline_desk.core", "panoramisk")
                 if m in sys.modules]
        print("SHOWN", ",".join(heavy), flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child()
        return
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = tempfile.mkdtemp(prefix="desk-cold-")
    env["HOTLINE_DESK_CONFIG_DIR"] = f"{scratch}/config"
    env["HOTLINE_DESK_DATA_DIR"] = f"{scratch}/data"
    times, heavy = [], ""
    for _ in range(args.runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "--child"], stdout=subprocess.PIPE, env=env, text=True)
        for line in proc.stdout:
            if line.startswith("SHOWN"):
                times.append(time.perf_counter() - t0)
                heavy = line.split(" ", 1)[1].strip() if " " in line else ""
                break
        proc.wait()
    times.sort()
    print(f"cold start to sign-in window over {len(times)} runs: median {statistics.median(times)*1000:.0f} ms, "
          f"max {times[-1]*1000:.0f} ms (target ≤ 1500 ms)")
    print(f"heavy modules already imported when the window showed: {heavy or 'none'}")


if __name__ == "__main__":
    main()
