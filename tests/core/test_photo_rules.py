"""Photos made from what a person uploads: upright, square, the two sizes, nothing of the
original's metadata (where it was taken) left in the bytes; anything else refused with a
sentence saying why. A phone's contacts (vCard) bring their photos inline, in three forms;
one given by address is never fetched."""
import base64
import io

import pytest
from PIL import Image

from advisory.core import photos, vcards
from support.photos import image_bytes, phone_jpeg, png_claiming


def test_a_phone_photo_loses_its_location_and_every_other_metadata():
    original = phone_jpeg()
    assert b"Exif" in original and b"PhoneMaker" in original and b"secret place" in original
    made = photos.renditions(original)
    for data in (made.small, made.large):
        assert b"Exif" not in data and b"EXIF" not in data and b"PhoneMaker" not in data
        assert b"ICCP" not in data and b"XMP" not in data and b"secret place" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif()
            assert "icc_profile" not in image.info


def test_sizes_are_webp_squares():
    made = photos.renditions(image_bytes("PNG", size=(1200, 800)))
    for size, pixels in photos.SIZES.items():
        with Image.open(io.BytesIO(made.of(size))) as image:
            assert image.format == "WEBP"
            assert image.size == (pixels, pixels)
    assert photos.SIZES == {"small": 192, "large": 512}


def test_the_photo_is_turned_upright_as_the_phone_showed_it():
    # Shown turned a quarter clockwise, the red top half is on the right.
    made = photos.renditions(phone_jpeg(orientation=6))
    with Image.open(io.BytesIO(made.large)) as image:
        left, right = image.getpixel((20, 256)), image.getpixel((490, 256))
    assert left[2] > 200 and left[0] < 60  # blue
    assert right[0] > 200 and right[2] < 60  # red


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "HEIF"])
def test_jpeg_png_webp_and_heic_are_read(fmt):
    made = photos.renditions(image_bytes(fmt, size=(300, 400)))
    with Image.open(io.BytesIO(made.small)) as image:
        red, green, blue = image.getpixel((96, 96))
    assert green > 100 and red < 40 and blue < 40


def test_a_transparent_png_gets_a_white_background():
    made = photos.renditions(image_bytes("PNG", mode="RGBA", color=(0, 0, 0, 0)))
    with Image.open(io.BytesIO(made.small)) as image:
        assert min(image.getpixel((10, 10))) > 240


def test_the_same_photo_gets_the_same_version_and_another_another():
    first, again = photos.renditions(phone_jpeg()), photos.renditions(phone_jpeg())
    other = photos.renditions(image_bytes("PNG"))
    assert first.digest == again.digest != other.digest
    assert len(first.digest) == 20


@pytest.mark.parametrize("data", [
    image_bytes("GIF"), image_bytes("BMP"), image_bytes("TIFF"),
    b"Just some text, saved as photo.jpg", b"", b"\xff\xd8\xff\xe0 not really a JPEG",
    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
], ids=["gif", "bmp", "tiff", "text", "empty", "jpeg-magic-only", "svg"])
def test_what_is_not_a_jpeg_png_webp_or_heic_is_refused(data):
    with pytest.raises(photos.BadPhoto, match="not a JPEG, PNG, WebP or HEIC image"):
        photos.renditions(data)


@pytest.mark.parametrize("width,height", [(100_000, 100_000), (9000, 9000)])
def test_a_decompression_bomb_is_refused_unopened(width, height):
    bomb = png_claiming(width, height)
    assert len(bomb) < 200
    with pytest.raises(photos.BadPhoto, match="too large: at most 50 megapixels"):
        photos.renditions(bomb)


def test_a_file_over_the_byte_limit_is_refused():
    with pytest.raises(photos.BadPhoto, match="too large: at most 15 MB"):
        photos.renditions(b"\0" * (photos.MAX_BYTES + 1))


def test_a_photo_cut_short_is_refused_as_damaged():
    whole = phone_jpeg(1200, 900)
    with pytest.raises(photos.BadPhoto, match="could not be read"):
        photos.renditions(whole[:len(whole) // 2])


# vCard PHOTO lines as each exporter writes them, around a real JPEG.
JPEG = base64.b64encode(phone_jpeg(120, 80, orientation=1)).decode()


def fold(line: str, width: int = 75, indent: str = " ") -> list[str]:
    return [line[:width]] + [indent + line[i:i + width - 1]
                             for i in range(width, len(line), width - 1)]


def vcard(version: str, *photo_lines: str) -> bytes:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", "FN:Dana Reyes", *photo_lines,
                        "EMAIL:dana@example.com", "END:VCARD", ""]).encode()


@pytest.mark.parametrize("data", [
    # Apple Contacts: 3.0, ENCODING=b, folded with one space
    vcard("3.0", *fold("PHOTO;ENCODING=b;TYPE=JPEG:" + JPEG)),
    # Android: 2.1, ENCODING=BASE64, continued on lines indented by two spaces, a blank line
    vcard("2.1", *fold("PHOTO;ENCODING=BASE64;JPEG:" + JPEG, indent="  "), ""),
    # vCard 4.0 (and Google's own 4.0 export of an uploaded photo): a data: URI
    vcard("4.0", *fold("PHOTO:data:image/jpeg;base64," + JPEG)),
    vcard("4.0", *fold("PHOTO;MEDIATYPE=image/jpeg:data:image/jpeg;base64," + JPEG)),
], ids=["apple-3.0", "android-2.1", "vcard-4.0", "vcard-4.0-mediatype"])
def test_a_cards_inline_photo_is_read_in_every_exporters_form(data):
    [dana] = vcards.parse(data)
    assert dana.email == "dana@example.com"
    assert dana.photo == base64.b64decode(JPEG)
    with Image.open(io.BytesIO(photos.renditions(dana.photo).small)) as image:
        assert image.size == (192, 192)


@pytest.mark.parametrize("line", [
    "PHOTO:https://lh3.googleusercontent.com/contacts/photo",  # Google Contacts' 3.0 export
    "PHOTO;VALUE=uri:http://192.168.1.1/admin.jpg",
    "PHOTO;VALUE=URL;TYPE=JPEG:http://example.com/dana.jpg",  # 2.1
    "PHOTO:data:image/jpeg,not-base64",
    "PHOTO;ENCODING=b;TYPE=JPEG:%%% not base64 %%%",
])
def test_a_photo_by_address_is_never_fetched_and_a_broken_one_is_left_out(line, monkeypatch):
    monkeypatch.setattr("socket.create_connection", lambda *a, **k: pytest.fail("fetched"))
    [dana] = vcards.parse(vcard("3.0", line))
    assert dana.photo == b"" and dana.email == "dana@example.com"
