from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..schedule.transitions import REASON_MAX_LENGTH
from ..staff.forms import options
from .labels import EDUCATION, LANGUAGE
from .status import LEAVING_STATUSES

NOT_RECORDED = ""


class DetailsForm(FlaskForm):
    """The fields shared by registration and corrections; choices depend on the protocol."""

    study_code = StringField(_l("Study code"), validators=[DataRequired(), Length(max=40)])
    language = SelectField(_l("Preferred language"), choices=options(LANGUAGE.items()))
    phone = TelField(_l("Mobile phone"), validators=[Optional(), Length(max=40)],
                     description=_l("Stored encrypted; used only to send questionnaire links."))
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)],
                           description=_l("Where the patient lives, e.g. Europe/Paris; text messages follow it."))
    inclusion_date = DateField(_l("Inclusion date"), validators=[InputRequired()])
    radiotherapy_date = DateField(_l("First radiotherapy date"), validators=[InputRequired()])
    surgery_date = DateField(_l("Surgery date"), validators=[Optional()],
                             description=_l("Leave empty until the surgery is done."))
    education_level = SelectField(_l("Education level"), description=_l("Used to interpret the MMSE."))
    sms_consent = BooleanField(_l("The patient agrees to receive questionnaire links by text message"),
                               default=True)
    confirm_warnings = BooleanField(_l("I have checked: the dates are right"))

    def set_education_levels(self, levels) -> None:
        self.education_level.choices = options([(NOT_RECORDED, _l("Not recorded"))] + [
            (level, EDUCATION.get(level, level)) for level in levels])


class RegistrationForm(DetailsForm):
    site = SelectField(_l("Site"))


class CorrectionForm(DetailsForm):
    version = HiddenField()
    reason = TextAreaField(_l("Reason for the correction"), validators=[DataRequired(), Length(max=500)],
                           description=_l("Kept in the audit trail with the old and new values."))


class StatusForm(FlaskForm):
    version = HiddenField()
    status = SelectField(_l("The patient leaves follow-up because of"), choices=options(zip(LEAVING_STATUSES, (
        _l("Withdrawal of consent"), _l("Death"), _l("Loss to follow-up")))))
    event_date = DateField(_l("Date of the event"), validators=[InputRequired()],
                           description=_l("The day of the withdrawal, the death or the last contact, not today's "
                                          "date unless it happened today."))
    reason = TextAreaField(_l("Details"), validators=[DataRequired(), Length(max=500)],
                           description=_l("Kept in the audit trail."))
    confirm = BooleanField(_l("I understand that every planned text message and visit of this patient is "
                              "cancelled"), validators=[DataRequired()])


class ResumeForm(FlaskForm):
    version = HiddenField()
    reason = TextAreaField(_l("Why the status was set in error"), validators=[DataRequired(), Length(max=500)],
                           description=_l("Kept in the audit trail. The visits and text messages cancelled by the "
                                          "status change are planned again; windows that have passed are missed."))


class NotDoneForm(FlaskForm):
    reason = TextAreaField(_l("Why the visit is not done"),
                           validators=[DataRequired(), Length(max=REASON_MAX_LENGTH)],
                           description=_l("Shown on the patient's page and kept in the audit trail."))
