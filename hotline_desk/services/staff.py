"""Staff accounts: sign-in with argon2id password hashes, roles, disabling an account."""
from __future__ import annotations

from typing import Iterable

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from hotline_desk.domain import Actor, Role, StaffInfo
from hotline_desk.errors import AuthError, NotFound, PermissionDenied, ValidationError
from hotline_desk.services import access
from hotline_desk.services.context import ServiceContext
from hotline_desk.store import models as m

MIN_PASSWORD = 8


def fast_hasher() -> PasswordHasher:
    """Cheap argon2 parameters for test suites only (production uses argon2-cffi's defaults)."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def _roles(raw: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in raw.split(",") if r)


def _info(row: m.Staff) -> StaffInfo:
    return StaffInfo(row.id, row.username, row.display_name, _roles(row.roles), row.unit_id,
                     row.active)


def _validate(username: str, display_name: str, password: str | None, roles: Iterable[Role | str],
              unit_id: int | None) -> tuple[str, str, list[Role]]:
    errors: dict[str, str] = {}
    username = (username or "").strip()
    display_name = (display_name or "").strip()
    if not username or len(username) > 50 or not username.replace("-", "").replace("_", "") \
            .replace(".", "").isalnum():
        errors["username"] = "用户名须为1–50位字母、数字、点、横线或下划线"
    if not display_name or len(display_name) > 50:
        errors["display_name"] = "请填写姓名（最多50字）"
    if password is not None and len(password) < MIN_PASSWORD:
        errors["password"] = f"密码至少{MIN_PASSWORD}位"
    parsed: list[Role] = []
    for r in roles:
        try:
            parsed.append(Role(r))
        except ValueError:
            errors["roles"] = f"未知角色：{r}"
    if not parsed:
        errors.setdefault("roles", "至少选择一个角色")
    if Role.UNIT_LIAISON in parsed and unit_id is None:
        errors["unit_id"] = "承办单位联络员须指定所属单位"
    if errors:
        raise ValidationError(field_errors=errors)
    return username, display_name, parsed


def create_staff(s: Session, hasher: PasswordHasher, *, username: str, display_name: str,
                 password: str, roles: Iterable[Role | str], unit_id: int | None = None) -> m.Staff:
    username, display_name, parsed = _validate(username, display_name, password, roles, unit_id)
    if s.scalar(sa.select(m.Staff.id).where(m.Staff.username == username)) is not None:
        raise ValidationError(field_errors={"username": f"用户名{username}已存在"})
    if unit_id is not None and s.get(m.Unit, unit_id) is None:
        raise ValidationError(field_errors={"unit_id": "所属单位不存在"})
    row = m.Staff(username=username, display_name=display_name,
                  password_hash=hasher.hash(password), roles=",".join(r.value for r in parsed),
                  unit_id=unit_id, active=True)
    s.add(row)
    s.flush()
    return row


class AuthService:
    def __init__(self, ctx: ServiceContext, hasher: PasswordHasher) -> None:
        self._ctx = ctx
        self._hasher = hasher

    def sign_in(self, username: str, password: str, desk_id: str | None = None) -> Actor:
        """The staff member as an Actor for this desk; AuthError for any failure."""
        with self._ctx.uow.session() as s:
            row = s.scalar(sa.select(m.Staff).where(m.Staff.username == (username or "").strip()))
            if row is None:
                raise AuthError()
            try:
                self._hasher.verify(row.password_hash, password or "")
            except (VerificationError, InvalidHashError):
                raise AuthError() from None
            if not row.active:
                raise AuthError("该账号已停用，请联系管理员", "account disabled", code="disabled")
            needs_rehash = self._hasher.check_needs_rehash(row.password_hash)
            actor = Actor(row.id, row.username, row.display_name, _roles(row.roles), row.unit_id,
                          desk_id if desk_id is not None else self._ctx.desk_id)
        if needs_rehash:
            with self._ctx.uow.session(write=True) as s:
                s.execute(sa.update(m.Staff).where(m.Staff.id == actor.staff_id)
                          .values(password_hash=self._hasher.hash(password)))
                s.commit()
        return actor


class StaffService:
    def __init__(self, ctx: ServiceContext, hasher: PasswordHasher) -> None:
        self._ctx = ctx
        self._hasher = hasher

    def create(self, actor: Actor, username: str, display_name: str, password: str,
               roles: Iterable[Role | str], unit_id: int | None = None) -> StaffInfo:
        access.require(actor, access.ADMIN, "创建账号")
        with self._ctx.uow.session(write=True) as s:
            row = create_staff(s, self._hasher, username=username, display_name=display_name,
                               password=password, roles=roles, unit_id=unit_id)
            s.commit()
            return _info(row)

    def set_roles(self, actor: Actor, staff_id: int, roles: Iterable[Role | str],
                  unit_id: int | None = None) -> StaffInfo:
        access.require(actor, access.ADMIN, "修改角色")
        with self._ctx.uow.session(write=True) as s:
            row = self._get(s, staff_id)
            _, _, parsed = _validate(row.username, row.display_name, None, roles, unit_id)
            row.roles = ",".join(r.value for r in parsed)
            row.unit_id = unit_id
            s.commit()
            return _info(row)

    def disable(self, actor: Actor, staff_id: int, active: bool = False) -> StaffInfo:
        """Disable (or, with ``active=True``, re-enable) an account; a disabled one cannot sign in."""
        access.require(actor, access.ADMIN, "停用账号")
        if staff_id == actor.staff_id and not active:
            raise ValidationError("不能停用自己的账号", "cannot disable yourself")
        with self._ctx.uow.session(write=True) as s:
            row = self._get(s, staff_id)
            row.active = active
            s.commit()
            return _info(row)

    def set_password(self, actor: Actor, staff_id: int, new_password: str) -> None:
        """An admin sets anyone's password; everyone may change their own."""
        if staff_id != actor.staff_id and not actor.roles & access.ADMIN:
            raise PermissionDenied("只能修改自己的密码", "may only change your own password")
        if len(new_password or "") < MIN_PASSWORD:
            raise ValidationError(field_errors={"password": f"密码至少{MIN_PASSWORD}位"})
        with self._ctx.uow.session(write=True) as s:
            row = self._get(s, staff_id)
            row.password_hash = self._hasher.hash(new_password)
            s.commit()

    def list(self, actor: Actor) -> list[StaffInfo]:
        access.require(actor, access.ADMIN | {Role.SHIFT_LEAD}, "查看账号列表")
        with self._ctx.uow.session() as s:
            return [_info(r) for r in s.scalars(sa.select(m.Staff).order_by(m.Staff.id))]

    def by_username(self, username: str) -> StaffInfo:
        with self._ctx.uow.session() as s:
            row = s.scalar(sa.select(m.Staff).where(m.Staff.username == username))
            if row is None:
                raise NotFound(f"账号不存在：{username}", f"no staff {username}")
            return _info(row)

    @staticmethod
    def _get(s: Session, staff_id: int) -> m.Staff:
        row = s.get(m.Staff, staff_id)
        if row is None:
            raise NotFound(f"账号不存在（编号{staff_id}）", f"no staff {staff_id}")
        return row
