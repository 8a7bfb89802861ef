"""Media: photos stored once by their sha256, checked by their content, served without EXIF.

Files live under `CITYLOOP_VAR_DIR/media/{city}/{aa}/`: `{sha256}` is the original as sent
(kept for the record), `{sha256}.served` a re-encoded copy with the orientation applied and
every metadata block (EXIF with its GPS position, XMP, comments) left out, and
`{sha256}.thumb.jpg` a 320-pixel JPEG thumbnail. The type is decided by decoding the image
(JPEG, PNG or WebP), never by the name or type the client claims. Sizes and pixel counts are
checked before anything is decoded, so a 30,000×30,000 "decompression bomb" costs nothing.

Staff evidence may also be a PDF (`allow_pdf=True`, used by `cases.evidence`): it is stored
as sent, without image processing, and served as an attachment; it has no thumbnail.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cityloop.cities import get_city
from cityloop.core.errors import NotFound
from cityloop.intake.errors import InvalidReport, MediaRejected, MediaTooLarge
from cityloop.intake.models import Media
from cityloop.settings import load_settings

#: The largest file accepted, in bytes (10 MB).
MAX_BYTES = 10 * 1024 * 1024
#: The most pixels an image may have (40 megapixels: more than any phone camera takes).
MAX_PIXELS = 40_000_000
#: The longest side of a thumbnail, in pixels.
THUMB_SIDE = 320
PDF = "application/pdf"
#: Pillow's format name → the content type we store and serve (MPO is a phone's multi-picture JPEG).
IMAGE_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_SAVE_AS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}

# Pillow warns past this many pixels and refuses (DecompressionBombError) past twice as many,
# when it reads the header and before it decodes anything. `store_media` refuses at MAX_PIXELS
# itself; this keeps Pillow's own guard in the same range for every caller in the process.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class MediaNotFound(NotFound):
    default_code = "intake.media_not_found"


def media_dir() -> Path:
    """The root of the media store: `media/` under the var dir (`cityloop.settings`)."""
    return load_settings().var_dir / "media"


def original_path(city_code: str, sha256: str) -> Path:
    """Where the original file with this hash is kept for the city."""
    return media_dir() / city_code / sha256[:2] / sha256


def served_path(city_code: str, sha256: str) -> Path:
    """The copy that is served: re-encoded without metadata (the original itself for a PDF)."""
    return original_path(city_code, sha256).with_name(f"{sha256}.served")


def thumbnail_path(city_code: str, sha256: str) -> Path:
    return original_path(city_code, sha256).with_name(f"{sha256}.thumb.jpg")


@dataclass(frozen=True)
class MediaFile:
    """A stored file to send: where it is, its type, and the name to give it."""

    path: Path
    content_type: str
    filename: str


@dataclass(frozen=True)
class _Processed:
    content_type: str
    width: int | None = None
    height: int | None = None
    served: bytes | None = None
    thumbnail: bytes | None = None


def _named(filename: str | None) -> str:
    return f"the file {Path(filename).name!r}" if filename else "the file"


def _too_many_pixels(filename: str | None, width: int, height: int, limit: int) -> MediaTooLarge:
    return MediaTooLarge(
        f"{_named(filename)} is {width}×{height} pixels; the limit is {limit:,} pixels",
        details={"width": width, "height": height, "pixels": width * height, "limit_pixels": limit},
    )


def _rejected(filename: str | None, allowed: list[str], why: str) -> MediaRejected:
    kinds = "a JPEG, PNG or WebP photo" + (" or a PDF" if PDF in allowed else "")
    return MediaRejected(
        f"{_named(filename)} is not {kinds} (decided by its content: {why})",
        details={"allowed": allowed, "reason": why},
    )


def _flat_rgb(image: Image.Image) -> Image.Image:
    """The image as RGB, transparent parts on white (for a JPEG thumbnail)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        return image.convert("F").point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _encode(image: Image.Image, save_as: str, **options: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, save_as, **options)
    return buffer.getvalue()


def _process_image(content: bytes, *, filename: str | None, max_pixels: int) -> _Processed:
    """Decode the photo (after checking its size in the header), and make the served copy and thumbnail."""
    allowed = sorted(set(IMAGE_TYPES.values()))
    try:
        with Image.open(io.BytesIO(content), formats=("JPEG", "PNG", "WEBP")) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(filename, width, height, max_pixels)
            content_type = IMAGE_TYPES[image.format or ""]
            image.load()
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
        # Only the pixels (and PNG transparency) go into the served copy: EXIF, XMP, text
        # chunks and comments stay behind in the original.
        upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
        options: dict[str, Any] = {"icc_profile": icc} if icc else {}
        if content_type != "image/png":
            options["quality"] = 90
        served = _encode(upright, _SAVE_AS[content_type], **options)
        thumb = upright.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
        thumbnail = _encode(_flat_rgb(thumb), "JPEG", quality=80)
    except Image.DecompressionBombError as exc:
        raise MediaTooLarge(
            f"{_named(filename)} has more pixels than the limit of {max_pixels:,}",
            details={"limit_pixels": max_pixels, "reason": str(exc)},
        ) from exc
    except (MediaTooLarge, MediaRejected):
        raise
    except Exception as exc:  # Pillow raises many kinds of errors on malformed input; all mean "not a photo"
        raise _rejected(filename, allowed, str(exc) or type(exc).__name__) from exc
    return _Processed(content_type, upright.width, upright.height, served, thumbnail)


