"""Patients: registration, contact details, status."""
