"""Package list for setuptools: `site/` is installed under the import name `oswiata_site`.

Everything else about the distribution lives in pyproject.toml.
"""

from setuptools import find_packages, setup

APPS = ["oswiata_kit", "exchange_groups", "learning", "forums", "debates", "notifications"]
site_packages = ["oswiata_site" + name[len("site") :] for name in find_packages(include=["site", "site.*"])]

setup(
    packages=find_packages(include=[f"{app}*" for app in APPS]) + site_packages,
    package_dir={"oswiata_site": "site"},
    package_data={"": ["templates/**/*", "static/**/*", "data/*", "fonts/*", "locale/**/*"]},
)
