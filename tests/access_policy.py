"""The declared access policy: for every URL rule, what each role gets on a GET.

A test (tests/test_access.py) checks every entry against the running app, and fails when a route
exists without an entry here. Codes: 200 page, 302 redirect (anonymous users go to the login page),
403 forbidden, 404 hidden, 405 GET not allowed (POST-only actions; their POST access is tested
beside the feature).
"""

ROLES = ("anonymous", "buyer", "firm", "auditor", "admin")
ALL_200 = dict.fromkeys(ROLES, 200)
LOGGED_IN_200 = {"anonymous": 302, "buyer": 200, "firm": 200, "auditor": 200, "admin": 200}


def only(*roles, anonymous=302):
    return {r: (200 if r in roles else 403) for r in ROLES} | {"anonymous": anonymous}


POST_ONLY = dict.fromkeys(ROLES, 405)

# endpoint -> (URL to request, expected status per role)
POLICY = {
    "home": ("/", ALL_200),
    "static": ("/static/css/app.css", ALL_200),
    "accounts.login": ("/login", ALL_200),
    "accounts.logout": ("/logout", POST_ONLY),
    "accounts.password": ("/account/password", LOGGED_IN_200),
    "accounts.language": ("/language/nl", dict.fromkeys(ROLES, 302)),
    "admin.users": ("/admin/users", only("admin")),
    "admin.set_active": ("/admin/users/1/active", POST_ONLY),
}
