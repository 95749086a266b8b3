from mtcheck.cli import console

# Guarded: worker processes started with "spawn" or "forkserver" (`mtcheck feed --jobs N` on macOS,
# Windows, Python 3.14+) import this module and must not run the CLI again.
if __name__ == "__main__":
    console()
