# Unit tests of every module (debug build).
set -euo pipefail
swift build --build-tests
swift test --skip-build --parallel
