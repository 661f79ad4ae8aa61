from .account import User, hash_token
from .announcement import Announcement
from .audit import AuditEntry
from .calendar import HolidayCalendar, HolidayEntry, SystemHolidayCalendar
from .call import Call, CallBucket, CallStep, KeyPressBucket
from .enterprise import Enterprise
from .flowhistory import FlowTest, FlowVersion
from .menu import Menu, MenuKey
from .number import PhoneNumber
from .schedule import ScheduleBlock, ScheduleEntry
from .system import AutoAttendantSystem
from .usage import MonthlyUsage
from .voicemail import Mailbox, Voicemail

__all__ = [
    "Announcement",
    "AuditEntry",
    "AutoAttendantSystem",
    "Call",
    "CallBucket",
    "CallStep",
    "Enterprise",
    "FlowTest",
    "FlowVersion",
    "HolidayCalendar",
    "HolidayEntry",
    "KeyPressBucket",
    "Mailbox",
    "Menu",
    "MenuKey",
    "MonthlyUsage",
    "PhoneNumber",
    "ScheduleBlock",
    "ScheduleEntry",
    "SystemHolidayCalendar",
    "User",
    "Voicemail",
    "hash_token",
]
