from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .formats import FORMAT_LABELS, FORMATS

ALL_SITES = ""


def at_least_one(form, field) -> None:
    """Not InputRequired: its `required` attribute on every checkbox would demand all of them."""
    if not field.data:
        raise ValidationError(_l("Choose at least one format."))


class ExportForm(FlaskForm):
    formats = SelectMultipleField(
        _l("Formats"), choices=[SelectChoice(name, FORMAT_LABELS[name]) for name in FORMATS], default=list(FORMATS),
        validators=[at_least_one],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    site = SelectField(_l("Site"))
    submit = SubmitField(_l("Download the export (zip)"))

    def set_sites(self, sites, all_sites_allowed: bool) -> None:
        choices = [SelectChoice(ALL_SITES, _l("All sites"))] if all_sites_allowed else []
        self.site.choices = choices + [SelectChoice(site.code, f"{site.code} · {site.name}") for site in sites]
