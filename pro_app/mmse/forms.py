"""The MMSE's fixed forms; a section's item fields are read by `parsing.parse_section`."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..patients.labels import LANGUAGE
from ..staff.forms import options


class StartForm(FlaskForm):
    version = HiddenField()
    language = SelectField(_l("Language the MMSE is given in"), choices=options(LANGUAGE.items()),
                           description=_l("It decides the backwards spelling word (MONDE or WORLD)."))
    glasses = BooleanField(_l("The patient wears glasses or lenses for the test"))
    hearing_aid = BooleanField(_l("The patient uses a hearing aid for the test"))


class SectionForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(_l("Reason for the correction"), validators=[Optional(), Length(max=500)],
                           description=_l("Required: this MMSE is signed; the change is audited."))


class SignForm(FlaskForm):
    version = HiddenField()
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("Re-enter your password to sign."))
