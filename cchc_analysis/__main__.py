"""Allow ``python -m cchc_analysis``."""

from cchc_analysis.cli import run

if __name__ == "__main__":  # pragma: no cover - thin wrapper
    raise SystemExit(run())
