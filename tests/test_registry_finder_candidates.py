"""The finder's text search when only the status restricts it (candidates taken from the statuses
the index keeps in memory, not read from the database) finds exactly what the search within the ids
read from the database finds; a status changed behind the index's back is still obeyed;
the pagination macro shows the same page numbers without looping over every page."""
import re
from datetime import date

from flask import render_template_string
from sqlalchemy import update
from sqlmodel import select

from registry import services
from registry.finder import MAX_TEXT_MATCHES, MIN_SCORE, Filters, ResultPage, search
from registry.models import Enterprise
from registry.search import SearchIndex
from tests.registry_helpers import make_enterprise

NAMES = ["Atelier Namur ASBL", "Atelier du Bois Namur", "Ateliers Solidaires Liège", "L'Atelier Vert Namur",
         "Atelier Récup' Meuse", "Kringwinkel Scheldeland VZW", "Atelier Couture Namur", "Namur Nettoyage SCRL"]
STATUSES = ["validated", "pending", "validated", "suspended", "validated", "validated", "pending", "validated"]


def _registry(session):
    for i, (name, status) in enumerate(zip(NAMES, STATUSES), start=1):
        make_enterprise(session, name, i, status=status)


def _by_sql(session, q, statuses):
    """The former way: every id passing the status condition, read from the database."""
    from registry.index import get_index

    query = select(Enterprise.id)
    if statuses is not None:
        query = query.where(Enterprise.status.in_(statuses))
    allowed = session.exec(query).all()
    return [(m.id, m.score, m.field) for m in get_index(session).search(q, limit=MAX_TEXT_MATCHES, candidates=allowed)
            if m.score >= MIN_SCORE]


def test_status_only_search_equals_the_explicit_candidate_set(app, session):
    from common.db import get_session

    _registry(session)
    cases = [(Filters(q="atelier namur"), "public", ("validated",)),
             (Filters(q="atelier namur", validated_only=False), "buyer", ("validated", "pending")),
             (Filters(q="atelier namur", validated_only=False), "admin", None),  # every id
             (Filters(q="atelier", validated_only=False, sort="name"), "admin", None),
             (Filters(q="namur"), "buyer", ("validated",))]
    with app.app_context():
        for f, role, statuses in cases:
            page = search(get_session(), f, viewer_role=role, today=date.today(), min_share_pct=30, everything=True)
            expected = _by_sql(get_session(), f.q, statuses)
            got = [(h.enterprise.id, h.score) for h in page.hits]
            if f.sort == "relevance":
                assert got == [(i, s) for i, s, _ in expected], (f, role)
            else:
                assert sorted(got) == sorted((i, s) for i, s, _ in expected), (f, role)
            assert page.total == len(expected) and all(h.reasons for h in page.hits)
            assert all(statuses is None or h.enterprise.status in statuses for h in page.hits)
        public = search(get_session(), Filters(q="atelier namur"), viewer_role="public", today=date.today(),
                        min_share_pct=30)
        assert "L'Atelier Vert Namur" not in [h.enterprise.legal_name for h in public.hits]  # suspended
        assert "Atelier Namur ASBL" in [h.enterprise.legal_name for h in public.hits]


def test_a_status_changed_behind_the_index_is_obeyed(app, session, client):
    from common.db import get_session
    from registry.index import get_registry_index

    _registry(session)
    assert "Atelier Namur ASBL" in client.get("/registry/?q=atelier+namur").get_data(as_text=True)  # index built
    # A change of status that does not move updated_at (a raw UPDATE): the memory does not see it,
    # the database check does, and the profile is not shown.
    first = session.exec(select(Enterprise).where(Enterprise.legal_name == "Atelier Namur ASBL")).one()
    session.execute(update(Enterprise).where(Enterprise.id == first.id).values(status="suspended"))
    session.commit()
    html = client.get("/registry/?q=atelier+namur").get_data(as_text=True)
    assert "Atelier Namur ASBL" not in html and "Atelier du Bois Namur" not in html  # pending
    assert "Ateliers Solidaires Liège" in html or "Atelier Récup" in html
    # A change of status through the services moves updated_at: the memory follows at the next search.
    session.refresh(first)
    services.set_status(session, first, "validated", actor=None)
    assert "Atelier Namur ASBL" in client.get("/registry/?q=atelier+namur").get_data(as_text=True)
    with app.app_context():
        assert first.id in get_registry_index(get_session()).ids_with_status(("validated",))


def test_index_candidates_as_set_list_or_none_give_the_same_matches():
    """Above 4 x POOL_SIZE candidates the index filters its own candidates: same answer whatever the form."""
    index = SearchIndex()
    words = ["atelier", "namur", "bois", "récup", "meuse", "couture", "vert", "solidaire", "liège", "nettoyage"]
    for i in range(1500):
        name = f"{words[i % 10]} {words[(i // 10) % 10]} {words[(i // 100) % 10]} {i}"
        index.add(i, name, extra="Namur 5000" if i % 3 else "Liège 4000", extra_label="municipality")
    everything = list(range(1500))
    some = [i for i in everything if i % 4]
    for q in ("atelier namur", "bois meuse", "couture vert 42"):
        assert index.search(q, limit=500) == index.search(q, limit=500, candidates=everything)
        assert index.search(q, limit=500, candidates=frozenset(some)) == index.search(q, limit=500, candidates=some)
        assert index.search(q, limit=500, candidates=set(some)) == index.search(q, limit=500, candidates=iter(some))


def _numbers(app, page_no, pages):
    template = ('{% from "registry/_macros.html" import pagination with context %}{{ pagination(page) }}')
    with app.test_request_context(f"/registry/?q=x&page={page_no}"):
        html = render_template_string(template, page=ResultPage([], pages * 20, page_no, pages))
    return re.findall(r"<li>(?:<span aria-current=\"page\">(\d+)</span>|<a [^>]*>(\d+)</a>|(…))</li>", html)


def test_pagination_shows_first_last_and_neighbours(app):
    def shown(page_no, pages):
        return ["[%s]" % c if c else (a or e) for c, a, e in _numbers(app, page_no, pages)]

    assert shown(10, 5000) == ["1", "…", "8", "9", "[10]", "11", "12", "…", "5000"]
    assert shown(1, 50) == ["[1]", "2", "3", "…", "50"]
    assert shown(4, 50) == ["1", "2", "3", "[4]", "5", "6", "…", "50"]
    assert shown(50, 50) == ["1", "…", "48", "49", "[50]"]
    assert shown(2, 3) == ["1", "[2]", "3"]
    assert _numbers(app, 1, 1) == []
