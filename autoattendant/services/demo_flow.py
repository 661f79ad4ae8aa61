"""The demo enterprise's auto attendant: numbers, announcements, menus and schedule."""

from __future__ import annotations

from ..models import Enterprise, User


def build_demo_flow(enterprise: Enterprise, admin: User) -> None:
    """Filled in as the auto attendant's resources land; a no-op until then."""
