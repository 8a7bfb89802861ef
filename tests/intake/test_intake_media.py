"""The media store: typed by content, size and pixel limits without decoding, EXIF stripped, thumbnails."""

from __future__ import annotations

import hashlib
import io
import resource
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from cityloop.db.session import session_scope
from cityloop.intake import media
from cityloop.intake.errors import MediaRejected, MediaTooLarge
from cityloop.intake.media import store_media
from cityloop.intake.models import Media
from intake.conftest import Api, image_bytes, png_header_only
from loopcity import CITY, OTHER_CITY, LoopCity

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size: tuple[int, int] = (40, 20)) -> bytes:
    """A JPEG taken "on a phone": EXIF with a GPS position, a camera model, orientation 6 (rotate 90°)."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x0110] = "Phone X"
    exif[GPS_IFD] = {1: "N", 2: (30.0, 15.0, 36.0), 3: "E", 4: (120.0, 9.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(
        buffer, "JPEG", exif=exif.tobytes(), comment=b"Zhang San's phone"
    )
    return buffer.getvalue()


def _nothing_stored(api: Api) -> None:
    assert api.count(Media) == 0
    assert not (api.var / "media").exists()


def _error(resp: object) -> tuple[int, str]:
    return resp.status_code, resp.json()["error"]["code"]  # type: ignore[attr-defined]


# Bad input: each a clear 4xx with a stable code, and nothing stored.


def test_a_file_that_claims_to_be_jpeg_but_is_not_is_refused(api: Api) -> None:
    real = image_bytes("JPEG", (64, 64))
    for content in (
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,  # JPEG magic bytes, then nothing
        real[: len(real) // 2],  # a real JPEG cut in half
        b"<html><script>alert(1)</script></html>",
        b"GIF89a" + b"\x00" * 30,
        b"",
    ):
        resp = api.upload(content, name="photo.jpg")
        assert _error(resp) == (415, "intake.media_rejected"), resp.text
        assert "photo.jpg" in resp.json()["error"]["message"]
    _nothing_stored(api)


def test_an_oversized_file_is_refused(api: Api) -> None:
    just_over = image_bytes("PNG") + b"\x00" * (media.MAX_BYTES + 1 - len(image_bytes("PNG")))
    assert len(just_over) == 10 * 1024 * 1024 + 1
    resp = api.upload(just_over)
    assert _error(resp) == (413, "intake.media_too_large")
    assert resp.json()["error"]["details"] == {"size": 10 * 1024 * 1024 + 1, "limit": 10 * 1024 * 1024}
    # Far over the limit: refused by the declared length, before the multipart form is parsed.
    resp = api.upload(b"\x00" * (media.MAX_BYTES + 200_000))
    assert _error(resp) == (413, "intake.media_too_large")
    assert resp.json()["error"]["message"].startswith("the upload is larger than 10,551,296 bytes")
    _nothing_stored(api)


def test_a_30000_by_30000_image_is_refused_without_decoding_it(api: Api) -> None:
    bomb = png_header_only(30_000, 30_000)
    assert len(bomb) < 100
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    resp = api.upload(bomb, name="bomb.png")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert _error(resp) == (413, "intake.media_too_large")
    assert grown_mb < 200  # decoding would need 2.7 GB
    # Over our 40-megapixel limit but under Pillow's own guard: refused by the header's size.
    resp = api.upload(png_header_only(8000, 6000), name="big.png")
    assert _error(resp) == (413, "intake.media_too_large")
    assert resp.json()["error"]["details"] == {
        "width": 8000,
        "height": 6000,
        "pixels": 48_000_000,
        "limit_pixels": 40_000_000,
    }
    _nothing_stored(api)


def test_store_media_refuses_by_its_limits(
    loop: LoopCity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYLOOP_VAR_DIR", str(tmp_path))
    photo = image_bytes("PNG", (10, 10))
    with pytest.raises(MediaTooLarge) as err:
        store_media(
            loop.session, city_code=CITY, content=photo, now=loop.clock.now(), max_bytes=len(photo) - 1
        )
    assert err.value.status == 413
    with pytest.raises(MediaTooLarge) as err:
        store_media(loop.session, city_code=CITY, content=photo, now=loop.clock.now(), max_pixels=99)
    assert err.value.details["pixels"] == 100
    with pytest.raises(MediaRejected):  # a PDF only where staff evidence allows it
        store_media(loop.session, city_code=CITY, content=b"%PDF-1.7\n", now=loop.clock.now())
    assert loop.session.query(Media).count() == 0
    assert not (tmp_path / "media").exists()


# What is kept and what is served.


def test_exif_and_gps_are_stripped_from_the_served_copy(api: Api) -> None:
    content = jpeg_with_gps()
    sha = hashlib.sha256(content).hexdigest()
    resp = api.upload(content)
    assert resp.status_code == 201, resp.text
    assert resp.json() == {
        "sha256": sha,
        "content_type": "image/jpeg",
        "width": 20,  # orientation 6 applied: the 40×20 photo stands upright
        "height": 40,
        "thumbnail_url": f"/api/v1/cities/{CITY}/media/{sha}/thumb",
    }
    served = api.get(f"/media/{sha}")
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    with Image.open(io.BytesIO(served.content)) as image:
        assert (image.format, image.size) == ("JPEG", (20, 40))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "comment" not in image.info and "xmp" not in image.info
    assert (
        b"Exif" not in served.content and b"Phone X" not in served.content and b"Zhang" not in served.content
    )
    # The original is kept as sent, GPS and all, for the record (never served).
    original = api.var / "media" / CITY / sha[:2] / sha
    assert original.read_bytes() == content
    with Image.open(original) as image:
        assert image.getexif().get_ifd(GPS_IFD)[1] == "N"


def test_a_thumbnail_is_made(api: Api) -> None:
    content = image_bytes("PNG", (1000, 500))
    sha = api.upload(content, name="wide.png").json()["sha256"]
    thumb = api.get(f"/media/{sha}/thumb")
    assert (thumb.status_code, thumb.headers["content-type"]) == (200, "image/jpeg")
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert (image.format, image.size) == ("JPEG", (320, 160))
        assert image.getpixel((10, 10)) == pytest.approx((200, 30, 30), abs=6)
    with Image.open(io.BytesIO(api.get(f"/media/{sha}").content)) as served:
        assert (served.format, served.size) == ("PNG", (1000, 500))


def test_transparent_png_and_webp_are_accepted(api: Api) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(buffer, "PNG")
    png = api.upload(buffer.getvalue(), name="clear.png").json()
    with Image.open(io.BytesIO(api.get(f"/media/{png['sha256']}/thumb").content)) as thumb:
        assert thumb.getpixel((1, 1)) == (255, 255, 255)  # transparent parts on white
    webp = api.upload(image_bytes("WEBP", (30, 20)), name="shot.png").json()
    assert (webp["content_type"], webp["width"], webp["height"]) == ("image/webp", 30, 20)
    assert api.get(f"/media/{webp['sha256']}").headers["content-type"] == "image/webp"


def test_uploads_are_idempotent_by_city_and_hash(api: Api) -> None:
    content = image_bytes("JPEG")
    first = api.upload(content).json()
    assert api.upload(content, name="again.jpg").json() == first
    assert api.count(Media) == 1
    # The same photo in another city is that city's own media.
    assert api.upload(content, "operator01", city=OTHER_CITY).json()["sha256"] == first["sha256"]
    assert api.count(Media) == 2


def test_media_belong_to_their_city(api: Api) -> None:
    sha = api.upload(image_bytes("JPEG")).json()["sha256"]
    assert _error(api.get(f"/media/{sha}", city=OTHER_CITY)) == (404, "intake.media_not_found")
    assert _error(api.get(f"/media/{'0' * 64}")) == (404, "intake.media_not_found")
    assert _error(api.get("/media/not-a-hash")) == (422, "request.invalid")
    # A credential of another city may not upload here.
    resp = api.client.post(
        f"/api/v1/cities/{CITY}/media",
        headers=api.headers("operator01", OTHER_CITY),
        files={"file": ("a.png", image_bytes("PNG"), "image/png")},
    )
    assert _error(resp) == (403, "access.forbidden_city")
    assert _error(api.upload(image_bytes("PNG"), city="999999")) == (404, "cities.not_found")


def test_staff_pdfs_are_kept_as_sent_and_served_to_the_city_only(api: Api) -> None:
    pdf = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n<< >>\nendobj\n%%EOF\n"
    with session_scope(api.engine) as session:
        row = store_media(
            session,
            city_code=CITY,
            content=pdf,
            filename="罚单.pdf",
            now=datetime(2026, 11, 2, 1, tzinfo=UTC),
            allow_pdf=True,
        )
        assert (row.content_type, row.width, row.height, row.size) == (
            "application/pdf",
            None,
            None,
            len(pdf),
        )
    sha = hashlib.sha256(pdf).hexdigest()
    assert _error(api.get(f"/media/{sha}")) == (401, "access.authentication_required")
    served = api.get(f"/media/{sha}", "dispatcher01")
    assert (served.status_code, served.content) == (200, pdf)
    assert served.headers["content-disposition"].startswith("attachment")
    assert _error(api.get(f"/media/{sha}/thumb", "dispatcher01")) == (404, "intake.media_not_found")
