# Style: swift-format lint with the checked-in .swift-format, warnings are errors.
set -euo pipefail
swift format lint --strict --recursive --parallel Package.swift Sources Tests
