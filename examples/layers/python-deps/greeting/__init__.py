"""A tiny module shipped in a layer.

Laid out for Tencent SCF, which puts /opt itself on PYTHONPATH: packages at the root of the zip.
AWS Lambda and Aliyun FC look in /opt/python: publish there with `--prefix python`.
"""


def hello(name: str = "world") -> str:
    return f"hello, {name}"
