"""Worker photos (证件照): check what was uploaded, store a bounded, EXIF-free JPEG."""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


def photo_prepare(uploaded) -> ContentFile:
    """Return the photo to store, or raise ``ValidationError`` saying what is wrong with it."""
    return _image_prepare(
        uploaded,
        min_size=settings.ANXUN_PHOTO_MIN_SIZE,
        stored_size=settings.ANXUN_PHOTO_STORED_SIZE,
    )


# A scan or phone picture of an ID card (landscape, either side): large enough to read.
EVIDENCE_MIN_SIZE = (400, 250)
EVIDENCE_STORED_SIZE = (2000, 2000)


def evidence_prepare(uploaded) -> ContentFile:
    """The evidence of a correction request (a scan of the ID card), checked as photos are and
    stored as a bounded, EXIF-free JPEG; ``ValidationError`` says what is wrong with it."""
    return _image_prepare(uploaded, min_size=EVIDENCE_MIN_SIZE, stored_size=EVIDENCE_STORED_SIZE)


def _image_prepare(uploaded, *, min_size, stored_size) -> ContentFile:
    if uploaded.size > settings.ANXUN_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is %(size)s MB; the limit is %(limit)s MB."),
            code="photo_too_large",
            params={
                "size": f"{uploaded.size / 1048576:.1f}",
                "limit": settings.ANXUN_PHOTO_MAX_BYTES // 1048576,
            },
        )
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise _not_an_image() from None
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("Photos must be JPEG, PNG or WebP; this file is %(format)s."),
            code="photo_format",
            params={"format": image_format},
        )
    if width * height > settings.ANXUN_PHOTO_MAX_PIXELS:
        raise ValidationError(
            _("The photo is too large (%(width)d × %(height)d pixels)."),
            code="photo_pixels",
            params={"width": width, "height": height},
        )
    min_width, min_height = min_size
    if width < min_width or height < min_height:
        raise ValidationError(
            _(
                "The photo is %(width)d × %(height)d pixels; it must be at least "
                "%(min_width)d × %(min_height)d so the face can be recognised."
            ),
            code="photo_too_small",
            params={
                "width": width,
                "height": height,
                "min_width": min_width,
                "min_height": min_height,
            },
        )
    uploaded.seek(0)
    buffer = io.BytesIO()
    try:
        # verify() does not decode the pixels; a truncated file only fails here.
        with Image.open(uploaded) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
            image.thumbnail(stored_size, Image.Resampling.LANCZOS)
            image.save(buffer, format="JPEG", quality=88, optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _not_an_image() from None
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _not_an_image() -> ValidationError:
    return ValidationError(
        _("This file is not a picture we can read. Upload a JPEG, PNG or WebP photo."),
        code="photo_not_image",
    )
