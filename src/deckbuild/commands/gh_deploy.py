"""`deckbuild gh-deploy`: build the course and push it to a gh-pages branch."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

from deckbuild.commands.build import build, course_cache
from deckbuild.config import read_file
from deckbuild.errors import DeckError, warn

GITHUB_REMOTE = re.compile(r"github\.com[:/](?P<owner>[^/]+)/(?P<repo>[^/]+?)(?:\.git)?/?$")


def git(repo: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DeckError("git is not installed: gh-deploy publishes with git") from None
    if done.returncode != 0:
        raise DeckError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout.strip()


def repository_of(path: Path) -> Path:
    try:
        return Path(git(path, "rev-parse", "--show-toplevel"))
    except DeckError:
        raise DeckError(f"{path} is not in a git repository") from None


def pages_url(remote_url: str, cname: str | None) -> str | None:
    """Where GitHub Pages will show the site, as far as can be told."""
    if cname:
        return f"https://{cname.strip()}/"
    match = GITHUB_REMOTE.search(remote_url.strip())
    if match is None:
        return None
    owner, repo = match.group("owner"), match.group("repo")
    if repo.lower() == f"{owner.lower()}.github.io":
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{repo}/"


def check_branch(repo: Path, root: Path, branch: str) -> None:
    """The site branch is replaced whole: never the branch checked out, nor one holding the course."""
    current = subprocess.run(
        ["git", "-C", str(repo), "symbolic-ref", "--quiet", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    if branch == current:
        raise DeckError(
            f"--branch {branch} is the branch checked out here: publishing would replace the course with its site"
        )
    exists = (
        subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
            capture_output=True,
        ).returncode
        == 0
    )
    if not exists:
        return
    inside = root.relative_to(repo).as_posix()
    probe = f"{inside}/deckbuild.yml" if inside != "." else "deckbuild.yml"
    for source in (probe, f"{inside}/slides" if inside != "." else "slides"):
        if (
            subprocess.run(
                ["git", "-C", str(repo), "cat-file", "-e", f"refs/heads/{branch}:{source}"],
                capture_output=True,
            ).returncode
            == 0
        ):
            raise DeckError(
                f"branch {branch} holds the course's sources ({source}): publishing would replace them"
            )


def check_clean(repo: Path, allow_dirty: bool) -> None:
    """What is published should be what is committed: uncommitted changes stop it, unless allowed."""
    changed = git(repo, "status", "--porcelain", "--untracked-files=no")
    if not changed:
        return
    count = len(changed.splitlines())
    if not allow_dirty:
        raise DeckError(
            f"the work tree has {count} uncommitted change(s): commit them, or publish anyway with --allow-dirty"
        )
    warn(f"publishing with {count} uncommitted change(s) in the work tree (--allow-dirty)")


def gh_deploy(
    root: Path,
    *,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    strict: bool = True,
    allow_dirty: bool = False,
) -> str | None:
    """Build `root`, commit the site to `branch` with .nojekyll, push it; returns the Pages URL."""
    from ghp_import import GhpError, ghp_import

    root = root.resolve()
    repo = repository_of(root)
    check_branch(repo, root, branch)
    check_clean(repo, allow_dirty)
    remote_url = git(repo, "remote", "get-url", remote)
    try:
        revision = git(repo, "rev-parse", "--short", "HEAD")
    except DeckError:
        revision = "a repository with no commit"
    with tempfile.TemporaryDirectory(prefix="deckbuild-deploy-") as tmp:
        site = Path(tmp) / "site"
        build(root, site, strict=strict, cache=course_cache(root))
        cname_file = root / "CNAME"
        cname = read_file(cname_file, "CNAME").strip() if cname_file.is_file() else None
        previous = Path.cwd()
        os.chdir(repo)  # ghp-import works on the repository it is run in
        try:
            ghp_import(
                str(site),
                mesg=message or f"Deployed {revision} with deckbuild",
                remote=remote,
                branch=branch,
                push=True,
                nojekyll=True,
                cname=cname,
            )
        except GhpError as exc:
            raise DeckError(f"could not publish to {remote}/{branch}: {str(exc.message).strip()}") from None
        except (subprocess.CalledProcessError, OSError) as exc:
            # a push refused or a git missing: one line, as every error
            detail = getattr(exc, "stderr", None) or getattr(exc, "strerror", None) or exc
            raise DeckError(
                f"could not push the site to {remote}/{branch}: {str(detail).strip().splitlines()[-1]}"
            ) from None
        finally:
            os.chdir(previous)
    return pages_url(remote_url, cname)
