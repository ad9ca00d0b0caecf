"""The text of a parsed document, read once.

spaCy's ``Doc.text`` joins every token each time it is read, and the extractors read it for
every mention: about 30 % of extraction time on a long article went there. The text is kept
in the document's ``user_data`` the first time.
"""

from __future__ import annotations

from spacy.tokens import Doc

KEY = "frontwire.text"


def text_of(doc: Doc) -> str:
    """``doc.text``, computed once per document."""
    text = doc.user_data.get(KEY)
    if text is None:
        text = doc.user_data[KEY] = doc.text
    return text
