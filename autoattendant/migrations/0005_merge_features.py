from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('autoattendant', '0004_calendars_override'),
        ('autoattendant', '0004_call_history'),
        ('autoattendant', '0004_safe_changes'),
        ('autoattendant', '0004_voicemail'),
    ]

    operations = [
    ]
