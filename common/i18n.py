"""Languages: French, Dutch and English via Flask-Babel.

The language is the user's choice (session, then account), else the browser's preference, else the
configured default.
"""
from __future__ import annotations

from flask import current_app, g, request, session
from flask_babel import Babel, format_datetime

from common.timeutil import to_brussels

babel = Babel()

LANGUAGE_NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English", "de": "Deutsch"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    user = g.get("user")
    if user is not None and user.language in languages:
        return user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")

    @app.template_filter("local_dt")
    def local_dt(value, fmt="medium"):
        """A stored UTC datetime shown in Brussels time, in the user's language."""
        if value is None:
            return ""
        return format_datetime(to_brussels(value), fmt, rebase=False)

    # Amounts, numbers and dates per language (common/formatting.py). ``lang`` defaults to the
    # interface language; PDF/DOCX templates pass the document's language.
    from common import formatting

    def _lang(lang):
        from flask_babel import get_locale

        return lang or str(get_locale() or app.config.get("BABEL_DEFAULT_LOCALE", "fr"))

    @app.template_filter("money")
    def money_filter(value, lang=None, currency="EUR"):
        """``1234567.89|money`` -> fr ``1 234 567,89 €``, nl ``€ 1.234.567,89``, en ``€1,234,567.89``."""
        return formatting.money(value, _lang(lang), currency)

    @app.template_filter("number")
    def number_filter(value, places=None, lang=None):
        return formatting.number(value, _lang(lang), places)

    @app.template_filter("local_date")
    def local_date_filter(value, lang=None, fmt="medium"):
        """A date (or a stored UTC datetime's Brussels date) in the language."""
        return formatting.local_date(value, _lang(lang), fmt)

    @app.context_processor
    def language_context():
        from flask_babel import get_locale

        return {
            "current_language": str(get_locale()),
            "language_names": {code: LANGUAGE_NAMES[code] for code in app.config["LANGUAGES"]},
        }
