"""The one error extraction raises."""


class ExtractError(ValueError):
    """The page cannot be parsed as an article at all (empty, binary, not HTML, too large).

    ``str(error)`` is one line naming what was wrong.
    """
