"""Test photos made with Pillow: a phone's JPEG with its location and orientation in EXIF,
and hostile files (a decompression bomb, a GIF, text)."""
import io
import struct
import zlib

from PIL import ExifTags, Image

GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
       ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0)}


def phone_jpeg(width: int = 300, height: int = 200, orientation: int = 6) -> bytes:
    """A JPEG as a phone saves it: the top half red, the bottom half blue, EXIF saying
    where it was taken and that it is shown turned (6: a quarter turn clockwise), an ICC
    profile and XMP."""
    image = Image.new("RGB", (width, height), "blue")
    image.paste("red", (0, 0, width, height // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), icc_profile=b"not-really-a-profile",
               xmp=b"<x:xmpmeta>secret place</x:xmpmeta>")
    return out.getvalue()


def image_bytes(fmt: str, size=(64, 48), mode="RGB", color="green") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: unpacked, a bomb."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))
