from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scripts_app', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='script',
            name='original_file',
            field=models.CharField(blank=True, editable=False, max_length=80),
        ),
        migrations.AddField(
            model_name='script',
            name='original_name',
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
    ]
