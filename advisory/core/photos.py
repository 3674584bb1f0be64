"""A person's photo: the two square sizes the pages show, made with Pillow from the bytes
a person uploads (or a vCard or an export carries). Plain Python, no Flask, no database.

What comes in is read by its content, never its name: only JPEG, PNG, WebP and HEIC (the
iPhone's own format, through pillow-heif) are opened. Its pixel count is checked from the
header before anything is decoded, so a small file that would unpack into gigabytes (a
decompression bomb) is refused without being unpacked. The photo is turned upright (EXIF
orientation), cut to a centred square and saved afresh as WebP from bare pixels: no EXIF
(the place it was taken), XMP or colour profile survives, and the original is not kept.
"""
import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()  # HEIC/HEIF: what an iPhone's camera saves

# Square sizes in pixels: "small" for the avatar beside a name (up to 96 CSS px on a
# screen of 2 device pixels per CSS px), "large" for the person's own page and exports.
SIZES = {"small": 192, "large": 512}
CONTENT_TYPE = "image/webp"
EXTENSION = "webp"
FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")  # Pillow's names for what may be opened
MAX_BYTES = 15 * 2**20  # a phone's photo is 3-8 MB
MAX_PIXELS = 50_000_000  # 50 megapixels: a 48 MP camera's photo fits
QUALITY = 82

NOT_AN_IMAGE = "That file is not a JPEG, PNG, WebP or HEIC image."
TOO_MANY_BYTES = f"That image is too large: at most {MAX_BYTES // 2**20} MB."
TOO_MANY_PIXELS = f"That image is too large: at most {MAX_PIXELS // 1_000_000} megapixels."
DAMAGED = "That image could not be read: the file may be damaged or cut short."


class BadPhoto(ValueError):
    """A photo refused, with a sentence saying why (shown under the form's field)."""


@dataclass(frozen=True)
class Renditions:
    small: bytes
    large: bytes
    digest: str  # names this version: the ETag and the ?v= of its URLs

    def of(self, size: str) -> bytes:
        return self.small if size == "small" else self.large


def renditions(data: bytes) -> Renditions:
    """The small and large WebP squares of the photo in `data`. Raises BadPhoto."""
    if len(data) > MAX_BYTES:
        raise BadPhoto(TOO_MANY_BYTES)
    with warnings.catch_warnings():
        # Pillow warns of damaged metadata (EXIF, text chunks) it reads past; none of it is
        # kept. Above Image.MAX_IMAGE_PIXELS it warns of a bomb: that one is an error.
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = opened(data)
        try:
            image.draft("RGB", (SIZES["large"], SIZES["large"]))  # a JPEG decodes at 1/2..1/8
            square = ImageOps.fit(flattened(ImageOps.exif_transpose(image)),
                                  (SIZES["large"], SIZES["large"]), Image.Resampling.LANCZOS)
        except (OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError,
                Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise BadPhoto(DAMAGED) from error
    large = webp(square)
    small = webp(square.resize((SIZES["small"], SIZES["small"]), Image.Resampling.LANCZOS))
    digest = hashlib.sha256(small + large).hexdigest()[:20]
    return Renditions(small=small, large=large, digest=digest)


def opened(data: bytes) -> Image.Image:
    """The image in `data`, opened (its header read, nothing decoded yet) if it is one of
    FORMATS and has at most MAX_PIXELS (Pillow, past its own limit, warns or raises)."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise BadPhoto(TOO_MANY_PIXELS) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise BadPhoto(NOT_AN_IMAGE) from error
    if image.width * image.height > MAX_PIXELS:
        raise BadPhoto(TOO_MANY_PIXELS)
    if not image.width or not image.height:
        raise BadPhoto(DAMAGED)
    return image


def flattened(image: Image.Image) -> Image.Image:
    """`image` as plain RGB; a transparent background becomes white."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def webp(image: Image.Image) -> bytes:
    """`image` saved as WebP from its pixels alone: a fresh image carries no metadata."""
    bare = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    bare.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()
