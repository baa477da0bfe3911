"""`Transform.from_git`: a file in a git repository, pinned to a commit (or sliding on a branch).

A repository on this machine (a folder or `file://` URL) is read with `git` directly; the
file must exist at the commit. For a remote URL, `git ls-remote` resolves the commit, which
needs the network, as `git` itself would.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import InvalidArgument


@dataclass(frozen=True)
class GitSource:
    """Where a transform's code lives in git, and what `from_git` stores about it."""

    url: str
    path: str
    commit: str | None
    branch: str | None

    @property
    def repo_name(self) -> str:
        """`owner/name` of a URL, the folder's parent/name for a local repository."""
        parts = self.url.rstrip("/").removesuffix(".git").split("/")
        return "/".join(parts[-2:])

    def source_code(self, entrypoint: str | None) -> str:
        lines = [f"repo: {self.url}", f"path: {self.path}"]
        if entrypoint is not None:
            lines.append(f"entrypoint: {entrypoint}")
        lines.append(f"commit: {self.commit}" if self.commit else f"branch: {self.branch}")
        return "\n".join(lines)

    def reference(self) -> str:
        if self.commit:
            return f"{self.url}/blob/{self.commit}/{self.path}"
        return f"{self.url}/tree/{quote(self.branch or '', safe='')}/{self.path}"


def _git(*args: str, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, timeout=120)
    except FileNotFoundError as exc:
        raise InvalidArgument("Transform.from_git() needs the `git` command") from exc
    if done.returncode != 0:
        if not check:
            return ""
        raise InvalidArgument(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def local_repository(url: str) -> Path | None:
    """The folder of a repository on this machine, if `url` names one."""
    candidate = Path(url[len("file://") :] if url.startswith("file://") else url).expanduser()
    if "://" in url and not url.startswith("file://"):
        return None
    return candidate.resolve() if candidate.exists() else None


def resolve(url: str, path: str, version: str | None, branch: str | None) -> GitSource:
    """The commit `path` is taken at: `version` (a tag or commit), else `branch`, else HEAD.

    With `branch` and `version == branch` the transform slides with the branch (no commit).
    """
    if branch is not None and version == branch:
        return GitSource(url, path, None, branch)
    ref = version or branch or "HEAD"
    folder = local_repository(url)
    if folder is None:
        listed = _git("ls-remote", url, ref, f"refs/tags/{ref}^{{}}")
        if not listed:
            raise InvalidArgument(f"'{ref}' is not a branch, tag or commit of {url}")
        return GitSource(url, path, listed.splitlines()[-1].split()[0], branch)
    commit = _git("-C", str(folder), "rev-parse", "--verify", f"{ref}^{{commit}}")
    kind = _git("-C", str(folder), "cat-file", "-t", f"{commit}:{path}", check=False)
    if kind not in {"blob", "tree"}:
        raise InvalidArgument(f"'{path}' is not in {url} at {ref}")
    return GitSource(str(folder) if not url.startswith("file://") else url, path, commit, branch)
