"""What every part of the product shares and that knows no part: which wording a reader sees
(their language, young-person wording or English), safe rich text, bar charts as plain data, the
version of the public content. Imports only the models and libraries."""

from . import content_version  # noqa: F401  (the session hooks that keep the version)
