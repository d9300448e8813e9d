"""The translation catalogs: extract the messages, update or start a catalog, check them.

    python scripts/catalogs.py extract        # every message of the package -> reporting/locale/messages.pot
    python scripts/catalogs.py update [LANG]  # merge the template into the catalog(s): new entries untranslated
    python scripts/catalogs.py init LANG      # a new language: reporting/locale/<LANG>/LC_MESSAGES/messages.po
    python scripts/catalogs.py check [LANG]   # exit 1 on a missing, untranslated or fuzzy entry, or a bad placeholder

Babel does the work (proposal_stats.reporting.catalogs). The catalogs are read from the .po files at
run time, so there is no compile step to run: ``check`` is what ``pybabel compile`` would refuse.
"""

from __future__ import annotations

import argparse
import sys

from proposal_stats.reporting import catalogs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["extract", "update", "init", "check"])
    parser.add_argument("language", nargs="?", help="e.g. zh-CN (init: required; update, check: default every catalog)")
    args = parser.parse_args()
    if args.command == "extract":
        print(catalogs.write_template())
    elif args.command == "update":
        catalogs.write_template()
        for path in catalogs.update(args.language):
            print(path)
    elif args.command == "init":
        if not args.language:
            parser.error("init needs a language, e.g. zh-TW")
        print(catalogs.init(args.language))
    else:
        failed = 0
        for language in [args.language] if args.language else catalogs.languages():
            found = list(catalogs.problems(language))
            for problem in found:
                print(f"{language}: {problem}")
            print(f"{language}: {'ok' if not found else f'{len(found)} problem(s)'}")
            failed += len(found)
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
