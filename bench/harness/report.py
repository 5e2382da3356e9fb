"""The report: one table (figure, Trainbook, peer, ratio, target, met?) as text for the
terminal and as Markdown for the README, and everything measured as JSON in bench/results/."""

from __future__ import annotations

import json
from pathlib import Path

from .environment import summary_lines
from .figures import Figure, format_ratio, format_value

README_BEGIN = "<!-- bench:begin -->"
README_END = "<!-- bench:end -->"
HEADER = ["Figure", "Trainbook", "Peer", "Ratio", "Target", "Met?"]


def met_text(figure: Figure) -> str:
    return {True: "yes", False: "**no**", None: ""}[figure.met]


def rows(figures: list[Figure]) -> list[tuple[str, list[str]]]:
    """(group, cells) per figure, cells as the table shows them."""
    table = []
    for figure in figures:
        peer = format_value(figure.peer, figure.unit)
        table.append(
            (
                figure.group,
                [
                    figure.name, format_value(figure.trainbook, figure.unit),
                    f"{peer} ({figure.peer_name})", format_ratio(figure.ratio), figure.target,
                    met_text(figure),
                ],
            )
        )  # fmt: skip
    return table


def markdown(figures: list[Figure], environment: dict, command: str, threads: list[int], date: str) -> str:
    lines = [f"Measured {date} with `{command}`:", ""]
    lines += [f"- {line}" for line in summary_lines(environment, threads)]
    lines += ["", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    group = None
    for figure_group, cells in rows(figures):
        if figure_group != group:
            group = figure_group
            lines.append(f"| **{group}** |" + " |" * (len(HEADER) - 1))
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    met = [figure.met for figure in figures if figure.met is not None]
    lines += ["", f"Targets met: {sum(met)} of {len(met)}. Ratio = Trainbook / peer (lower is better, "
              "except the throughput row, where it is the fraction of sgemm speed reached)."]  # fmt: skip
    return "\n".join(lines) + "\n"


def text(figures: list[Figure], environment: dict, threads: list[int]) -> str:
    table = [HEADER] + [[cells[0], *cells[1:-1], cells[-1].replace("**", "")] for _, cells in rows(figures)]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADER))]
    out = summary_lines(environment, threads) + [""]
    group = None
    for index, row in enumerate(table):
        if index > 0 and figures[index - 1].group != group:
            group = figures[index - 1].group
            out.append(f"-- {group}")
        out.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return "\n".join(out) + "\n"


def write_results(directory: Path, stamp: str, quick: bool, document: dict, markdown_text: str) -> list[Path]:
    """Writes <stamp>.json, latest.json and latest.md (with a -quick suffix for quick runs)."""
    directory.mkdir(parents=True, exist_ok=True)
    suffix = "-quick" if quick else ""
    written = []
    body = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    for name, content in ((f"{stamp}{suffix}.json", body), (f"latest{suffix}.json", body), (f"latest{suffix}.md", markdown_text)):
        path = directory / name
        temporary = path.with_suffix(path.suffix + ".tmp")
        temporary.write_text(content)
        temporary.replace(path)
        written.append(path)
    return written


def update_readme(readme: Path, markdown_text: str) -> None:
    """Replaces the text between the README's bench markers with the new table."""
    content = readme.read_text()
    begin, end = content.find(README_BEGIN), content.find(README_END)
    if begin < 0 or end < begin:
        raise ValueError(f"{readme} has no {README_BEGIN} … {README_END} section")
    updated = content[: begin + len(README_BEGIN)] + "\n" + markdown_text + content[end:]
    temporary = readme.with_suffix(".md.tmp")
    temporary.write_text(updated)
    temporary.replace(readme)
