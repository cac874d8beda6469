"""The platform's default content in the reader's language.

The default training modules, check-ins and conversation guides are rows written by migrations in English,
each text marked with gettext_noop so that `make messages` collects it. They are translated here, when shown
(pages, form labels, e-mails at delivery), into the language of whoever reads them: an English default reads in
Spanish to a Spanish mentee, and in English to their English coordinator in the same minute. A text a coordinator
wrote or edited is not in the catalogues and comes back exactly as written, so a French programme's own module
stays French for everyone. The stored rows never change language, and neither do exports of them.
"""

from django.utils.translation import gettext


def in_reader_language(text: str) -> str:
    # gettext("") would answer the catalogue's header rather than nothing.
    return gettext(text) if text else text
