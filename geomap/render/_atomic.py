"""Atomic replacement of a directory: build beside it, then swap it in.

Private to :mod:`geomap.render`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def swap_in_dir(out_dir: Path, write: Callable[[Path], T]) -> T:
    """Fill a temporary directory beside ``out_dir`` with ``write`` and swap it in.

    On any failure the temporary directory is removed and the previous ``out_dir``
    (if any) is left, or put back, in place.

    Parameters
    ----------
    out_dir : Path
        The target directory (an absolute path; its parent is created).
    write : callable
        Fills the (new, empty) directory it is given.

    Returns
    -------
    object
        What ``write`` returned.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        result = write(tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a served site must be readable
        old = None
        if out_dir.exists():
            old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
            if old.exists():
                shutil.rmtree(old)
            out_dir.rename(old)
        try:
            tmp.rename(out_dir)
        except BaseException:
            if old is not None:
                old.rename(out_dir)  # put the previous site back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result
