"""Render every desk screen at 1366×768 and 1920×1080 into shots/ (offscreen, real data).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_screenshots.py [--out shots] [--language en]

The desk runs as ``python -m ui`` does (embedded SQLite, PBX simulator over TCP), signed in as
the demo shift lead (agent + shift lead: workbench, tickets and wallboard). A caller with earlier
tickets rings, so the pop shows a history; then every page, the settings dialog, the sign-in
window and the PBX-link-down state are grabbed.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ((1366, 768), (1920, 1080))
CALLER = "13907031234"


async def until(predicate, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        if loop.time() > end:
            raise TimeoutError(str(predicate))
        await asyncio.sleep(0.05)


def seed_history(core) -> None:
    from hotline_desk.domain import Category, IntakeForm

    actor = core.auth.sign_in("agent2", "demo-agent2")
    leaves = []
    for root in core.taxonomy.tree():
        stack = [root]
        while stack:
            node = stack.pop()
            if node.children:
                stack.extend(node.children)
            else:
                leaves.append(node)
    districts = core.reference.districts()
    matters = [("小区门口路灯已坏两周，夜间行人摔倒", "希望尽快修复路灯", Category.HELP, False),
               ("楼下烧烤店油烟直排进住户窗户", "希望责令安装油烟净化设备", Category.COMPLAINT, False),
               ("反映某单位负责人违规收受礼金", "希望纪检部门调查", Category.COMPLAINT, True)]
    for i, (narrative, request, category, confidential) in enumerate(matters):
        core.tickets.register(actor, IntakeForm(
            narrative=narrative, request=request, caller_phone=CALLER, category=category,
            subject_id=leaves[i * 7 % len(leaves)].id, district_code=districts[i % len(districts)].code,
            caller_name="张伟", confidential=confidential))


async def run(out: Path, language: str) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from ui.app import DeskApp
    from ui.config import DeskConfig

    config = DeskConfig(demo_calls_per_minute=0, language=language)
    app = QApplication.instance()
    desk = DeskApp(app, config, simulator_speed=5)
    desk.demo_first_call_s = None
    saved: list[Path] = []
    suffix = "" if language == "zh_CN" else f"-{language}"

    async def grab(widget, name: str, sizes=SIZES) -> None:
        for w, h in sizes:
            widget.resize(w, h)
            await asyncio.sleep(0.15)  # let the layouts settle (never processEvents() in a coroutine)
            path = out / f"{name}{suffix}-{w}x{h}.png"
            widget.grab().save(str(path))
            saved.append(path)

    desk.signin.show()
    await desk.prepare()
    await grab(desk.signin, "signin", sizes=((520, 640),))
    await asyncio.to_thread(seed_history, desk.core)
    desk.sign_in("shiftlead", "demo-shiftlead")
    await until(lambda: desk.session is not None and desk.session.bridge is not None)
    s = desk.session
    from telephony.events import AgentState

    await until(lambda: s.bridge.agent is not None and s.bridge.agent.state is AgentState.READY)
    win = s.window
    await grab(win, "workbench-idle")
    desk.simulator.place_call(CALLER, "张伟", "12345")
    await until(lambda: win.pop.history_rows.rowCount() >= 3)
    intake = win.intake
    intake.caller_name.setText("张伟")
    intake.narrative.setPlainText("小区门口路灯又坏了，上次反映后修好没几天")
    await grab(win, "workbench-ringing")
    desk.simulator.answer(s.phone.config.interface.split("/")[1].split("@")[0])
    await until(lambda: "通话中" in win.pop.title.text() or "On call" in win.pop.title.text())
    win.pop.accept()
    await asyncio.sleep(0.3)
    await grab(win, "workbench-accepted")
    win.show_page("tickets")
    await asyncio.sleep(1.0)
    await grab(win, "tickets")
    win.show_page("wallboard")
    desk.simulator.place_call("13607931111", "李娜", "12345")
    await asyncio.sleep(6.0)  # the monitor polls QueueStatus every few seconds
    await grab(win, "wallboard")
    win.show_page("workbench")
    desk.open_settings()
    await asyncio.sleep(0.3)
    dialog = desk._settings_dialog
    await grab(dialog, "settings", sizes=((720, 820),))
    dialog.reject()
    restart = asyncio.ensure_future(desk.simulator.shutdown_and_restart(downtime_s=8))
    await until(lambda: s.bridge.link is not None and s.bridge.link.state.value != "up")
    await asyncio.sleep(3.0)
    await grab(win, "link-down", sizes=((1366, 768),))
    await restart
    await desk.shutdown()
    return saved


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "shots"))
    parser.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="desk-shots-")
    os.environ["HOTLINE_DESK_CONFIG_DIR"] = f"{scratch}/config"
    os.environ["HOTLINE_DESK_DATA_DIR"] = f"{scratch}/data"
    import qasync

    from ui.app import build_application
    from ui.config import DeskConfig

    app = build_application([], DeskConfig(language=args.language))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        saved = loop.run_until_complete(run(out, args.language))
    for p in saved:
        print(p)


if __name__ == "__main__":
    main()
