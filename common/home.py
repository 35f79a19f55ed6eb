"""Home page: what the product does, and each role's starting points."""
from flask import g, render_template


def home():
    return render_template("home.html", user=g.get("user"))


def register_home(app) -> None:
    app.add_url_rule("/", "home", home)
