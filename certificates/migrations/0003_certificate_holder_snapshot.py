import accounts.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_certificate_certificate_updated_59b1b7_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="holder_name",
            field=models.CharField(default="", max_length=50, verbose_name="holder's full name"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_id_number",
            field=models.CharField(default="", max_length=18, verbose_name="holder's ID number"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_sex",
            field=models.CharField(
                choices=[("M", "male"), ("F", "female")],
                default="M",
                max_length=1,
                verbose_name="holder's sex",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="certificate",
            name="holder_photo",
            field=models.ImageField(
                blank=True,
                storage=accounts.models.private_storage,
                upload_to="certificates/photos/",
                verbose_name="holder's photo",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="status_index",
            field=models.PositiveIntegerField(
                blank=True,
                editable=False,
                null=True,
                unique=True,
                verbose_name="status list index",
            ),
        ),
    ]
