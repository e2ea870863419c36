"""`python -m gwgk_cli`: the same as the `gwgk` command."""

from gwgk_cli.entry import script

if __name__ == "__main__":  # not when a worker process (multiprocessing's spawn) re-imports this module
    script()
