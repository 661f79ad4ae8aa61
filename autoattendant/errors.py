"""The error-code registry and the one exception family every layer raises.

Codes below 600 are the original API's own (spec) and keep its messages; 600 and up are this
project's. ``docs/errors.md`` and the OpenAPI schema list the same table (a test keeps them in
step).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ErrorCode:
    code: int
    http_status: int
    message: str
    when: str

    def __call__(self, data: Any = None, message: str | None = None) -> AppError:
        """``raise Errors.MENU_NOT_FOUND({"sid": sid})`` reads as the situation it is."""
        return AppError(self, data=data, message=message)


class AppError(Exception):
    """A documented error: rendered as ``{"errorCode", "message", "data"}`` with its status."""

    def __init__(self, error: ErrorCode, data: Any = None, message: str | None = None):
        self.error = error
        self.data = {} if data is None else data
        self.message = message or error.message
        super().__init__(f"{error.code} {self.message}")

    @property
    def error_code(self) -> int:
        return self.error.code

    def rename_fields(self, names: Mapping[str, str]) -> AppError:
        """Rename the fields ``data`` names (``names``: old name → new name), in place.

        Services name fields as the models do (``timeout_seconds``, ``keys[0].action``); a caller
        speaking other names — the API's camelCase — renames them before showing the error.
        """
        self.data = rename_fields(self.data, names)
        return self

    @property
    def http_status(self) -> int:
        return self.error.http_status


class Errors:
    # --- The original API's codes (HTTP 409) -----------------------------------------------
    ENTERPRISE_NOT_FOUND = ErrorCode(
        467, 409, "Enterprise not found", "The enterprise named does not exist or is not yours."
    )
    USER_NOT_UNIQUE = ErrorCode(
        484, 409, "supportUser not unique", "A user with this emailId exists in the enterprise."
    )
    USER_NOT_FOUND = ErrorCode(
        487, 409, "Auto Attendant user Id not found", "The user sid names no visible user."
    )
    SYSTEM_NOT_FOUND = ErrorCode(
        490,
        409,
        "AutoAttendant System not found",
        "The AA system sid names no visible system, or a number has no AA system.",
    )
    NUMBER_NOT_FOUND = ErrorCode(
        491, 409, "PhoneNumber not found", "The phone number (or its sid) names no visible number."
    )
    NOT_AN_EXTENSION = ErrorCode(
        493,
        409,
        "PhoneNumber is not an Extension number",
        "An AA system's extensions must be numbers flagged as extensions.",
    )
    NO_SCHEDULE_ENTRY = ErrorCode(
        498,
        409,
        "No Schedule entry found for Auto Attendant system",
        "No schedule entry (and no default menu) covers the moment asked about.",
    )
    ACCOUNT_CREATION_FAILED = ErrorCode(
        499,
        409,
        "Error in creating an account in CPaaS",
        "The password does not meet the password policy.",
    )
    ANNOUNCEMENT_NOT_FOUND = ErrorCode(
        500, 409, "Announcement not found", "The announcement sid names no visible announcement."
    )
    MENU_NOT_FOUND = ErrorCode(
        502, 409, "Menu not found", "The menu sid names no visible menu (of that AA system)."
    )
    UPLOAD_FAILED = ErrorCode(
        504,
        409,
        "Error in uploading audio file",
        "The upload is not a valid PCM WAV file, or it could not be stored.",
    )
    ACCOUNT_OF_OTHER_ADMIN = ErrorCode(
        505,
        409,
        "CPaaS account belongs to a different Admin account",
        "The emailId is already used by a user of another enterprise.",
    )
    MENU_IN_SCHEDULE = ErrorCode(
        506,
        409,
        "This menu cannot be deleted as it is being used in a schedule.",
        "Deleting a menu that a schedule block uses.",
    )
    ANNOUNCEMENT_IN_MENU = ErrorCode(
        507,
        409,
        "This Announcement cannot be deleted as it is being used in a menu.",
        "Deleting an announcement that is a menu's announcement or ringback tone.",
    )
    MENU_HAS_ANNOUNCEMENT = ErrorCode(
        509,
        409,
        "This menu cannot be deleted as it has announcements assigned to it.",
        "Deleting a menu that still has an announcementSid assigned.",
    )
    SAY_PARAMETERS_MISSING = ErrorCode(
        519,
        409,
        "Say Required Parameters Missing",
        "A say announcement needs body, language and voice.",
    )
    ANNOUNCEMENT_TYPE_NOT_FOUND = ErrorCode(
        520, 409, "Announcement Type Not Found", "Announcement type is neither say nor play."
    )
    LANGUAGE_NOT_FOUND = ErrorCode(
        521, 409, "Announcement Language Not Found", "Announcement language is not supported."
    )
    VOICE_NOT_FOUND = ErrorCode(
        522,
        409,
        "Announcement Voice Not Found",
        "Announcement Voice types can be Man/Woman. Leave Blank to use default.",
    )
    ANNOUNCEMENT_IN_ACTION = ErrorCode(
        523,
        409,
        "Announcement cannot be deleted as it is assigned to an action in a menu.",
        "Deleting an announcement used by a key, timeout, invalid-input or extension action.",
    )

    # --- The project's own codes -------------------------------------------------------------
    VALIDATION = ErrorCode(
        600,
        400,
        "Invalid request",
        "A field is missing or has the wrong form (a NUL byte in the path or the body included); "
        "data names each.",
    )
    MALFORMED_JSON = ErrorCode(
        601,
        400,
        "Malformed JSON body",
        "The body is not valid JSON, or nests objects and arrays more than 32 levels deep.",
    )
    NOT_AUTHENTICATED = ErrorCode(
        602,
        401,
        "Authentication required",
        "No or wrong HTTP Basic credentials, or the user is suspended or deleted.",
    )
    FORBIDDEN = ErrorCode(
        603,
        403,
        "You do not have permission to perform this action",
        "The caller's role may not do this.",
    )
    ROUTE_NOT_FOUND = ErrorCode(604, 404, "Resource not found", "No such route.")
    METHOD_NOT_ALLOWED = ErrorCode(
        605, 405, "Method not allowed", "The route exists but not for this HTTP method."
    )
    TOO_LARGE = ErrorCode(
        606,
        413,
        "Request too large",
        "The body or file exceeds the limit, or the request has too many fields or files "
        "(data names the limit).",
    )
    UNSUPPORTED_MEDIA_TYPE = ErrorCode(
        607, 415, "Unsupported media type", "Send JSON (or multipart/form-data for uploads)."
    )
    THROTTLED = ErrorCode(
        608, 429, "Too many requests", "Too many failed logins; retry after Retry-After seconds."
    )
    SERVER_ERROR = ErrorCode(
        609, 500, "Internal server error", "An unexpected failure; it has been logged."
    )
    INVALID_PAGING = ErrorCode(
        610, 400, "Invalid paging parameter", "page/pageSize not a non-negative integer."
    )
    INVALID_SORT = ErrorCode(
        611, 400, "Invalid SortBy parameter", "Unknown sort attribute or direction."
    )
    INVALID_FILTER = ErrorCode(
        612,
        400,
        "Invalid filter parameter",
        "A filter or other query parameter has the wrong form (a NUL byte, a date out of range).",
    )
    DUPLICATE_MENU_KEY = ErrorCode(
        613, 409, "Menu key used more than once", "Two entries of keys use the same menuKey."
    )
    MENU_IS_TARGET = ErrorCode(
        614,
        409,
        "This menu cannot be deleted as another menu or the AA system refers to it.",
        "Deleting a menu that is another menu's GO_TO_MENU target or a system's default menu.",
    )
    SCHEDULE_OVERLAP = ErrorCode(
        615,
        409,
        "Schedule entries overlap",
        "Entries of different menus overlap in one schedule type.",
    )
    DATE_RANGE_OVERLAP = ErrorCode(
        616, 409, "Special days overlap", "Two DATE_RANGE blocks overlap in dates and times."
    )
    NUMBER_EXISTS = ErrorCode(
        617, 409, "PhoneNumber already exists", "A live phone number with these digits exists."
    )
    EXTENSION_EXISTS = ErrorCode(
        618, 409, "Extension already exists", "The enterprise already has this extension code."
    )
    NUMBER_ON_OTHER_SYSTEM = ErrorCode(
        619,
        409,
        "PhoneNumber is assigned to another Auto Attendant system",
        "A main number belongs to one AA system; unassign it there first.",
    )
    ENTERPRISE_IN_USE = ErrorCode(
        620,
        409,
        "Enterprise still has live phone numbers",
        "Release an enterprise's phone numbers before deleting it.",
    )
    INVALID_CALL_STATE = ErrorCode(
        621,
        403,
        "Invalid call state signature",
        "A call-flow continuation whose state is missing or forged.",
    )
    NOT_ACCEPTABLE = ErrorCode(622, 406, "Not acceptable", "The Accept header cannot be met.")
    EXTENSION_AS_MAIN_NUMBER = ErrorCode(
        623,
        409,
        "An extension cannot be an Auto Attendant number",
        "A number flagged isExtension named as a system's main number, or a main number "
        "flagged isExtension while still assigned.",
    )
    MALFORMED_MULTIPART = ErrorCode(
        624,
        400,
        "Unreadable multipart body",
        "The multipart/form-data body cannot be read; data says why (e.g. a part's headers, "
        "its file name included, over 1024 bytes).",
    )
    UNKNOWN_QUERY_PARAMETER = ErrorCode(
        625,
        400,
        "Unknown query parameter",
        "The query string names a parameter the operation does not take (a misspelt filter, "
        "pageSize as pagesize); data names each with the ones the operation takes.",
    )
    # --- business-hours control (DESIGN §14) ----------------------------------------------------
    CALENDAR_NOT_FOUND = ErrorCode(
        660,
        409,
        "Holiday calendar not found",
        "The holiday calendar sid names no visible calendar.",
    )
    CALENDAR_IN_USE = ErrorCode(
        661,
        409,
        "Holiday calendar is in use",
        "Deleting a holiday calendar that AA systems still link; data names them.",
    )

    # --- Safe changes (DESIGN §16) ----------------------------------------------------------
    FLOW_TESTS_FAILED = ErrorCode(
        670,
        409,
        "The change breaks flow tests",
        "A change to an AA system's flow makes flow tests that passed fail; data lists each "
        "failing test with its failures and transcript. Send it again with ?force=true to save "
        "it anyway.",
    )
    VERSION_NOT_FOUND = ErrorCode(
        671, 409, "Flow version not found", "The AA system has no flow version with that number."
    )
    RESTORE_IMPOSSIBLE = ErrorCode(
        672,
        409,
        "The version cannot be restored",
        "The flow version refers to announcements or extension numbers that no longer exist; "
        "data names them.",
    )
    FLOW_TEST_NOT_FOUND = ErrorCode(
        673, 409, "Flow test not found", "The flow test sid names no test of that AA system."
    )

    # --- Voicemail (DESIGN §15) ---------------------------------------------------------------
    MAILBOX_NOT_FOUND = ErrorCode(
        680,
        409,
        "Mailbox not found",
        "The mailbox sid names no mailbox of the caller's enterprise.",
    )
    MAILBOX_IN_USE = ErrorCode(
        681,
        409,
        "Mailbox is used by an action",
        "The mailbox is the target of a VOICEMAIL action (a menu key, a menu's or a system's "
        "timeout, invalid-input, invalid-extension or dial-failure action); data names them.",
    )
    VOICEMAIL_NOT_FOUND = ErrorCode(
        682,
        409,
        "Voicemail not found",
        "The voicemail sid names no message of the caller's enterprise.",
    )
    VOICEMAIL_AUDIO_MISSING = ErrorCode(
        683,
        409,
        "Voicemail audio not copied",
        "The message's recording has not been copied into storage (yet, or the copy failed: "
        "data names why and the platform's URL).",
    )

    # --- Call history (DESIGN §13) ------------------------------------------------------------
    CALL_NOT_FOUND = ErrorCode(
        626,
        409,
        "Call not found",
        "No recorded call with this sid is visible to the caller (missing or another "
        "enterprise's).",
    )


# Keys of an error's data whose value is itself a field path (``{"sid": …, "field": "keys[1]"}``).
PATH_KEYS = ("field", "at")


def rename_path(path: str, names: Mapping[str, str]) -> str:
    """``keys[0].action.action_data`` → ``keys[0].menuAction.actionData``: each dotted part
    renamed through ``names``, list indexes kept; parts ``names`` lacks stay as they are."""
    parts = []
    for part in path.split("."):
        head, bracket, rest = part.partition("[")
        parts.append(names.get(head, head) + bracket + rest)
    return ".".join(parts)


def rename_fields(data: Any, names: Mapping[str, str]) -> Any:
    """``data`` of an error with every key, and every path under ``PATH_KEYS``, renamed through
    ``names`` (nested objects too, e.g. the two entries of an overlap); order is kept."""
    if isinstance(data, dict):
        return {
            rename_path(key, names) if isinstance(key, str) else key: (
                rename_path(value, names)
                if key in PATH_KEYS and isinstance(value, str)
                else rename_fields(value, names)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [rename_fields(item, names) for item in data]
    return data


def all_error_codes() -> list[ErrorCode]:
    """Every registered code, ordered by number (for docs/errors.md and the schema)."""
    codes = [v for v in vars(Errors).values() if isinstance(v, ErrorCode)]
    return sorted(codes, key=lambda e: e.code)
