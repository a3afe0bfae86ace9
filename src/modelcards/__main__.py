"""`python -m modelcards`: the same command line as the `modelcards` script."""

from .cli import main

if __name__ == "__main__":
    main()
