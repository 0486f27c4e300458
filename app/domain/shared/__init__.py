"""What every part of the product shares and that knows no part: which wording a reader sees
(their language, young-person wording or English), safe rich text, bar charts as plain data.
Imports only the models and libraries."""
