"""The demo enterprise the README's ``make demo`` serves. Idempotent: a second run finds what
the first created (by name and email) and only issues fresh auth tokens."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ..choices import Role
from ..models import Enterprise, User

DEMO_PASSWORD = "demo-Passw0rd!"  # noqa: S105 - printed for the local demo only
OPERATOR_EMAIL = "operator@demo.example"
ADMIN_EMAIL = "admin@smiles-dental.example"
AA_ADMIN_EMAIL = "frontdesk@smiles-dental.example"
ENTERPRISE_NAME = "Smiles Dental Clinic"


@dataclass
class DemoLogin:
    role: str
    email: str
    password: str
    account_sid: str
    auth_token: str


@dataclass
class Demo:
    enterprise: Enterprise
    logins: list[DemoLogin]


def _user(email: str, **fields) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        if fields.pop("superuser", False):
            user = User.objects.create_superuser(email=email, password=DEMO_PASSWORD, **fields)
        else:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, **fields)
    return user


@transaction.atomic
def do_load_demo() -> Demo:
    enterprise, _ = Enterprise.objects.get_or_create(name=ENTERPRISE_NAME)
    operator = _user(OPERATOR_EMAIL, superuser=True, name="Operator staff")
    admin = _user(
        ADMIN_EMAIL, enterprise=enterprise, role=Role.BG_ADMIN, name="Dana Admin",
        created_by=operator,
    )  # fmt: skip
    front = _user(
        AA_ADMIN_EMAIL, enterprise=enterprise, role=Role.AA_ADMIN, name="Frank Frontdesk",
        created_by=admin,
    )  # fmt: skip
    logins = []
    for label, user in (("superuser", operator), ("BG_ADMIN", admin), ("AA_ADMIN", front)):
        token = user.rotate_auth_token()
        user.save(update_fields=["auth_token_hash"])
        logins.append(DemoLogin(label, user.email, DEMO_PASSWORD, user.account_sid, token))
    from .demo_flow import build_demo_flow  # the auto attendant itself (menus, schedule…)
    from .flowversions import flow_change

    with flow_change(admin):  # the demo's flow is version 1, whatever it took to build
        build_demo_flow(enterprise, admin)
    from .demo_calls import generate_call_history  # a few weeks of calls to look at

    generate_call_history(enterprise)
    return Demo(enterprise=enterprise, logins=logins)
