"""Publishing: `deckbuild init`, the Pages workflow, `gh-deploy`, sub-path serving, site_url."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from click.testing import CliRunner
from conftest import COURSE, make_course
from sitecheck import css_loads, page_loads

from deckbuild.cli import cli
from deckbuild.commands.build import build
from deckbuild.commands.gh_deploy import pages_url

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def test_init_then_strict_build(tmp_path: Path) -> None:
    course = tmp_path / "new-course"
    code, output = run("init", str(course))
    assert code == 0, output
    for name in (
        "deckbuild.yml",
        "slides/01_welcome.md",
        "assets/layers.svg",
        "templates/README.md",
        ".gitignore",
        ".github/workflows/pages.yml",
    ):
        assert (course / name).is_file(), name
    assert "/_site/" in (course / ".gitignore").read_text()
    assert "/.deckbuild-cache/" in (course / ".gitignore").read_text()
    code, output = run("build", "--strict", str(course))
    assert code == 0, output
    page = (course / "_site" / "01_welcome.html").read_text("utf-8")
    assert "<svg" in page and 'class="fragment"' in page and "data-math" in page and "language-python" in page
    assert '<aside class="notes">' in page


def test_init_overwrites_nothing_without_force(tmp_path: Path) -> None:
    assert run("init", str(tmp_path))[0] == 0
    (tmp_path / "slides" / "01_welcome.md").write_text("# Mine\n")
    (tmp_path / "deckbuild.yml").write_text("title: Mine\n")
    code, output = run("init", str(tmp_path))
    assert code == 0 and "nothing to add" in output
    assert (tmp_path / "deckbuild.yml").read_text() == "title: Mine\n"
    assert run("init", "--force", str(tmp_path))[0] == 0
    assert (tmp_path / "deckbuild.yml").read_text() != "title: Mine\n"
    # a course's decks are its own, --force or not
    assert (tmp_path / "slides" / "01_welcome.md").read_text() == "# Mine\n"


def test_init_refuses_to_overwrite_a_file_in_an_empty_course(tmp_path: Path) -> None:
    (tmp_path / "deckbuild.yml").write_text("title: Mine\n")
    code, output = run("init", str(tmp_path))
    assert code == 1 and "exists; nothing was written" in output
    assert (tmp_path / "deckbuild.yml").read_text() == "title: Mine\n"


def test_pages_workflow(tmp_path: Path) -> None:
    run("init", str(tmp_path))
    workflow = yaml.safe_load((tmp_path / ".github/workflows/pages.yml").read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    steps = workflow["jobs"]["build"]["steps"] + workflow["jobs"]["deploy"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    for action in ("actions/configure-pages@v", "actions/upload-pages-artifact@v", "actions/deploy-pages@v"):
        assert any(u.startswith(action) and u.split("@v")[1].isdigit() for u in uses), action
    runs = " ".join(s.get("run", "") for s in steps)
    assert "deckbuild build --strict" in runs and "pip install" in runs


def test_gh_deploy_pushes_site_to_gh_pages(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    course = tmp_path / "course"
    run("init", str(course))
    git(course, "init", "-q", "-b", "main")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "course")
    git(course, "remote", "add", "origin", str(remote))
    env_backup = dict(os.environ)
    os.environ.update(GIT_ENV)
    try:
        code, output = run("gh-deploy", str(course))
    finally:
        os.environ.clear()
        os.environ.update(env_backup)
    assert code == 0, output
    assert "pushed the site to origin/gh-pages" in output
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "index.html" in files and ".nojekyll" in files and "01_welcome.html" in files


def test_gh_deploy_refuses_outside_git_and_on_a_failing_build(tmp_path: Path) -> None:
    course = make_course(tmp_path, {"a.md": "# A\n"})
    code, output = run("gh-deploy", str(course))
    assert code == 1 and "is not in a git repository" in output
    git(course, "init", "-q")
    git(course, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    (course / "slides" / "a.md").write_text("# A\n\n![x](missing.png)\n")
    code, output = run("gh-deploy", str(course))
    assert code == 1 and "strict mode" in output


@pytest.mark.parametrize(
    ("remote", "cname", "url"),
    [
        (
            "git@github.com:rses-dl-course/rses-dl-course.github.io.git",
            None,
            "https://rses-dl-course.github.io/",
        ),
        ("https://github.com/Owner/intro-dl.git", None, "https://owner.github.io/intro-dl/"),
        ("https://github.com/owner/intro-dl", None, "https://owner.github.io/intro-dl/"),
        ("git@github.com:owner/intro-dl.git", "slides.example.org", "https://slides.example.org/"),
        ("/srv/git/course.git", None, None),
    ],
)
def test_pages_url(remote: str, cname: str | None, url: str | None) -> None:
    assert pages_url(remote, cname) == url


@contextmanager
def serve_under(folder: Path, prefix: str) -> Iterator[str]:
    """Serve `folder` at http://127.0.0.1:PORT/PREFIX/ only, as a project Pages site."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def translate_path(self, path: str) -> str:
            if not path.startswith(f"/{prefix}/"):
                return str(folder / "no-such-file")
            return super().translate_path(path[len(prefix) + 1 :])

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{prefix}/"
    finally:
        server.shutdown()
        server.server_close()


