from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consent_banner', '0004_manifest_versions'),
    ]

    operations = [
        migrations.AddField(
            model_name='consentrecord',
            name='providers',
            field=models.TextField(blank=True, default='', help_text='Providers accepted in each category offering a choice per provider (JSON).', verbose_name='providers'),
            preserve_default=False,
        ),
    ]
