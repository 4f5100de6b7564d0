"""Instrument administrations, answers, scores and the patient's questionnaire pages."""