def _write_once(path: Path, content: bytes) -> None:
    """Write `content` to `path` unless it is there already (atomically: a reader never sees half a file)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def find_media(session: Session, city_code: str, sha256: str) -> Media | None:
    return session.scalars(select(Media).where(Media.city_id == city_code, Media.sha256 == sha256)).first()


def get_media(session: Session, city_code: str, sha256: str) -> Media:
    """The city's media with this hash, or 404 `intake.media_not_found`."""
    media = find_media(session, city_code, sha256)
    if media is None:
        raise MediaNotFound(
            f"no media {sha256!r} was uploaded to city {city_code}", details={"sha256": sha256}
        )
    return media


def store_media(
    session: Session,
    *,
    city_code: str,
    content: bytes,
    filename: str | None = None,
    now: datetime,
    allow_pdf: bool = False,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
) -> Media:
    """Check and keep an uploaded photo (or, with `allow_pdf`, a PDF) for the city; the same file
    again returns the first row. Refuses a non-image (415), a file over 10 MB or 40 megapixels (413)."""
    get_city(session, city_code)
    byte_limit = MAX_BYTES if max_bytes is None else max_bytes
    if len(content) > byte_limit:
        raise MediaTooLarge(
            f"{_named(filename)} is {len(content):,} bytes; the limit is {byte_limit:,} bytes",
            details={"size": len(content), "limit": byte_limit},
        )
    sha256 = hashlib.sha256(content).hexdigest()
    existing = find_media(session, city_code, sha256)
    if existing is not None and served_path(city_code, sha256).exists():
        return existing
    if allow_pdf and content.startswith(b"%PDF-"):
        processed = _Processed(PDF)
    else:
        if not content:
            raise _rejected(filename, _allowed(allow_pdf), "the file is empty")
        processed = _process_image(
            content, filename=filename, max_pixels=MAX_PIXELS if max_pixels is None else max_pixels
        )
    _write_once(original_path(city_code, sha256), content)
    _write_once(served_path(city_code, sha256), processed.served or content)
    if processed.thumbnail is not None:
        _write_once(thumbnail_path(city_code, sha256), processed.thumbnail)
    if existing is not None:
        return existing
    media = Media(
        city_id=city_code,
        sha256=sha256,
        content_type=processed.content_type,
        width=processed.width,
        height=processed.height,
        size=len(content),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(media)
            session.flush()
    except IntegrityError:  # the same file arrived concurrently: the other upload won
        first = find_media(session, city_code, sha256)
        if first is None:
            raise
        return first
    return media


def _allowed(allow_pdf: bool) -> list[str]:
    return sorted(set(IMAGE_TYPES.values())) + ([PDF] if allow_pdf else [])


def open_served(session: Session, *, city_code: str, sha256: str) -> MediaFile:
    """The copy of the city's media that may be shown to anyone: no EXIF, no GPS position."""
    media = get_media(session, city_code, sha256)
    path = served_path(city_code, sha256)
    if not path.exists():
        raise MediaNotFound(
            f"the file of media {sha256!r} is missing from the store", details={"sha256": sha256}
        )
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}.get(media.content_type, "pdf")
    return MediaFile(path, media.content_type, f"{sha256}.{extension}")


def open_thumbnail(session: Session, *, city_code: str, sha256: str) -> MediaFile:
    """The JPEG thumbnail of the city's photo (a PDF has none: 404)."""
    get_media(session, city_code, sha256)
    path = thumbnail_path(city_code, sha256)
    if not path.exists():
        raise MediaNotFound(f"media {sha256!r} has no thumbnail", details={"sha256": sha256})
    return MediaFile(path, "image/jpeg", f"{sha256}.thumb.jpg")


def check_media(session: Session, *, city_code: str, hashes: list[str]) -> None:
    """Refuse (422 `intake.unknown_media`) a report citing media that were not uploaded to the city."""
    if not hashes:
        return
    known = set(
        session.scalars(select(Media.sha256).where(Media.city_id == city_code, Media.sha256.in_(hashes)))
    )
    unknown = [(i, sha) for i, sha in enumerate(hashes) if sha not in known]
    if unknown:
        raise InvalidReport(
            f"media {unknown[0][1]} was not uploaded to city {city_code}: upload photos first, then cite their sha256",
            code="intake.unknown_media",
            details=[
                {"field": f"media.{i}", "message": "not an uploaded media of the city"} for i, _ in unknown
            ],
        )
