# Top-level tasks (scripts/setup and scripts/test are the main entry points; see README.md).
#   make bench        the full side-by-side benchmarks (release build, PyTorch venv of ~4 GB,
#                     tens of minutes); prints the table and writes it into README.md
#   make bench-quick  the same harness on small sizes, one run each (no PyTorch needed)
#   make screenshots  runs the notebooks and renders them to HTML and PNG screenshots in
#                     .build/screenshots (nbconvert, headless Chromium from Debian)

.PHONY: bench bench-quick screenshots

bench:
	BENCH_COMMAND="make bench" bench/run --update-readme

bench-quick:
	BENCH_COMMAND="make bench-quick" bench/run --quick

screenshots:
	scripts/screenshots
