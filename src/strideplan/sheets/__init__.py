"""The workbook's sheets, one module each, written through :class:`~.book.Book`
(XlsxWriter). Each ``write_*_sheet(book, result, name=...)`` adds one sheet for one
result, so a plan, a comparison and a squad workbook compose the same sheets:

- ``calendar.write_calendar_sheet(book, result, name="Calendar", title=None)``
- ``booklet.write_booklet_sheet(book, result, name="Booklet")``
- ``tables.write_sessions_sheet(book, result, name="Sessions")``,
  ``tables.write_exercises_sheet(book, result, name="Exercises")``,
  ``tables.write_changes_sheet(book, changes, name="Changes")``
- ``weekly.write_weekly_sheet(book, result, name="Weekly")``
- ``rules.write_rules_sheet(book, result, violations=(), name="Rules")``
- ``scenario.write_scenario_sheet(book, result, name="Scenario")``
- ``comparison.fill_comparison(book, results, names, metrics, diffs, note)``
- ``squad.write_squad_sheet(book, squad_result, name="Squad")``,
  ``squad.write_gym_sheet(book, squad_result, name="Gym")``

Open a book with ``with excel.new_book(path, plan_name, period) as book:`` (written
atomically when the block ends; see ``excel.write_workbook``).
"""
