"""Photos on a 360 px phone: add one from the person's page (a file chosen as a phone's
picker gives it), see it on their page and on the due card beside initials for the
others; the board and the person's page in dark mode and on a laptop; axe finds nothing on
the photo page, with a refused file too; offline, the saved due list and prep page show the
photos they showed."""
import pytest
from playwright.sync_api import expect

from advisory.core.photos import renditions
from advisory.models import Photo
from support.photos import image_bytes, phone_jpeg

from .support import sign_in, small_tap_targets, until, wait_for_worker
from .test_accessibility import audit, axe_script  # noqa: F401 (fixtures)

PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 900}


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def loaded(image) -> int:
    """The width of the picture an <img> shows (0 while it shows nothing)."""
    image.scroll_into_view_if_needed()
    expect(image).to_be_visible()
    return image.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")


def add_photo(page, live_server, advisor, tmp_path, data: bytes):
    page.goto(f"{live_server.url}/advisors/{advisor.id}")
    page.get_by_role("link", name="Add photo").click()
    path = tmp_path / "IMG_0042.jpg"
    path.write_bytes(data)
    page.get_by_label("Photo").set_input_files(path)
    page.get_by_role("button", name="Save photo").click()
    expect(page.get_by_text(f"Photo of {advisor.name} saved.")).to_be_visible()


@pytest.mark.browser_context_args(viewport=PHONE)
def test_a_photo_added_on_a_phone_shows_on_the_due_card(signed_in, live_server, account,
                                                        screenshot, tmp_path):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", role="wisdom", overdue_days=40)
    live_server.advisor(account, "Sam Okafor", role="expertise", overdue_days=35)
    live_server.advisor(account, "Lee Chen", role="balance", overdue_days=1, cadence_count=2,
                        cadence_unit="weeks")
    add_photo(page, live_server, dana, tmp_path, phone_jpeg(1600, 1200))
    assert Photo.select().count() == 1
    assert loaded(page.locator(".page-head img.avatar")) == 512
    expect(page.get_by_role("link", name="Change photo")).to_be_visible()
    assert no_sideways_scroll(page) and small_tap_targets(page) == []
    screenshot(page, "photo-person")

    page.goto(f"{live_server.url}/")
    card = page.locator(f"#advisor-{dana.id}")
    assert loaded(card.locator("img.avatar")) == 192
    expect(page.locator(".card .avatar-initials").first).to_have_text("SO")
    assert no_sideways_scroll(page)
    screenshot(page, "photo-due-list")

    page.goto(f"{live_server.url}/board")
    assert loaded(page.locator(".members img.avatar")) == 192
    expect(page.locator(".members .avatar-initials")).to_have_count(2)
    screenshot(page, "photo-board")


@pytest.mark.parametrize("scheme,viewport", [("dark", PHONE), ("light", LAPTOP)],
                         ids=["phone-dark", "laptop"])
def test_the_person_page_with_a_photo_in_dark_mode_and_on_a_laptop(
        signed_in, live_server, account, screenshot, tmp_path, scheme, viewport):
    page = signed_in
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(viewport)
    dana = live_server.advisor(account, "Dana Reyes", role="wisdom", overdue_days=3,
                               organisation="Northwind", phone="+44 20 7946 0958")
    live_server.advisor(account, "Sam Okafor", role="expertise", overdue_days=2)
    add_photo(page, live_server, dana, tmp_path, phone_jpeg(900, 1200, orientation=1))
    assert loaded(page.locator(".page-head img.avatar")) == 512
    assert no_sideways_scroll(page)
    screenshot(page, f"photo-person-{scheme}-{viewport['width']}")
    page.goto(f"{live_server.url}/")
    screenshot(page, f"photo-due-list-{scheme}-{viewport['width']}")


@pytest.mark.browser_context_args(viewport=PHONE, bypass_csp=True)
def test_the_photo_page_is_accessible_with_a_refused_file(signed_in, live_server, account,
                                                          audit, tmp_path, screenshot):
    page = signed_in
    dana = live_server.advisor(account, "Dana Reyes", overdue_days=3)
    page.goto(f"{live_server.url}/advisors/{dana.id}/photo")
    audit("photo page")
    path = tmp_path / "holiday.jpg"
    path.write_bytes(b"GIF89a, not a photo at all")
    page.get_by_label("Photo").set_input_files(path)
    page.get_by_role("button", name="Save photo").click()
    expect(page.locator(".error").first).to_contain_text(
        "That file is not a JPEG, PNG, WebP or HEIC image.")
    assert small_tap_targets(page) == []
    audit("photo page with its error")
    screenshot(page, "photo-refused")
    page.goto(f"{live_server.url}/advisors/{dana.id}")
    audit("advisor page with initials")
    audit.check()


@pytest.mark.browser_context_args(viewport=PHONE)
def test_saved_pages_show_their_photos_offline(context, page, live_server, account, screenshot):
    dana = live_server.advisor(account, "Dana Reyes", role="wisdom", overdue_days=40)
    live_server.advisor(account, "Sam Okafor", role="expertise", overdue_days=35)
    Photo.put(dana, renditions(phone_jpeg()))
    sign_in(page, live_server)
    wait_for_worker(page)  # the due list is saved, and with it the photos it shows
    until(page, """async path => (await (await caches.open("advisory-pages")).keys())
        .some(request => new URL(request.url).pathname === path)""",
          f"/advisors/{dana.id}/photo/small.webp")
    context.new_cdp_session(page).send("Network.clearBrowserCache")  # the worker's alone
    context.set_offline(True)
    page.reload()
    expect(page.get_by_text("Offline — showing the due list")).to_be_visible()
    assert loaded(page.locator(f"#advisor-{dana.id} img.avatar")) == 192
    screenshot(page, "photo-offline-due-list")
    page.locator(f"#advisor-{dana.id}").get_by_role("link", name="Prepare").click()
    expect(page.get_by_role("heading", name="Prepare: Dana Reyes")).to_be_visible()
    assert loaded(page.locator(".page-head img.avatar")) == 192

    # Changed on another device, and seen here on her prep page only: the due list saved
    # before shows the photo kept, the new one, rather than none.
    context.set_offline(False)
    Photo.put(dana, renditions(image_bytes("PNG", color="orange")))
    page.goto(f"{live_server.url}/advisors/{dana.id}/prep")
    new = Photo.get().digest
    until(page, """async version => (await (await caches.open("advisory-pages")).keys())
        .some(request => request.url.endsWith("?v=" + version))""", new)
    context.new_cdp_session(page).send("Network.clearBrowserCache")  # the worker's alone
    context.set_offline(True)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("Offline — showing the due list")).to_be_visible()
    assert new not in page.content()
    assert loaded(page.locator(f"#advisor-{dana.id} img.avatar")) == 192
