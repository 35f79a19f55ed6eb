"""Check the system before installing: Python version and the libraries WeasyPrint loads.

Prints which Debian/Ubuntu package to install instead of letting a traceback do it.
"""
import ctypes.util
import sys

NEEDED = {
    "pango-1.0": "libpango-1.0-0",
    "pangoft2-1.0": "libpangoft2-1.0-0",
    "harfbuzz": "libharfbuzz0b",
    "harfbuzz-subset": "libharfbuzz-subset0",
    "fontconfig": "libfontconfig1",
}


def main() -> int:
    problems = []
    if sys.version_info < (3, 11):
        problems.append(f"Python 3.11 or newer is needed (found {sys.version.split()[0]}): apt-get install python3.11")
    missing = [pkg for lib, pkg in NEEDED.items() if ctypes.util.find_library(lib) is None]
    if missing:
        problems.append(
            "WeasyPrint (PDF documents) needs Pango. Install: sudo apt-get install " + " ".join(missing)
        )
    try:
        import venv  # noqa: F401
        import ensurepip  # noqa: F401
    except ImportError:
        problems.append("The venv module is missing: sudo apt-get install python3-venv")
    for problem in problems:
        print("check-system:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
