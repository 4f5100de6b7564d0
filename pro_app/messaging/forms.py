from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class ConsentChangeForm(FlaskForm):
    reason = StringField(_l("How the patient told you"), validators=[DataRequired(), Length(max=200)],
                         description=_l("For example: asked by phone on the 3rd; said so at the visit."))
