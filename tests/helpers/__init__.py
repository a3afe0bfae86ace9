"""What tests share, in one place: no test module imports another (tests/unit/test_layout.py).

- `catalogs`: the small test catalog (BASE) and its variants, card paths, `edit`, `snapshot`;
- `site`: building a site the way `modelcards build` does, and reading its pages;
- `site_edits`: the edits the incremental-build tests apply to the test catalog;
- `site_properties`: random edits of a generated catalog (the incremental and serve properties);
- `rule_cases`: per problem code, catalogs that break exactly that rule;
- `history`: the test catalog in a git repository, for `validate --base` and the summary;
- `gate`: a model whose promotions the BASE catalog's policy gates;
- `browser`: chromium and axe-core for Playwright (the fixtures are tests/browser/conftest.py);
- `workflows`: actionlint and shellcheck, and what the pages workflows must do with the cache;
- `actions_runner`: a GitHub job's shell steps run here; `mlflow_server`: a real MLflow server;
- `text`: Markdown-level helpers.

Fixtures live in conftest.py files: tests/conftest.py for every test (make_catalog, runner,
wheel, large_catalog, ...), a layer's own conftest.py for what only that layer uses.
"""
