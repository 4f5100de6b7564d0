from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length, Optional

from .services import NOTE_MAX_LENGTH

BACK_TO = ("dashboard", "patient")


class ReviewForm(FlaskForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=NOTE_MAX_LENGTH)])
    flags = HiddenField()  # the flags shown, so that one that appeared since stays listed
    back = HiddenField()


class SiteMailForm(FlaskForm):
    """One site's review e-mail switch on the administrator's page."""

    site = HiddenField()
    state = HiddenField()
