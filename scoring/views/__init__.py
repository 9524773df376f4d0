"""Pages of the scoring module (Django templates + htmx), one module per page group: ``rankings``
(with a blind mode and a fairness panel), ``scores`` (a candidate's breakdown, eligibility and
contests), ``rubrics`` (rubrics, their editor and eligibility rule sets) and ``model_card`` (the
potential model).

Views are thin: reads go through ``scoring.selectors`` or ``for_user`` querysets, writes through
``scoring.services`` (which check roles again). Who may open which page is decided here, before any
lookup, so a role without access gets the same 403 whatever it asks for.
"""
