"""The `mercato` command: Django's management commands under the project's own name.

`mercato setup`, `mercato shop create`, `mercato serve`, `mercato worker` and `mercato demo`
are the stable operator contract; any other Django command (`migrate`, `createsuperuser`…)
works too, as with manage.py.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mercato.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "mercato"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
