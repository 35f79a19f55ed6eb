"""Registry services: profiles, history and audit, status workflow, eligibility, expiry, access
requests, the application's search index."""
from datetime import date, timedelta

import pytest
from sqlmodel import select

from audit.models import AuditEntry
from registry import services
from registry.eligibility import ExpiryWarning, expiry_warnings, reserved_eligibility
from registry.models import (Accreditation, ActivityArea, ActivityCpv, Enterprise, EnterpriseChange, EnterpriseMember)
from registry.validation import ValidationError
from tests.registry_helpers import make_enterprise, make_user, number


def test_create_records_history_audit_and_membership(session):
    firm = make_user(session, "a@firm.example")
    enterprise = services.create_enterprise(session, {
        "legal_name": "Atelier Récup' Meuse ASBL", "enterprise_number": f"BE {number(1)[:4]}.{number(1)[4:7]}.{number(1)[7:]}",
        "types": ["reuse_shop", "insertion"], "postal_code": "5000", "municipality": "Namur", "nuts3": "BE352",
        "legal_form": "VZW", "website": "recup.example", "languages": ["fr", "nl"]}, actor=firm)
    assert enterprise.enterprise_number == number(1)
    assert enterprise.status == "pending" and enterprise.region == "BE3" and enterprise.legal_form == "asbl"
    assert enterprise.website == "https://recup.example"
    types = session.exec(select(Accreditation.type_code).where(Accreditation.enterprise_id == enterprise.id)).all()
    assert sorted(types) == ["insertion", "reuse_shop"]
    assert session.exec(select(EnterpriseMember).where(EnterpriseMember.user_id == firm.id)).one()
    change = session.exec(select(EnterpriseChange)).one()
    assert change.action == "created" and change.actor_email == "a@firm.example"
    assert change.changes["legal_name"] == [None, "Atelier Récup' Meuse ASBL"]
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "enterprise.created")).one()


def test_update_keeps_a_field_level_diff(session):
    enterprise = make_enterprise(session)
    changes = services.update_enterprise(session, enterprise, {
        "legal_name": "Atelier Test ASBL", "enterprise_number": number(1), "postal_code": "5000", "municipality": "Namur",
        "nuts3": "BE352", "staff_total": "12", "staff_disadvantaged": "6", "languages": ["fr"]})
    assert changes == {"staff_total": [10, 12], "staff_disadvantaged": [5, 6]}
    last = session.exec(select(EnterpriseChange).order_by(EnterpriseChange.id.desc())).first()
    assert last.action == "updated" and last.changes == changes
    # Saving the same values again records nothing.
    count = len(session.exec(select(EnterpriseChange)).all())
    assert services.update_enterprise(session, enterprise, {
        "legal_name": "Atelier Test ASBL", "enterprise_number": number(1), "postal_code": "5000", "municipality": "Namur",
        "nuts3": "BE352", "staff_total": "12", "staff_disadvantaged": "6", "languages": ["fr"]}) == {}
    assert len(session.exec(select(EnterpriseChange)).all()) == count


def test_same_enterprise_number_is_refused(session):
    make_enterprise(session, "Premier ASBL", 1)
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(session, {"legal_name": "Autre ASBL", "enterprise_number": number(1),
                                             "types": ["insertion"]})
    assert set(exc.value.errors) == {"enterprise_number"}
    assert len(session.exec(select(Enterprise)).all()) == 1


def test_every_bad_field_is_named_at_once_and_nothing_is_written(session):
    with pytest.raises(ValidationError) as exc:
        services.create_enterprise(session, {
            "legal_name": "", "enterprise_number": "0431150351", "types": ["nonsense"], "postal_code": "12",
            "website": "javascript:alert(1)", "email": "not-an-email", "staff_total": "-3",
            "staff_disadvantaged": "2", "legal_form": "LLP?", "max_contract_eur": "-5"})
    assert set(exc.value.errors) >= {"legal_name", "enterprise_number", "types", "postal_code", "website", "email",
                                     "staff_total", "legal_form", "max_contract_eur"}
    assert session.exec(select(Enterprise)).all() == []


def test_status_workflow(session):
    admin = make_user(session, "admin@x.example", "admin")
    enterprise = make_enterprise(session, status="pending")
    services.set_status(session, enterprise, "validated", actor=admin)
    assert enterprise.status == "validated" and enterprise.validated_at is not None
    services.set_status(session, enterprise, "suspended", actor=admin, reason="expired accreditation")
    assert enterprise.status == "suspended" and enterprise.status_reason == "expired accreditation"
    with pytest.raises(ValidationError):
        services.set_status(session, enterprise, "suspended", actor=admin)
    services.set_status(session, enterprise, "validated", actor=admin)
    actions = [c.action for c in session.exec(select(EnterpriseChange).order_by(EnterpriseChange.id))]
    assert actions[-3:] == ["validated", "suspended", "validated"]
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "enterprise.suspended")).one().actor_id == admin.id


