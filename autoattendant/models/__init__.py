from .account import User, hash_token
from .announcement import Announcement
from .enterprise import Enterprise
from .menu import Menu, MenuKey
from .number import PhoneNumber
from .schedule import ScheduleBlock, ScheduleEntry
from .system import AutoAttendantSystem
from .usage import MonthlyUsage
from .voicemail import Mailbox, Voicemail

__all__ = [
    "Announcement",
    "AutoAttendantSystem",
    "Enterprise",
    "Mailbox",
    "Menu",
    "MenuKey",
    "MonthlyUsage",
    "PhoneNumber",
    "ScheduleBlock",
    "ScheduleEntry",
    "User",
    "Voicemail",
    "hash_token",
]
