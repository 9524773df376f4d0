"""Server-rendered pages of clubs, events (calendar, registration, tickets, check-in), surveys and
the iCalendar feeds, one module per page group.

Views are thin: every read starts from ``Model.objects.for_user(request.user)`` (or a selector in
``clubs.surveys`` / ``clubs.calendar`` that does), every write goes through ``clubs.services`` or
``clubs.surveys``. A service's refusal comes back as a message on the page; an action only managers
may take answers 403 to anyone else before anything is looked up or changed.
"""
