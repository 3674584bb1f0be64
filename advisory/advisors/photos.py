"""A person's photo: adding, replacing and removing it from their page (a plain form that
works without JavaScript), and serving its two sizes to their owner.

A phone's photo is larger than the app's 1 MB limit for forms, so this blueprint alone
raises it, to core.photos.MAX_BYTES, before the body is read (as data/views.py does for
imports); its text fields keep the app-wide per-field limits."""
from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf.file import FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.validators import ValidationError

from advisory.advisors.views import owned_or_404
from advisory.base_form import Form
from advisory.core import photos
from advisory.extensions import csrf
from advisory.models import Advisor, Photo
from advisory.rendering import render

bp = Blueprint("photos", __name__, url_prefix="/advisors/<int:advisor_id>/photo")
csrf.exempt(bp)  # checked in bounded(), once the upload limit is in place

ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif"
FOR_GOOD = "private, max-age=31536000, immutable"


class PhotoForm(Form):
    photo = FileField("Photo", validators=[FileRequired("Choose a photo.")],
                      render_kw={"accept": ACCEPT})
    made: photos.Renditions

    def validate_photo(self, field):
        try:
            self.made = photos.renditions(field.data.read(photos.MAX_BYTES + 1))
        except photos.BadPhoto as refused:
            raise ValidationError(str(refused)) from refused


@bp.before_request
@login_required
def bounded():
    """A signed-in account only; an upload up to a phone photo's size; every POST carries
    its CSRF token."""
    request.max_content_length = photos.MAX_BYTES + 2**16  # room for the form around it
    csrf.protect()


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    advisor = owned_or_404(request.view_args["advisor_id"])
    form = PhotoForm(formdata=None)
    form.photo.errors = [photos.TOO_MANY_BYTES]
    return page(advisor, form, 413)


def page(advisor: Advisor, form: PhotoForm, status: int = 200):
    return render("advisors/photo.html", advisor=advisor, form=form,
                  hint=f"JPEG, PNG, WebP or HEIC, up to {photos.MAX_BYTES // 2**20} MB. "
                       "Cut to a square around the middle; where it was taken is not kept.",
                  status=status)


@bp.route("", methods=["GET", "POST"])
def edit(advisor_id: int):
    """Add or replace the photo; a refused file leaves the one they had."""
    advisor = owned_or_404(advisor_id)
    form = PhotoForm()
    if form.validate_on_submit():
        Photo.put(advisor, form.made)
        flash(f"Photo of {advisor.name} saved.")
        return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)
    return page(advisor, form, 422 if form.errors else 200)


@bp.post("/remove")
def remove(advisor_id: int):
    advisor = owned_or_404(advisor_id)
    Photo.remove(advisor)
    flash(f"Photo of {advisor.name} removed: their initials show instead.")
    return redirect(url_for("advisors.detail", advisor_id=advisor.id), 303)


@bp.get("/<size>.webp")
def image(advisor_id: int, size: str):
    """One size of the photo, to its owner only. At its current version (?v=) it is kept
    for good; any other address is checked again each time, so a replaced photo shows."""
    photo = Photo.shown(current_user, advisor_id, size)
    if photo is None:
        abort(404)
    response = Response(bytes(photo.data), mimetype=photo.content_type)
    response.set_etag(f"{photo.digest}-{size}")
    response.headers["Cache-Control"] = (FOR_GOOD if request.args.get("v") == photo.digest
                                         else "private, no-cache")
    return response.make_conditional(request)
