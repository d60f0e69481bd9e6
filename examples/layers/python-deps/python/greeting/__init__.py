"""A tiny module shipped in a layer: extracted under /opt/python, which is on sys.path."""


def hello(name: str = "world") -> str:
    return f"hello, {name}"
