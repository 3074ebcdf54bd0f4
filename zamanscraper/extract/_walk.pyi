"""Types of the compiled line walk, ``_walk.pyx`` (a faster copy of ``document.linearize_python``)."""

from collections.abc import Callable, Iterable
from typing import Any

from .document import Line

def setup(*, block: Iterable[str], skip: Iterable[str], mark: Iterable[str], images: Iterable[str],
          indexed: Iterable[str], line: type[Line], hidden: Callable[[Any], bool], form_page_paragraphs: int,
          image_src_fn: Callable[[Any], str | None]) -> None: ...
def linearize(root: Any, index: dict[str, list]) -> list[Line]: ...
