"""The accessibility statement (law 306/2019, sections 15-16) as escaped HTML (pure: no
Streamlit).

The publisher's contact for accessibility feedback is configuration, not code: the environment
variable INNOMAP_CONTACT (an e-mail address, a web address or a line of text; README.md).
Without it the statement says that the publisher has not set a contact.
"""

from __future__ import annotations

import html
import os
import re

from innomap.i18n import format_date, t

CONTACT_VAR = "INNOMAP_CONTACT"
# When the statement's assessment was last made (automated and manual checks; see the text).
ASSESSED = "2026-11-28"
# The known non-conformities, each with its reason (also in KNOWN in
# tests/browser/test_browser_a11y.py when axe-core reports it).
ISSUES = ("statement.issue_grid", "statement.issue_chart", "statement.issue_canvas",
          "statement.issue_tiles", "statement.issue_controls")
# The English that stays on a Finnish or Swedish page: statement.issue_controls names each in
# every language, and tests/browser/test_browser_texts.py finds exactly these on the pages
# (Streamlit's other texts are translated: i18n.STREAMLIT_TEXTS, web/pagetexts.js).
REMAINING_ENGLISH = ("streamlit_folium.st_folium",)
# The tabs a statement text may name, as {tab_<key>} placeholders filled with the tab's own
# label, so that a renamed tab cannot leave a stale name in the statement.
TABS = ("map", "table", "chart", "matrix", "about", "statement")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


def contact(environ: dict[str, str] | None = None) -> str:
    """Return the publisher's contact from the environment, or "" when none is set."""
    return ((os.environ if environ is None else environ).get(CONTACT_VAR) or "").strip()


def contact_html(value: str, lang: str) -> str:
    """Return the contact as a link (e-mail or https address) or text, or the missing note."""
    if not value:
        return html.escape(t("statement.no_contact", lang))
    safe = html.escape(value, quote=True)
    if EMAIL.match(value):
        return f'<a href="mailto:{safe}">{safe}</a>'
    if value.startswith("https://") and not re.search(r"\s", value):
        return f'<a href="{safe}">{safe}</a>'
    return safe


def issue_text(key: str, lang: str) -> str:
    """Return a non-conformity's text with the tabs it names in their current labels."""
    return t(key, lang, **{f"tab_{tab}": t(f"tab.{tab}", lang) for tab in TABS})


def statement_html(lang: str, environ: dict[str, str] | None = None) -> str:
    """Return the statement in a language: status, non-conformities, assessment, feedback,
    supervising authority."""
    def p(key: str, **kw: str) -> str:
        return f"<p>{html.escape(t(key, lang, **kw))}</p>"

    def h(key: str, level: int = 4) -> str:
        return f"<h{level}>{html.escape(t(key, lang))}</h{level}>"

    date = format_date(ASSESSED, lang)
    issues = "".join(f"<li>{html.escape(issue_text(key, lang))}</li>" for key in ISSUES)
    parts = [
        f'<section class="innomap-statement" lang="{lang}">',
        h("statement.title", 3), p("statement.intro", date=date),
        h("statement.status_title"), p("statement.status"),
        h("statement.issues_title"), f"<ul>{issues}</ul>",
        h("statement.method_title"), p("statement.method_auto"),
        p("statement.method_manual"),
        h("statement.feedback_title"), p("statement.feedback"),
        f'<p class="innomap-contact">{contact_html(contact(environ), lang)}</p>',
        h("statement.authority_title"), p("statement.authority"),
        "</section>",
    ]
    return "\n".join(parts)