class Acc:
    def __init__(self, type_code, number, valid_from=None, valid_until=None):
        self.type_code, self.number, self.valid_from, self.valid_until = type_code, number, valid_from, valid_until


def test_reserved_eligibility_rules():
    today = date(2026, 6, 1)
    valid = [Acc("insertion", "EI-1", date(2020, 1, 1), date(2027, 1, 1))]
    assert reserved_eligibility("validated", 10, 3, valid, today, 30).eligible  # exactly 30 %
    assert reserved_eligibility("validated", 10, 2, valid, today, 30).reasons == ("share_low",)
    assert reserved_eligibility("validated", None, None, valid, today, 30).reasons == ("share_unknown",)
    assert reserved_eligibility("pending", 10, 5, valid, today, 30).reasons == ("not_validated",)
    expired = [Acc("insertion", "EI-1", None, date(2026, 5, 31))]
    assert reserved_eligibility("validated", 10, 5, expired, today, 30).reasons == ("no_accreditation",)
    assert reserved_eligibility("validated", 10, 5, [Acc("insertion", "", None, None)], today, 30).reasons == (
        "no_accreditation",)
    assert reserved_eligibility("validated", 10, 5, [Acc("insertion", "EI-2", None, None)], today, 30).eligible


def test_expiry_warnings_60_days_before_and_after():
    today = date(2026, 6, 1)
    accs = [Acc("insertion", "A", None, today + timedelta(days=59)), Acc("cooperative", "B", None, today + timedelta(days=61)),
            Acc("repair_cafe", "C", None, today - timedelta(days=1)), Acc("other", "", None, today)]
    assert expiry_warnings(accs, today, 60) == [ExpiryWarning("repair_cafe", today - timedelta(days=1), -1),
                                                ExpiryWarning("insertion", today + timedelta(days=59), 59)]


def test_activity_derived_rows_follow_coverage(session):
    enterprise = make_enterprise(session, activities=())
    activity = services.save_activity(session, enterprise, {"service_type": "works", "cpv_codes": "45210000-2, 45442100",
                                                            "coverage_kind": "regions", "coverage_areas": ["BE3"]})
    codes = session.exec(select(ActivityCpv.code).where(ActivityCpv.activity_id == activity.id)).all()
    assert sorted(codes) == ["45210000", "45442100"]
    areas = session.exec(select(ActivityArea.nuts3).where(ActivityArea.activity_id == activity.id)).all()
    assert "BE352" in areas and "BE100" not in areas and len(areas) == 21  # the 21 arrondissements of Wallonia
    services.save_activity(session, enterprise, {"service_type": "works", "cpv_codes": "45210000",
                                                 "coverage_kind": "radius", "radius_km": "30"}, activity=activity)
    areas = set(session.exec(select(ActivityArea.nuts3).where(ActivityArea.activity_id == activity.id)).all())
    assert "BE352" in areas and "BE351" in areas and "BE211" not in areas


def test_access_request_approved_by_a_member(session):
    owner, other, stranger = (make_user(session, f"{n}@firm.example") for n in ("owner", "other", "stranger"))
    enterprise = make_enterprise(session, member=owner)
    request = services.request_access(session, enterprise, other, "I am the director")
    with pytest.raises(ValidationError):
        services.request_access(session, enterprise, other)  # already waiting
    with pytest.raises(ValidationError):
        services.decide_access(session, request, True, actor=stranger)
    services.decide_access(session, request, True, actor=owner)
    members = session.exec(select(EnterpriseMember.user_id).where(EnterpriseMember.enterprise_id == enterprise.id)).all()
    assert sorted(members) == sorted([owner.id, other.id])
    with pytest.raises(ValidationError):
        services.decide_access(session, request, False, actor=owner)  # already decided


def test_index_is_built_lazily_and_follows_changes(app, session):
    from common.db import get_session
    from registry.index import EXTENSION_KEY, get_index

    make_enterprise(session, "Kringwinkel Scheldeland VZW", 1, postal_code="9200", municipality="Dendermonde", nuts3="BE232")
    with app.app_context():
        assert EXTENSION_KEY not in app.extensions
        index = get_index(get_session())
        assert [m.score >= 90 for m in index.search("kringwinkel schelde")] == [True]
    # A profile added behind the index's back (another process, the CLI) is found at the next query.
    make_enterprise(session, "Atelier Récup' Meuse ASBL", 2)
    with app.app_context():
        assert get_index(get_session()).search("recup meuse")[0].score > 80
        found = services.likely_duplicates(get_session(), "Atelier Recup Meuse", None, "5000")
        assert [d.enterprise.legal_name for d in found] == ["Atelier Récup' Meuse ASBL"]
        assert services.likely_duplicates(get_session(), "zzz", number(1))[0].same_number
