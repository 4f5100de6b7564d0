from datetime import datetime, timezone

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from ..db import utcnow


class ConsentChangeForm(FlaskForm):
    reason = StringField(_l("How the patient told you"), validators=[DataRequired(), Length(max=200)],
                         description=_l("For example: asked by phone on the 3rd; said so at the visit."))
    # When the page was shown (naive UTC): a choice the patient made after it makes this change stale.
    shown_at = HiddenField()

    def show_now(self) -> "ConsentChangeForm":
        """Set on the page shown: it shows the patient's choice as it is now."""
        self.shown_at.data = utcnow().isoformat()
        return self

    def shown_at_time(self) -> datetime | None:
        """None if missing or unreadable. Tampering gains nothing: reloading the page gives a fresh time."""
        try:
            shown = datetime.fromisoformat(self.shown_at.data or "")
        except ValueError:
            return None
        if shown.tzinfo is not None:
            shown = shown.astimezone(timezone.utc).replace(tzinfo=None)
        return shown
