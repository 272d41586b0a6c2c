"""The command line. Only here is logging set up and are errors turned into exit codes."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from deckbuild import __version__
from deckbuild.errors import DeckError
from deckbuild.vendor import versions

log = logging.getLogger("deckbuild")
F = TypeVar("F", bound=Callable[..., Any])


class LineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            return f"error: {message}"
        if record.levelno >= logging.WARNING:
            return f"warning: {message}"
        return message


def setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(LineFormatter())
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if verbose else logging.INFO)
    log.propagate = False


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def version_text() -> str:
    bundled = versions()
    parts = [f"deckbuild {__version__}"]
    parts += [f"{name} {bundled[name]}" for name in ("reveal.js", "katex") if name in bundled]
    return ", ".join(parts)


def output_option(*, folder: bool, help: str) -> Callable[[F], F]:
    """`-o/--output`, a folder or a file (an output folder naming a file is refused by the build, in one line)."""
    kind = click.Path(dir_okay=folder, path_type=Path)
    return click.option("-o", "--output", "out", type=kind, help=help)


class Context:
    def __init__(self, debug: bool) -> None:
        self.debug = debug


def run(ctx: click.Context, action: object) -> None:
    """Run a command body; a DeckError is one line and exit code 1."""
    debug = ctx.find_object(Context)
    try:
        action()  # type: ignore[operator]
    except DeckError as exc:
        if debug is not None and debug.debug:
            raise
        log.error("%s", exc)
        ctx.exit(1)
    except KeyboardInterrupt:
        ctx.exit(130)
    except Exception as exc:  # a bug of ours: still one line unless --debug
        if debug is not None and debug.debug:
            raise
        log.error("internal error: %s: %s (run with --debug for the traceback)", type(exc).__name__, exc)
        ctx.exit(2)


# wide enough that `deckbuild --help` shows every command's summary whole
@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120, "terminal_width": 120}
)
@click.version_option(__version__, "-V", "--version", message=version_text())
@click.option("--debug", is_flag=True, help="Show tracebacks and debug messages.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """deckbuild turns a folder of markdown slide decks into a reveal.js course website."""
    setup_logging(debug or bool(os.environ.get("DECKBUILD_DEBUG")))
    ctx.obj = Context(debug)


@cli.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@output_option(folder=True, help="Output folder (default: PATH/_site).")
@click.option("--strict", is_flag=True, help="Fail on any warning.")
@click.option("--clean", is_flag=True, help="Render every deck again (ignore the build cache).")
@click.pass_context
def build(ctx: click.Context, path: Path, out: Path | None, strict: bool, clean: bool) -> None:
    """Build the course in PATH into a static reveal.js site."""
    from deckbuild.commands.build import build as do_build

    def action() -> None:
        result = do_build(path, out, strict=strict, clean=clean)
        target = os.path.relpath(result.out) if result.out.is_relative_to(Path.cwd()) else str(result.out)
        warned = f", {len(result.warnings)} warning(s)" if result.warnings else ""
        reused = f" ({result.cached} from the cache)" if result.cached else ""
        log.info(
            "built %s%s, %s, %s in %.2f s -> %s%s",
            plural(result.decks, "deck"),
            reused,
            plural(result.slides, "slide"),
            plural(result.assets, "asset"),
            result.seconds,
            target,
            warned,
        )

    run(ctx, action)


@cli.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the course in a browser.")
@click.option("--poll", is_flag=True, help="Poll for changes (network or container mounts).")
@click.pass_context
def serve(ctx: click.Context, path: Path, host: str, port: int, open_browser: bool, poll: bool) -> None:
    """Preview the course in PATH, rebuilding and reloading on every change."""
    from deckbuild.commands.serve import serve as do_serve

    def action() -> None:
        do_serve(path, host, port, open_browser=open_browser, poll=poll)

    run(ctx, action)


@cli.command()
@click.argument("deck", type=click.Path(dir_okay=False, path_type=Path))
@output_option(folder=False, help="The PDF file (default: DECK.pdf here).")
@click.option("--notes", is_flag=True, help="Add the speaker notes (a page after each slide).")
@click.option("--fragments", is_flag=True, help="One page per fragment step instead of per slide.")
@click.option("--chrome", help="The Chromium or Chrome to print with (default: found on PATH).")
@click.pass_context
def pdf(
    ctx: click.Context, deck: Path, out: Path | None, notes: bool, fragments: bool, chrome: str | None
) -> None:
    """Print DECK (a markdown file of a course) to PDF with the machine's Chromium."""
    from deckbuild.commands.pdf import pdf as do_pdf

    def action() -> None:
        path, pages = do_pdf(deck, out, notes=notes, fragments=fragments, chrome=chrome)
        log.info("wrote %s: %d pages", os.path.relpath(path), pages)

    run(ctx, action)


