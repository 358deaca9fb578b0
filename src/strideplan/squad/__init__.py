"""A squad around one gym (SPEC v2), a room on top of the single plan's floors:

* :mod:`.scenario`: the squad file (defaults merged into each athlete, the gym, the coach);
* :mod:`.build`: one CP-SAT model for every athlete with the gym's capacity, and its solve;
* :mod:`.start`, :mod:`.lagrange`, :mod:`.columns`, :mod:`.lns`: solving it — each
  athlete alone, Lagrangian cuts, the gym priced by column generation, the plan improved
  athlete by athlete;
* :mod:`.explain`: why a squad has no plan, down to the athlete and day;
* :mod:`.report`: the squad's pipeline (solve, check, explain, findings);
* :mod:`.workbook`: the squad workbook and one plan workbook per athlete.
"""
