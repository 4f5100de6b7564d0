"""A synthetic study bulk-inserted into a throwaway SQLite database, for bench/export.py.

Every patient answers the QLQ-C30 at every visit (30 item answers, 16 scores from the real
scoring core) and gets one delivered invitation per visit: 20,000 x 5 x 30 = 3 million item
answers, the issue's figure. With `mmse=True` every visit also has an MMSE (32 item
answers, 6 scores). No phone numbers are stored.
"""
from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import numpy as np

from pro_app.instruments.mmse import BINARY_ITEMS, SERIAL7_ITEMS
from pro_app.instruments.qlq_c30 import ITEMS, SCORE_CODES
from pro_app.scoring import mmse as mmse_scoring
from pro_app.scoring import qlq_c30 as qlq_scoring

SITES = 7
MISSING_SHARE = 0.02
MMSE_SCALES = ("MMSE_TOTAL", "MMSE_PRORATED", "SERIAL7", "SPELLING", "ATTENTION", "ITEMS_NOT_ADMINISTRABLE")


def populate(path: str, protocol, patients: int, mmse: bool = False, seed: int = 2024) -> dict[str, int]:
    rng = np.random.default_rng(seed)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    counts = {"patients": patients}
    with connection:
        _patients(connection, protocol, patients)
        visits = _visits(connection, protocol, patients, mmse)
        counts["visits"] = len(visits)
        counts["qlq_answers"] = _qlq(connection, visits, rng)
        counts["mmse_answers"] = _mmse(connection, visits, rng) if mmse else 0
        counts["messages"] = _messages(connection, visits)
    connection.close()
    return counts


