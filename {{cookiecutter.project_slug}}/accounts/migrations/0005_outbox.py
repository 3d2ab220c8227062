# The outbox of accounts.mail.outbox: mail queued by requests, sent by a background sender.

import accounts.clock
import accounts.store
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_username_skeleton'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', accounts.store.PRIMARY_KEY_FIELD(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('message', models.TextField(editable=False)),
                ('kind', models.CharField(editable=False, max_length=64)),
                ('user', models.CharField(blank=True, editable=False, max_length=64)),
                ('link_digest', models.CharField(blank=True, editable=False, max_length=64)),
                ('attempts', models.PositiveIntegerField(default=0, editable=False)),
                ('lease', models.CharField(blank=True, editable=False, max_length=64)),
                ('created_at', models.DateTimeField(default=accounts.clock.now, editable=False)),
                ('available_at', models.DateTimeField(default=accounts.clock.now, editable=False)),
            ],
            options={
                'indexes': [models.Index(fields=['available_at'], name='outbox_available_at'), models.Index(fields=['created_at'], name='outbox_created_at')],
            },
        ),
    ]
