"""Django's {# #} comment ends at the end of its line: one spread over two lines is printed on the page,
as the thread page printed its note about the conversation prompt under the reply box. Longer comments use
{% comment %}."""

from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_no_one_line_comment_runs_onto_a_second_line():
    templates = [p for p in PROJECT.glob("**/templates/**/*") if p.is_file() and ".venv" not in p.parts]
    assert len(templates) > 50
    unclosed = [
        f"{template.relative_to(PROJECT)}:{number}"
        for template in templates
        for number, line in enumerate(template.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert unclosed == []
