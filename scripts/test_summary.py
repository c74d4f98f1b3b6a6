"""Print how many tests each suite ran; fail if a suite ran none or skipped any."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

failed = False
print(f"\n{'suite':<14}{'tests':>7}{'passed':>8}{'failed':>8}{'errors':>8}{'skipped':>9}")
for report in map(Path, sys.argv[1:]):
    if not report.exists():
        print(f"{report.stem:<14}  no report: the suite did not run")
        failed = True
        continue
    root = ET.parse(report).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None, f"{report}: no <testsuite> element"
    tests, failures, errors, skipped = (
        int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")
    )
    passed = tests - failures - errors - skipped
    print(f"{report.stem:<14}{tests:>7}{passed:>8}{failures:>8}{errors:>8}{skipped:>9}")
    if tests == 0 or failures or errors or skipped:
        failed = True
if failed:
    print("A suite ran no tests, failed, or skipped tests: that is a failure.", file=sys.stderr)
sys.exit(1 if failed else 0)
