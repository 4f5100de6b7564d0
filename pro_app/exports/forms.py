from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from .formats import FORMAT_LABELS, FORMATS

ALL_SITES = ""


class ExportForm(FlaskForm):
    formats = SelectMultipleField(
        _l("Formats"), choices=[SelectChoice(name, FORMAT_LABELS[name]) for name in FORMATS], default=list(FORMATS),
        validators=[InputRequired(message=_l("Choose at least one format."))],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    site = SelectField(_l("Site"))
    submit = SubmitField(_l("Download the export (zip)"))

    def set_sites(self, sites, all_sites_allowed: bool) -> None:
        choices = [SelectChoice(ALL_SITES, _l("All sites"))] if all_sites_allowed else []
        self.site.choices = choices + [SelectChoice(site.code, f"{site.code} · {site.name}") for site in sites]
