"""Sessions are stored by digest from now on (accounts.admin.sessions): delete the old rows.

Each row written before was keyed by the session key in clear, so it was a working admin
login for whoever read it, and the new store can no longer find it. Everyone logged in to
the admin when this migration runs logs in again.
"""

from django.db import migrations


def delete_sessions_keyed_in_clear(apps, schema_editor):
    Session = apps.get_model('sessions', 'Session')
    Session.objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_linktoken_email_change'),
        ('sessions', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(delete_sessions_keyed_in_clear, migrations.RunPython.noop),
    ]
