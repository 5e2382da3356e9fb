"""Cuts a screenshot below the last row that differs from the page background (the colour of
its bottom-left pixel), keeping a margin; or keeps the rows FIRST:LAST when asked (for the
README's images). Runs in the screenshots venv (Pillow).

Usage: screenshot-trim.py IMAGE.png [--rows FIRST:LAST] [--output OUT.png]"""

from __future__ import annotations

import argparse

from PIL import Image, ImageChops


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("image")
    parser.add_argument("--rows", help="FIRST:LAST rows to keep instead of trimming")
    parser.add_argument("--output")
    arguments = parser.parse_args()
    image = Image.open(arguments.image).convert("RGB")
    if arguments.rows:
        first, last = (int(part) for part in arguments.rows.split(":"))
        box = (0, max(first, 0), image.width, min(last, image.height))
    else:
        background = Image.new("RGB", image.size, image.getpixel((0, image.height - 1)))
        content = ImageChops.difference(image, background).getbbox()
        bottom = content[3] if content else 1
        box = (0, 0, image.width, min(bottom + 24, image.height))
    image.crop(box).save(arguments.output or arguments.image, optimize=True)


if __name__ == "__main__":
    main()
