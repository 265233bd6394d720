import pytest


@pytest.mark.django_db
def test_it_sends_anonymous_people_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_it_serves_the_sign_in_page_in_azerbaijani_with_a_nonce_csp(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "'nonce-" in csp and "unsafe-inline" not in csp
    assert response["Cache-Control"].startswith("no-store")
