"""Cold start to the sign-in window (issue 4: ≤ 1.5 s), measured from outside the desk.

    .venv/bin/python bench/ui_coldstart.py [--runs 10]

Each run spawns a fresh interpreter, offscreen, and takes the time from just before the spawn
to the moment the sign-in window has painted (``time.monotonic`` is one clock for every process
on Linux). That includes interpreter start, every import, the QApplication with font, language
and stylesheet, and the first paint — the honest number.

Two ways to start, both ``ui.app.main()``:

* ``probe``: ``python -c`` that runs ``ui.app.main()`` exactly as ``python -m ui`` does, with an
  application-wide event filter (added when ``build_application`` returns) that prints the time
  of the first Paint event of the sign-in window and ends the process;
* ``python -m ui``: the real command, unmodified; its end is the desk's own log line "sign-in
  window shown N ms after start" appearing in ``desk.log`` under the data folder (polled every
  2 ms). The N it reports is printed too — it is measured inside the process, so it leaves out
  interpreter start and the imports before ``main()``.

``first run``: a fresh HOME (no config, no data folder, no font cache of the user) every run.
``warm``: the same HOME again after one unmeasured start. The OS file cache is warm in both
(this benchmark cannot drop it); byte-code caches are the installed ones.
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _desk_harness import machine_note, pct, table  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

PROBE = r"""
import os, sys, time
print("STARTED", time.monotonic(), flush=True)
from PySide6.QtCore import QEvent, QObject
import ui.app as desk_app
from ui.signin import SignInWindow

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and hasattr(obj, "window") and isinstance(obj.window(), SignInWindow):
            print("PAINTED", time.monotonic(), flush=True)
            os._exit(0)
        return False

_build = desk_app.build_application
def build(argv, config):
    app = _build(argv, config)
    app._first_paint = FirstPaint()
    app.installEventFilter(app._first_paint)
    return app
desk_app.build_application = build
sys.argv = ["ui"]
sys.exit(desk_app.main())
"""

LOG_LINE = re.compile(r"sign-in window shown (\d+) ms after start")


def fresh_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "XDG_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return env


def run_probe(env: dict[str, str]) -> tuple[float, float]:
    """(spawn → sign-in window painted, spawn → interpreter running), seconds."""
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", PROBE], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, text=True, cwd=str(ROOT))
    started = painted = float("nan")
    assert proc.stdout is not None
    for line in proc.stdout:
        word, _, value = line.partition(" ")
        if word == "STARTED":
            started = float(value) - t0
        elif word == "PAINTED":
            painted = float(value) - t0
            break
    proc.wait(30)
    return painted, started


def run_module(env: dict[str, str], home: Path) -> tuple[float, float]:
    """(spawn → the desk's log line seen, the N ms the line reports), for ``python -m ui``."""
    log = home / ".local" / "share" / "hotline-desk" / "desk.log"
    before = log.read_text(encoding="utf-8") if log.exists() else ""
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "ui"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, cwd=str(ROOT))
    seen, reported = float("nan"), float("nan")
    try:
        while time.monotonic() - t0 < 30 and proc.poll() is None:
            if log.exists():
                found = LOG_LINE.search(log.read_text(encoding="utf-8")[len(before):])
                if found:
                    seen, reported = time.monotonic() - t0, float(found.group(1)) / 1000
                    break
            time.sleep(0.002)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return seen, reported


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="desk-cold-"))
    print(machine_note())
    results: dict[str, list[tuple[float, float]]] = {}
    for mode in ("first run", "warm"):
        for how in ("probe", "python -m ui"):
            warm_home = scratch / f"warm-{how.replace(' ', '_')}"
            out = []
            for i in range(args.runs + (1 if mode == "warm" else 0)):
                home = warm_home if mode == "warm" else scratch / f"fresh-{how.replace(' ', '_')}-{i}"
                home.mkdir(parents=True, exist_ok=True)
                env = fresh_env(home)
                r = run_probe(env) if how == "probe" else run_module(env, home)
                if mode == "warm" and i == 0:
                    continue  # the priming start
                out.append(r)
            results[f"{mode}|{how}"] = out
    rows = []
    for key, out in results.items():
        mode, how = key.split("|")
        ends = [a * 1000 for a, _ in out]
        aux = [b * 1000 for _, b in out]
        what = "spawn → sign-in painted" if how == "probe" else "spawn → log line"
        rows.append([mode, how, what, len(ends), pct(ends, .5), pct(ends, .9), max(ends),
                     pct(aux, .5) if how == "probe" else "—",
                     pct(aux, .5) if how != "probe" else "—"])
    print("\ncold start to the sign-in window (ms; target ≤ 1500)")
    print(table(rows, ["mode", "command", "measured", "runs", "p50", "p90", "max", "interpreter up (p50)",
                       "desk's own log number (p50)"]))


if __name__ == "__main__":
    main()
