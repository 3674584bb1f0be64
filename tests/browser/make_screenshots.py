"""Make the install sheet's screenshots (advisory/pwa/views.py SCREENSHOTS) from the real
app with a sample board, in Debian's Chromium, small enough for the worker to precache.

Run by hand from the repository's root after a visible change to the due list:

    .venv/bin/python -m tests.browser.make_screenshots

Not a test (pytest collects only test_*.py): it writes under static/screenshots/.
"""
import io
import logging
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from advisory import create_app, migrations
from advisory.pwa.views import SCREENSHOTS

from .support import CHROMIUM, CHROMIUM_ARGS, LiveServer, sign_in

STATIC = Path(__file__).resolve().parents[2] / "static"
# CSS pixels are the size over this: a phone at twice, a laptop at once its resolution.
SCALE = {"narrow": 2, "wide": 1}
COLOURS = 64  # a palette this size keeps text and colours crisp at a fraction of the bytes


def sample_board(server: LiveServer):
    """A board of the size the app suggests: someone overdue, due today, soon and later,
    with agendas and history, and a prospect."""
    user = server.user()
    today = user.today()
    people = [  # name, role, days since due (negative: due later), agenda
        ("Priya Raman", "insight", 12, "Ask how the reorg will change our team's budget"),
        ("Marcus Webb", "expertise", 3, "Show the draft of the pricing model"),
        ("Elena Sokolova", "perspective", 0, "Thank her for the intro to the board chair"),
        ("Tom Okafor", "wisdom", -4, ""),
        ("Hannah Lindqvist", "balance", -9, "How she plans the summer around two launches"),
        ("Daniel Cho", "expertise", -40, ""),
    ]
    for name, role, late, agenda in people:
        advisor = server.advisor(user, name, role=role, agenda=agenda,
                                 cadence_count=4, cadence_unit="weeks")
        for weeks in (16, 12, 8):
            advisor.log_contact(happened_on=today - timedelta(weeks=weeks), kind="video")
        advisor.log_contact(happened_on=today - timedelta(days=28 + late), kind="in_person")
    server.advisor(user, "Sofia Marin", role="wisdom", stage="prospect", overdue_days=2)


def optimised(png: bytes) -> bytes:
    """The PNG with a small palette, compressed as far as Pillow goes."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(COLOURS, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    os.environ.setdefault("SECRET_KEY", "screenshots")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not every request
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/advisory.db"},
                         instance_path=folder)
        migrations.upgrade(app.config["DATABASE"])
        server = LiveServer(app)
        try:
            sample_board(server)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for path, (width, height), form_factor, _ in SCREENSHOTS:
                    scale = SCALE[form_factor]
                    context = browser.new_context(
                        viewport={"width": width // scale, "height": height // scale},
                        device_scale_factor=scale, is_mobile=form_factor == "narrow",
                        has_touch=form_factor == "narrow", color_scheme="light",
                        locale="en-GB", timezone_id="Europe/London",
                        service_workers="block")  # no offers to install or be notified
                    page = context.new_page()
                    sign_in(page, server)
                    data = optimised(page.screenshot())
                    (STATIC / path).parent.mkdir(exist_ok=True)
                    (STATIC / path).write_bytes(data)
                    print(f"static/{path}: {width}x{height}, {len(data):,} bytes")
                    context.close()
                browser.close()
        finally:
            server.stop()
            app.config["DATABASE"].close()


if __name__ == "__main__":
    sys.exit(main())
