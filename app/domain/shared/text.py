"""Text as people typed it, made safe to store."""


def clean_text(value):
    """Line endings as the browser counts them, and no NUL characters (PostgreSQL refuses them)."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def clean_line(value):
    """One line of text: cleaned as `clean_text`, without spaces at either end."""
    value = clean_text(value)
    return value.strip() if isinstance(value, str) else value