@cli.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit with 1 on any finding.")
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Findings as lines or as JSON (for CI).",
)
@click.option("--chrome", help="The Chromium or Chrome to check with (default: found on PATH).")
@click.option(
    "--tabs", default=2, show_default=True, type=click.IntRange(1, 8), help="Pages checked at once."
)
@click.pass_context
def check(ctx: click.Context, path: Path, strict: bool, form: str, chrome: str | None, tabs: int) -> None:
    """Look at every slide of PATH in Chromium: overflow, broken media, accessibility (WCAG 2.1 AA)."""
    from deckbuild.check.findings import as_json, summary
    from deckbuild.commands.check import check as do_check

    def action() -> None:
        report = do_check(path, chrome=chrome, tabs=tabs)
        if form == "json":
            click.echo(as_json(report.decks, report.slides, report.findings))
        else:
            for finding in report.findings:
                click.echo(str(finding))
            log.info("%s", summary(report.decks, report.slides, report.findings))
        if strict and report.findings:
            raise DeckError(f"{len(report.findings)} finding(s) in strict mode")

    run(ctx, action)


@cli.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option(
    "--pip", "pip_spec", metavar="SPEC", help="What the Pages workflow installs (default: this version)."
)
@click.pass_context
def init(ctx: click.Context, folder: Path, force: bool, pip_spec: str | None) -> None:
    """Start a new course in FOLDER: config, a starter deck, a GitHub Pages workflow."""
    from deckbuild.commands.init import init as do_init

    def action() -> None:
        written = do_init(folder, force=force, pip=pip_spec)
        for name in written:
            log.info("wrote %s", os.path.join(folder, name))
        if not written:
            log.info(
                "nothing to add: %s has its config, workflow and .gitignore (--force rewrites them)", folder
            )
        log.info("next: deckbuild serve %s", folder)

    run(ctx, action)


@cli.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The deck to write (default: slides/NAME.md).",
)
@click.option("--force", is_flag=True, help="Overwrite the deck and pictures if they exist.")
@click.pass_context
def import_command(ctx: click.Context, source: Path, out: Path | None, force: bool) -> None:
    """Import a PowerPoint .pptx as a markdown deck, with its pictures, equations and notes."""
    from deckbuild.commands.import_pptx import import_pptx, summary

    def action() -> None:
        imported = import_pptx(source, out, force=force)
        for warning in imported.report.warnings:
            log.warning("%s: %s", source.name, warning)
        log.info("%s", summary(source, imported))

    run(ctx, action)


@cli.command("gh-deploy")
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--remote", default="origin", show_default=True, help="The git remote to push to.")
@click.option("--branch", default="gh-pages", show_default=True, help="The branch GitHub Pages serves.")
@click.option("-m", "--message", help="The commit message.")
@click.option("--no-strict", is_flag=True, help="Publish even when the build has warnings.")
@click.option("--allow-dirty", is_flag=True, help="Publish even with uncommitted changes (with a warning).")
@click.pass_context
def gh_deploy(
    ctx: click.Context,
    path: Path,
    remote: str,
    branch: str,
    message: str | None,
    no_strict: bool,
    allow_dirty: bool,
) -> None:
    """Build the course in PATH and push the site to a gh-pages branch."""
    from deckbuild.commands.gh_deploy import gh_deploy as do_deploy

    def action() -> None:
        url = do_deploy(
            path, remote=remote, branch=branch, message=message, strict=not no_strict, allow_dirty=allow_dirty
        )
        log.info("pushed the site to %s/%s", remote, branch)
        if url:
            log.info("it will be at %s (once Pages serves the %s branch)", url, branch)

    run(ctx, action)


@cli.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--copy", "wanted", multiple=True, metavar="NAME", help="Copy a built-in template into PATH/templates/."
)
@click.option("--force", is_flag=True, help="Overwrite a template the course has.")
@click.pass_context
def templates(ctx: click.Context, path: Path, wanted: tuple[str, ...], force: bool) -> None:
    """List the built-in page templates, or copy one into the course to override it."""
    from deckbuild.commands import templates as commands

    def action() -> None:
        if wanted:
            for name in commands.copy(path, list(wanted), force=force):
                log.info("wrote %s", os.path.join(path, name))
            return
        for name, overridden in commands.listing(path):
            click.echo(f"{name:<12} {'overridden by templates/' + name if overridden else 'built-in'}")

    run(ctx, action)


def debug_first(args: list[str]) -> list[str]:
    """`deckbuild build --debug` means `deckbuild --debug build`: --debug is the group's option."""
    if "--debug" not in args[1:]:
        return args
    at = args.index("--debug")
    if at > 0 and args[at - 1] in ("-m", "--message", "-o", "--output"):
        return args  # the value of an option, not the flag
    return ["--debug", *args[:at], *args[at + 1 :]]


def main() -> None:
    try:
        cli(args=debug_first(sys.argv[1:]), prog_name="deckbuild")
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            leave_now(done.code or 0)
        raise


def leave_now(code: int) -> None:
    """Exit without the interpreter's teardown.

    Every command has written and closed its files by now; freeing each of
    a build's objects one by one only costs time (35 ms on a 7-deck course,
    190 ms at 100 decks). Output streams are flushed first.
    """
    for handler in log.handlers:
        handler.flush()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
