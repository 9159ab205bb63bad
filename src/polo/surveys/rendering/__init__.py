"""The web form's side of a questionnaire: from spec and answers to what the
templates draw (``fields``), from a POST back to answers (``posted``, with
``uploads`` for files and ``values`` for the input formats), the summary before
sending (``review``), what form.js evaluates (``client``), and the web form's
writes (``drafts``)."""
