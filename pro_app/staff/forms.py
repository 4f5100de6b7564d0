from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from ..templating import ROLE_LABELS

NO_SITE = ""


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices of a SelectField."""
    return [SelectChoice(value, label) for value, label in pairs]


LANGUAGE_CHOICES = options([("fr", "Français"), ("en", "English")])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class AccountForm(FlaskForm):
    display_name = StringField(_l("Name (shown on signatures)"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=options(ROLE_LABELS.items()))
    site = SelectField(_l("Site"), description=_l("Required for research nurses and investigators."))
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)

    def set_sites(self, sites) -> None:
        self.site.choices = options([(NO_SITE, _l("No site (all sites)"))] + [(s.code, f"{s.code} · {s.name}")
                                                                               for s in sites])


class NewAccountForm(AccountForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Temporary password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 10 characters; give it to the person privately."))


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New temporary password"), validators=[DataRequired(), Length(max=200)],
                             description=_l("At least 10 characters; give it to the person privately."))
