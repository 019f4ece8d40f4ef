"""Hours and attendance (issue 25): groups and their timetable (timetable.py, groups.py), the
append-only ledger (ledger.py), her notices and certificates (notices.py), a month's figures and
its closing (months.py), and what the screens show (sheets.py)."""
