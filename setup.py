"""The build step ``pyproject.toml`` cannot declare: the optional C line walk.

``zamanscraper/extract/_walk.pyx`` (a faster copy of ``document.linearize_python``) is compiled
with Cython against lxml's C API headers. It is optional: without Cython, lxml or a C compiler
the install still succeeds and ``document.linearize`` runs the Python walk.

All metadata lives in ``pyproject.toml`` (including the ``scrapy`` entry point scrapyd needs).
This file is also the one ``scrapyd-deploy`` runs (``python setup.py bdist_egg``); without it,
it would write its own ``setup.py``, whose ``entry_points`` setuptools ignores next to
``pyproject.toml``.
"""

from setuptools import Extension, setup
from setuptools.command.bdist_egg import bdist_egg

WALK = "zamanscraper/extract/_walk.pyx"


def extensions() -> list[Extension]:
    """The C walk, or nothing (with one line saying why) when it cannot be built here."""
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError as missing:
        print(f"zamanscraper: the C line walk is not built ({missing}): the Python walk will run")
        return []
    built = cythonize([Extension("zamanscraper.extract._walk", [WALK], include_dirs=lxml.get_include())],
                      quiet=True)
    for extension in built:  # set here: cythonize does not carry it over
        extension.optional = True  # a failed compile is a warning, not a failed install
    return built


class PythonOnlyEgg(bdist_egg):
    """An egg (``scrapyd-deploy``) without the C walk: it runs on the scrapyd host, whose Python
    and platform need not be the build machine's, and the loader setuptools writes for a
    compiled module in an egg fails there. The deployed code runs the Python walk."""

    def run(self):
        self.distribution.ext_modules = []
        super().run()


setup(ext_modules=extensions(), cmdclass={"bdist_egg": PythonOnlyEgg})
