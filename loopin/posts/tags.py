"""Tags: stored trimmed, de-duplicated case-insensitively, without empties; matched as whole tags.
Auto-tags from whole words of the title and content, as the original's frontend pages expect them."""

import re

MAX_TAGS, MAX_TAG_LENGTH = 10, 32
# A whole word (letters and digits): "available" is not "lab", "registered" is not "register".
WORD = re.compile(r"[^\W_]+")
AUTO_TAGS = {
    "Academic": {"exam", "syllabus", "deadline", "assignment", "lecture", "professor", "quiz", "lab", "viva"},
    "Event": {"fest", "hackathon", "workshop", "register", "ticket", "club", "party", "seminar", "webinar"},
}


def tag_key(tag):
    return tag.casefold()


def normalize_tags(value):
    """A pydantic before-validator: a comma-joined string (or a list) -> the list of tags, trimmed,
    without empties, the first spelling of each kept. Too many or too long: a ValueError (422)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValueError("tags must be a comma-separated string or a list of strings")
    tags, seen = [], set()
    for tag in (tag.strip() for tag in value):
        if tag and tag_key(tag) not in seen:
            if len(tag_key(tag)) > MAX_TAG_LENGTH:  # the key is what is stored: "ß" folds to "ss"
                raise ValueError(f"a tag has at most {MAX_TAG_LENGTH} characters, counted in lower case "
                                 "(where ß counts as ss)")
            if "," in tag:
                raise ValueError("a tag cannot contain a comma")
            seen.add(tag_key(tag))
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValueError(f"at most {MAX_TAGS} tags")
    return tags


def with_auto_tags(tags, title, content):
    """`tags` plus Academic and Event when a whole word of the title or content calls for them."""
    words = {word.casefold() for word in WORD.findall(f"{title}\n{content}")}
    keys = {tag_key(tag) for tag in tags}
    added = [tag for tag, triggers in AUTO_TAGS.items() if words & triggers and tag_key(tag) not in keys]
    return tags + added


def filter_keys(value):
    """The `tags` query parameter ("Event, academic") -> the keys it matches, or []."""
    return sorted({tag_key(tag.strip()) for tag in value.split(",") if tag.strip()}) if value else []
