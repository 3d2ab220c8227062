"""Email-change links: a third link purpose and the address the link carries."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_sessions_in_the_user_document'),
    ]

    operations = [
        migrations.AddField(
            model_name='linktoken',
            name='new_email',
            field=models.EmailField(blank=True, default='', editable=False, max_length=254),
        ),
        migrations.AlterField(
            model_name='linktoken',
            name='purpose',
            field=models.CharField(choices=[('verify', 'verify email'), ('reset', 'reset password'), ('email_change', 'change email')], max_length=16),
        ),
    ]
