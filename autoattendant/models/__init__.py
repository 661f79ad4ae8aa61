from .account import User, hash_token
from .announcement import Announcement
from .call import Call, CallBucket, CallStep, KeyPressBucket
from .enterprise import Enterprise
from .menu import Menu, MenuKey
from .number import PhoneNumber
from .schedule import ScheduleBlock, ScheduleEntry
from .system import AutoAttendantSystem
from .usage import MonthlyUsage

__all__ = [
    "Announcement",
    "AutoAttendantSystem",
    "Call",
    "CallBucket",
    "CallStep",
    "Enterprise",
    "KeyPressBucket",
    "Menu",
    "MenuKey",
    "MonthlyUsage",
    "PhoneNumber",
    "ScheduleBlock",
    "ScheduleEntry",
    "User",
    "hash_token",
]
