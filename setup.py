"""Shim for ``scrapyd-deploy``, which builds the egg with ``python setup.py bdist_egg``.

All metadata lives in ``pyproject.toml`` (including the ``scrapy`` entry point scrapyd needs);
without this file ``scrapyd-deploy`` writes its own ``setup.py``, whose ``entry_points`` setuptools
would ignore next to ``pyproject.toml``.
"""

from setuptools import setup

setup()
