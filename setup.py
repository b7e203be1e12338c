from setuptools import setup

setup(cffi_modules=["pynet/_uv_build.py:ffibuilder"], options={"bdist_wheel": {"py_limited_api": "cp311"}})
