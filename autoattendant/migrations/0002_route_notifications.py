"""PostgreSQL notifies ``autoattendant_routes`` whenever a call's route may have changed: any
write to phone numbers, AA systems or enterprises (see ``autoattendant.routing``). Statement
triggers, so a bulk write notifies once; PostgreSQL folds identical notifications of one
transaction into one and delivers them at commit. Nothing on other databases."""

from django.db import migrations

TABLES = (
    "autoattendant_phonenumber",
    "autoattendant_autoattendantsystem",
    "autoattendant_enterprise",
)

FUNCTION = """
CREATE OR REPLACE FUNCTION autoattendant_notify_routes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('autoattendant_routes', '');
    RETURN NULL;
END
$$
"""

TRIGGER = """
CREATE TRIGGER {table}_routes
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION autoattendant_notify_routes()
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(TRIGGER.format(table=table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_routes ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS autoattendant_notify_routes()")


class Migration(migrations.Migration):
    dependencies = [("autoattendant", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
