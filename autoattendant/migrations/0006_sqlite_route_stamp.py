"""SQLite counts the writes that may change a call's route: a one-row table whose number every
insert, update or delete of a phone number, an AA system or an enterprise moves on (triggers),
whoever makes it. The call flow's remembered routes are checked against it
(``autoattendant.runtime.routes``), so other writes (the call history, a console save of a menu)
leave them alone. PostgreSQL has its notifications (``0002``) instead: nothing to do there."""

from django.db import migrations

#: The tables a route is read from (as in ``0002``).
TABLES = (
    "autoattendant_phonenumber",
    "autoattendant_autoattendantsystem",
    "autoattendant_enterprise",
)
STAMP = "autoattendant_routestamp"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {STAMP} "
        "(id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)"
    )
    schema_editor.execute(f"INSERT OR IGNORE INTO {STAMP} (id, n) VALUES (1, 0)")
    for table in TABLES:
        for operation in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_route_{operation.lower()} "
                f"AFTER {operation} ON {table} "
                f"BEGIN UPDATE {STAMP} SET n = n + 1 WHERE id = 1; END"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in TABLES:
        for operation in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_route_{operation}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {STAMP}")


class Migration(migrations.Migration):
    dependencies = [("autoattendant", "0005_merge_features")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
