"""The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description suites, read from
``../shared/w3c-rdf-tests`` at test time (skipped when that folder is absent), run against a real
``kg serve`` app (uvicorn on loopback, writes enabled with a token) over a store that starts empty and is
emptied (``DROP ALL`` through the service) before every case. One pytest test per W3C test.

Tests expected to fail are listed in ``EXPECTED_FAIL`` with the reason; they are strict xfails, so a
fix that makes one pass shows up. The per-suite counts are asserted in ``test_pass_counts``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.web.limits import Limits
from tests.support.served import TOKEN, served
from tests.support.w3c_suites import Case, Runner, available, run_suite, suites

SUITES = suites() if available() else {}

# suite -> {case: why it is expected to fail}
# Every case passes (issue 16). Keep the list for a case that one day cannot, with its reason.
EXPECTED_FAIL: dict[str, dict[str, str]] = {suite: {} for suite in ("protocol", "gsp-indirect", "gsp-direct",
                                                                     "service-description")}
EXPECTED_PASS = {suite: len(cases) - len(EXPECTED_FAIL[suite]) for suite, cases in SUITES.items()}


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    """A server with writes enabled over an empty store, and a suite runner pointed at it."""
    store_dir: Path = tmp_path_factory.mktemp("w3c") / "store"
    with served(store_dir, token=TOKEN, limits=Limits(workers=1, query_timeout=10), build=False) as srv:
        r = Runner(srv.url, TOKEN)
        yield r
        r.close()


RESULTS: dict[str, dict[str, str | None]] = {suite: {} for suite in SUITES}  # filled by test_w3c
CASES = [(suite, case) for suite, cases in SUITES.items() for case in cases]


@pytest.mark.skipif(not available(), reason="../shared/w3c-rdf-tests is not there")
@pytest.mark.parametrize(
    ("suite", "case"),
    [pytest.param(s, c, id=f"{s}:{c.name}",
                  marks=[pytest.mark.xfail(reason=EXPECTED_FAIL[s][c.name], strict=True)]
                  if c.name in EXPECTED_FAIL[s] else [])
     for s, c in CASES] or [pytest.param("none", None, id="no-suites")],
)
def test_w3c(runner: Runner, suite: str, case: Case) -> None:
    runner.reset()
    failure = run_suite(runner, suite, [case])[case.name]
    RESULTS[suite][case.name] = failure
    assert failure is None, f"{suite}:{case.name} ({case.title}): {failure}"


@pytest.mark.skipif(not available(), reason="../shared/w3c-rdf-tests is not there")
def test_pass_counts() -> None:
    """The measured figures docs/service.md gives, per suite (from the cases above, run first)."""
    if any(len(RESULTS[s]) != len(cases) for s, cases in SUITES.items()):
        pytest.skip("not every W3C case ran (selected with -k?)")
    got = {suite: sum(v is None for v in results.values()) for suite, results in RESULTS.items()}
    for suite, results in RESULTS.items():  # the per-test report, shown with -s or on failure
        print(f"{suite}: {got[suite]}/{len(results)}")
        for name, why in results.items():
            print(f"  {'PASS' if why is None else 'FAIL'} {name}{'' if why is None else ': ' + why}")
    assert got == EXPECTED_PASS
