"""The accessibility statement: every part the law asks for, in three languages, and the
publisher's contact from configuration (escaped; a note when it is missing)."""

from __future__ import annotations

import html
import re

import pytest

from innomap.i18n import catalogue, t
from innomap.schema import LANGS
from innomap.statement import (
    CONTACT_VAR,
    ISSUES,
    REMAINING_ENGLISH,
    TABS,
    issue_text,
    statement_html,
)

PARTS = ("statement.title", "statement.status_title", "statement.issues_title",
         "statement.method_title", "statement.feedback_title", "statement.authority_title")


@pytest.mark.parametrize("lang", LANGS)
def test_the_statement_has_every_part_in_the_language(lang):
    out = statement_html(lang, {})
    for key in PARTS:
        assert html.escape(t(key, lang)) in out, key
    for key in ISSUES:
        assert html.escape(issue_text(key, lang)) in out, key
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


# How each language points at a tab: by the tab's label placeholder (attached), or without a
# name (generic: "on another tab", "the map tab", "the tabs").
TAB_WORD = {"fi": r"\S*välileh\w*", "sv": r"\S*flik\w*", "en": r"\btabs?\b"}
NAMED_TAB = {"fi": r"\{tab_\w+\} ?-välileh\w*", "sv": r"\bflik(?:en|arna) \{tab_\w+\}",
             "en": r"\{tab_\w+\} tabs?\b"}
UNNAMED_TAB = {"fi": ("toisella välilehdellä", "karttavälilehdellä", "jokaisella välilehdellä",
                      "välilehtien"),
               "sv": ("en annan flik", "kartfliken", "varje flik", "flikarna och"),
               "en": ("another tab", "the map tab", "every tab", "the tabs and")}


@pytest.mark.parametrize("lang", LANGS)
def test_the_statement_names_tabs_only_by_their_labels(lang):
    """A tab named in a statement text is a {tab_*} placeholder, so a renamed tab cannot leave
    a stale name behind (the Finnish texts once named "Kunnat × painopisteet")."""
    for key, text in catalogue(lang).items():
        if key.startswith("statement."):
            rest = re.sub(NAMED_TAB[lang], "", text)
            for phrase in UNNAMED_TAB[lang]:
                rest = rest.replace(phrase, "")
            assert not re.findall(TAB_WORD[lang], rest), (key, rest)
            assert set(re.findall(r"\{tab_(\w+)\}", text)) <= set(TABS), key


def test_the_statements_tabs_are_the_apps_tabs():
    from innomap.ui.app import TABS as APP_TABS

    assert TABS == APP_TABS


@pytest.mark.parametrize(("lang", "key", "text"), [
    ("fi", "statement.issue_grid",
     "Taulukot (Taulukko- ja Kunnat × aihealueet -välilehdet) piirtää Streamlitin "
     "taulukkokomponentti, jonka tuki ruudunlukijoille on rajallinen. Samat tiedot saa CSV-, "
     "Excel- ja GeoJSON-tiedostoina."),
    ("fi", "statement.issue_chart",
     "Aihealueiden kaavio on kuva, eikä sen lukumääriä ole tekstinä. Ne voi laskea tekstistä: "
     "Kunnat × aihealueet -välilehti näyttää kunkin kunnan aihealueet ja Taulukko-välilehti "
     "kunkin kunnan suuralueen (WCAG 1.1.1)."),
    ("sv", "statement.issue_grid",
     "Tabellerna (flikarna Tabell och Kommuner × fokusområden) ritas av Streamlits "
     "tabellkomponent, som har begränsat stöd för skärmläsare. Samma uppgifter finns som CSV-, "
     "Excel- och GeoJSON-filer."),
    ("sv", "statement.issue_chart",
     "Diagrammet över fokusområden är en bild, och dess antal finns inte som text. De kan "
     "räknas fram ur text: fliken Kommuner × fokusområden visar varje kommuns fokusområden och "
     "fliken Tabell varje kommuns storområde (WCAG 1.1.1)."),
    ("en", "statement.issue_grid",
     "The tables (the Table and Municipalities × focus areas tabs) are drawn by Streamlit's "
     "table component, whose screen-reader support is limited. The same data are available as "
     "CSV, Excel and GeoJSON files."),
    ("en", "statement.issue_chart",
     "The focus-area chart is an image, and its counts are not given as text. They can be "
     "worked out from text: the Municipalities × focus areas tab shows each municipality's "
     "focus areas, and the Table tab each municipality's major region (WCAG 1.1.1)."),
])
def test_tab_texts_as_read(lang, key, text):
    """The chart counts municipalities per focus area and major region (views.focus_counts);
    the matrix has only ✓ marks and the table the major region, so the text says just that."""
    assert issue_text(key, lang) == text
    assert html.escape(text) in statement_html(lang, {})


@pytest.mark.parametrize("lang", LANGS)
def test_the_statement_names_exactly_the_english_that_remains(lang):
    """Issue 21 §4: each text the browser scan may find (test_browser_texts.py) is named, in
    quotes; no text innomap translates is (they were named while they stayed English)."""
    text = issue_text("statement.issue_controls", lang)
    quoted = re.findall(r'[”"]([^”"]+)[”"]', text)
    assert quoted == list(REMAINING_ENGLISH)
    english = [catalogue("en")[key] for key in catalogue("en") if key.startswith("streamlit_text.")]
    assert not [words for words in english if words in text]