def _patients(connection, protocol, patients: int) -> None:
    connection.executemany("INSERT INTO site (id, code, name) VALUES (?, ?, ?)",
                           [(i + 1, code, name) for i, (code, name) in enumerate(protocol.sites[:SITES])])
    rows = []
    for number in range(patients):
        site = number % SITES
        inclusion = date(2023, 1, 2) + timedelta(days=number % 365)
        rows.append((number + 1, f"STEP-{site + 1:02d}-{number // SITES:04d}", site + 1, "fr", "Europe/Paris",
                     inclusion.isoformat(), (inclusion + timedelta(days=10)).isoformat(), "secondary_or_higher",
                     "active", 1, "2023-01-01 00:00:00.000000", 1))
    connection.executemany(
        "INSERT INTO patient (id, study_code, site_id, language, timezone, inclusion_date, radiotherapy_date, "
        "education_level, status, sms_consent, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def _visits(connection, protocol, patients: int, mmse: bool) -> list[tuple]:
    visits, admins = [], []
    for patient in range(1, patients + 1):
        base = date(2023, 1, 2) + timedelta(days=(patient - 1) % 365)
        for index, code in enumerate(protocol.visit_codes):
            target = base + timedelta(days=91 * index)
            visit_id = len(visits) + 1
            done = datetime.combine(target, datetime.min.time()) + timedelta(hours=9, minutes=patient % 60)
            visits.append((visit_id, patient, code, target.isoformat(), (target - timedelta(days=14)).isoformat(),
                           (target + timedelta(days=28)).isoformat(), "completed", _stamp(done)))
    connection.executemany("INSERT INTO visit (id, patient_id, code, target_date, window_opens, window_closes, "
                           "status, completed_at) VALUES (?,?,?,?,?,?,?,?)", visits)
    for visit in visits:
        for offset, (instrument, mode, pack) in enumerate((("qlq_c30", "phone", "qlq_c30_demo"),
                                                           ("mmse", "nurse", "mmse_demo"))):
            if instrument == "mmse" and not mmse:
                continue
            details = '{"attention_rule": "greco", "word_list": "demo"}' if instrument == "mmse" else "{}"
            admins.append((visit[0] * 2 - 1 + offset, visit[0], instrument, mode, "submitted", "fr", pack, "1.0",
                           visit[7], visit[7], details, 1))
    connection.executemany("INSERT INTO administration (id, visit_id, instrument, mode, status, language, pack_id, "
                           "pack_version, started_at, submitted_at, details, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                           admins)
    return visits


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.000000")


def _qlq(connection, visits, rng) -> int:
    highs = np.array([item.response_scale.high for item in ITEMS])
    answers = rng.integers(1, highs + 1, size=(len(visits), len(ITEMS))).astype(float)
    answers[rng.random(answers.shape) < MISSING_SHARE] = np.nan
    scores = qlq_scoring.score_batch(answers)
    admin_ids = np.arange(len(visits)) * 2 + 1
    rows = ((int(admin), f"q{column + 1}", "answered" if value == value else "skipped",
             int(value) if value == value else None, "2023-01-01 00:00:00.000000")
            for admin, row in zip(admin_ids, answers) for column, value in enumerate(row))
    _insert_answers(connection, rows)
    _insert_scores(connection, ((int(admin), code, None if np.isnan(value) else float(value),
                                 qlq_scoring.ALGORITHM_VERSION)
                                for code in SCORE_CODES for admin, value in zip(admin_ids, scores[code])))
    return answers.size


def _mmse(connection, visits, rng) -> int:
    binary = rng.integers(0, 2, size=(len(visits), len(BINARY_ITEMS)))
    admin_ids = np.arange(len(visits)) * 2 + 2
    said = (93, 86, 79, 72, 65)
    rows = []
    for admin, items in zip(admin_ids, binary):
        rows += [(int(admin), code, "answered", int(value), "2023-01-01 00:00:00.000000")
                 for code, value in zip(BINARY_ITEMS, items)]
        rows += [(int(admin), code, "answered", number, "2023-01-01 00:00:00.000000")
                 for code, number in zip(SERIAL7_ITEMS, said)]
        rows.append((int(admin), "registration_trials", "answered", 1, "2023-01-01 00:00:00.000000"))
    _insert_answers(connection, rows)
    connection.executemany("INSERT INTO item_answer (administration_id, item_code, state, text_value, saved_at) "
                           "VALUES (?, 'spelling', 'answered', 'EDNOM', '2023-01-01 00:00:00.000000')",
                           [(int(admin),) for admin in admin_ids])
    totals = binary.sum(axis=1) + 5
    values = dict(zip(MMSE_SCALES, (totals, totals, np.full(len(totals), 5), np.full(len(totals), 5),
                                    np.full(len(totals), 5), np.zeros(len(totals)))))
    _insert_scores(connection, ((int(admin), scale, float(value), mmse_scoring.ALGORITHM_VERSION)
                                for scale in MMSE_SCALES for admin, value in zip(admin_ids, values[scale])))
    return len(rows) + len(admin_ids)


def _insert_answers(connection, rows) -> None:
    connection.executemany("INSERT INTO item_answer (administration_id, item_code, state, value, saved_at) "
                           "VALUES (?,?,?,?,?)", rows)


def _insert_scores(connection, rows) -> None:
    connection.executemany("INSERT INTO score (administration_id, scale, value, algorithm_version, computed_at) "
                           "VALUES (?,?,?,?,'2023-01-01 00:00:00.000000')", rows)


def _messages(connection, visits) -> int:
    rows = [(visit[1], visit[0] * 2 - 1, "invitation", "delivered", visit[4] + " 08:00:00.000000",
             visit[5] + " 18:00:00.000000", 1, f"SM{visit[0]:032d}", visit[4] + " 08:00:05.000000", "fr",
             "2023-01-01 00:00:00.000000") for visit in visits]
    connection.executemany("INSERT INTO outbound_message (patient_id, administration_id, kind, status, due_at, "
                           "not_after, attempts, provider_sid, sent_at, language, created_at) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    return len(rows)
