"""Polo as an OpenRosa server, for ODK Collect, KoboCollect and Enketo.

A facilitator is given the server URL ``http(s)://HOST/openrosa``, the e-mail of
the account as user name and an app password (``auth.py``: HTTP Digest, or
Basic over HTTPS, never the account password). The collecting app then asks:

- ``GET /openrosa/formList``: the rounds open to that person, one form each
  (``responses.py`` writes the list and the served XForm, whose instance id is
  the round's ``xform_id``);
- ``GET /openrosa/forms/<xform_id>/form.xml``: the form itself;
- ``HEAD /openrosa/submission`` then ``POST /openrosa/submission``: a filled-in
  instance as ``xml_submission_file`` and its photos and documents as other
  parts. ``instance.py`` reads the instance into ``Response.data`` (and writes
  one from data, for tests and web clients); ``submission.py`` checks it with
  ``validation`` (the server is authoritative) and stores it whole or not at all.

Specifications followed: the OpenRosa HTTP Request, Form List, Form Submission
and Authentication APIs (docs.getodk.org/openrosa-*), and ODK Central's answers
where the specification leaves a choice (a repeated instance id).
"""
