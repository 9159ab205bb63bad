"""The language switcher: a plain POST form, Spanish first, English second."""

from __future__ import annotations

import re


def test_spanish_is_the_default(as_visitor, db):
    html = as_visitor.get("/").content.decode()
    assert '<html lang="es-MX">' in html
    assert 'name="language" value="en"' in html


def test_the_switcher_is_a_post_form_with_a_csrf_token_and_the_current_page(as_visitor, db):
    html = as_visitor.get("/directorio/?q=agua").content.decode()
    form = re.search(r'<form method="post" action="/i18n/setlang/".*?</form>', html, re.S)
    assert form, "no language form"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert 'name="next" value="/directorio/?q=agua"' in form.group(0)


def test_switching_to_english_and_back_keeps_the_visitor_on_the_same_page(as_visitor, db):
    response = as_visitor.post("/i18n/setlang/", {"language": "en", "next": "/directorio/"})
    assert response.status_code == 302
    assert response["Location"] == "/directorio/"
    html = as_visitor.get("/directorio/").content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="es-mx"' in html
    as_visitor.post("/i18n/setlang/", {"language": "es-mx", "next": "/"})
    assert '<html lang="es-MX">' in as_visitor.get("/").content.decode()


def test_it_refuses_a_language_polo_does_not_offer(as_visitor, db):
    as_visitor.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="es-MX">' in as_visitor.get("/").content.decode()


def test_it_does_not_redirect_to_another_site(as_visitor, db):
    response = as_visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "https://malo.example/"}
    )
    assert response.status_code == 302
    assert "malo.example" not in response["Location"]
