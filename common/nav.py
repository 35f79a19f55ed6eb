"""Navigation by role: each entry is shown only to the roles that may use it, and only once the
feature's endpoint exists."""
from flask import current_app, g, url_for
from flask_babel import lazy_gettext as _l

# (endpoint, label, roles allowed; None = everyone)
NAV = [
    ("registry.directory", _l("Directory"), None),
    ("registry.search", _l("Search enterprises"), {"buyer", "admin", "auditor"}),
    ("registry.my_profiles", _l("My enterprises"), {"firm"}),
    ("procurement.tenders", _l("Tenders"), {"buyer", "auditor", "admin", "firm"}),
    ("matching.for_you", _l("Tenders for you"), {"firm"}),
    ("bids.my_bids", _l("My bids"), {"firm"}),
    ("procurement.joint_invitations", _l("Joint purchasing invitations"), {"buyer"}),
    ("monitoring.contracts", _l("Contracts"), {"buyer", "auditor", "admin", "firm"}),
    ("impact.dashboard", _l("Impact"), None),
    ("registry.admin_queue", _l("Validation queue"), {"admin"}),
    ("admin.users", _l("Users"), {"admin"}),
]


def nav_items():
    user = g.get("user")
    role = user.role if user else None
    items = []
    for endpoint, label, roles in NAV:
        if endpoint not in current_app.view_functions:
            continue
        if roles is not None and role not in roles:
            continue
        items.append((url_for(endpoint), label, endpoint))
    return items


ROLE_LABELS = {
    "buyer": _l("buyer"),
    "firm": _l("enterprise"),
    "auditor": _l("auditor"),
    "admin": _l("administrator"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def init_app(app) -> None:
    app.context_processor(lambda: {"nav_items": nav_items, "role_label": role_label})
