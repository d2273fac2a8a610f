from kithkin.cli.tests.conftest import kithkin

__all__ = ["kithkin"]
