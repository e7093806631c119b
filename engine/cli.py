"""The ``feuilleton`` command: the only place that prints diagnostics or exits.

Every user error arrives as a ``SiteError`` and is printed as
``file:line: message`` lines on stderr with exit code 1 and no traceback.
Anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import shlex
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .config import CACHE_DIR, CONFIG_FILE, Config, Options, load_config, overlap
from .errors import Diagnostic, Report, SiteError
from .model.dates import build_time, recording_time
from .speed.parallel import WorkerDied

if TYPE_CHECKING:
    from .commands.record import Recorded

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose refusal of an option's value that starts with ``-`` (``--note "-v was the wrong
    flag"``, taken for an option) says how to give it; its subcommands' parsers are of this kind too."""

    def error(self, message: str) -> NoReturn:
        option = re.fullmatch(r"argument (--[\w-]+)(?:/[^:]*)?: expected one argument", message)
        if option:
            message += (f" (a value that starts with -, which reads as an option, is written with =: "
                        f"{option.group(1)}='-…'" + (", or read from a file with --note-file" if option.group(1) ==
                                                     "--note" else "") + ")")
        super().error(message)


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    common.add_argument("--site", type=Path, default=argparse.SUPPRESS, help="the site folder (default: here)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="explain what is rebuilt and why")
    parser = _Parser(prog="feuilleton", description="Publish serialized essays.", allow_abbrev=False)
    parser.add_argument("--site", type=Path, default=Path("."), help="the site folder (default: here)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("-v", "--verbose", action="store_true", help="explain what is rebuilt and why")
    parser.add_argument("--version", action="version", version=f"feuilleton {_version()}",
                        help="print the version installed, and stop")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add = commands.add_parser
    commands.add_parser = (  # type: ignore[method-assign]
        lambda *a, **k: add(*a, parents=[common], allow_abbrev=False, **k))
    init = commands.add_parser("init", help="create a new site")
    init.add_argument("dir", type=Path, help="the folder to make the site in (made if missing)")
    init.add_argument("--ci", choices=("github", "gitlab"), help="also write a CI workflow that builds with the cache "
                      "restored and deploys to GitHub or GitLab Pages (in an existing site: only that)")
    new = commands.add_parser("new", help="create a draft post and print its path")
    new.add_argument("title")
    new.add_argument("--series", help="the series' slug (its folder under posts/)")
    new.add_argument("--part", type=int, help="its part number in the series (default: the next free one)")
    for name, text in (("build", "build the site into output/"), ("check", "validate without writing")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--drafts", action="store_true", help="include drafts")
        sub.add_argument("--future", action="store_true", help="include posts dated in the future")
        if name == "build":
            sub.add_argument("--output", type=Path, help="output folder (default: output/)")
            sub.add_argument("--base-url", type=_base_url, metavar="URL",
                             help="build for another address than config.toml's base_url (a deploy preview)")
    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change")
    serve.add_argument("--port", type=_port, help="the port (default: 8000, or a free one near it if that is busy; "
                       "a port given here must be free)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine alone)")
    serve.add_argument("--drafts", action="store_true", help="include drafts")
    serve.add_argument("--future", action="store_true", help="include posts dated in the future")
    publish = commands.add_parser("publish", help="make a draft public and record version 1")
    publish.add_argument("post", type=Path)
    publish.add_argument("--at", help="publication time (ISO 8601; default: the draft's own date, else now); "
                         "given, it replaces a date the draft has")
    revise = commands.add_parser("revise", help="record a revision with a dated note")
    revise.add_argument("post", type=Path, nargs="+", help="the post; several are recorded at one moment, with one "
                        "note (parts that refer to each other, moved together)")
    group = revise.add_mutually_exclusive_group()
    group.add_argument("--note", default="", help="the revision note (Markdown)")
    group.add_argument("--note-file", type=Path, help="read the note from a file (- reads it from standard input)")
    revise.add_argument("--at", help="back-date the revision (ISO 8601)")
    revise.add_argument("--minor", action="store_true", help="a silent correction: no note on top, no feed entry")
    _import_parser(commands)
    deploy = commands.add_parser("deploy", help="build afresh and publish the site to [deploy] target")
    deploy.add_argument("--to", metavar="TARGET", help="git:REMOTE#BRANCH, rsync:DEST or dir:PATH (default: "
                        "[deploy] target in config.toml)")
    deploy.add_argument("--dry-run", action="store_true", help="list what would be added, changed and removed; "
                        "send nothing")
    return parser


def _import_parser(commands: argparse._SubParsersAction) -> None:
    imp = commands.add_parser("import", help="bring an existing archive in (WordPress, Jekyll, Hugo, Pelican, "
                              "Substack, a feed)")
    imp.add_argument("source", help="the export file, site folder, zip or feed file or URL")
    imp.add_argument("--from", dest="kind", choices=("wordpress", "jekyll", "hugo", "pelican", "substack", "feed"),
                     help="what SOURCE is (default: told from what it holds)")
    history = imp.add_mutually_exclusive_group()
    history.add_argument("--history", dest="history", action="store_const", const=True, default=None,
                         help="record each git commit that changed a post as a version (the default in git)")
    history.add_argument("--no-history", dest="history", action="store_const", const=False,
                         help="import each post as it stands now, without its earlier versions")
    imp.add_argument("--series-from", choices=("category", "tag", "title"),
                     help="make series from categories, tags or titles (\"…, Part 3\")")
    imp.add_argument("--minor-below", type=int, metavar="N",
                     help="record a change of fewer than N words as minor (default: 10)")
    imp.add_argument("--dry-run", action="store_true", help="print the report and write nothing")


def _base_url(text: str) -> str:
    from .config import base_url
    try:
        return base_url(text.rstrip("/") + "/" if "://" in text else text)
    except TypeError as e:
        raise argparse.ArgumentTypeError(f"{e} (as config.toml's base_url)") from e


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def _site(args: argparse.Namespace) -> Path:
    site = args.site.resolve()
    if site.exists() and not site.is_dir():
        raise SiteError(Diagnostic(str(args.site), 0, "is a file; --site takes the site's folder (the one with "
                                   f"{CONFIG_FILE})"))
    if not (site / CONFIG_FILE).exists():
        raise SiteError(Diagnostic(str(site / CONFIG_FILE), 0,
                                   "not found: run this in a site folder, pass --site DIR, or create one with `feuilleton init DIR`"))
    return site


def _summary(verb: str, pages: int, feeds: int, warnings: int, seconds: float, site: Path,
             output: Path | None = None, written: int | None = None) -> str:
    where = ""
    if output is not None:
        try:
            where = f" into {output.relative_to(site)}/"
        except ValueError:
            where = f" into {output}/"
    wrote = f"; {counted(written, 'file')} written" if written is not None else ""
    return (f"{verb} {counted(pages, 'page')} and {counted(feeds, 'feed')}{where} in {seconds:.2f} s "
            f"({counted(warnings, 'warning')}{wrote})")


def counted(n: int, noun: str) -> str:
    """``1 file``, ``2 files``: the terminal's counts (its messages are English, as its options are)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _progress(stage: str) -> None:
    print(f"\r{stage}…\033[K", end="", file=sys.stderr, flush=True)


def _output(args: argparse.Namespace, site: Path) -> Path | None:
    """``--output``, refused where a build would replace the site's own files."""
    given = getattr(args, "output", None)
    if given is None:
        return None
    out = given.resolve()
    if out == site or out in site.parents:
        clash = "would replace the site folder (or a folder around it): a build swaps its output folder wholesale"
    elif site in out.parents:
        config, _ = load_config(site)
        clash = overlap(out.relative_to(site).as_posix(), config.posts_dir)
    else:
        clash = None
    if clash:
        raise SiteError(Diagnostic(str(given), 0, f"--output {clash}"))
    return out


def cmd_build(args: argparse.Namespace, check: bool = False) -> int:
    started = time.perf_counter()
    site = _site(args)
    options = Options(drafts=args.drafts, future=args.future)
    output = _output(args, site)
    base_url = getattr(args, "base_url", None)
    if not check and base_url is None and _up_to_date(args, site, options, output, started):
        return 0
    from .build import build  # the pipeline's imports take longer than the check above
    progress = _progress if sys.stderr.isatty() and not args.quiet else None
    result = build(site, options, output=output, write=not check, progress=progress, base_url=base_url)
    if progress:
        print("\r\033[K", end="", file=sys.stderr)
    if not args.quiet:
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        if args.verbose:
            spared = " (the rest had the same content and templates as last time)" \
                if result.rendered < result.pages else ""
            print(f"{result.rendered} of {result.pages} pages rendered{spared}", file=sys.stderr)
        if args.verbose and result.written:
            for path in result.written.written:
                print(f"wrote {path} (its bytes changed)", file=sys.stderr)
            for path in result.written.removed:
                print(f"removed {path} (no longer part of the site)", file=sys.stderr)
            print(f"{result.written.kept} files unchanged, left as they were", file=sys.stderr)
        written = len(result.written.written) if result.written else None
        print(_summary("Checked" if check else "Built", result.pages, result.feeds, len(result.warnings),
                       result.seconds, site, result.output if result.written else None, written))
    return 0


def _up_to_date(args: argparse.Namespace, site: Path, options: Options, output: Path | None,
                started: float) -> bool:
    """When nothing a build reads changed since the last one, say so (with its warnings) and stop."""
    from .output.write import keep_spare_private
    from .speed.uptodate import current
    if output is None:
        config, _ = load_config(site)
        output = (site / config.output_dir).resolve()
    stamp = current(site / CACHE_DIR, site, options.drafts, options.future, output, build_time())
    if stamp is None:
        return False
    keep_spare_private(output)  # one an older Feuilleton left open
    if not args.quiet:
        for warning in stamp.warnings:
            print(warning, file=sys.stderr)
        if args.verbose:
            print("nothing changed since the last build: no page rendered, no file written", file=sys.stderr)
        print(_summary("Built", stamp.pages, stamp.feeds, len(stamp.warnings), time.perf_counter() - started,
                       site, output, 0))
    return True


def cmd_init(args: argparse.Namespace) -> int:
    from .commands.scaffold import init
    fresh = not (args.ci and (args.dir / CONFIG_FILE).exists())  # else only the workflow is added
    made, warnings = init(args.dir) if fresh else [], []
    if args.ci:
        from .commands.ci import write_workflow
        path, warnings = write_workflow(args.dir, args.ci)
        made.append(path)
    if not args.quiet:
        here = Path.cwd().resolve()
        for path in made:  # the workflow may lie above the site, at the top of its repository
            shown = Path(path).resolve()
            print(f"created {shown.relative_to(here) if shown.is_relative_to(here) else path}")
        if fresh:
            print(f"A new site is ready in {args.dir}: set its title, base_url and [author] in config.toml, then "
                  f"add posts with `feuilleton --site {shlex.quote(str(args.dir))} new \"Title\"`.")
    for warning in warnings:
        print(warning, file=sys.stderr)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from .commands.scaffold import new_post
    site = _site(args)
    config, _ = load_config(site)
    path = new_post(site / config.posts_dir, args.title, args.series, args.part, config.slug_ascii)
    here = Path.cwd().resolve()
    # as the shell and an editor read it from here; publish and revise take it so, or from the site folder
    print(path.relative_to(here) if path.is_relative_to(here) else path.relative_to(site)
          if path.is_relative_to(site) else path)
    return 0


def _post_path(post: Path, site: Path, config: Config) -> Path:
    """POST, one of the site's posts: a relative path is looked up from here, then from the site folder
    (``new`` prints it so).  The post must be a file of its own, not a link: ``publish`` and ``revise``
    write into it and beside it (its archive), which through a link would land elsewhere."""
    from .source.load import as_post_name, walk
    posts = {_named(p): p for p in walk(site / config.posts_dir, Report(site))}  # as the build reads them
    candidates = [post] if post.is_absolute() else [Path.cwd() / post, site / post]
    for candidate in map(_named, candidates):
        if candidate in posts and candidate.is_symlink():
            raise SiteError(Diagnostic(Report(site).where(candidate), 0, "is a link (to "
                                       f"{os.path.realpath(candidate)}), and publish and revise write into a post "
                                       "and beside it; put the file itself here in place of the link, then run "
                                       "the command again"))
        if candidate in posts:
            return posts[candidate]  # through a linked folder as the build goes: its feed id is made from that
    if not any(candidate.is_file() for candidate in candidates):
        raise SiteError(Diagnostic(str(post), 0, "no such post file (a relative path is looked up from here, "
                                   "then from the site folder)"))
    if as_post_name(post.name):
        raise SiteError(Diagnostic(str(post), 0, "is no post: only a file whose name ends in `.md` is one; "
                                   f"rename it to {as_post_name(post.name)}, then run the command again"))
    raise SiteError(Diagnostic(str(post), 0, f"is not one of the posts of the site in {site} (the .md files "
                               f"under its {config.posts_dir}/ folder, leaving out version archives and names "
                               "that start with . or _)"))


def _named(path: Path) -> Path:
    """``path`` with its folders resolved but not the file itself, which may be a link."""
    return path.parent.resolve() / path.name


def _say(args: argparse.Namespace, done: Recorded) -> None:
    """What ``publish`` or ``revise`` did, after what the check before it warned about."""
    if not args.quiet:
        for warning in done.warnings:
            print(warning, file=sys.stderr)
        print("\n".join(done.messages))


def cmd_publish(args: argparse.Namespace) -> int:
    from .commands.publish import publish
    site = _site(args)
    config, _ = load_config(site)
    done = publish(_post_path(args.post, site, config), site, config, args.at, recording_time())
    _say(args, done)
    return 0


def cmd_revise(args: argparse.Namespace) -> int:
    from .commands.revise import revise
    site = _site(args)
    config, _ = load_config(site)
    note = args.note if args.note_file is None else _note(args.note_file)
    note = note.lstrip("\ufeff") if note else note  # pasted from a file saved with a byte order mark
    note_file = None if args.note_file is None or str(args.note_file) == "-" else str(args.note_file)
    posts = list(dict.fromkeys(_post_path(post, site, config) for post in args.post))
    now = recording_time()
    if len(posts) > 1:  # all recorded, at one moment, or none: each refuses first as it would
        for path in posts:
            revise(path, site, config, note, args.at, args.minor, now, note_file, frozenset(posts) - {path}, dry=True)
    for path in posts:
        done = revise(path, site, config, note, args.at, args.minor, now, note_file, frozenset(posts) - {path})
        _say(args, done)
    return 0


def _note(path: Path) -> str:
    """The text of ``--note-file``: a regular file only, so that a named pipe given by mistake is an error
    instead of a wait for ever; ``-`` reads standard input, for a note piped in on purpose."""
    from .source.files import read_regular
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else read_regular(path)
    except OSError as e:
        raise SiteError(Diagnostic(str(path), 0, f"--note-file: cannot read: {e.strerror}")) from e
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")  # as a file read as text
    except UnicodeDecodeError as e:
        raise SiteError(Diagnostic(str(path), data.count(b"\n", 0, e.start) + 1, "--note-file: not UTF-8 text "
                                   f"(byte 0x{data[e.start]:02x}); save it as UTF-8")) from e


def cmd_import(args: argparse.Namespace) -> int:
    from .importing.command import import_into
    done = import_into(args, _site(args), recording_time())
    if not args.quiet:
        print("\n".join(done.lines))
    return 0


def cmd_deploy(args: argparse.Namespace) -> int:
    from .commands.deploy import deploy
    tty = sys.stderr.isatty() and not args.quiet
    def note(text: str) -> None:  # a wait that may be long: said on a terminal or not (a CI log)
        print(("\r\033[K" if tty else "") + text, file=sys.stderr, flush=True)
    done = deploy(_site(args), args.to, args.dry_run, say=_progress if tty else lambda text: None, progress=tty,
                  note=note if not args.quiet else lambda text: None)
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    if args.quiet:
        return 0
    hub = done.hub_line
    for warning in [*done.warnings, *(Diagnostic("config.toml", hub, failure, True) for failure in done.ping_failures)]:
        print(warning, file=sys.stderr)  # a hub not told is a warning about websub_hub: the deploy is done
    changes, where = done.changes, f"{done.target.kind}:{done.target.where}"
    if (args.dry_run or args.verbose) and changes.lines():  # nothing to list is no blank line
        print("\n".join(changes.lines()))
    counts = (f"{counted(len(changes.added), 'file')} added, {len(changes.changed)} changed, "
              f"{len(changes.removed)} removed")
    if changes.empty:
        owed = f"; the WebSub hub was told of {counted(len(done.pinged), 'feed')} an earlier deploy left untold" \
            if done.pinged else ""
        print(f"{where} already has this site: nothing {'would be sent' if args.dry_run else 'to send'}{owed}.")
    elif args.dry_run:
        print(f"Dry run: deploying to {where} would add {counted(len(changes.added), 'file')}, change "
              f"{len(changes.changed)} and remove {len(changes.removed)}; nothing was sent.")
    else:
        told = f"; the WebSub hub was told of {counted(len(done.pinged), 'feed')}" if done.pinged else ""
        print(f"Deployed to {where}: {counts}{told}.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .commands.serve import serve
    site = _site(args)
    host = args.host[1:-1] if args.host.startswith("[") and args.host.endswith("]") else args.host  # [::1]
    return serve(site, Options(drafts=args.drafts, future=args.future), host=host, port=args.port,
                 quiet=args.quiet, verbose=args.verbose)


COMMANDS = {"build": cmd_build, "check": lambda a: cmd_build(a, check=True), "init": cmd_init,
            "new": cmd_new, "publish": cmd_publish, "revise": cmd_revise, "serve": cmd_serve, "import": cmd_import,
            "deploy": cmd_deploy}


_INTERRUPTED = {
    "build": "output/ is left as it was",
    "deploy": "a dir: or git: target holds the site it had or the new one whole; an rsync: one may hold some new "
              "files beside old ones (each whole); running deploy again is safe",
    "publish": "the post is as it was or as recorded; if a build says a step is left, run the command again",
    "revise": "the post is as it was or as recorded; if a build says a step is left, run the command again",
    "import": "running it again is safe: it writes what is missing and changes nothing already imported",
}
"""What a command stopped midway leaves, said in one line (``serve`` says ``stopping`` itself)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a CI job's time limit, a service stopping) or SIGHUP (its terminal closed): the
    command stops as at Ctrl-C, its temporary folders removed and ``output/`` left as it was, and exits
    with 128 and the signal's number (143, 129)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.code = 128 + signum


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _version() -> str:
    """The version of the Feuilleton installed (its package's), or where it runs from when none is."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("feuilleton")
    except PackageNotFoundError:
        return f"(not installed; running from {Path(__file__).parent})"


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except KeyboardInterrupt:
        return 130
    level = logging.ERROR if args.quiet else (logging.INFO if args.verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    main_thread = threading.current_thread() is threading.main_thread()
    before = {signum: signal.signal(signum, _terminate) for signum in _STOPPING} if main_thread else {}
    try:
        return _run(args)
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def _run(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except SiteError as e:
        for diagnostic in e.diagnostics:
            if not diagnostic.warning or not args.quiet:
                print(diagnostic, file=sys.stderr)
        return 1
    except WorkerDied as e:
        print(f"error: {e}; the build stopped, and the previous output is left as it was", file=sys.stderr)
        return 1
    except OSError as e:  # the system refused (a read-only folder, a full disk): say what and where
        where = f"{e.filename}: " if e.filename else ""
        print(f"{where}{e.strerror or e}; the command stopped there", file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        said = getattr(e, "said", "") or _INTERRUPTED.get(args.command, "")
        if said and not args.quiet:
            print(f"interrupted: {said}", file=sys.stderr)
        return e.code if isinstance(e, Terminated) else 130
