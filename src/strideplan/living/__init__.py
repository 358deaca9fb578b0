"""The living plan (SPEC v2, v3), a room on top of the single plan's floors:

* :mod:`.replan`: re-plan from what happened (status column, log, watch), the past fixed;
* :mod:`.stability`: the re-plan's own rule, few changes against the published plan;
* :mod:`.activities`: the watch's history (FIT files, Strava and Garmin exports);
* :mod:`.ics`: the plan as an iCalendar file;
* :mod:`.workouts`: the plan as structured workout files for the watch.
"""
