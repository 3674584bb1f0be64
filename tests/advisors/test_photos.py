"""A person's photo on their page: added, replaced and removed with a plain form; a bad file
refused with a sentence and the photo they had kept; served to its owner only, cached for
good at its version, 304 when unchanged; a face beside each name on the pages; and carried
by an export and its restore, a hostile image in a file refused with a message."""
import base64
import io
import json
import re

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from advisory.core import photos
from advisory.core.import_document import BadFile, parse
from advisory.data import export, importer
from advisory.models import Advisor, Photo
from support import add_advisor, count_queries, make_user, sign_in
from support.photos import image_bytes, phone_jpeg, png_claiming


def upload(session, advisor, data: bytes, filename="photo.jpg", token=True):
    """Post the photo form as a browser does. The body is encoded in memory: the test
    client would spool a large one to a file it never closes."""
    fields = {"photo": FileStorage(io.BytesIO(data), filename)}
    if token:
        page = session.get("/settings").get_data(as_text=True)
        fields["csrf_token"] = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    boundary, body = encode_multipart(fields)
    return session.client.post(f"/advisors/{advisor.id}/photo", data=body,
                               content_type=f"multipart/form-data; boundary={boundary}")


def photo_url(html: str, size="small") -> str:
    return re.search(rf'src="(/advisors/\d+/photo/{size}\.webp\?v=\w+)"', html).group(1)


def test_a_photo_added_shows_on_their_page_and_the_due_list(session, user):
    dana = add_advisor(user, name="Dana Reyes")
    page = session.get(f"/advisors/{dana.id}").get_data(as_text=True)
    assert "Add photo" in page and ">DR</span>" in page
    response = upload(session, dana, phone_jpeg())
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/advisors/{dana.id}")
    page = session.get(f"/advisors/{dana.id}").get_data(as_text=True)
    assert "Photo of Dana Reyes saved." in page and "Change photo" in page
    url = photo_url(page, "large")
    image = session.get(url)
    assert image.status_code == 200 and image.mimetype == "image/webp"
    assert Image.open(io.BytesIO(image.data)).size == (512, 512)
    due = session.get("/").get_data(as_text=True)
    assert photo_url(due) == f"/advisors/{dana.id}/photo/small.webp?v={Photo.get().digest}"
    assert ">DR</span>" not in due


def test_a_png_named_jpg_is_fine_and_a_gif_named_jpg_is_refused(session, user):
    dana = add_advisor(user)
    assert upload(session, dana, image_bytes("PNG"), "face.jpg").status_code == 303
    before = Photo.get().digest
    for data, name in ((image_bytes("GIF"), "face.jpg"), (b"hello", "notes.jpg")):
        refused = upload(session, dana, data, name)
        assert refused.status_code == 422
        assert "That file is not a JPEG, PNG, WebP or HEIC image." in refused.get_data(as_text=True)
    assert Photo.get().digest == before == Advisor.get_by_id(dana.id).photo_hash


def test_a_decompression_bomb_is_refused_with_the_limit(session, user):
    dana = add_advisor(user)
    refused = upload(session, dana, png_claiming(50_000, 50_000), "bomb.png")
    assert refused.status_code == 422
    assert "That image is too large: at most 50 megapixels." in refused.get_data(as_text=True)
    assert not Photo.select().exists()


def test_a_phone_sized_photo_fits_and_a_larger_file_is_refused_with_the_limit(session, user):
    dana = add_advisor(user)
    padded = phone_jpeg() + b"\0" * (6 * 2**20)  # a 6 MB photo: over the app's 1 MB
    assert upload(session, dana, padded).status_code == 303
    refused = upload(session, dana, b"\0" * (photos.MAX_BYTES + 2**17))
    assert refused.status_code == 413
    assert "That image is too large: at most 15 MB." in refused.get_data(as_text=True)


def test_no_file_chosen_says_so(session, user):
    dana = add_advisor(user)
    refused = session.post(f"/advisors/{dana.id}/photo", data={},
                           content_type="multipart/form-data")
    assert refused.status_code == 422 and "Choose a photo." in refused.get_data(as_text=True)


