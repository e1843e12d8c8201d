"""Password rules are explained in the formal address, in Polish."""

import pytest

pytestmark = pytest.mark.django_db


def test_registration_explains_password_rules_formally_in_polish(client):
    html = client.get("/konto/rejestracja/").content.decode()
    assert "Hasło musi zawierać co najmniej 10 znaków." in html
    assert "Twoje hasło" not in html
