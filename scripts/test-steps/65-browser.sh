# notebooks/01 in JupyterLab under headless Chromium (issue 12): Run All in quick mode, every
# cell without an error and with its output, images rendered, fit's display updated in place,
# the stop button interrupting a loop within a second, Tab completion showing its popup.
# JupyterLab and Selenium are pinned in the test venv; chromium and chromium-driver come from
# Debian (scripts/install-system-packages). Screenshots of failures: .build/browser-test/.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
swift build -c release --product trainbook
export TRAINBOOK_BIN="$(swift build -c release --show-bin-path)/trainbook"
.venv-test/bin/python -m pytest -q -p no:cacheprovider --timeout 300 Tests/Python/test_browser.py
