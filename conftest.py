pytest_plugins = ["kithkin.testing"]
