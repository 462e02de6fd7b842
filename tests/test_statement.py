"""The accessibility statement: every part the law asks for, in three languages, and the
publisher's contact from configuration (escaped; a note when it is missing)."""

from __future__ import annotations

import html

import pytest

from innomap.i18n import t
from innomap.schema import LANGS
from innomap.statement import CONTACT_VAR, ISSUES, statement_html

PARTS = ("statement.title", "statement.status_title", "statement.issues_title",
         "statement.method_title", "statement.feedback_title", "statement.authority_title")


@pytest.mark.parametrize("lang", LANGS)
def test_the_statement_has_every_part_in_the_language(lang):
    out = statement_html(lang, {})
    for key in (*PARTS, *ISSUES):
        assert html.escape(t(key, lang)) in out, key
    assert 'lang="' + lang + '"' in out
    assert "WCAG 2.1" in out


@pytest.mark.parametrize("lang", LANGS)
def test_without_a_contact_the_statement_says_so(lang):
    assert t("statement.no_contact", lang) in statement_html(lang, {})


def test_an_email_contact_becomes_a_mailto_link():
    out = statement_html("fi", {CONTACT_VAR: " saavutettavuus@example.fi "})
    assert '<a href="mailto:saavutettavuus@example.fi">saavutettavuus@example.fi</a>' in out
    assert t("statement.no_contact", "fi") not in out


def test_a_web_address_becomes_a_link_and_other_text_stays_text():
    assert '<a href="https://example.fi/palaute">' in statement_html(
        "en", {CONTACT_VAR: "https://example.fi/palaute"})
    out = statement_html("en", {CONTACT_VAR: '<script>x</script> "javascript:alert(1)"'})
    assert "<script>" not in out and "&lt;script&gt;" in out and "<a " not in out


@pytest.mark.parametrize(("lang", "agency", "site"), [
    ("fi", "Liikenne- ja viestintävirasto Traficomille 1.1.2025 alkaen",
     "www.saavutettavuusvaatimukset.fi"),
    ("sv", "Transport- och kommunikationsverket Traficom från och med den 1 januari 2025",
     "www.tillganglighetskrav.fi"),
    ("en", "the Finnish Transport and Communications Agency Traficom as of 1 January 2025",
     "www.webaccessibility.fi"),
])
def test_the_authority_is_traficom_as_the_government_proposal_says(lang, agency, site):
    """HE 71/2024 moves the supervision from AVI to Traficom from 1.1.2025 (README.md cites it);
    the reader is sent to the supervisor's site for current contact details."""
    text = t("statement.authority", lang)
    assert "14" in text and "71/2024" in text and agency in text and site in text
    assert "avi.fi" not in text and "2025–2026" not in text