def test_real_course_under_a_sub_path_loads_every_local_url(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(COURSE, out)
    checked = 0
    failures: list[str] = []
    with serve_under(out, "course") as base:
        for page in sorted(out.rglob("*.html")):
            if page.name == "404.html":
                continue
            page_url = urljoin(base, page.relative_to(out).as_posix())
            urls = [(page_url, u) for u in page_loads(page)]
            for css in {u for _, u in urls if u.endswith(".css")}:
                css_path = (page.parent / css).resolve()
                css_url = urljoin(page_url, css)
                urls += [(css_url, u) for u in css_loads(css_path)]
            for origin, url in urls:
                target = urljoin(origin, url)
                assert target.startswith(base), (origin, url)
                try:
                    with urllib.request.urlopen(target, timeout=10) as r:
                        status = r.status
                except urllib.error.HTTPError as e:
                    status = e.code
                checked += 1
                if status != 200:
                    failures.append(f"{origin}: {url} -> {status}")
    assert failures == [] and checked > 100


def test_links_between_decks_and_broken_ones(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"01_a.md": "[lesson 2](02_b.md) [slide 3](02_b.md#/3) [gone](03_c.md)\n", "02_b.md": "# B\n"},
    )
    result = build(root)
    page = (root / "_site" / "01_a.html").read_text("utf-8")
    assert 'href="02_b.html"' in page and 'href="02_b.html#/3"' in page
    assert result.warnings == ['slides/01_a.md:1: missing file "03_c.md"']


def test_site_url_only_where_a_url_must_be_absolute(tmp_path: Path) -> None:
    root = make_course(
        tmp_path,
        {"a.md": "---\ndescription: About A\n---\n# A\n"},
        {"deckbuild.yml": "site_url: https://me.github.io/course\n"},
    )
    build(root)
    page = (root / "_site" / "a.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://me.github.io/course/a.html">' in page
    assert '<meta property="og:url" content="https://me.github.io/course/a.html">' in page
    assert '<meta property="og:description" content="About A">' in page
    absolute = [line for line in page.splitlines() if "https://me.github.io" in line]
    assert len(absolute) == 2  # canonical and og:url, nothing else
    missing = (root / "_site" / "404.html").read_text("utf-8")
    assert 'href="https://me.github.io/course/"' in missing


def committed_course(tmp_path: Path) -> Path:
    course = tmp_path / "course"
    run("init", str(course))
    git(course, "init", "-q", "-b", "main")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "course")
    git(course, "remote", "add", "origin", str(tmp_path / "remote.git"))
    subprocess.run(["git", "init", "-q", "--bare", str(tmp_path / "remote.git")], check=True)
    return course


def deploy(*args: str) -> tuple[int, str]:
    backup = dict(os.environ)
    os.environ.update(GIT_ENV)
    try:
        return run("gh-deploy", *args)
    finally:
        os.environ.clear()
        os.environ.update(backup)


