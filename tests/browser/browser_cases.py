"""What the browser tests share besides fixtures."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is absent: install Debian's chromium package (.ci/run does)",
)
PASSWORD = "correct horse battery staple"
