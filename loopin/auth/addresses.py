"""Email addresses as accounts: one canonical form per address, and no look-alikes of another.

The canonical form (NFKC, then case-folded) makes `ａlice@`, `eﬀort@` and `Straße@` the same accounts as
`alice@`, `effort@` and `strasse@`. New addresses are also refused when a part mixes scripts (a
Cyrillic `а` among Latin letters) or keeps a combining mark after NFKC (`İ` becomes `i` plus a dot):
the single-script rule of Unicode TS #39, applied to the local part and to each domain label.
"""

import unicodedata

from pydantic_core import PydanticCustomError

# Scripts are read off the Unicode character name ("CYRILLIC SMALL LETTER A"): letters only, so digits,
# dots, dashes and the like mix with anything.
SCRIPT_PREFIXES = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "HEBREW", "ARABIC", "DEVANAGARI", "BENGALI",
                   "GURMUKHI", "GUJARATI", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "THAI", "GEORGIAN",
                   "HANGUL", "HIRAGANA", "KATAKANA", "CJK", "ETHIOPIC", "CHEROKEE")
# Japanese writes one word in several of these at once; that is one script for TS #39 ("Japanese").
SCRIPT_FAMILIES = {"HIRAGANA": "JAPANESE", "KATAKANA": "JAPANESE", "CJK": "JAPANESE"}


def canonical_email(email):
    """The one form of an address: the stored form of a new account, the key of its limits."""
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def script_of(character):
    if not character.isalpha():
        return None
    name = unicodedata.name(character, "")
    script = next((prefix for prefix in SCRIPT_PREFIXES if name.startswith(prefix)), "OTHER")
    return SCRIPT_FAMILIES.get(script, script)


def is_single_script(part):
    return len({script_of(c) for c in part} - {None}) <= 1


def refuse_lookalike_address(email):
    """A pydantic after-validator for new addresses: the address, or a 422 saying why not."""
    canonical = canonical_email(email)
    if any(unicodedata.combining(c) for c in canonical):
        raise PydanticCustomError("email_lookalike", "Email must not contain combining marks")
    local, _, domain = canonical.rpartition("@")
    if not all(is_single_script(part) for part in (local, *domain.split("."))):
        raise PydanticCustomError("email_lookalike", "Email must not mix scripts within a part (look-alike letters)")
    return email


def allowed_domains(setting):
    return [domain.strip().lower() for domain in setting.split(",") if domain.strip()]


def in_allowed_domain(email, allowed):
    """Whether the address is at one of the domains, or a subdomain of one (`cs.college.edu` is at
    `college.edu`); any address when the list is empty."""
    domain = canonical_email(email).rpartition("@")[2]
    return not allowed or any(domain == ok or domain.endswith("." + ok) for ok in allowed)
