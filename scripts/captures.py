"""Refresh the generated parts of the docs: the terminal captures from the insta
snapshots, and the key file shown in docs/keys.md.

Every `<!-- capture: NAME -->` marker in README.md and docs/**/*.md is followed by a
```text block; this replaces the block with tests/snapshots/NAME.snap (tests/docs.rs
fails while they differ).
"""
import pathlib, re

root = pathlib.Path(__file__).resolve().parent.parent
pages = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
# The block body never contains a fence; an empty block is allowed.
pattern = re.compile(r"(<!-- capture: (\S+) -->\n```text\n)((?:(?!```).)*?)(\n?```)", re.S)
for page in pages:
    text = page.read_text()

    def fresh(m):
        snap = (root / "tests" / "snapshots" / f"{m.group(2)}.snap").read_text()
        body = snap.split("---\n", 2)[2].rstrip("\n")
        return m.group(1) + body + "\n```"

    new = pattern.sub(fresh, text)
    if new != text:
        page.write_text(new)
        print(f"updated {page.relative_to(root)}")

# docs/keys.md carries the shipped key file verbatim (tests/docs.rs checks it too).
keys_page = root / "docs" / "keys.md"
text = keys_page.read_text()
shipped = (root / "assets" / "keybindings.toml").read_text()
marker = "<!-- keys:embedded -->\n```toml\n"
head, rest = text.split(marker, 1)
new = head + marker + shipped + "```" + rest.split("```", 1)[1]
if new != text:
    keys_page.write_text(new)
    print("updated docs/keys.md")