def test_gh_deploy_never_replaces_the_course_branch(tmp_path: Path) -> None:
    course = committed_course(tmp_path)
    head = git(course, "rev-parse", "HEAD")
    code, output = deploy(str(course), "--branch", "main")
    assert code == 1 and "--branch main is the branch checked out here" in output
    git(course, "branch", "sources")  # another branch that holds the course
    code, output = deploy(str(course), "--branch", "sources")
    assert code == 1 and "branch sources holds the course's sources" in output
    assert git(course, "rev-parse", "HEAD") == head and git(course, "rev-parse", "sources") == head


def test_gh_deploy_stops_on_uncommitted_changes_unless_allowed(tmp_path: Path) -> None:
    course = committed_course(tmp_path)
    deck = next((course / "slides").glob("*.md"))
    deck.write_text(deck.read_text() + "\n---\n\n## Not committed yet\n")
    code, output = deploy(str(course))
    assert (
        code == 1 and "1 uncommitted change(s): commit them, or publish anyway with --allow-dirty" in output
    )
    code, output = deploy(str(course), "--allow-dirty")
    assert code == 0, output
    assert "warning: publishing with 1 uncommitted change(s)" in output


def test_init_in_an_existing_course_adds_only_what_is_missing(course_dir: Path, tmp_path: Path) -> None:
    import shutil

    course = tmp_path / "course"
    shutil.copytree(course_dir, course)
    before_site = tmp_path / "before"
    run("build", str(course), "-o", str(before_site))
    code, output = run("init", str(course))
    assert code == 0, output
    assert (course / ".github" / "workflows" / "pages.yml").is_file()
    assert (
        not (course / "slides" / "01_welcome.md").exists() and not (course / "assets" / "layers.svg").exists()
    )
    config = (course / "deckbuild.yml").read_text()
    assert all(not line.strip() or line.startswith("#") for line in config.splitlines())
    after_site = tmp_path / "after"
    run("build", str(course), "-o", str(after_site))
    pages = sorted(p.relative_to(before_site) for p in before_site.rglob("*") if p.is_file())
    assert pages == sorted(p.relative_to(after_site) for p in after_site.rglob("*") if p.is_file())
    assert [p for p in pages if (before_site / p).read_bytes() != (after_site / p).read_bytes()] == []
    # once more: nothing left to add, nothing overwritten
    (course / ".gitignore").write_text("mine\n")
    code, _output = run("init", str(course))
    assert code == 0 and (course / ".gitignore").read_text() == "mine\n"


def test_release_workflow_builds_tests_and_publishes_on_a_tag() -> None:
    workflow = yaml.safe_load((Path(__file__).parent.parent / ".github/workflows/release.yml").read_text())
    assert workflow[True]["push"]["tags"] == ["v*"]  # YAML 1.1 reads the key `on` as true
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    for job in (build, publish):
        assert job["runs-on"] == "ubuntu-latest"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step  # one action or one command per step
            if "uses" in step:
                assert "@" in step["uses"], step  # every action pinned to a version
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "python -m build" in runs and "pip install dist/*.whl" in runs and "--strict" in runs
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "password" not in str(publish)  # trusted publishing: no token stored


def test_the_pages_workflow_installs_what_init_was_told(tmp_path: Path) -> None:
    spec = "deckbuild @ git+https://example.org/me/deckbuild@v0.2"
    assert run("init", str(tmp_path), "--pip", spec)[0] == 0
    workflow = yaml.safe_load((tmp_path / ".github/workflows/pages.yml").read_text())
    runs = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert f'python -m pip install "{spec}"' in runs


def test_templates_are_listed_and_copied_to_start_an_override(tmp_path: Path) -> None:
    root = make_course(tmp_path, {"a.md": "# A\n"})
    code, output = run("templates", str(root))
    assert code == 0 and "deck.html" in output and "built-in" in output
    code, output = run("templates", str(root), "--copy", "deck.html")
    assert code == 0 and (root / "templates" / "deck.html").is_file()
    assert "overridden by templates/deck.html" in run("templates", str(root))[1]
    code, output = run("templates", str(root), "--copy", "deck.html")
    assert code == 1 and "exists; nothing was written" in output
    code, output = run("templates", str(root), "--copy", "nope.html")
    assert code == 1 and 'no built-in template "nope.html"' in output
    assert run("build", str(root), "--strict")[0] == 0  # the copy builds as the built-in does
