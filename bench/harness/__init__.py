"""Trainbook's side-by-side benchmark harness (bench/run): each figure measured for Trainbook
and its peer in the same run, alternating, medians of several runs, reported as ratios."""
