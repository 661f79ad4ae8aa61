"""Every enumerated value the API speaks, in one place."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    BG_ADMIN = "BG_ADMIN", "Enterprise admin"
    AA_ADMIN = "AA_ADMIN", "Auto attendant admin"


class UserStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    SUSPENDED = "SUSPENDED", "Suspended"
    DELETED = "DELETED", "Deleted"


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    SUSPENDED = "SUSPENDED", "Suspended"
    DELETED = "DELETED", "Deleted"


class SystemStatus(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    SUSPENDED = "SUSPENDED", "Suspended"


class SystemLanguage(models.TextChoices):
    """The languages an AA system speaks its built-in phrases in (DESIGN §15); speech
    recognition listens in the matching ``xx-YY``."""

    EN = "en", "English"
    ES = "es", "Spanish"
    FR = "fr", "French"
    DE = "de", "German"
    IT = "it", "Italian"
    PT = "pt", "Portuguese"
    NL = "nl", "Dutch"


class AnnouncementType(models.TextChoices):
    SAY = "say", "Text to speech"
    PLAY = "play", "Audio file"


class Voice(models.TextChoices):
    MAN = "man", "Man"
    WOMAN = "woman", "Woman"


class ActionType(models.TextChoices):
    ANNOUNCEMENT_HANGUP = "ANNOUNCEMENT_HANGUP", "Play an announcement, then hang up"
    ANNOUNCEMENT_RETURN = "ANNOUNCEMENT_RETURN", "Play an announcement, then back to the menu"
    DIAL_BY_EXTENSION = "DIAL_BY_EXTENSION", "Dial by extension"
    DIAL_BY_NAME = "DIAL_BY_NAME", "Dial by name"
    GO_TO_MENU = "GO_TO_MENU", "Go to another menu"
    HANGUP = "HANGUP", "Hang up"
    REPLAY_MENU = "REPLAY_MENU", "Replay this menu"
    RETURN_TO_PREVIOUS_MENU = "RETURN_TO_PREVIOUS_MENU", "Return to the previous menu"
    TRANSFER_TO_PHONE = "TRANSFER_TO_PHONE", "Transfer to a phone number"
    VOICEMAIL = "VOICEMAIL", "Take a voicemail message"


# Which action types need which kind of actionData (see DESIGN §11 "Actions").
ACTIONS_NEEDING_ANNOUNCEMENT = {ActionType.ANNOUNCEMENT_HANGUP, ActionType.ANNOUNCEMENT_RETURN}
ACTIONS_WITH_OPTIONAL_ANNOUNCEMENT = {ActionType.DIAL_BY_EXTENSION, ActionType.DIAL_BY_NAME}
ACTIONS_NEEDING_MENU = {ActionType.GO_TO_MENU}
ACTIONS_NEEDING_NUMBER = {ActionType.TRANSFER_TO_PHONE}
ACTIONS_NEEDING_MAILBOX = {ActionType.VOICEMAIL}
# VOICEMAIL needs a mailbox sid of the enterprise (DESIGN §15).
# Every other action type (HANGUP, REPLAY_MENU, RETURN_TO_PREVIOUS_MENU) ignores actionData.


class ScheduleType(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    DATE_RANGE = "DATE_RANGE", "Special days"


MENU_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0")


class CallOutcome(models.TextChoices):
    """How a recorded call ended (DESIGN §13); the engine's ``callflow.engine.Outcome``."""

    TRANSFERRED = "TRANSFERRED", "Transferred"
    VOICEMAIL = "VOICEMAIL", "Voicemail"
    HUNG_UP_BY_FLOW = "HUNG_UP_BY_FLOW", "Hung up by the flow"
    CALLER_HUNG_UP = "CALLER_HUNG_UP", "Caller hung up"
    ERROR = "ERROR", "Error"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
