"""French, Dutch and English: switching on every page, browser preference, completeness."""
from html import unescape

import pytest
from babel.messages.pofile import read_po

from tests.conftest import ROOT, login

HOME_TITLE = {
    "fr": "Des marchés publics qui créent de l'emploi",
    "nl": "Overheidsopdrachten die banen scheppen",
    "en": "Public contracts that create jobs",
}


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_language_switch(client, lang):
    response = client.get(f"/language/{lang}?next=/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = unescape(client.get("/").get_data(as_text=True))
    assert HOME_TITLE[lang] in html
    assert f'<html lang="{lang}">' in html


def test_browser_preference_is_used_when_no_choice(client):
    html = client.get("/", headers={"Accept-Language": "nl-BE,nl;q=0.9"}).get_data(as_text=True)
    assert HOME_TITLE["nl"] in html


def test_choice_beats_browser_and_is_kept_on_the_account(client, demo):
    login(client, "buyer@demo.example")
    client.get("/language/en?next=/")
    html = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert HOME_TITLE["en"] in html
    other = client.application.test_client()
    login(other, "buyer@demo.example")
    assert HOME_TITLE["en"] in other.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)


def test_switcher_on_every_page(client):
    html = client.get("/login").get_data(as_text=True)
    for code in ("fr", "nl", "en"):
        assert f"/language/{code}?next=" in html


def test_error_pages_are_translated(client):
    client.get("/language/nl?next=/")
    html = client.get("/no-such-page").get_data(as_text=True)
    assert "Pagina niet gevonden" in html


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_catalogue_is_complete(lang):
    """Every string of the interface has a real translation (no empty or fuzzy entries)."""
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh)
    pot_path = ROOT / "translations" / "messages.pot"
    with pot_path.open("rb") as fh:
        template = read_po(fh)
    missing = [m.id for m in template if m.id and (m.id not in catalog or not catalog[m.id].string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{lang}: untranslated: {missing[:10]} (+{max(0, len(missing) - 10)})"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy[:10]}"


def test_pot_is_up_to_date(tmp_path):
    """The template lists every string the code uses (run `make messages` after adding strings)."""
    from babel.messages.frontend import CommandLineInterface

    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                                "-o", str(out), str(ROOT)])
    with out.open("rb") as fh:
        fresh = {str(m.id) for m in read_po(fh) if m.id}
    with (ROOT / "translations" / "messages.pot").open("rb") as fh:
        stored = {str(m.id) for m in read_po(fh) if m.id}
    assert not fresh - stored, f"strings missing from messages.pot: {sorted(fresh - stored)[:10]}"
