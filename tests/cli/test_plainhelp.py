"""The commands' shared parsing (cli/plainhelp.py): an empty argument, as a script's unset
variable gives, is refused before it is read as the current folder."""

from __future__ import annotations

import pytest

from tests.conftest import PROFILES


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check", ""], 'an argument is empty ("")'),
        (["validate", "PROFILE", ""], 'an argument is empty ("")'),
        (["check", "--", ""], 'an argument is empty ("")'),
        (["compare", ""], 'an argument is empty ("")'),
        (["check", "-o", "", "PROFILE"], "-o is given an empty value"),
        (["check", "--output=", "PROFILE"], "--output is given an empty value"),
        (["check", "--baseline", "", "PROFILE"], "--baseline is given an empty value"),
        (["check", "--no-cache", ""], 'an argument is empty ("")'),  # a flag takes no value
        (["import", "", "-o", "p.yaml"], 'an argument is empty ("")'),
    ],
)
def test_an_empty_argument_is_refused_not_read_as_the_current_folder(cli, tmp_path, args, said):
    """`coherence check "$PROFILE"` with the variable unset assessed every YAML file under the
    current folder (an empty path is "."), and `-o ""` said ".: is a folder" (attack round 4)."""
    (tmp_path / "stray.yaml").write_text("format_version: 2\n", encoding="utf-8")
    profile = str(PROFILES / "example-origin.yaml")
    argv = [profile if a == "PROFILE" else a for a in args]
    result = cli(*argv, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith(f"coherence: error: {said} (an unset variable in a script?)")
    assert "stray.yaml" not in result.stdout + result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stray.yaml"]
