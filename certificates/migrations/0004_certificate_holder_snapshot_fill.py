"""Fill the holder snapshot of the certificates issued before it existed: the holder's name,
ID number and sex as their profile says now (the best record there is), a copy of their photo
where they have one, each certificate's bit in the revocation status list (its primary key),
and a new signature whose payload binds the holder (domain ``anxun-cert-2``). Codes printed
before keep verifying: their six-field payload is checked under ``anxun-cert-1``."""

import secrets

from django.core.files.base import ContentFile
from django.db import migrations


def fill(apps, schema_editor):
    from accounts.validators import mask_name
    from certificates import signing

    Certificate = apps.get_model("certificates", "Certificate")
    ring = None
    for certificate in (
        Certificate.objects.filter(holder_name="")
        .select_related("holder", "subject")
        .order_by("pk")
        .iterator(chunk_size=500)
    ):
        holder = certificate.holder
        certificate.holder_name = holder.real_name
        certificate.holder_id_number = holder.id_number
        certificate.holder_sex = holder.sex
        certificate.status_index = certificate.pk
        if holder.photo and not certificate.holder_photo:
            try:
                with holder.photo.open("rb") as handle:
                    data = handle.read()
            except OSError:
                data = b""
            if data:
                certificate.holder_photo.save(
                    f"{secrets.token_hex(8)}.jpg", ContentFile(data), save=False
                )
        ring = ring or signing.key_ring()
        certificate.key_id = ring.signing_kid
        compact = signing.compact_fields(
            kid=certificate.key_id,
            number=certificate.number,
            subject_code=certificate.subject.code,
            issued=certificate.issued_on,
            valid_until=certificate.valid_until,
            review_due=certificate.review_due,
            holder_mask=mask_name(certificate.holder_name),
            holder_id_hash=signing.id_hash(certificate.token, certificate.holder_id_number),
        )
        certificate.signature = signing.sign(certificate.token, compact)
        certificate.save(
            update_fields=[
                "holder_name",
                "holder_id_number",
                "holder_sex",
                "holder_photo",
                "status_index",
                "key_id",
                "signature",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_workerprofile_accounts_wo_updated_03ffea_idx"),
        ("certificates", "0003_certificate_holder_snapshot"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
