"""``hotline-desk`` — administer the ticket core from a shell.

    hotline-desk upgrade                      # create / migrate the database
    hotline-desk seed-demo                    # districts, taxonomy, units, reasons, demo staff
    hotline-desk staff add wang --name 王芳 --roles agent,callback   (password: prompt or $HOTLINE_NEW_PASSWORD)
    hotline-desk staff disable wang | passwd wang | list
    hotline-desk units load units.json        # taxonomy load taxonomy.json
    hotline-desk holidays add 2027-01-01 --note 元旦 ; holidays workday 2027-02-07 ; holidays complete 2027
    hotline-desk ticket show SR20261125-00042 --user supervisor
    hotline-desk ticket list --text 噪音 --overdue --user agent1
    hotline-desk walkthrough                  # one demo ticket from registration to closing

The database is ``--db URL``, else $HOTLINE_DB_URL, else SQLite in the user's data folder; a
PostgreSQL password may come from $HOTLINE_DB_PASSWORD. Commands that act as a staff member sign
in with ``--user`` and the password from $HOTLINE_PASSWORD or a prompt. Administrative commands
run as the local administrator (whoever can reach the database can change it anyway).
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from hotline_desk.core import Core
from hotline_desk.domain import (
    Actor, Category, DispatchMode, DispatchOrder, IntakeForm, ReplyMethod, Role, Satisfaction,
    Status, TicketQuery,
)
from hotline_desk.errors import DeskError
from hotline_desk.synth import register_cli as register_generate

#: The local administrator the admin commands act as (not a row in ``staff``).
CLI_ADMIN = Actor(staff_id=0, username="cli", display_name="命令行管理员", roles=frozenset({Role.ADMIN}),
                  desk_id="cli")

# Subcommands other modules contribute: each registrar gets the subparsers object and adds its
# commands with ``set_defaults(func=...)`` (func(core, args) -> int). The synthetic-data
# generator (hotline_desk.synth) registers ``generate`` here.
EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []
EXTENSIONS.append(register_generate)


def _password(prompt: str, env: str) -> str:
    if os.environ.get(env):
        return os.environ[env]
    return getpass.getpass(prompt)


def _sign_in(core: Core, args: argparse.Namespace) -> Actor:
    return core.auth.sign_in(args.user, _password(f"{args.user} 的密码: ", "HOTLINE_PASSWORD"))


def cmd_upgrade(core: Core, args: argparse.Namespace) -> int:
    core.upgrade()
    print(f"数据库已升级到最新版本（{core.schema_revision()}）：{core.engine.url.render_as_string()}")
    return 0


def cmd_seed_demo(core: Core, args: argparse.Namespace) -> int:
    core.upgrade()
    counts = core.seed_demo()
    print("已载入演示数据：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def cmd_staff_add(core: Core, args: argparse.Namespace) -> int:
    unit_id = None
    if args.unit:
        matches = [u for u in core.units.list(active_only=False) if u.name == args.unit
                   or str(u.id) == args.unit]
        if not matches:
            print(f"找不到单位：{args.unit}", file=sys.stderr)
            return 2
        unit_id = matches[0].id
    password = _password("新账号的密码: ", "HOTLINE_NEW_PASSWORD")
    info = core.staff.create(CLI_ADMIN, args.username, args.name, password,
                             [r.strip() for r in args.roles.split(",") if r.strip()], unit_id)
    print(f"已创建账号 {info.username}（{info.display_name}）："
          + "、".join(sorted(r.label_zh for r in info.roles)))
    return 0


def cmd_staff_disable(core: Core, args: argparse.Namespace) -> int:
    info = core.staff.by_username(args.username)
    core.staff.disable(CLI_ADMIN, info.id, active=args.enable)
    print(f"账号 {info.username} 已{'启用' if args.enable else '停用'}")
    return 0


def cmd_staff_passwd(core: Core, args: argparse.Namespace) -> int:
    info = core.staff.by_username(args.username)
    core.staff.set_password(CLI_ADMIN, info.id, _password("新密码: ", "HOTLINE_NEW_PASSWORD"))
    print(f"账号 {info.username} 的密码已修改")
    return 0


def cmd_staff_list(core: Core, args: argparse.Namespace) -> int:
    for s in core.staff.list(CLI_ADMIN):
        roles = "、".join(sorted(r.label_zh for r in s.roles))
        print(f"{s.id:>4}  {s.username:<14} {s.display_name:<8} {'启用' if s.active else '停用'}  {roles}")
    return 0


def _load_json(path: str, key: str) -> list:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data[key] if isinstance(data, dict) else data


def cmd_units_load(core: Core, args: argparse.Namespace) -> int:
    n = core.units.load(CLI_ADMIN, _load_json(args.file, "units"))
    print(f"已载入 {n} 个承办单位")
    return 0


def cmd_taxonomy_load(core: Core, args: argparse.Namespace) -> int:
    n = core.taxonomy.load(CLI_ADMIN, _load_json(args.file, "subjects"))
    print(f"已载入 {n} 个诉求分类")
    return 0


def cmd_holidays_add(core: Core, args: argparse.Namespace) -> int:
    day = date.fromisoformat(args.day)
    core.calendar.add_holiday(CLI_ADMIN, day, is_workday=args.workday, note=args.note)
    print(f"{day.isoformat()} 已登记为{'调休上班日' if args.workday else '节假日'}")
    return 0


def cmd_holidays_complete(core: Core, args: argparse.Namespace) -> int:
    core.calendar.mark_year_complete(CLI_ADMIN, args.year)
    print(f"{args.year} 年的节假日安排已标记为完整，可用于计算期限")
    return 0


def cmd_holidays_list(core: Core, args: argparse.Namespace) -> int:
    for day, workday in sorted(core.calendar.holidays(args.year).items()):
        print(f"{day.isoformat()}  {'调休上班' if workday else '放假'}")
    known = core.calendar.calendar.known(args.year)
    print(f"{args.year} 年：{'已知，可计算期限' if known else '未知（补录后请执行 holidays complete）'}")
    return 0


def cmd_ticket_show(core: Core, args: argparse.Namespace) -> int:
    actor = _sign_in(core, args)
    v = core.tickets.get_by_number(actor, args.number)
    print(f"{v.number}  {v.status.label_zh}  版本{v.version}")
    if v.restricted:
        print("（保密工单，您无权查看内容）")
        return 0
    print(f"类别：{v.category.label_zh if v.category else ''}  分类：{v.subject_path}")
    print(f"来电人：{v.caller_name} {v.caller_phone}  地点：{v.district_name}{v.township}{v.address}")
    print(f"事件经过：{v.narrative}\n诉求事项：{v.request}")
    for u in v.units:
        print(f"{u.role.label_zh}：{u.unit_name}（{u.contact_person} {u.contact_phone}）")
    if v.due_date:
        flag = "【已超期】" if v.overdue else ("【即将到期】" if v.due_soon else "")
        print(f"办理期限：{v.due_date.isoformat()}（{v.working_days}个工作日）{flag}")
    print("—— 时间线 ——")
    for e in core.tickets.timeline(actor, v.id):
        print(f"{e.at.astimezone(_shanghai()):%Y-%m-%d %H:%M}  {e.action_zh:<6} {e.staff_name}：{e.text}")
    return 0


def _shanghai():  # type: ignore[no-untyped-def]
    from hotline_desk.store.types import SHANGHAI

    return SHANGHAI


def cmd_ticket_list(core: Core, args: argparse.Namespace) -> int:
    actor = _sign_in(core, args)
    query = TicketQuery(text=args.text or "", phone=args.phone or "",
                        statuses=frozenset(Status(s) for s in args.status) if args.status else frozenset(),
                        overdue=args.overdue, due_soon=args.due_soon)
    page = core.search.find(actor, query, page_size=args.limit)
    for t in page.items:
        flag = "超期" if t.overdue else ("将到期" if t.due_soon else "")
        print(f"{t.number}  {t.status.label_zh:<5} {t.registered_at.astimezone(_shanghai()):%m-%d %H:%M} "
              f"{t.caller_phone:<13} {t.title}  {flag}")
    print(f"共显示 {len(page.items)} 条" + ("（还有更多）" if page.next_cursor else ""))
    return 0


def cmd_walkthrough(core: Core, args: argparse.Namespace) -> int:
    """One ticket through the whole workflow with the demo accounts, printing each step."""
    core.upgrade()
    core.seed_demo()
    agent = core.auth.sign_in("agent3", "demo-agent3")
    liaison = core.auth.sign_in("liaison", "demo-liaison")
    supervisor = core.auth.sign_in("supervisor", "demo-supervisor")
    callback = core.auth.sign_in("callback", "demo-callback")
    subject = core.taxonomy.search("物业管理")[0]
    district = core.reference.districts()[0]
    unit = next(u for u in core.units.list() if u.id == liaison.unit_id)
    v = core.tickets.register(agent, IntakeForm(
        narrative="小区物业长期不清理楼道垃圾，夏天气味很大，多次反映给物业无果。",
        request="请督促物业公司及时清理楼道垃圾。", caller_phone="+86 139 0703 1234",
        caller_name="张先生", category=Category.COMPLAINT, subject_id=subject.id,
        district_code=district.code, township=district.townships[0], address="书院路12号3栋"))
    print(f"1 登记    {v.number}（{agent.display_name}）")
    r = core.tickets.dispatch(agent, v.id, v.version, DispatchOrder(DispatchMode.DIRECT, unit.id))
    print(f"2 转办    {unit.name}，期限 {r.due_date}（{r.working_days}个工作日）\n  告知：{r.notice_text}")
    v = core.tickets.acknowledge(liaison, v.id, r.ticket.version)
    print(f"3 签收    {liaison.display_name}")
    v = core.tickets.reply(liaison, v.id, v.version, ReplyMethod.ONLINE,
                           "已约谈物业公司负责人", "物业已清理楼道并每日保洁")
    print("4 答复    网络反馈")
    v = core.tickets.review_reply(supervisor, v.id, v.version, approve=True)
    print(f"5 审核    通过，回访期限 {v.callback_due}")
    v = core.tickets.record_callback(callback, v.id, v.version, Satisfaction.SATISFIED)
    print(f"6 回访    满意 → {v.status.label_zh}")
    args.number, args.user = v.number, "supervisor"
    os.environ.setdefault("HOTLINE_PASSWORD", "demo-supervisor")
    return cmd_ticket_show(core, args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hotline-desk", description="上饶市长热线工单核心 — 管理命令")
    p.add_argument("--db", help="数据库 URL（默认 $HOTLINE_DB_URL 或用户数据目录中的 SQLite）")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("upgrade", help="创建或升级数据库结构").set_defaults(func=cmd_upgrade)
    sub.add_parser("seed-demo", help="载入区划、分类、单位、不予受理原因和演示账号").set_defaults(func=cmd_seed_demo)
    sub.add_parser("walkthrough", help="演示：一张工单从登记到办结").set_defaults(func=cmd_walkthrough)

    staff = sub.add_parser("staff", help="账号管理").add_subparsers(dest="staff_cmd", required=True)
    a = staff.add_parser("add", help="新建账号")
    a.add_argument("username")
    a.add_argument("--name", required=True, help="姓名")
    a.add_argument("--roles", required=True, help="角色，逗号分隔：" + ",".join(r.value for r in Role))
    a.add_argument("--unit", help="承办单位联络员所属单位（名称或编号）")
    a.set_defaults(func=cmd_staff_add)
    d = staff.add_parser("disable", help="停用账号")
    d.add_argument("username")
    d.add_argument("--enable", action="store_true", help="重新启用")
    d.set_defaults(func=cmd_staff_disable)
    pw = staff.add_parser("passwd", help="修改密码")
    pw.add_argument("username")
    pw.set_defaults(func=cmd_staff_passwd)
    staff.add_parser("list", help="列出账号").set_defaults(func=cmd_staff_list)

    units = sub.add_parser("units", help="单位名录").add_subparsers(dest="units_cmd", required=True)
    ul = units.add_parser("load", help="从 JSON 载入单位名录（resources/units.json 格式）")
    ul.add_argument("file")
    ul.set_defaults(func=cmd_units_load)
    tax = sub.add_parser("taxonomy", help="诉求分类").add_subparsers(dest="tax_cmd", required=True)
    tl = tax.add_parser("load", help="从 JSON 载入诉求分类（resources/taxonomy.json 格式）")
    tl.add_argument("file")
    tl.set_defaults(func=cmd_taxonomy_load)

    hol = sub.add_parser("holidays", help="节假日表").add_subparsers(dest="hol_cmd", required=True)
    ha = hol.add_parser("add", help="登记一个放假日（--workday：调休上班日）")
    ha.add_argument("day", help="YYYY-MM-DD")
    ha.add_argument("--workday", action="store_true")
    ha.add_argument("--note", default="")
    ha.set_defaults(func=cmd_holidays_add)
    hc = hol.add_parser("complete", help="标记某年的安排已全部录入")
    hc.add_argument("year", type=int)
    hc.set_defaults(func=cmd_holidays_complete)
    hl = hol.add_parser("list", help="列出某年登记的日期")
    hl.add_argument("year", type=int)
    hl.set_defaults(func=cmd_holidays_list)

    ticket = sub.add_parser("ticket", help="工单").add_subparsers(dest="ticket_cmd", required=True)
    ts = ticket.add_parser("show", help="显示工单及时间线")
    ts.add_argument("number")
    ts.add_argument("--user", required=True, help="以此账号查看（密码：$HOTLINE_PASSWORD 或提示输入）")
    ts.set_defaults(func=cmd_ticket_show)
    tl2 = ticket.add_parser("list", help="查询工单")
    tl2.add_argument("--user", required=True)
    tl2.add_argument("--text")
    tl2.add_argument("--phone")
    tl2.add_argument("--status", action="append", choices=[s.value for s in Status])
    tl2.add_argument("--overdue", action="store_true")
    tl2.add_argument("--due-soon", action="store_true")
    tl2.add_argument("--limit", type=int, default=20)
    tl2.set_defaults(func=cmd_ticket_list)

    for register in EXTENSIONS:
        register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    core = Core.open(args.db, desk_id="cli")
    try:
        return int(args.func(core, args) or 0)
    except DeskError as e:
        print(f"错误：{e}", file=sys.stderr)
        if getattr(e, "field_errors", None):
            for field, msg in e.field_errors.items():
                print(f"  {field}: {msg}", file=sys.stderr)
        return 1
    finally:
        core.close()


if __name__ == "__main__":
    sys.exit(main())
