def test_home_answers_in_spanish(as_visitor, db):
    response = as_visitor.get("/")
    assert response.status_code == 200
    assert 'lang="es-MX"' in response.content.decode()


def test_coordinator_reaches_audit_with_totp(as_coordinator):
    assert as_coordinator.get("/bitacora/").status_code == 200
