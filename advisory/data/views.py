"""Your data: export (JSON, CSV), restore an export, import phone contacts, delete the account.

Views only parse, call the core (export, import_document, vcards), the importer and
the models, and render. Uploads are bounded: their size limits are set on the
request before the form is read, which is why this blueprint checks CSRF itself.
"""
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required, logout_user
from werkzeug.exceptions import RequestEntityTooLarge

from advisory.base_form import from_request
from advisory.core import import_document, vcards
from advisory.core.cadence import Cadence
from advisory.core.import_document import BadFile
from advisory.core.vocabulary import ROLES
from advisory.data import export, importer
from advisory.data.people import add_people, on_board
from advisory.data.forms import (
    ALL_TICKED_UP_TO,
    ConfirmImportForm,
    DeleteAccountForm,
    PeopleForm,
    Refused,
    UploadForm,
    too_large,
)
from advisory.extensions import csrf
from advisory.rendering import render

bp = Blueprint("data", __name__)
csrf.exempt(bp)  # checked in bounded(), once the upload limits are in place

MAX_UPLOAD = 20 * 2**20  # bytes; IMPORT_MAX_BYTES in the app's config overrides it


def upload_limit() -> int:
    return current_app.config.get("IMPORT_MAX_BYTES", MAX_UPLOAD)


@bp.before_request
@login_required
def bounded():
    """A signed-in account only; uploads bounded; every POST carries its CSRF token."""
    packed = ConfirmImportForm.packed_limit(upload_limit())  # the most a confirmation carries
    request.max_content_length = packed + 2**16  # room for the form around it
    request.max_form_memory_size = packed
    # A tick, a role and a last talk (a choice and a date) per person.
    request.max_form_parts = 4 * vcards.MAX_PEOPLE + 50
    csrf.protect()


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error):
    template = "data/vcard.html" if "vcard" in (request.endpoint or "") else "data/import.html"
    return render(template, form=UploadForm(formdata=None), error=too_large(upload_limit()),
                  status=413)


def count(number: int, one: str, many: str | None = None) -> str:
    """A number with its noun: "1 contact", "2 contacts"."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def download(chunks, mimetype: str, filename: str) -> Response:
    """A streamed attachment that no cache keeps."""
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.cache_control.no_store = True
    return response


@bp.get("/export.json")
def export_json():
    user = current_user._get_current_object()
    return download(export.json_chunks(user), "application/json",
                    f"advisory-{user.today():%Y-%m-%d}.json")


@bp.get("/export/<any(advisors, contacts):table>.csv")
def export_csv(table: str):
    user = current_user._get_current_object()
    rows = export.advisors_csv(user) if table == "advisors" else export.contacts_csv(user)
    return download(rows, "text/csv",
                    f"advisory-{table}-{user.today():%Y-%m-%d}.csv")


@bp.get("/import")
def import_page():
    return render("data/import.html", form=UploadForm())


@bp.post("/import")
def import_preview():
    """Read the export and show what importing it would add; nothing is written yet."""
    form = UploadForm()
    if not form.validate():
        return render("data/import.html", form=form, status=422)
    try:
        data = form.read(upload_limit())
        plan = importer.plan(current_user, import_document.parse(data))
    except BadFile as problem:
        return render("data/import.html", form=form, error=str(problem), status=422)
    confirm = ConfirmImportForm(formdata=None, document=ConfirmImportForm.pack(data),
                                settings=not current_user.advisors.exists())
    return render("data/import.html", form=form, plan=plan, confirm=confirm)


@bp.post("/import/confirm")
def import_confirm():
    form = ConfirmImportForm()
    try:
        document = import_document.parse(form.unpacked(upload_limit()))
        plan = importer.restore(current_user, document, settings=form.settings.data)
    except BadFile as problem:
        return render("data/import.html", form=UploadForm(formdata=None), error=str(problem),
                      status=422)
    flash(f"Imported: {count(len(plan.new_advisors), 'new advisor')} and "
          f"{count(plan.new_contacts, 'contact')}; "
          f"{count(len(plan.known_advisors), 'advisor')} already here.")
    return redirect(url_for("board.overview"), 303)


@bp.get("/import/vcard")
def vcard_page():
    return render("data/vcard.html", form=UploadForm())


@bp.post("/import/vcard")
def vcard_preview():
    """Everyone in the .vcf, to tick (a few people are ticked already), with a role and a
    last talk for all of them and for anyone who differs; nothing is written yet."""
    form = UploadForm()
    if not form.validate():
        return render("data/vcard.html", form=form, status=422)
    try:
        people = vcards.parse(form.read(upload_limit()))
    except BadFile as problem:
        return render("data/vcard.html", form=form, error=str(problem), status=422)
    return people_page(people, PeopleForm(formdata=None, people=PeopleForm.pack(people)),
                       PeopleForm.first_ticks(people))


def people_page(people, form: PeopleForm, picked: set[int], sent=None,
                problems: list[str] = (), status: int = 200):
    """The preview, or the same page again with what to fix and all that was chosen."""
    present = on_board(current_user, people)
    defaults = {key: Cadence.parse(current_user.default_cadence(key)).label() for key in ROLES}
    return render("data/vcard.html", people=people, present=present, people_form=form,
                  picked=picked, sent=sent or {}, defaults=defaults, problems=problems,
                  many=len(people) > ALL_TICKED_UP_TO, status=status)


@bp.post("/import/vcard/add")
def vcard_add():
    form = PeopleForm(today=current_user.today())
    try:
        people = form.unpacked()
    except BadFile as problem:
        return render("data/vcard.html", form=UploadForm(formdata=None), error=str(problem),
                      status=422)
    sent = from_request(form)  # what the form read: a form post, or a JSON body's fields
    try:
        added, skipped = add_people(current_user, form.chosen(people, sent))
    except Refused as refused:
        picked, _ = form.ticks(people, sent)
        return people_page(people, form, picked, sent, refused.problems, 422)
    note = f" {count(len(skipped), 'person', 'people')} already on your board." if skipped else ""
    flash(f"Added {count(len(added), 'person', 'people')} to your board.{note}")
    return redirect(url_for("board.overview"), 303)


@bp.route("/account/delete", methods=["GET", "POST"])
def delete_account():
    """Delete the account and everything in it, after the password; then sign out."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            current_user.delete_account()
            logout_user()
            flash("Your account and everything in it were deleted.")
            return redirect(url_for("auth.login"), 303)
        form.password.errors.append("That is not your password.")
    return render("data/delete.html", form=form, status=422 if form.errors else 200)
