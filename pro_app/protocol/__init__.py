"""The study protocol (schedule, reminder policy, scoring rules) read from a data file."""
from .loader import ProtocolError, load_protocol
from .model import InstrumentAtVisit, Protocol, ReminderPolicy, VisitRule

__all__ = ["InstrumentAtVisit", "Protocol", "ProtocolError", "ReminderPolicy", "VisitRule", "load_protocol"]
