"""The language a message is written in, so that search stems it as that language.

A message's text is indexed with the PostgreSQL text-search configuration of its language (Message.language,
Message.search_vector): a Spanish message is found by its Spanish stem ("trabajo" finds "trabajando"), an
Arabic one by its words. The language is detected from the text among the site's languages (py3langid's model,
restricted to them); a text too short to tell, or not clearly one of them, takes its writer's language.
"""

from __future__ import annotations

import functools

# The site's languages and their PostgreSQL configurations; anything else is indexed as `simple` (no stems).
CONFIGS = {"en": "english", "es": "spanish", "fr": "french", "ar": "arabic"}
SIMPLE = "simple"
# Below this the detector guesses ("ok", "Gracias"): the writer's own language is the better bet.
MIN_DETECTABLE = 20
CONFIDENT = 0.95
# Enough text to tell; a 20,000-character message needs no more than its start.
SAMPLE = 2000


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CONFIGS))
    return identifier


def language_of(text: str, writer_language: str = "") -> str:
    """The code of the text's language among the site's ones; else the writer's; else "" (indexed simply)."""
    sample = (text or "").strip()[:SAMPLE]
    if len(sample) >= MIN_DETECTABLE:
        code, probability = _identifier().classify(sample)
        if probability >= CONFIDENT:
            return code
    return writer_language if writer_language in CONFIGS else ""