def test_the_upload_needs_its_csrf_token(session, user):
    dana = add_advisor(user)
    refused = upload(session, dana, phone_jpeg(), token=False)
    assert refused.status_code == 400
    assert not Photo.select().exists()


def test_replacing_and_removing(session, user):
    dana = add_advisor(user, name="Dana")
    upload(session, dana, phone_jpeg())
    first = Photo.get().digest
    upload(session, dana, image_bytes("PNG", color="purple"))
    assert Photo.select().count() == 1 and Photo.get().digest != first
    response = session.post(f"/advisors/{dana.id}/photo/remove")
    assert response.status_code == 303
    page = session.get(f"/advisors/{dana.id}").get_data(as_text=True)
    assert "their initials show instead" in page and ">D</span>" in page
    assert not Photo.select().exists() and Advisor.get_by_id(dana.id).photo_hash is None
    assert session.get(f"/advisors/{dana.id}/photo/small.webp").status_code == 404


def test_cached_for_good_at_its_version_and_304_when_unchanged(session, user):
    dana = add_advisor(user)
    upload(session, dana, phone_jpeg())
    digest = Photo.get().digest
    current = session.get(f"/advisors/{dana.id}/photo/small.webp?v={digest}")
    assert current.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    etag = current.headers["ETag"]
    assert etag == f'"{digest}-small"'
    again = session.get(f"/advisors/{dana.id}/photo/small.webp?v={digest}",
                        headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    stale = session.get(f"/advisors/{dana.id}/photo/small.webp?v=older")
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "private, no-cache"
    assert session.get(f"/advisors/{dana.id}/photo/huge.webp").status_code == 404


def test_another_account_gets_404(app, session, user, other):
    dana = add_advisor(user)
    upload(session, dana, phone_jpeg())
    digest = Photo.get().digest
    theirs = sign_in(app.test_client(), other)
    for size in ("small", "large"):
        assert theirs.get(f"/advisors/{dana.id}/photo/{size}.webp?v={digest}").status_code == 404
    assert theirs.get(f"/advisors/{dana.id}/photo").status_code == 404
    assert upload(theirs, dana, image_bytes("PNG")).status_code == 404
    assert theirs.post(f"/advisors/{dana.id}/photo/remove").status_code == 404
    assert Photo.get().digest == digest


def test_signed_out_the_photo_is_not_served(app, session, user):
    dana = add_advisor(user)
    upload(session, dana, phone_jpeg())
    stranger = app.test_client()
    assert stranger.get(f"/advisors/{dana.id}/photo/small.webp").status_code in (302, 401)


def test_faces_on_the_board_cost_no_query_per_person(session, user):
    people = [add_advisor(user, name=f"Person {n}") for n in range(6)]
    session.get("/board")
    with count_queries() as few:
        session.get("/board")
    for person in people[:3]:
        upload(session, person, image_bytes("PNG", color=(40 * len(person.name), 90, 30)))
    with count_queries() as more:
        board = session.get("/board").get_data(as_text=True)
    assert len(more) == len(few)
    assert board.count('class="avatar "') == 3 and board.count("avatar-initials") == 3


def test_initials_colour_is_one_of_eight_by_id(session, user):
    people = [add_advisor(user, name=name)
              for name in ("Ada Lovelace", "grace", "Émilie du Châtelet")]
    due = session.get("/").get_data(as_text=True)
    for person, initials in zip(people, ("AL", "G", "ÉC")):
        assert re.search(rf'avatar-c{person.id % 8} ?" aria-hidden="true">{initials}</span>', due)


def test_export_and_restore_carry_the_photo(user):
    dana = add_advisor(user, name="Dana")
    add_advisor(user, name="Sam")
    Photo.put(dana, photos.renditions(phone_jpeg()))
    document = export.document(user)
    dana_record, sam_record = document["advisors"]
    assert "photo" not in sam_record
    exported = base64.b64decode(dana_record["photo"])
    assert exported == bytes(Photo.get().large) and b"Exif" not in exported

    target = make_user("restored@example.com")
    importer.restore(target, parse(json.dumps(document).encode()))
    importer.restore(target, parse(json.dumps(document).encode()))  # twice: still one
    restored = Advisor.get(Advisor.user == target.id, Advisor.name == "Dana")
    photo = Photo.get(Photo.person == restored.id)
    assert photo.user_id == target.id and restored.photo_hash == photo.digest
    assert Image.open(io.BytesIO(bytes(photo.small))).size == (192, 192)
    assert Photo.select().where(Photo.user == target.id).count() == 1
    again = base64.b64decode(export.document(target)["advisors"][0]["photo"])
    assert Image.open(io.BytesIO(again)).size == (512, 512)  # made afresh: WebP again


def test_a_photo_they_have_stays_when_a_file_brings_another(user):
    dana = add_advisor(user, name="Dana")
    Photo.put(dana, photos.renditions(phone_jpeg()))
    document = export.document(user)
    document["advisors"][0]["photo"] = base64.b64encode(image_bytes("PNG")).decode()
    kept = Photo.get().digest
    importer.restore(user, parse(json.dumps(document).encode()))
    assert Photo.select().count() == 1 and Photo.get().digest == kept


@pytest.mark.parametrize("value,message", [
    (base64.b64encode(png_claiming(30_000, 30_000)).decode(), "too large: at most 50 megapixels"),
    (base64.b64encode(image_bytes("GIF")).decode(), "not a JPEG, PNG, WebP or HEIC image"),
    ("not base64 at all!", "“photo” must be an image in base64 text"),
    (12, "“photo” must be an image in base64 text"),
    ("", "“photo” must be an image in base64 text"),
])
def test_a_hostile_photo_in_a_file_is_refused_with_a_message(user, value, message):
    add_advisor(user, name="Dana")
    document = export.document(user)
    document["advisors"][0]["photo"] = value
    with pytest.raises(BadFile, match=message) as refused:
        parse(json.dumps(document).encode())
    assert "Dana" in str(refused.value)


def test_people_from_a_phones_contacts_come_with_their_photos(session, user):
    jpeg = base64.b64encode(phone_jpeg(300, 400, orientation=1)).decode()
    gif = base64.b64encode(image_bytes("GIF")).decode()
    cards = "\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", "FN:José García", f"PHOTO;ENCODING=b;TYPE=JPEG:{jpeg}",
        "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:Omar Haddad", f"PHOTO;ENCODING=b;TYPE=GIF:{gif}",
        "END:VCARD",
        "BEGIN:VCARD", "VERSION:3.0", "FN:Priya Nair", "PHOTO:https://example.com/p.jpg",
        "END:VCARD", ""])
    preview = session.post("/import/vcard", {"file": (io.BytesIO(cards.encode()), "c.vcf")},
                           content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    people = re.search(r'name="people" type="hidden" value="([^"]+)"', html).group(1)
    people = people.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&")
    assert not Photo.select().exists()  # nothing written by the preview
    added = session.post("/import/vcard/add", {
        "people": people, "pick": ["0", "1", "2"], "role": "wisdom", "last_talked": "never"})
    assert added.status_code == 303
    everyone = {a.name: a for a in Advisor.for_user(user)}
    assert set(everyone) == {"José García", "Omar Haddad", "Priya Nair"}
    [photo] = Photo.select()  # the GIF is not a photo we read, the URL is not fetched
    assert photo.person_id == everyone["José García"].id
    assert everyone["José García"].photo_hash == photo.digest
    due = session.get("/").get_data(as_text=True)
    assert photo_url(due).endswith(f"?v={photo.digest}") and ">OH</span>" in due


def test_a_photo_sent_back_by_the_preview_is_checked_again(session, user):
    bomb = base64.b64encode(png_claiming(30_000, 30_000)).decode()
    people = json.dumps([["Dana", "", "", "", [], bomb], ["Sam", "", "", "", [], "%%% not base64"]])
    refused = session.post("/import/vcard/add", {
        "people": people, "pick": ["0"], "role": "wisdom", "last_talked": "never"})
    assert refused.status_code == 422 and "could not be read back" in refused.get_data(as_text=True)
    people = json.dumps([["Dana", "", "", "", [], bomb]])
    added = session.post("/import/vcard/add", {
        "people": people, "pick": ["0"], "role": "wisdom", "last_talked": "never"})
    assert added.status_code == 303  # the bomb is refused; Dana is added without it
    assert Advisor.get().name == "Dana" and not Photo.select().exists()
