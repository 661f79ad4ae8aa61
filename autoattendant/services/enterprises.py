from __future__ import annotations

from django.db import transaction

from ..choices import EnterpriseStatus
from ..errors import Errors
from ..models import Enterprise


def do_create_enterprise(*, name: str, status: str = EnterpriseStatus.ACTIVE) -> Enterprise:
    return Enterprise.objects.create(name=name, status=status)


def do_update_enterprise(enterprise: Enterprise, changes: dict) -> Enterprise:
    for field, value in changes.items():
        setattr(enterprise, field, value)
    enterprise.save()
    return enterprise


def do_delete_enterprise(enterprise: Enterprise) -> Enterprise:
    """Soft delete: the enterprise and its users stay for history; its users can no longer
    log in (a user of an enterprise that is not ACTIVE is inactive).

    Refused while the enterprise still holds live phone numbers: releasing numbers is a
    deliberate operator step (it ends their billing).
    """
    with transaction.atomic():
        if enterprise.numbers.filter(date_deleted__isnull=True).exists():
            raise Errors.ENTERPRISE_IN_USE({"sid": enterprise.sid})
        enterprise.status = EnterpriseStatus.DELETED
        enterprise.save(update_fields=["status", "date_updated"])
    return enterprise
