"""pytest options for the whole repository."""


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/fixtures/expected/ from the current extractor (review the diff!)",
    )
